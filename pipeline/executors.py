"""The one seam between the runner and parallelism. Stage code never imports this module."""
from __future__ import annotations

import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor


class SerialExecutor(Executor):
    """Runs each task at submit time, in this process: for debugging and for parity tests."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - the future carries it, as a pool's would
            future.set_exception(exc)
        return future


def _init_worker() -> None:
    # tesseract parallelism comes from pages spread over workers, never from its own threads
    os.environ["OMP_THREAD_LIMIT"] = "1"


def make_executor(kind: str, workers: int) -> Executor:
    if kind == "serial" or workers == 1 and kind != "process":
        return SerialExecutor()
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)
