"""Per-document work, as pure functions: pages in, rows and texts out.

These run inside workers; they know nothing about executors, caches or files
other than the source they read.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable

from pipeline import PIPELINE_VERSION
from pipeline.errors import ExitCode
from pipeline.nlp.caches import start_document
from pipeline.sources.files import PAGED_FORMATS, check_unchanged, text_file_to_page
from pipeline.text.assemble import pages_to_document
from pipeline.records import Document, Line, PageMethod, PageText, SourceFile
from pipeline.text.docinfo import cover_symbol, document_date, document_year, original_language
from pipeline.text.language import LanguageSettings
from pipeline.text.quality import quality_verdict, text_quality
from pipeline.text.repair import RepairSettings
from pipeline.text.sections import document_structure
from pipeline.output.decisions import as_rules_rows
from pipeline.output.tables import EXTRACTED_TABLES
from extractors.event_model import DEFAULT_MIN_EVENT_CONFIDENCE
from extractors.member_model import DEFAULT_MIN_CONFIDENCE


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything the runner writes for one document."""

    doc_id: str
    source_text: str
    clean_text: str
    tables: dict[str, list[dict]]
    origin_runs: list[tuple[int, int, int]]
    exit_code: int = ExitCode.OK  # a failed document's: MISSING_DEPENDENCY when tesseract was missing

    @property
    def ok(self) -> bool:
        return self.tables["documents"][0]["status"] == "ok"


@dataclass(frozen=True, slots=True)
class DocumentSettings:
    """Settings of the per-document stages (the page stage has its own)."""

    repair: RepairSettings = field(default_factory=RepairSettings)
    language: LanguageSettings = field(default_factory=LanguageSettings)
    # memberships the model scores under this go to membership_candidates
    min_membership_confidence: float = DEFAULT_MIN_CONFIDENCE
    # events the model scores under this go to event_candidates
    min_event_confidence: float = DEFAULT_MIN_EVENT_CONFIDENCE


def text_source_to_result(source: SourceFile, settings: DocumentSettings = DocumentSettings()) -> DocumentResult:
    page, _ = text_file_to_page(source)
    return pages_to_result(source, [page], settings)


def _no_lap(stage: str) -> None:
    pass


def pages_to_result(source: SourceFile, pages: list[PageText], settings: DocumentSettings = DocumentSettings(),
                    lap: Callable[[str], None] = _no_lap) -> DocumentResult:
    """A document's pages → its clean text and rows: assembly and repair, sections and
    language, the extractors. ``lap(stage)`` is called as each stage ends (the benchmark
    times the stages the runner runs, not a copy of them)."""
    from pipeline.textedit import runs_of

    start_document()  # the previous document's cached answers go
    if source.format in PAGED_FORMATS:
        check_unchanged(source)  # its pages were read one by one, maybe while it changed
    document = pages_to_document(source, pages, settings.repair)
    lap("repair")
    paragraphs, sections, language = document_structure(document, settings.language)
    lap("sections_language")
    doc_date = document_date(document.text)
    # imported here, not at module level: spaCy and the rule sets load only when a document
    # is processed, so an unchanged re-run (all documents cached) starts in well under a second
    from extractors import extract_document

    extracted = extract_document(source.doc_id, document.text, paragraphs, document.page_of,
                                 document_year(document.text, doc_date), settings.min_membership_confidence,
                                 settings.min_event_confidence, doc_date)
    extracted = as_rules_rows(extracted)
    lap("extractors")
    return DocumentResult(
        doc_id=source.doc_id,
        source_text=document.source_text,
        clean_text=document.text,
        tables={
            "documents": [document_row(document, language, doc_date)],
            "pages": page_rows(document),
            "corrections": correction_rows(document),
            "sections": sections,
            "paragraphs": paragraphs,
            "tables": table_rows(document, pages, paragraphs),
        } | extracted,
        origin_runs=runs_of(document.origin),
    )


def error_result(source: SourceFile, reason: str, n_pages: int = 0,
                 exit_code: int = ExitCode.DOCUMENT_ERRORS) -> DocumentResult:
    row = _base_row(source) | {
        "language": None, "original_language": None, "symbol": None, "doc_date": None,
        "n_pages": n_pages, "n_ocr_pages": 0, "n_chars": 0, "status": "error", "error": reason,
        "quality": None, "quality_reason": None,
    }
    empty = {name: [] for name in ("pages", "corrections", "sections", "paragraphs", "tables", *EXTRACTED_TABLES)}
    return DocumentResult(source.doc_id, "", "", {"documents": [row]} | empty, [], exit_code)


def duplicate_result(source: SourceFile, primary: str) -> DocumentResult:
    """A file whose bytes are another document's: a documents row pointing to it, no other rows."""
    result = error_result(source, "", 0)
    row = result.tables["documents"][0] | {"status": "duplicate", "error": None, "duplicate_of": primary}
    return replace(result, tables=result.tables | {"documents": [row]}, exit_code=ExitCode.OK)


def skipped_result(source: SourceFile, reason: str) -> DocumentResult:
    """A file the run does not read by policy (a link leaving the input folders): a
    documents row with status skipped and the reason, no other rows."""
    result = error_result(source, reason, 0)
    return replace(result, tables=result.tables | {"documents": [result.tables["documents"][0] | {"status": "skipped"}]},
                   exit_code=ExitCode.OK)


def _base_row(source: SourceFile) -> dict:
    return {
        "doc_id": source.doc_id, "source_path": source.path, "sha256": source.sha256,
        "format": source.format, "pipeline_version": PIPELINE_VERSION, "duplicate_of": None,
    }


def document_row(document: Document, language: str | None, doc_date: str | None) -> dict:
    ocr = [p for p in document.pages if p.method is PageMethod.OCR]
    confidences = [p.ocr_confidence for p in ocr if p.ocr_confidence is not None]
    quality, reason = quality_verdict(text_quality(document.text), bool(ocr),
                                      sum(confidences) / len(confidences) if confidences else None)
    return _base_row(document.source) | {
        "quality": quality, "quality_reason": reason,
        "language": language,
        "original_language": original_language(document.text),
        "symbol": cover_symbol(document.text),
        "doc_date": doc_date,  # document_date, computed once for the extractors' year and this row
        "n_pages": len(document.pages),
        "n_ocr_pages": sum(p.method is PageMethod.OCR for p in document.pages),
        "n_chars": len(document.text),
        "status": "ok",
        "error": None,
    }


def page_rows(document: Document) -> list[dict]:
    verdicts = [quality_verdict(text_quality(document.text[p.clean_start:p.clean_end]), p.method is PageMethod.OCR,
                                p.ocr_confidence) for p in document.pages]
    return [
        {
            "doc_id": document.doc_id, "page": p.page, "method": p.method.value,
            "quality": quality, "quality_reason": reason,
            "n_chars": p.clean_end - p.clean_start, "ocr_confidence": p.ocr_confidence,
            "skew_degrees": p.skew_degrees, "ocr_dpi": p.ocr_dpi,
            "char_start": p.clean_start, "char_end": p.clean_end,
            "removed_furniture": list(p.furniture) or None,
        }
        for p, (quality, reason) in zip(document.pages, verdicts)
    ]


def table_rows(document: Document, pages: list[PageText], paragraphs: list[dict]) -> list[dict]:
    """One row per table paragraph; for a ruled table, its box on its first page from the
    rows the page layout placed (``Line.table_row``)."""
    import numpy as np

    placed: list[tuple[int, int, Line]] = []  # (clean offset, page, row line)
    for page, span in zip(sorted(pages, key=lambda p: p.page), document.pages):
        for line, start in zip(page.lines, page.line_starts):
            if line.table_row:
                clean = int(np.searchsorted(document.origin, span.source_start + start, side="left"))
                placed.append((clean, page.page, line))
    rows = []
    for para in (p for p in paragraphs if p["kind"] == "table"):
        start, end = para["char_start"], para["char_end"]
        lines = document.text[start:end].split("\n")
        mine = [(page, line) for clean, page, line in placed if start <= clean < end]
        first = [line for page, line in mine if page == mine[0][0]] if mine else []
        rows.append({
            "doc_id": document.doc_id, "table_id": f"t{len(rows) + 1:02d}", "paragraph_id": para["paragraph_id"],
            "method": "ruled" if mine else "text", "page": para["page"],
            "page_end": document.page_of(max(start, end - 1)),
            "n_rows": len(lines), "n_cols": max(line.count("\t") + 1 for line in lines),
            "x0": round(min(ln.x0 for ln in first), 1) if first else None,
            "top": round(min(ln.top for ln in first), 1) if first else None,
            "x1": round(max(ln.x1 for ln in first), 1) if first else None,
            "bottom": round(max(ln.bottom for ln in first), 1) if first else None,
            "char_start": start, "char_end": end,
        })
    return rows


def correction_rows(document: Document) -> list[dict]:
    rows = []
    for n, edit in enumerate(document.edits, start=1):
        page = next((p.page for p in document.pages if edit.start < p.source_end), document.pages[-1].page)
        rows.append({
            "doc_id": document.doc_id, "edit_id": n, "page": page, "char_start": edit.start, "char_end": edit.end,
            "before": document.source_text[edit.start:edit.end], "after": edit.replacement,
            "step": edit.step, "rule": edit.rule or None, "score": edit.score, "applied": edit.applied,
        })
    return rows
