"""Frozen, typed records that flow between the stages."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from pipeline.textedit import Edit

if TYPE_CHECKING:  # numpy is imported where arrays are made: an unchanged re-run never needs it
    import numpy as np


class PageMethod(StrEnum):
    TEXT = "text"    # a PDF page's own text layer
    OCR = "ocr"      # tesseract on the page image
    PLAIN = "plain"  # a text/markup file (one page)


class Zone(StrEnum):
    HEADER = "header"
    BODY = "body"
    FOOTER = "footer"
    FOOTNOTE = "footnote"  # the notes at the foot of the page, read after its body


@dataclass(frozen=True, slots=True)
class Word:
    """A word with its box in page coordinates (points for PDFs, pixels for images)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    conf: float | None = None
    line_key: tuple[int, ...] | None = None  # tesseract's (block, par, line) when known
    italic: bool = False  # set in an italic font (text layers)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    zone: Zone = Zone.BODY
    paragraph_break_before: bool = False
    table_row: bool = False  # a row of a ruled table, its cells joined by tabs


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str
    doc_id: str
    format: str       # txt, md, html, pdf, image, or the unsupported extension
    sha256: str
    n_bytes: int
    mtime_ns: int | None = None  # when it was hashed (None: not checked again)


@dataclass(frozen=True, slots=True)
class PageText:
    """One page as extracted: its lines in reading order and the text made of them."""

    page: int                 # 1-based
    method: PageMethod
    text: str
    lines: tuple[Line, ...] = ()
    line_starts: tuple[int, ...] = ()  # offset of each line in ``text``
    ocr_confidence: float | None = None
    width: float = 0.0
    height: float = 0.0
    skew_degrees: float | None = None  # the rotation OCR turned the page image by (OCR pages only)
    ocr_dpi: float | None = None       # the resolution OCR read the page at (OCR pages only)


@dataclass(frozen=True, slots=True)
class PageSpan:
    page: int
    method: PageMethod
    ocr_confidence: float | None
    source_start: int   # span of the page in the document's source text
    source_end: int
    clean_start: int    # span of the page in the clean text
    clean_end: int
    furniture: tuple[str, ...] = ()  # running headers/footers/page numbers removed
    skew_degrees: float | None = None
    ocr_dpi: float | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A document after ingestion: source text, clean text, and the map between them.

    ``origin[i]`` is the source-text offset of clean character ``i``; ``page_of``
    turns any clean offset into its page.
    """

    source: SourceFile
    source_text: str
    text: str
    origin: np.ndarray = field(repr=False, compare=False)
    pages: tuple[PageSpan, ...]
    edits: tuple[Edit, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.source.doc_id

    def source_offset(self, clean_offset: int) -> int:
        return int(self.origin[clean_offset])

    def page_of(self, clean_offset: int) -> int:
        """Page of a clean-text character (the page of the source character it came from)."""
        src = self.source_offset(min(max(clean_offset, 0), len(self.text)))
        for span in self.pages:
            if src < span.source_end:
                return span.page
        return self.pages[-1].page if self.pages else 1
