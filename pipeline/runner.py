"""Run orchestration: find inputs, reuse unchanged results, fan pages out to an executor,
assemble documents, write clean texts and tables, summarise."""
from __future__ import annotations

import json
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import PIPELINE_VERSION
from pipeline.executors import make_executor
from pipeline.ingest import PAGED_FORMATS, document_error, path_to_source, paths_to_doc_ids
from pipeline.options import ExitCode, RunOptions
from pipeline.pdf import PageJob, UnreadableDocument, extract_page, image_page_count, pdf_page_count
from pipeline.records import SourceFile
from pipeline.stages import DocumentResult, error_result, pages_to_result, text_source_to_result
from pipeline.outputs import write_corpus_outputs
from pipeline.storage import read_cached, write_atomic, write_cached, write_data_dictionary, write_table
from pipeline.tables import RUN_TABLES
from extractors import process_rows


@dataclass
class RunSummary:
    documents: int = 0
    reused: int = 0
    processed: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    pages_by_method: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.DOCUMENT_ERRORS if self.errors else ExitCode.OK

    def render(self) -> str:
        methods = ", ".join(f"{m} {n}" for m, n in sorted(self.pages_by_method.items())) or "none"
        lines = [
            f"documents: {self.documents} ({self.processed} processed, {self.reused} unchanged and reused, "
            f"{len(self.errors)} failed)",
            f"pages: {sum(self.pages_by_method.values())} ({methods})",
            f"seconds: {self.seconds:.2f}",
        ]
        for doc_id, reason in sorted(self.errors.items()):
            lines.append(f"  FAILED {doc_id}: {reason}")
        return "\n".join(lines)


def discover(inputs: tuple[Path, ...]) -> list[Path]:
    """Files named, and files under folders named (hidden files skipped), sorted, unique."""
    found: dict[Path, None] = {}
    for item in inputs:
        candidates = [item] if item.is_file() else sorted(p for p in item.rglob("*") if p.is_file())
        for path in candidates:
            if not any(part.startswith(".") for part in path.relative_to(item).parts if item.is_dir()):
                found[path] = None
    return list(found)


def run(options: RunOptions) -> RunSummary:
    started = time.perf_counter()
    paths = discover(options.inputs)
    doc_ids = paths_to_doc_ids(paths)
    summary = RunSummary(documents=len(paths))
    results: dict[str, dict[str, list[dict]]] = {}
    todo: list[SourceFile] = []
    for path in paths:
        source = path_to_source(path, doc_ids[path])
        cached = None if options.force else read_cached(
            options.out_dir, source.doc_id, source.sha256, PIPELINE_VERSION, options.clean_dir)
        if cached is not None:
            results[source.doc_id] = cached["tables"]
            summary.reused += 1
        else:
            todo.append(source)

    for result in _process(todo, options):
        _write_document(result, options)
        results[result.doc_id] = result.tables
        summary.processed += 1

    for doc_id in (d for d in doc_ids.values()):
        row = results[doc_id]["documents"][0]
        if row["status"] != "ok":
            summary.errors[doc_id] = row["error"]
        for page in results[doc_id]["pages"]:
            summary.pages_by_method[page["method"]] += 1

    ordered = [doc_ids[p] for p in paths]
    for name, table in RUN_TABLES.items():
        rows = [row for d in ordered for row in results[d].get(name, [])]
        if name == "processes":  # corpus-level: the registry, then each discovered process once
            rows = list({r["process_id"]: r for r in process_rows() + rows}.values())
        write_table(table, rows, options.out_dir)
    write_data_dictionary(options.out_dir)
    summary.seconds = time.perf_counter() - started
    write_corpus_outputs(options.out_dir, options.clean_dir, summary)
    return summary


def _write_document(result: DocumentResult, options: RunOptions) -> None:
    if result.ok:
        write_atomic(options.clean_dir / f"{result.doc_id}.txt", result.clean_text)
        write_atomic(options.clean_dir / "source" / f"{result.doc_id}.txt", result.source_text)
        # clean offset → source offset, as runs (clean_start, source_start, length)
        write_atomic(options.clean_dir / "offsets" / f"{result.doc_id}.json", json.dumps(result.origin_runs))
    row = result.tables["documents"][0]
    write_cached(options.out_dir, result.doc_id, row["sha256"], PIPELINE_VERSION, result.tables, result.origin_runs)


def _process(sources: list[SourceFile], options: RunOptions):
    """Yield a DocumentResult per source. Paged documents are split into one job per page;
    when a document's pages are all in, its assembly is submitted as one more job."""
    if not sources:
        return
    progress = _progress(len(sources), options)
    pending: dict[Future, tuple[str, SourceFile, int | None]] = {}
    pages: dict[str, list] = defaultdict(list)
    expected: dict[str, int] = {}
    failed: set[str] = set()
    executor = make_executor(options.executor, options.workers)
    try:
        for source in sources:
            if source.format in PAGED_FORMATS:
                try:
                    count = pdf_page_count(source.path) if source.format == "pdf" else image_page_count(source.path)
                except UnreadableDocument as exc:
                    progress.update(1)
                    yield error_result(source, str(exc))
                    continue
                if count == 0:
                    progress.update(1)
                    yield error_result(source, "PDF has no pages")
                    continue
                expected[source.doc_id] = count
                for page in range(1, count + 1):
                    job = PageJob(source.path, source.doc_id, source.format, page, options.page)
                    pending[executor.submit(extract_page, job)] = ("page", source, page)
            else:
                pending[executor.submit(text_source_to_result, source, options.document)] = ("document", source, None)
        while pending:
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in done:
                kind, source, page = pending.pop(future)
                try:
                    value = future.result()
                except BrokenProcessPool:
                    raise
                except Exception as exc:  # noqa: BLE001 - any failure becomes this document's error row
                    if source.doc_id in failed:
                        continue
                    failed.add(source.doc_id)
                    where = f"page {page}: " if page else ""
                    progress.update(1)
                    yield error_result(source, where + document_error(source, exc), expected.get(source.doc_id, 0))
                    continue
                if kind == "page":
                    if source.doc_id in failed:
                        continue
                    pages[source.doc_id].append(value)
                    if len(pages[source.doc_id]) == expected[source.doc_id]:
                        pending[executor.submit(pages_to_result, source, pages.pop(source.doc_id), options.document)] = ("document", source, None)
                else:
                    progress.update(1)
                    yield value
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        progress.close()


class _NoProgress:
    def update(self, n: int) -> None: ...
    def close(self) -> None: ...


def _progress(total: int, options: RunOptions):
    if options.quiet or not sys.stderr.isatty():
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="extract", file=sys.stderr)
