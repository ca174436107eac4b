"""Run orchestration: find inputs, reuse unchanged results, fan pages out to an executor,
assemble documents, write clean texts and tables, summarise."""
from __future__ import annotations

import hashlib
import itertools
import json
import os
import sys
import time
from collections import Counter, defaultdict, deque
from contextlib import ExitStack
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from enum import Enum
from pathlib import Path
from typing import Callable

from pipeline import PIPELINE_VERSION
from pipeline.run.executors import make_pool, output_map
from pipeline.run.corpus import (INDEX_NAME, CorpusEntry, CorpusPlan, Found, assign_doc_ids, discover, document_files,
                                 index_json, mark_output_folders, plan_corpus, read_index, resolved_key)
from pipeline.sources.files import PAGED_FORMATS, format_of
from pipeline.errors import BadOptions, ExitCode, exit_code_of, reason_of
from pipeline.run.options import RunOptions
from pipeline.sources.pdf import PageJob, extract_page, image_page_count, pdf_page_count
from pipeline.records import SourceFile
from pipeline.run.stages import (DocumentResult, duplicate_result, error_result, pages_to_result, skipped_result,
                             text_source_to_result)
from pipeline.output.corpus_outputs import write_corpus_outputs, write_corpus_tables
from pipeline.output.storage import (TableWriter, cached_tables, commit_staged_documents, conform_cached,
                              discard_staged_documents, output_lock, preload_table_libraries, read_any_cached,
                              read_cached, staged_clean_dir, staging_folder, switch_in, write_atomic, write_cached,
                              write_data_dictionary, write_table)
from pipeline.output.decisions import DecisionFile, apply_decisions, decisions_by_document, decisions_header, read_decision_file
from pipeline.output.tables import RUN_TABLES


@dataclass
class RunSummary:
    documents: int = 0          # files given (found under the inputs)
    reused: int = 0
    processed: int = 0
    duplicates: int = 0         # given files whose bytes are another document's
    errors: dict[str, str] = field(default_factory=dict)
    pages_by_method: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # the corpus in the output after the run (doc_ids)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    out_dir: Path = Path("output")

    error_exit_codes: dict[str, int] = field(default_factory=dict)  # doc_id → the exit code its failure gives

    @property
    def exit_code(self) -> ExitCode:
        """3 when a document failed for want of tesseract (the other documents are still
        processed), else 1 when any failed, else 0."""
        if not self.errors:
            return ExitCode.OK
        return ExitCode(max(ExitCode.DOCUMENT_ERRORS, *(self.error_exit_codes.get(d, 0) for d in self.errors)))

    @property
    def corpus_size(self) -> int:
        return len(self.added) + len(self.updated) + len(self.unchanged) + len(self.kept)

    def render(self) -> str:
        methods = ", ".join(f"{m} {n}" for m, n in sorted(self.pages_by_method.items())) or "none"
        out = self.out_dir
        lines = [
            f"documents: {self.documents} given ({self.processed} processed, {self.reused} unchanged and reused, "
            f"{self.duplicates} duplicate{'s' if self.duplicates != 1 else ''} of another; {len(self.errors)} failed)",
            f"corpus: {self.corpus_size} documents in {out}/ ({len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.kept)} kept from earlier runs, {len(self.pruned)} pruned)",
            f"pages: {sum(self.pages_by_method.values())} ({methods})",
            f"seconds: {self.seconds:.2f}",
            f"tables: {out}/*.parquet and *.csv · data dictionary: {out / 'README.md'} · "
            f"review: {out / 'review' / 'index.html'}",
        ]
        for doc_id, reason in sorted(self.errors.items()):
            lines.append(f"  FAILED {doc_id}: {reason}")
        for warning in self.warnings:
            lines.append(f"  warning: {warning}")
        return "\n".join(lines)


def run(options: RunOptions) -> RunSummary:
    """One run over the inputs into ``options.out_dir``, which it holds alone (OutputBusy
    when another run has it)."""
    with output_lock(options.out_dir):
        return _run(options)


def _run(options: RunOptions) -> RunSummary:
    """The whole run: look at the inputs and the output, plan what to do with every
    document, do it, write the tables."""
    started = time.perf_counter()
    out_dir, clean_dir = options.out_dir, options.clean_dir
    mark_output_folders(out_dir, clean_dir)
    discard_staged_documents(clean_dir, out_dir)  # what an interrupted run left
    decisions = decision_file(options)  # a malformed file stops the run before the work
    inputs = read_inputs(options)
    actions = plan(inputs, options)
    facts = execute(actions, options)
    summary = summarize(inputs, actions, facts, out_dir)
    ordered = [a.doc_id for a in actions if a.doc_id in facts]
    with output_map(options.executor, options.workers, len(ordered)) as map_:
        rewrite = write_outputs(ordered, facts, {a.doc_id for a in actions if a.do is Do.KEEP}, inputs, options,
                                tables_changed=any(a.do is Do.EXTRACT for a in actions), decisions=decisions,
                                map_=map_)
        summary.warnings += decision_warnings(out_dir)
        summary.seconds = time.perf_counter() - started
        write_corpus_outputs(out_dir, clean_dir, summary, tables_rewritten=rewrite, map_=map_)
    return summary


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a run finds: the files under its inputs (with their bytes' hashes, or why they
    cannot be read), the corpus of earlier runs and the plan of the corpus after this run."""

    found: tuple[Found, ...]
    read: dict[str, tuple[str, str | None, tuple[int, int] | None]]  # resolved path → read_source
    skipped: frozenset[str]                                           # resolved paths not read (links …)
    previous: tuple[CorpusEntry, ...]
    corpus: CorpusPlan


def read_inputs(options: RunOptions) -> Inputs:
    found = discover(options.inputs, exclude=(options.out_dir, options.clean_dir), follow_links=options.follow_links)
    previous = read_index(options.out_dir)
    given_keys = {f.resolved for f in found}
    known = {e.resolved: e.doc_id for e in previous if options.mode != "replace" or e.resolved in given_keys}
    # bytes' hash, or why the file cannot be read or is not read
    read = {f.resolved: ("", f.problem, None) if f.problem else read_source(f.path) for f in found}
    doc_ids = assign_doc_ids(found, {k: sha for k, (sha, _, _) in read.items()}, known)
    current = [CorpusEntry(doc_ids[f.resolved], str(f.path), f.resolved, read[f.resolved][0]) for f in found]
    corpus = plan_corpus(previous, current, options.mode, tuple(i for i in options.inputs if i.is_dir()))
    return Inputs(tuple(found), read, frozenset(f.resolved for f in found if f.skipped), tuple(previous), corpus)


class Do(Enum):
    DUPLICATE = "duplicate"  # its bytes are another document's: a row saying so
    REUSE = "reuse"          # its cached result is of these bytes and this pipeline version
    EXTRACT = "extract"      # through the stages, in a worker
    ERROR = "error"          # unreadable: its error row, no worker needed
    SKIP = "skip"            # not read (a link out of the inputs, a FIFO …): its skipped row
    KEEP = "keep"            # its source is gone: its rows of an earlier pipeline version stay
    DROP = "drop"            # its source is gone and its rows cannot be read


@dataclass(frozen=True, slots=True)
class Action:
    """What the run does with one document of the corpus, and where the document stands
    in the corpus after it (``bucket``: added, updated, unchanged, kept or pruned)."""

    do: Do
    doc_id: str
    bucket: str
    given: bool = False
    source: SourceFile | None = None
    facts: dict | None = None       # REUSE, KEEP: what the run keeps of the cached result (_facts), not its rows
    reason: str | None = None       # ERROR, SKIP: why; DUPLICATE: the doc_id it duplicates
    warning: str | None = None


def plan(inputs: Inputs, options: RunOptions) -> list[Action]:
    """An action per document of the corpus after this run, in corpus order. It reads the
    result cache and, for a document kept from an earlier run, its file; it writes nothing."""
    sources = {f.resolved for f in inputs.found}
    previous_ids = {e.doc_id for e in inputs.previous}
    corpus = inputs.corpus
    actions = [Action(Do.DROP, e.doc_id, "pruned") for e in corpus.pruned]
    for entry in corpus.entries:
        doc_id, given = entry.doc_id, entry.resolved in sources
        new = doc_id not in previous_ids
        path = Path(entry.source_path)
        if not given and resolved_key(path) != entry.resolved:  # given from another folder
            path = Path(entry.resolved)
        if doc_id in corpus.duplicate_of:
            actions.append(Action(Do.DUPLICATE, doc_id, "added" if new else "unchanged" if given else "kept", given,
                                  _source(path, entry), reason=corpus.duplicate_of[doc_id]))
            continue
        error = inputs.read[entry.resolved][1] if given else None
        cached = None if options.force and given or error else read_cached(
            options.out_dir, doc_id, entry.sha256, PIPELINE_VERSION, options.clean_dir)
        if cached is not None:
            actions.append(Action(Do.REUSE, doc_id, "unchanged" if given else "kept", given,
                                  facts=_facts(cached["tables"], cached.get("exit_code"))))
        elif given or Path(entry.resolved).is_file():
            signature = inputs.read[entry.resolved][2] if given else None
            if not given:
                sha, error, signature = read_source(path)
                entry = replace(entry, sha256=sha)
            warning = None if given else (f"{doc_id}: re-extracted from {entry.resolved} (its rows were from an "
                                          "earlier pipeline version)")
            bucket = "added" if new else "updated"
            if error:
                do = Do.SKIP if entry.resolved in inputs.skipped else Do.ERROR
                actions.append(Action(do, doc_id, bucket, given, _source(path, entry), reason=error, warning=warning))
            else:
                actions.append(Action(Do.EXTRACT, doc_id, bucket, given, _source(path, entry, signature),
                                      warning=warning))
        elif (old := read_any_cached(options.out_dir, doc_id)) is not None and conform_cached(old["tables"]) is not None:
            actions.append(Action(Do.KEEP, doc_id, "kept", facts=_facts(old["tables"], old.get("exit_code")),
                                  warning=f"{doc_id}: source gone; rows kept from pipeline version "
                                          f"{old.get('pipeline_version')}"))
        else:
            actions.append(Action(Do.DROP, doc_id, "pruned",
                                  warning=f"{doc_id}: dropped: its source is gone and its rows cannot be read"))
    return actions


ROW_RESULTS = {Do.DUPLICATE: duplicate_result, Do.ERROR: error_result, Do.SKIP: skipped_result}


def execute(actions: list[Action], options: RunOptions) -> dict[str, dict]:
    """Do the actions: rows of duplicates and unreadable files written at once, documents to
    extract run through the executor (each result's files written as it comes). Returns per
    document its documents row and page methods: the table rows stay in the per-document
    result cache until they are streamed into the tables."""
    facts: dict[str, dict] = {}
    todo = []
    for action in actions:
        if action.do in ROW_RESULTS:
            result = ROW_RESULTS[action.do](action.source, action.reason)
            _write_document(result, options.clean_dir, options.out_dir)
            facts[action.doc_id] = _facts(result.tables, result.exit_code)
        elif action.do in (Do.REUSE, Do.KEEP):
            facts[action.doc_id] = action.facts
        elif action.do is Do.EXTRACT:
            todo.append(action.source)
    for result in _process(todo, options):
        facts[result.doc_id] = _facts(result.tables, result.exit_code)
    return facts


def summarize(inputs: Inputs, actions: list[Action], facts: dict[str, dict], out_dir: Path) -> RunSummary:
    """The run as the command line reports it: what became of each document, their errors,
    warnings and page methods."""
    summary = RunSummary(documents=len(inputs.found), out_dir=out_dir)
    for action in actions:
        getattr(summary, action.bucket).append(action.doc_id)
        if action.warning:
            summary.warnings.append(action.warning)
        summary.duplicates += action.given and action.do is Do.DUPLICATE
        summary.reused += action.given and action.do is Do.REUSE
        summary.processed += action.given and action.do in (Do.EXTRACT, Do.ERROR, Do.SKIP)
    given_ids = set(inputs.corpus.given)
    for action in actions:
        if action.doc_id not in facts or action.doc_id not in given_ids:
            continue
        row = facts[action.doc_id]["document"]
        if row["status"] == "error":
            summary.errors[action.doc_id] = row["error"]
            summary.error_exit_codes[action.doc_id] = facts[action.doc_id]["exit_code"]
        elif row["status"] == "skipped":
            summary.warnings.append(f"{action.doc_id}: skipped: {row['error']}")
        summary.pages_by_method.update(facts[action.doc_id]["page_methods"])
    return summary


def decision_file(options: RunOptions) -> DecisionFile:
    """The run's reviewer decisions (pipeline/output/decisions.py)."""
    try:
        return read_decision_file(options.decisions_file)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise BadOptions(f"decisions file: {exc}") from exc


def decision_warnings(out_dir: Path) -> list[str]:
    """A warning per decision the last table writing could not apply (from review_decisions.csv:
    read with the csv module, so an unchanged re-run does not load pandas)."""
    import csv

    try:
        with open(out_dir / "review_decisions.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        return []
    return [f"decision on line {r['line']} ({r['action']} {r['table']} {r['key']}): {r['status']}: {r['detail']}"
            for r in rows if r.get("status") != "applied"]


# the run tables in two groups of about equal writing time (200 seed copies: about 1.0 s
# each, of the 2.4 s the driver took for all), each written by a process of the output pool
# when the run has one: one core sat idle while the driver wrote them all (issue 33)
RUN_TABLE_GROUPS = (
    ("memberships", "dates", "paragraphs", "sections", "documents", "pages", "tables", "rejected_rows",
     "review_decisions", "processes"),
    ("membership_candidates", "corrections", "events", "process_mentions", "event_candidates"),
)


def write_outputs(ordered: list[str], facts: dict[str, dict], stale: set[str], inputs: Inputs,
                  options: RunOptions, tables_changed: bool, decisions: DecisionFile = DecisionFile(),
                  map_=map) -> bool:
    """The tables (when a document changed, the corpus did or the decisions did), then the
    documents' clean texts and cached results, the pruned documents' files removed, the
    corpus index. Returns whether the tables were rewritten. ``map_``: how the run tables'
    groups are written (executors.output_map: by a process pool's processes, or here)."""
    out_dir, clean_dir = options.out_dir, options.clean_dir
    rewrite = tables_changed or not _tables_unchanged(ordered, facts, out_dir, decisions.digest)
    if options.decisions is None and not options.decisions_file.exists():
        write_atomic(options.decisions_file, decisions_header())  # the file a reviewer fills in
    if rewrite:
        preload_table_libraries()
        # every table is written into a staging folder, then all are switched in at once:
        # an interrupt while they are written (minutes, for a large corpus) leaves the
        # previous run's tables whole, never tables of two runs side by side
        stage = staging_folder(out_dir)
        write = partial(write_run_tables, ordered, out_dir, stale, stage, decisions, [facts[d]["document"] for d in ordered])
        # in groups only where a pool writes them at once: here, two passes would read every
        # cached result twice
        list(map_(write, RUN_TABLE_GROUPS if map_ is not map else (None,)))
        write_data_dictionary(stage)
        write_corpus_tables(stage)
        switch_in(stage, out_dir)
    # the documents' clean texts and cached results go in with the tables they belong to; the
    # pruned documents' go out (an interrupt before this left the previous run's of all three)
    commit_staged_documents(clean_dir, out_dir)
    for entry in inputs.corpus.pruned:
        for path in document_files(out_dir, clean_dir, entry.doc_id):
            path.unlink(missing_ok=True)
    if rewrite:
        write_atomic(_tables_stamp(out_dir), _tables_key(ordered, facts, decisions.digest))
    write_atomic(out_dir / ".cache" / INDEX_NAME, index_json(tuple(e for e in inputs.corpus.entries if e.doc_id in facts)))
    return rewrite


def read_source(path: Path) -> tuple[str, str | None, tuple[int, int] | None]:
    """(sha256 of the file's bytes, None, its (size, modification time) when hashed), or
    ("", why it cannot be read, None) for a file that cannot be opened or that changed
    while it was read: one bad path never stops the batch."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            before = os.fstat(handle.fileno())
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        after = path.stat()
    except OSError as exc:
        return "", f"cannot read the file: {exc.strerror or type(exc).__name__}", None
    signature = (before.st_size, before.st_mtime_ns)
    if signature != (after.st_size, after.st_mtime_ns):
        return "", "the file changed while it was being read: run again", None
    return digest.hexdigest(), None, signature


def _source(path: Path, entry: CorpusEntry, signature: tuple[int, int] | None = None) -> SourceFile:
    """The document's source; with the signature of its hashed bytes, workers check that they
    read those bytes (``check_unchanged``)."""
    if signature is None:
        size = path.stat().st_size if path.is_file() else 0
        return SourceFile(str(path), entry.doc_id, format_of(path), entry.sha256, size)
    return SourceFile(str(path), entry.doc_id, format_of(path), entry.sha256, signature[0], signature[1])


def _facts(tables: dict[str, list[dict]], exit_code: int | None = None) -> dict:
    """What the run keeps of a document in memory: its documents row, page methods and, when
    it failed, the exit code its failure gives (a cached failure's is in its cache entry)."""
    row = tables["documents"][0]
    if exit_code is None:
        exit_code = ExitCode.DOCUMENT_ERRORS if row["status"] == "error" else ExitCode.OK
    return {"document": row, "page_methods": Counter(p["method"] for p in tables["pages"]), "exit_code": exit_code}


def write_run_tables(ordered: list[str], out_dir: Path, stale: set[str] = frozenset(),
                     into: Path | None = None, decisions: DecisionFile = DecisionFile(),
                     documents: list[dict] = (), names: tuple[str, ...] | None = None) -> None:
    """Stream every document's cached rows (in ``out_dir``'s cache), in corpus order, into
    the run tables in ``into`` (default ``out_dir``): one document in memory at a time
    (``stale``: documents whose rows are conformed to today's columns first), its reviewer
    decisions applied. ``processes`` is corpus-level: the registry, then each discovered
    process once. ``review_decisions``: what became of each decision. ``names``: only
    these tables (default all)."""
    from extractors import process_rows  # here: spaCy loads only when tables are written

    into = into or out_dir
    discovered: dict[str, dict] = {}
    by_doc, report = decisions_by_document(list(decisions.decisions), list(documents))
    report += decisions.problems
    with ExitStack() as stack:
        writers = {name: stack.enter_context(TableWriter(table, into)) for name, table in RUN_TABLES.items()
                   if name != "processes" and (names is None or name in names)}
        for doc_id in ordered:
            tables = cached_tables(out_dir, doc_id)
            if doc_id in stale:
                tables = conform_cached(tables)
            tables, rejected, applied = apply_decisions(tables, doc_id, by_doc.get(doc_id, []))
            tables |= {"rejected_rows": rejected, "review_decisions": []}
            report += applied
            for name, writer in writers.items():
                writer.write(tables.get(name, []))
            for row in tables.get("processes", []):
                discovered.setdefault(row["process_id"], row)
        if "review_decisions" in writers:
            writers["review_decisions"].write(sorted(report, key=lambda row: row["line"]))
        if names is not None and "processes" not in names:
            return
        registry = {r["process_id"]: r for r in process_rows()}
        write_table(RUN_TABLES["processes"], list((registry | {k: v for k, v in discovered.items()
                                                                if k not in registry}).values()), into)


def _tables_key(ordered: list[str], facts: dict, decisions_digest: str = "") -> str:
    """What the run tables are made of: the pipeline version, in order each document's
    cached result (identified by its documents row), and the reviewer decisions."""
    rows = [[facts[d]["document"].get(k) for k in ("doc_id", "source_path", "sha256", "pipeline_version",
                                                         "status")] for d in ordered]
    return hashlib.sha256(json.dumps([PIPELINE_VERSION, rows, decisions_digest]).encode()).hexdigest()


def _tables_stamp(out_dir: Path) -> Path:
    return out_dir / ".cache" / "run_tables.key"


def _tables_unchanged(ordered: list[str], facts: dict, out_dir: Path, decisions_digest: str = "") -> bool:
    """True when the table files on disk were written from exactly these cached results and
    decisions: an unchanged re-run does not write them again."""
    stamp = _tables_stamp(out_dir)
    try:
        if stamp.read_text(encoding="utf-8") != _tables_key(ordered, facts, decisions_digest):
            return False
    except OSError:
        return False
    return all((out_dir / f"{name}.{ext}").exists() for name in RUN_TABLES for ext in ("parquet", "csv")) \
        and (out_dir / "README.md").exists()


def _write_document(result: DocumentResult, clean_dir: Path, out_dir: Path) -> None:
    """Stage a document's files (storage.commit_staged_documents puts them in place with the tables)."""
    if result.ok:
        staged = staged_clean_dir(clean_dir)
        write_atomic(staged / f"{result.doc_id}.txt", result.clean_text)
        write_atomic(staged / "source" / f"{result.doc_id}.txt", result.source_text)
        # clean offset → source offset, as runs (clean_start, source_start, length)
        write_atomic(staged / "offsets" / f"{result.doc_id}.json", json.dumps(result.origin_runs))
    row = result.tables["documents"][0]
    write_cached(out_dir, result.doc_id, row["sha256"], PIPELINE_VERSION, result.tables, result.origin_runs,
                 result.exit_code)


def _document_job(stage, args: tuple, clean_dir: Path, out_dir: Path) -> DocumentResult:
    """Runs in a worker: one document through a per-document stage function. The worker
    writes the large artifacts (clean text, source text, offsets, cached result) to the
    clean/output folders (shared storage on a cluster); only the rows the run's facts are
    made of travel back (its documents row and pages: ``_facts``). The tables are written
    from the result cache: all rows sent back were unpickled by the driver for nothing
    (200 seed copies: 33 MB, half a CPU-second while the workers needed the cores)."""
    result = stage(*args)
    _write_document(result, clean_dir, out_dir)
    return replace(result, source_text="", clean_text="", origin_runs=[],
                   tables={name: result.tables[name] for name in FACT_TABLES})


FACT_TABLES = ("documents", "pages")  # what _facts reads of a result


POLL_SECONDS = 0.5       # how often the loop looks for started and overdue jobs
CRASHES_TO_QUARANTINE = 2


@dataclass(eq=False)
class Job:
    """One unit of work: a page of a paged document (page set) or a whole document (page None)."""

    source: SourceFile
    page: int | None
    fn: Callable
    args: tuple
    key: int = -1                 # id of the current submission
    started: float | None = None  # when a worker announced it began this submission
    worker: object = None         # that worker (pid or dask address)
    crashes: int = 0              # pool breaks it was running during

    @property
    def doc_id(self) -> str:
        return self.source.doc_id

    def reason(self, text: str) -> str:
        return f"page {self.page}: {text}" if self.page else text


class _Batch:
    """The job loop of one run. A job is queued, then running (submitted; started once a
    worker announces it), then done. A document is open until its result or its error
    row is out; jobs of a closed document are dropped.

    - A worker that dies breaks a process pool as a whole: every job in it fails with
      BrokenProcessPool. The pool is rebuilt and the jobs are queued again; those a worker
      had begun are suspects and run again one at a time, alone in the pool, so a second
      crash names its document, which is then quarantined (error row).
    - A job running longer than ``doc_timeout`` closes its document with an error row and
      its worker is killed (with its tesseract); on a process pool that is a break nobody is
      blamed for.
    """

    def __init__(self, pool, options: RunOptions, progress: "Progress | None" = None) -> None:
        self.pool, self.options = pool, options
        self.progress = progress or Progress(0, quiet=True)
        self.window = 2 * pool.capacity + 2   # jobs handed to the pool at once
        self.queue: deque[Job] = deque()
        self.running: dict[Future, Job] = {}
        self.pages: dict[str, list] = defaultdict(list)
        self.expected: dict[str, int] = {}
        self.closed: set[str] = set()
        self.doc_started: dict[str, float] = {}  # when a worker began the document's first job
        self.out: list[DocumentResult] = []
        self.keys = itertools.count()

    @property
    def busy(self) -> bool:
        return bool(self.queue or self.running)

    def add(self, source: SourceFile) -> None:
        options = self.options
        if source.format not in PAGED_FORMATS:
            self.queue.append(Job(source, None, _document_job, (
                text_source_to_result, (source, options.document), options.clean_dir, options.out_dir)))
            return
        try:
            count = pdf_page_count(source.path) if source.format == "pdf" else image_page_count(source.path)
        except Exception as exc:  # noqa: BLE001 - whatever a file does to its reader, it is its error row
            return self._close_with_error(source, reason_of(exc), exit_code=exit_code_of(exc))
        if count == 0:
            return self._close_with_error(source, "PDF has no pages")
        if count > DEFAULT_MAX_PAGES:  # a 100,000-page blank PDF ran for 20 hours
            return self._close_with_error(source, f"{count} pages: more than the {DEFAULT_MAX_PAGES} a document may have",
                                          count)
        self.expected[source.doc_id] = count
        self.progress.add_pages(count)
        for page in range(1, count + 1):
            job = PageJob(source.path, source.doc_id, source.format, page, options.page)
            self.queue.append(Job(source, page, extract_page, (job,)))

    def step(self) -> None:
        """Hand jobs to the pool, wait a little, take what finished, then deal with a broken
        pool or overdue jobs."""
        self._submit()
        done, _ = wait(self.running, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
        self._note_starts()
        lost = self._collect(done)
        if lost:
            self._recover(lost, blame=True)
        elif self.pool.can_stop:
            self._stop_overdue()
        self._stop_over_budget()

    def _submit(self) -> None:
        while self.queue and len(self.running) < self.window:
            job = self.queue[0]
            if job.doc_id in self.closed:
                self.queue.popleft()
                continue
            if any(j.crashes for j in self.running.values()):
                return  # a suspect runs alone
            if job.crashes and self.running:
                return  # wait until the suspect can run alone
            job.key, job.started, job.worker = next(self.keys), None, None
            try:
                future = self.pool.submit(job.key, job.fn, *job.args)
            except BrokenProcessPool:  # broke while idle or between two looks
                return self._recover([], blame=True)
            self.queue.popleft()
            self.running[future] = job

    def _note_starts(self) -> None:
        by_key = {job.key: job for job in self.running.values()}
        now = time.monotonic()
        for key, worker in self.pool.started():
            if key in by_key:
                by_key[key].started, by_key[key].worker = now, worker
                self.doc_started.setdefault(by_key[key].doc_id, now)

    def _collect(self, futures) -> list[Job]:
        """Take finished jobs' results; return the jobs lost to a broken pool."""
        lost = []
        for future in futures:
            job = self.running.pop(future)
            try:
                value = self.pool.result(future)
            except (BrokenProcessPool, CancelledError):
                lost.append(job)
            except Exception as exc:  # noqa: BLE001 - any failure becomes this document's error row
                self._fail(job, reason_of(exc), exit_code_of(exc))
            else:
                self._accept(job, value)
        return lost

    def _accept(self, job: Job, value) -> None:
        doc_id = job.doc_id
        if doc_id in self.closed:
            return
        if job.page is None:
            self.closed.add(doc_id)
            self.out.append(value)
            return
        self.pages[doc_id].append(value)
        self.progress.page_done(str(value.method))
        if len(self.pages[doc_id]) == self.expected[doc_id]:
            options = self.options
            args = (pages_to_result, (job.source, self.pages.pop(doc_id), options.document),
                    options.clean_dir, options.out_dir)
            self.queue.appendleft(Job(job.source, None, _document_job, args))

    def _recover(self, lost: list[Job], blame: bool) -> None:
        """A worker died and the process pool broke: keep what finished, rebuild the pool,
        queue the lost jobs again (suspects first) or quarantine a repeat offender."""
        if self.pool.restartable:
            finished, _ = wait(self.running, timeout=60)  # a broken pool fails all its jobs at once
            lost += self._collect(finished)
            lost += [self.running.pop(f) for f in list(self.running)]
            self.pool.restart()
        lost = [job for job in lost if job.doc_id not in self.closed]
        suspects = []
        if blame:
            # the jobs a worker had begun; if no start was heard of, all of them
            suspects = [job for job in lost if job.started is not None] or lost
            for job in suspects:
                job.crashes += 1
        for job in suspects:
            if job.crashes >= CRASHES_TO_QUARANTINE:
                self._fail(job, "worker crashed twice while processing this document")
        again = [job for job in suspects if job.doc_id not in self.closed]
        again += [job for job in lost if job not in suspects and job.doc_id not in self.closed]
        self.queue.extendleft(reversed(again))

    def _stop_overdue(self) -> None:
        limit = self.options.doc_timeout
        now = time.monotonic()
        overdue = [(f, job) for f, job in self.running.items()
                   if job.started is not None and now - job.started > limit]
        for future, job in overdue:
            if future not in self.running:  # stopped with a page of its document before
                continue
            del self.running[future]
            future.cancel()
            self._fail(job, f"timed out after {limit:g} s")
            self.pool.stop_worker(job.worker)
            # its document has failed: its other pages at work are stopped too (they would
            # each run to the limit: a document that failed at 180 s kept the run to 546 s),
            # those not begun are dropped
            for other_future, other in list(self.running.items()):
                if other.doc_id == job.doc_id:
                    del self.running[other_future]
                    if not other_future.cancel() and other.started is not None and other.worker != job.worker:
                        self.pool.stop_worker(other.worker)
        if overdue and self.pool.restartable:
            self._recover([], blame=False)

    def _stop_over_budget(self) -> None:
        """A document past ``doc_budget`` since its first job began (4,999 blank pages each
        within the page limit ran on for hours) fails: its jobs not begun are dropped, those
        at work stopped where the pool can stop a worker (else their results are ignored)."""
        limit, now = self.options.doc_budget, time.monotonic()
        for doc_id, began in list(self.doc_started.items()):
            if doc_id in self.closed or now - began <= limit:
                continue
            at_work = [(f, job) for f, job in self.running.items() if job.doc_id == doc_id]
            source = at_work[0][1].source if at_work else next((j.source for j in self.queue if j.doc_id == doc_id), None)
            if source is None:
                continue
            done = len(self.pages.get(doc_id, []))
            self._close_with_error(source, f"ran past its time budget of {limit:g} s ({done} of "
                                   f"{self.expected.get(doc_id, 1)} pages done); see --doc-budget",
                                   self.expected.get(doc_id, 0))
            for future, job in at_work:
                del self.running[future]
                if not future.cancel() and job.started is not None and self.pool.can_stop:
                    self.pool.stop_worker(job.worker)
            if at_work and self.pool.can_stop and self.pool.restartable:
                self._recover([], blame=False)

    def _fail(self, job: Job, reason: str, exit_code: int = ExitCode.DOCUMENT_ERRORS) -> None:
        if job.doc_id not in self.closed:
            self._close_with_error(job.source, job.reason(reason), self.expected.get(job.doc_id, 0), exit_code)

    def _close_with_error(self, source: SourceFile, reason: str, n_pages: int = 0,
                          exit_code: int = ExitCode.DOCUMENT_ERRORS) -> None:
        self.closed.add(source.doc_id)
        self.pages.pop(source.doc_id, None)
        result = error_result(source, reason, n_pages, exit_code)
        _write_document(result, self.options.clean_dir, self.options.out_dir)
        self.out.append(result)

    def take_finished(self) -> list[DocumentResult]:
        out, self.out = self.out, []
        return out


DEFAULT_MAX_PAGES = 5000  # pages of one document; IOM and OAS reports run to a few hundred


def _process(sources: list[SourceFile], options: RunOptions):
    """Yield a DocumentResult per source (its files already written). Paged documents are
    split into one job per page; when a document's pages are all in, its assembly is one
    more job. See _Batch for crashes and time limits."""
    if not sources:
        return
    progress = Progress(len(sources), options.quiet)
    pool = make_pool(options.executor, options.workers, options.scheduler)
    try:
        batch = _Batch(pool, options, progress)
        for source in sources:
            batch.add(source)
        while True:
            for result in batch.take_finished():
                progress.document_done()
                yield result
            if not batch.busy:
                break
            batch.step()
            progress.tick()
    except BaseException:
        pool.shutdown(hard=True)  # interrupted or failed: stop the workers now
        raise
    else:
        pool.shutdown()
    finally:
        progress.close()


DEFAULT_PROGRESS_SECONDS = 10.0  # a plain progress line this often when stderr is not a terminal


class Progress:
    """Documents and pages done. On a terminal, a tqdm bar of documents with pages (and how
    many were OCR'd) beside it; elsewhere (under make, in a log) a plain line every
    ``every`` seconds: 'extract: pages 12/47 (ocr 9), documents 3/7, 25 s'."""

    def __init__(self, documents: int, quiet: bool = False, stream=None,
                 every: float = DEFAULT_PROGRESS_SECONDS, tty: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.documents, self.every, self.quiet = documents, every, quiet
        self.docs_done = self.pages = self.pages_done = self.ocr_done = 0
        self.started = self.last = time.monotonic()
        tty = self.stream.isatty() if tty is None else tty
        self.bar = None
        if not quiet and tty:
            from tqdm import tqdm

            self.bar = tqdm(total=documents, unit="doc", desc="extract", file=self.stream)

    def add_pages(self, n: int) -> None:
        self.pages += n
        self.tick()

    def page_done(self, method: str) -> None:
        self.pages_done += 1
        self.ocr_done += method == "ocr"
        self.tick()

    def document_done(self) -> None:
        self.docs_done += 1
        if self.bar is not None:
            self.bar.update(1)
        self.tick()

    def line(self) -> str:
        pages = f"pages {self.pages_done}/{self.pages} (ocr {self.ocr_done}), " if self.pages else ""
        return f"extract: {pages}documents {self.docs_done}/{self.documents}, {time.monotonic() - self.started:.0f} s"

    def tick(self) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            if self.pages:
                self.bar.set_postfix_str(f"pages {self.pages_done}/{self.pages}, ocr {self.ocr_done}", refresh=False)
            return
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
