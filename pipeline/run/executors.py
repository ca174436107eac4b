"""The one seam between the runner and parallelism. Stage code never imports this module.

A pool runs jobs (a module-level function and its arguments) on a
concurrent.futures executor and tells the runner what a bare executor does not:
which worker began which job and when (``started``), so that a hung job can be
timed and its worker stopped (``stop_worker``), and how to start afresh after a
worker died and took a process pool down with it (``restart``).

- ``serial``: each job runs at submit time in this process (debugging, parity tests).
- ``process``: a local ProcessPoolExecutor; each worker is the leader of its own
  process group, so stopping a worker also stops the tesseract it started.
- ``dask``: ``distributed.Client.get_executor()`` on a scheduler (``--scheduler``)
  or on a LocalCluster of worker processes. Dask itself reschedules the jobs of a
  worker that died; a job that kills its worker again and again fails with
  KilledWorker, which the pool's ``result`` turns into WorkerCrashed (that
  document's error row).
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import uuid
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

from pipeline.run.limits import limit_address_space
from pipeline.errors import MissingDependency, WorkerCrashed


DEFAULT_PARALLEL_OUTPUT_JOBS = 50  # fewer output jobs (review pages) run in the driver: a pool's start costs more


@contextmanager
def output_map(kind: str, workers: int, n_jobs: int):
    """The ``map`` the run's output jobs (one review page per document) go through: a fresh
    local process pool's for a process-pool run of several workers and at least
    DEFAULT_PARALLEL_OUTPUT_JOBS jobs (its forked workers start with the driver's imports),
    else the builtin, in this process. Results come back in order either way; the pool's
    map sends the jobs in chunks of a quarter of a worker's share of each call's jobs (the
    review pages: many; the run tables' groups: one each)."""
    if kind != "process" or workers < 2 or n_jobs < DEFAULT_PARALLEL_OUTPUT_JOBS:
        yield map
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield partial(_chunked_map, pool, workers)


def _chunked_map(pool: ProcessPoolExecutor, workers: int, fn, *iterables):
    jobs = [list(iterable) for iterable in iterables]
    return pool.map(fn, *jobs, chunksize=max(1, min(map(len, jobs), default=0) // (4 * workers)))


def make_pool(kind: str, workers: int, scheduler: str | None = None):
    if kind == "dask":
        return DaskPool(workers, scheduler)
    if kind == "serial" or workers == 1 and kind != "process":
        return SerialPool()
    return ProcessPool(workers)


def future_result(future: Future):
    """A job's value, or its exception (a pool whose failures need naming maps them)."""
    return future.result()


class SerialExecutor(Executor):
    """Runs each task at submit time, in this process: for debugging and for parity tests."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - the future carries it, as a pool's would
            future.set_exception(exc)
        return future


class SerialPool:
    """Jobs run inline: nothing to time, stop or restart."""

    restartable = False   # the runner rebuilds a pool after BrokenProcessPool only if True
    can_stop = False      # the runner enforces the time limit only if True
    result = staticmethod(future_result)
    capacity = 1          # jobs that can run at once

    def __init__(self) -> None:
        self.executor = SerialExecutor()

    def submit(self, key: int, fn, *args) -> Future:
        return self.executor.submit(fn, *args)

    def started(self) -> list[tuple[int, object]]:
        return []

    def restart(self) -> None:
        pass

    def shutdown(self, hard: bool = False) -> None:
        self.executor.shutdown()


# --- local process pool ------------------------------------------------------------

_announce = None  # in a pool worker: where jobs say they started (a SimpleQueue)


DEFAULT_WORKER_MEMORY_SHARE = 0.75  # of the machine's memory, shared by the workers …
DEFAULT_MIN_WORKER_MEMORY = 3 << 30  # … but never less than this (a worker maps ~0.8 GB at rest)


def worker_memory_limit(workers: int) -> int | None:
    """Address space each worker (and the tesseract it runs) may take: one document that
    blows up (tesseract took 5.3 GB for one page) fails with MemoryError, not the machine."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    return max(DEFAULT_MIN_WORKER_MEMORY, int(DEFAULT_WORKER_MEMORY_SHARE * total / max(1, workers)))


def _init_worker(announce, memory_limit: int | None = None) -> None:
    global _announce
    # tesseract parallelism comes from pages spread over workers, never from its own threads
    os.environ["OMP_THREAD_LIMIT"] = "1"
    # own process group: stopping this worker also stops the tesseract it runs
    # (and Ctrl-C reaches only the runner, which stops the workers itself)
    os.setpgrp()
    exit_with_parent()
    limit_address_space(memory_limit)
    _announce = announce


PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)


def exit_with_parent() -> None:
    """Have the kernel end this worker when the process that started it dies: in its own
    process group it would otherwise outlive a killed runner (two workers stayed alive,
    0.5 GB, after `kill -9` of the main process). Linux only; elsewhere a no-op."""
    import ctypes

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call: nobody will signal us
        os._exit(1)


def _run_announced(key: int, fn, *args):
    """In a worker: say which job starts here, then run it."""
    if _announce is not None:
        _announce.put((key, os.getpid()))
    return fn(*args)


def _kill_group(pid: int) -> None:
    """SIGKILL a worker and every process it started (its process group)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class ProcessPool:
    restartable = True
    can_stop = True
    result = staticmethod(future_result)  # a dead worker breaks the pool: the runner's BrokenProcessPool

    def __init__(self, workers: int) -> None:
        self.capacity = workers
        self._start()

    def _start(self) -> None:
        # a fresh announcement queue per pool: a worker killed while writing to the old
        # one may have left its lock held
        self._announce = multiprocessing.SimpleQueue()
        self.executor = ProcessPoolExecutor(max_workers=self.capacity, initializer=_init_worker,
                                            initargs=(self._announce, worker_memory_limit(self.capacity)))
        self._pids: set[int] = set()

    def submit(self, key: int, fn, *args) -> Future:
        return self.executor.submit(_run_announced, key, fn, *args)

    def started(self) -> list[tuple[int, object]]:
        """(job key, worker pid) for every job that began since the last call."""
        found = []
        while not self._announce.empty():
            key, pid = self._announce.get()
            self._pids.add(pid)
            found.append((key, pid))
        return found

    def stop_worker(self, pid: int) -> None:
        """Kill a worker (stuck in a job) and its children. The pool then breaks as a whole:
        the runner restarts it."""
        _kill_group(pid)

    def restart(self) -> None:
        self.shutdown(hard=True)
        self._start()

    def shutdown(self, hard: bool = False) -> None:
        if not hard:
            self.executor.shutdown(wait=True)
        else:
            self.started()  # learn the pids of workers that began a job since the last look
            self.executor.shutdown(wait=False, cancel_futures=True)
            for pid in self._pids:  # busy workers, and any tesseract still running in their groups
                _kill_group(pid)
            self.executor.shutdown(wait=True)
        self._announce.close()


# --- dask ------------------------------------------------------------------------------

def _run_announced_on_dask(topic: str, key: int, fn, *args):
    """On a dask worker: say which job starts where, then run it."""
    from distributed import get_worker

    worker = get_worker()
    worker.log_event(topic, (key, worker.address))
    return fn(*args)


async def _stop_this_worker() -> None:
    """Run on a dask worker whose job hangs: kill it (with its process group when it leads
    one, see the worker plugin); the nanny starts a new worker. (A coroutine: dask runs
    only those without waiting for an answer.)"""
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _worker_plugin():
    from distributed import WorkerPlugin

    class PipelineWorker(WorkerPlugin):
        """Every worker, also those that join or restart later: one tesseract thread, and a
        process group of its own (so stopping it stops its tesseract too)."""

        name = "rcp-pipeline-worker"

        def setup(self, worker) -> None:
            os.environ["OMP_THREAD_LIMIT"] = "1"
            if os.getpgrp() != os.getpid():
                try:
                    os.setpgrp()
                except OSError:
                    pass
            exit_with_parent()

    return PipelineWorker()


class DaskPool:
    restartable = False   # dask reschedules the jobs of a dead worker itself
    can_stop = True

    def __init__(self, workers: int, scheduler: str | None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependency(
                "--executor dask needs dask.distributed: pip install 'rcp-pipeline[dask]' "
                "(or pip install 'dask[distributed]')") from exc
        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, env={"OMP_THREAD_LIMIT": "1"})
            self.client = Client(self.cluster)
        self.client.register_plugin(_worker_plugin())
        threads = sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values())
        self.capacity = max(threads, workers)
        self._topic = f"rcp-started-{uuid.uuid4().hex}"
        self._started: queue.SimpleQueue = queue.SimpleQueue()
        self.client.subscribe_topic(self._topic, lambda event: self._started.put(event[1]))
        self.executor = self.client.get_executor(pure=False)

    @staticmethod
    def result(future: Future):
        """A job's value; a job that killed its workers again and again (dask's KilledWorker)
        fails as WorkerCrashed."""
        from distributed.scheduler import KilledWorker

        try:
            return future.result()
        except KilledWorker as exc:
            raise WorkerCrashed(f"worker crashed {exc.allowed_failures + 1} times while processing this document") from exc

    def submit(self, key: int, fn, *args) -> Future:
        return self.executor.submit(_run_announced_on_dask, self._topic, key, fn, *args)

    def started(self) -> list[tuple[int, object]]:
        """(job key, worker address) for every job that began since the last call."""
        found = []
        while True:
            try:
                key, address = self._started.get_nowait()
            except queue.Empty:
                return found
            found.append((key, address))

    def stop_worker(self, address: str) -> None:
        """Kill a worker stuck in a job (cancel the job's future first); its nanny starts a
        new one and dask reschedules the other jobs it held."""
        try:
            self.client.run(_stop_this_worker, workers=[address], wait=False)
        except Exception:  # noqa: BLE001 - the worker may already be gone
            pass

    def restart(self) -> None:
        pass  # dask replaces dead workers and reschedules their jobs itself

    def shutdown(self, hard: bool = False) -> None:
        try:
            self.executor.shutdown(wait=not hard)
            self.client.unsubscribe_topic(self._topic)
        finally:
            self.client.close()
            if self.cluster is not None:
                self.cluster.close()
