"""PDF and image pages → PageText: the text layer when it holds real text, OCR otherwise."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.layout import LayoutSettings, words_to_page
from pipeline.ocr import OcrSettings, image_to_words, mean_confidence
from pipeline.records import Line, PageMethod, PageText, Word


class UnreadableDocument(ValueError):
    """The file cannot be read as the format it claims; the message is for people."""


@dataclass(frozen=True, slots=True)
class PageSettings:
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    min_text_chars: int = 40       # fewer alphanumeric text-layer chars than this → OCR the page
    force_ocr: bool = False


@dataclass(frozen=True, slots=True)
class PageJob:
    """Context for one page: everything the per-page function needs, nothing else."""

    path: str
    doc_id: str
    format: str   # "pdf" or "image"
    page: int     # 1-based
    settings: PageSettings


def pdf_page_count(path: str) -> int:
    """Pages in a PDF; UnreadableDocument with a plain reason when it cannot be opened."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        # PDFium's error codes are unreliable (it reports a stale code from an earlier
        # file in the same process, and refuses an empty page tree with "Success"):
        # let pdfminer say what is wrong.
        return _pdfminer_page_count(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _pdfminer_page_count(path: str) -> int:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on broken files
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(
                cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocument("encrypted PDF: it needs a password to open") from exc
        raise UnreadableDocument(f"corrupt or not a PDF ({type(cause).__name__})") from exc


def image_page_count(path: str) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError) as exc:
        raise UnreadableDocument(f"not a readable image ({exc})") from exc


def extract_page(job: PageJob) -> PageText:
    """The per-page function: run in a worker, one page in, one PageText out."""
    if job.format == "image":
        return _ocr_page(_image_frame(job.path, job.page), job)
    text_page = None if job.settings.force_ocr else _text_layer_page(job)
    if text_page is not None:
        return text_page
    return _ocr_page(_render_pdf_page(job.path, job.page, job.settings.ocr.dpi), job)


def _text_layer_page(job: PageJob) -> PageText | None:
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        page = _plumber_page(job.path, job.page)
        try:
            raw, ruling = _page_words(page)
            width, height = float(page.width), float(page.height)
            # pdfplumber's table finder only on pages drawn with ruling lines: asking for
            # page.lines builds every object of the page, the cost _page_words avoids
            tables = page_tables(page) if ruling >= DEFAULT_MIN_RULING else []
        finally:
            _release_page(page)
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many types on broken files
        if isinstance(exc, (KeyboardInterrupt, MemoryError)):
            raise
        _OPEN_PDF.clear()
        raise UnreadableDocument(f"cannot read PDF page {job.page} ({type(exc).__name__}: {exc})") from exc
    words = [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in raw]
    real_chars = sum(ch.isalnum() for w in words if "(cid:" not in w.text for ch in w.text)
    if real_chars < job.settings.min_text_chars:
        return None
    boxes = [box for box, _ in tables]
    words = [w for w in words if not any(_inside((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2, b) for b in boxes)]
    rows = [row for _, table_rows in tables for row in table_rows]
    return words_to_page(words, job.page, PageMethod.TEXT, width, height, job.settings.layout, table_rows=rows)


DEFAULT_MIN_RULING = 4  # ruling lines or rectangles a page needs before tables are looked for


def page_tables(page) -> list[tuple[tuple, list[Line]]]:
    """Ruled tables of a text-layer page (pdfplumber's table finder, lattice-style on the
    page's lines and rectangles): per table its box and its rows as Lines, cells joined by
    tabs in column order, a cell's lines joined (a hyphen at a line end joins the word)."""
    out = []
    for table in page.find_tables():
        cells = table.extract()
        if len(cells) < 2 or max(len(r) for r in cells) < 2:
            continue  # a framed paragraph, not a table
        lines = []
        for row, values in zip(table.rows, cells):
            texts = [_cell_text(v) for v in values]
            if not any(texts):
                continue
            x0, top, x1, bottom = row.bbox
            lines.append(Line("\t".join(texts), table.bbox[0], table.bbox[2], top, bottom, table_row=True))
        if lines:
            out.append((table.bbox, lines))
    return out


def _cell_text(value: str | None) -> str:
    import re

    text = re.sub(r"(\w)-\n(?=[a-záéíóúñ])", r"\1", value or "")
    return " ".join(text.split())


def _inside(x: float, y: float, box: tuple) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


# Why: pdfplumber builds every page object of a PDF when it opens (and again when it
# closes) it, so opening the file once per page made a document cost O(pages²); each
# worker keeps the PDF it opened last for the next page of the same file.
_OPEN_PDF: dict[tuple, object] = {}


def _plumber_page(path: str, page: int):
    """pdfplumber's Page ``page`` (1-based) of ``path``, from this worker's open PDF when it
    is the same file (same size and modification time)."""
    import os

    import pdfplumber

    stat = os.stat(path)
    key = (path, stat.st_size, stat.st_mtime_ns)
    pdf = _OPEN_PDF.get(key)
    if pdf is None:
        for old in _OPEN_PDF.values():
            old.close()
        _OPEN_PDF.clear()
        pdf = pdfplumber.open(path)
        _OPEN_PDF[key] = pdf
    return pdf.pages[page - 1]


def _release_page(page) -> None:
    """Drop what reading one page cached (its layout, and the PDF objects pdfminer parsed
    for it, images included), so a worker's memory does not grow with the document."""
    page.close()
    cached = getattr(page.pdf.doc, "_cached_objs", None)
    if isinstance(cached, dict):
        cached.clear()


def _page_words(page) -> tuple[list[dict], int]:
    """The same words as ``page.extract_words(keep_blank_chars=False, use_text_flow=False)``,
    and how many ruling lines and rectangles the page draws.

    Why: pdfplumber's ``page.chars`` turns every layout object into a dict of ~20
    resolved attributes, which took two thirds of a text page's time; the word grouping
    needs only the characters' text and boxes, computed here as pdfplumber does."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve
    from pdfplumber.utils.text import WordExtractor

    height = page.height
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    doctop = page.initial_doctop
    chars: list[dict] = []
    ruling = 0

    def walk(objects) -> None:
        nonlocal ruling
        for obj in objects:
            if isinstance(obj, LTContainer):  # figures: their characters, in order
                walk(obj)
            elif isinstance(obj, LTCurve):  # lines and rectangles are curves to pdfminer
                ruling += 1
            elif isinstance(obj, LTChar):
                top = (height - obj.y1) + mb_top
                x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
                chars.append({"text": obj.get_text(), "x0": x0, "x1": x1, "top": top,
                              "bottom": (height - obj.y0) + mb_top, "doctop": doctop + top,
                              "upright": obj.upright, "size": obj.size})

    walk(page.layout)
    return WordExtractor(keep_blank_chars=False, use_text_flow=False).extract_words(chars), ruling


def _render_pdf_page(path: str, page: int, dpi: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        bitmap = pdf[page - 1].render(scale=dpi / 72)
        return bitmap.to_pil()
    finally:
        pdf.close()


def _image_frame(path: str, page: int):
    from PIL import Image

    with Image.open(path) as image:
        image.seek(page - 1)
        return image.convert("RGB")


def _ocr_page(image, job: PageJob) -> PageText:
    words = image_to_words(image, job.settings.ocr)
    width, height = image.size
    return words_to_page(
        words, job.page, PageMethod.OCR, float(width), float(height), job.settings.layout,
        ocr_confidence=mean_confidence(words),
    )
