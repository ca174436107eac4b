"""PDF and image pages → PageText: the text layer when it holds real text, OCR otherwise."""
from __future__ import annotations

import ctypes

from dataclasses import dataclass, field, replace
from functools import lru_cache
from types import SimpleNamespace
from typing import Callable, NamedTuple

from pipeline.errors import UnreadableDocument
from pipeline.sources.layout import LayoutSettings, words_to_page
from pipeline.sources.ocr import (OcrSettings, deskewed, image_resolution, image_to_words, mean_confidence, one_channel_if_grey,
                                  upscaled)
from pipeline.records import Line, PageMethod, PageText, Word
from pipeline.sources.scan_tables import (cell_lines_to_text, image_to_rules, rules_to_grids, words_into_grids,
                                          words_to_cell_lines)


@dataclass(frozen=True, slots=True)
class PageSettings:
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    min_text_chars: int = 40       # fewer alphanumeric text-layer chars than this → OCR the page
    # a gap wider than this share of the font size between two characters separates words:
    # justified text squeezes word gaps below the 3 pt a fixed tolerance needs (a journal page
    # lost 46% of its words to 'Indiscussingwork-lifebalance'), letters sit closer than 0.15 em
    word_gap_ratio: float = 0.15
    force_ocr: bool = False
    # who reads a text layer's characters: "pdfium" (the default), which leaves pdfplumber
    # the pages that may draw ruled tables, carry annotations with text (stamps, form
    # fields), have unusual boxes or characters their fonts cannot map; or "pdfplumber"
    # (pdfminer) for every page. The same clean text on every test PDF (dev exports, other
    # producers, tesseract's, pdfTeX's)
    text_layer: str = "pdfium"


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
        return bounded_pdfminer_page_count(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


DEFAULT_COUNT_SECONDS = 30.0       # pdfminer's look at a PDF that PDFium refused …
DEFAULT_COUNT_MEMORY = 2 << 30     # … in a child process with this much more address space


def bounded_pdfminer_page_count(path: str, seconds: float = DEFAULT_COUNT_SECONDS) -> int:
    """``_pdfminer_page_count`` in a child process, within a time and memory limit: it runs
    in the runner's process, where a 1 MB PDF whose object stream is a flate bomb made
    pdfminer hang the whole batch (no timeout applies there). The child is forked (it
    needs nothing re-imported) and ends with its answer, or is ended."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_page_count_verdict, args=(path, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise UnreadableDocument(f"corrupt PDF: its pages could not be counted in {seconds:g} s")
        kind, value = receive.recv()
    except EOFError:  # the child died without an answer
        raise UnreadableDocument("corrupt PDF: reading its page tree crashed the reader") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "error":
        raise UnreadableDocument(value)
    return value


def _page_count_verdict(path: str, send) -> None:
    """In the child: sends ("count", n) or ("error", the reason)."""
    from pipeline.run.limits import limit_address_space, mapped_bytes

    inherited = mapped_bytes()  # what the fork inherited, plus the allowance (not Linux: the time limit alone)
    limit_address_space(None if inherited is None else inherited + DEFAULT_COUNT_MEMORY)
    try:
        answer = ("count", _pdfminer_page_count(path))
    except UnreadableDocument as exc:
        answer = ("error", str(exc))
    except MemoryError:
        answer = ("error", "corrupt PDF: reading its page tree needs more than 2 GB")
    send.send(answer)
    send.close()


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
    except Image.DecompressionBombError as exc:
        # a 90 KB PNG can claim 20000 × 20000 pixels: Pillow refuses it, and so do we
        raise UnreadableDocument(f"image too large to read ({exc.args[0].split(',')[0]})") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableDocument(f"not a readable image ({exc})") from exc


def extract_page(job: PageJob) -> PageText:
    """The per-page function: run in a worker, one page in, one PageText out."""
    if job.format == "image":
        frame = _image_frame(job.path, job.page)
        return _ocr_page(frame, image_resolution(frame), job)
    layer = None if job.settings.force_ocr else _text_layer_page(job)
    if layer is not None and layer[1] >= job.settings.min_text_chars:
        return layer[0]
    ocr = _ocr_page(*_render_pdf_page(job.path, job.page, job.settings.ocr.dpi, job.settings.ocr.min_dpi), job)
    if layer is not None and layer[1] > 0 and _real_chars(ocr.text) <= DEFAULT_SHORT_LAYER_FACTOR * layer[1]:
        # a short but real text layer ('Dummy PDF file', a title page) is the page's text:
        # OCR is kept only when it finds much more (a scan with a few words of text layer)
        return layer[0]
    return ocr


DEFAULT_SHORT_LAYER_FACTOR = 2  # OCR replaces a short text layer only when it reads this many times more


def _real_chars(text: str) -> int:
    return sum(map(str.isalnum, text))


TEXT_LAYER_READERS = ("pdfplumber", "pdfium")


def _text_layer_page(job: PageJob) -> tuple[PageText, int] | None:
    """The page from its text layer, and how many real characters the layer holds (None:
    no text layer at all)."""
    from pdfminer.pdfparser import PDFSyntaxError

    if job.settings.text_layer == "pdfium" and (plain := pdfium_page_chars(job.path, job.page)) is not None:
        chars, width, height, rules = plain
        return _layer_to_page(job, chars, width, height, [], [], rules)

    try:
        page = _plumber_page(job.path, job.page)
        try:
            chars, ruling, rules = _page_chars(page)
            width, height = float(page.width), float(page.height)
            # pdfplumber's table finder only on pages drawn with ruling lines: asking for
            # page.lines builds every object of the page, the cost _page_chars avoids
            tables = page_tables(page, job.settings.word_gap_ratio) if ruling >= DEFAULT_MIN_RULING else []
            annotations = page_annotation_texts(page)
        finally:
            _release_page(page)
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises many types on broken files
        if isinstance(exc, (KeyboardInterrupt, MemoryError)):
            raise
        _OPEN_PDF.forget()
        raise UnreadableDocument(f"cannot read PDF page {job.page} ({type(exc).__name__}: {exc})") from exc
    return _layer_to_page(job, chars, width, height, tables, annotations, rules)


def _layer_to_page(job: PageJob, chars: dict[tuple, list[dict]], width: float, height: float, tables: list,
                   annotations: list, rules: list[float]) -> tuple[PageText, int] | None:
    raw = chars_to_words(chars, job.settings.word_gap_ratio, height, [box for box, _ in tables])
    words = [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], italic=w["italic"]) for w in raw]
    words += annotation_words(annotations, words)
    real_chars = _real_chars("".join(ch["text"] for frame in chars.values() for ch in frame if "(cid:" not in ch["text"]))
    if real_chars == 0:
        return None
    rows = [row for _, table_rows in tables for row in table_rows]
    return words_to_page(words, job.page, PageMethod.TEXT, width, height, job.settings.layout,
                         table_rows=rows, separators=rules), real_chars


def pdfium_page_chars(path: str, page_no: int) -> tuple[dict[tuple, list[dict]], float, float, list[float]] | None:
    """A page's characters as ``_page_chars`` gives them, read by PDFium, with the page's
    width and height and the tops of its footnote separators; None when the page is one
    pdfplumber must read: it may draw a ruled table (``pdfium_page_rules``), carries
    annotations that put text on the page (``page_annotation_texts``), is rotated, its crop
    box or media box do not start at the origin, a font maps some character to no Unicode
    (pdfminer writes "(cid:N)", which tells the page to OCR; PDFium would make up a
    character from the code), or PDFium cannot load it.

    A character's box is pdfminer's: from its origin to its glyph's advance, from the
    baseline plus the font's descent, one font size high; the characters of one glyph (a
    ligature) are one character; characters PDFium generated (spaces between words, line
    ends) are left out: words are cut at gaps."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        return None  # pdfplumber reads it, or says why it cannot
    try:
        page = pdf[page_no - 1]
        media, crop = page.get_mediabox(), page.get_cropbox()
        if (page.get_rotation() or media[:2] != (0, 0) or tuple(crop) != tuple(media)
                or _has_text_annotations(page)):
            return None
        width, height = page.get_size()
        rules = pdfium_page_rules(page, width, height)
        if rules is None:
            return None
        doctop = _page_doctops(pdf, _file_key(path))[page_no - 1]
        by_frame = _pdfium_text_chars(page.get_textpage(), height, doctop)
        if by_frame is None:
            return None
        for chars in by_frame.values():
            mark_superscripts(chars)
        return by_frame, width, height, rules
    except pdfium.PdfiumError:
        return None
    finally:
        pdf.close()


def _pdfium_text_chars(text, height: float, doctop: float) -> dict[tuple, list[dict]] | None:
    """The characters of a PDFium text page by text frame, as ``char_record``s (see
    ``pdfium_page_chars``); None when a font maps one of them to no Unicode."""
    import pypdfium2.raw as pdfium_c

    box = pdfium_c.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    text_object_address = _text_object_address()
    objects: dict[int, _TextObject] = {}  # what a text object's characters share, looked up once
    by_frame: dict[tuple, list[dict]] = {}
    last_origin: tuple = ()
    n_chars = text.count_chars()
    codes = [ord(ch) for ch in text.get_text_range(0, n_chars)] if n_chars else []
    if len(codes) != n_chars:  # characters outside the BMP: one call each
        codes = [pdfium_c.FPDFText_GetUnicode(text.raw, i) for i in range(n_chars)]
    for i, code in enumerate(codes):
        if code == 0xFFFE:  # the whole-text call's mark for what GetUnicode tells (a line-end hyphen: 2)
            code = pdfium_c.FPDFText_GetUnicode(text.raw, i)
        # PDFium generates spaces and line ends only (checked on every PDF of ../shared)
        if code == 32 and pdfium_c.FPDFText_IsGenerated(text.raw, i):
            continue
        if pdfium_c.FPDFText_HasUnicodeMapError(text.raw, i):  # its code stands in, even a line end
            return None
        if code in (0, 10, 13, 0xFFFE, 0xFFFF):
            continue
        key = text_object_address(text.raw, i)
        shared = objects.get(key)
        if shared is None:
            shared = objects[key] = _pdfium_text_object(text, i)
        frame, (a, b, c, d), size, font_descent, italic, advance = shared
        # PDFium marks a hyphen that ends a line as U+0002; the page draws a hyphen
        glyph = "-" if code == 2 else chr(code)
        pdfium_c.FPDFText_GetLooseCharBox(text.raw, i, box)
        x0, y0, x1, y1 = box.left, box.bottom, box.right, box.top
        if frame == UPRIGHT:
            # pdfminer's box: its text-space corners (the origin plus the font's descent;
            # the glyph's advance and one font size above that) through the character's
            # matrix. PDFium's loose box also takes in the glyph's outline where it
            # overhangs (an italic 'f'; a 'g' below the descent), which closed the gap
            # before the next word, and it does not follow text set at a slant
            pdfium_c.FPDFText_GetCharOrigin(text.raw, i, origin_x, origin_y)
            ox, oy = origin_x.value, origin_y.value
            if (key, ox, oy) == last_origin:  # one glyph of several characters (a ligature): pdfminer's one character
                ligature = by_frame[frame][-1]
                ligature["text"] += glyph
                ligature["x1"] = max(ligature["x1"], x1)
                ligature["px"] = (ligature["x0"] + ligature["x1"]) / 2
                continue
            last_origin = (key, ox, oy)
            # the font's advance, unless the font cannot say or says more than PDFium's box
            glyph_advance = advance[code]
            if not 0 < a * glyph_advance <= x1 - ox + 0.01:
                glyph_advance = (x1 - ox) / a
            top = font_descent + size
            x0, y0 = ox + c * font_descent, oy + d * font_descent
            x1, y1 = ox + a * glyph_advance + c * top, oy + b * glyph_advance + d * top
            x0, x1 = min(x0, x1), max(x0, x1)
            y0, y1 = min(y0, y1), max(y0, y1)
        centre = ((x0 + x1) / 2, height - (y0 + y1) / 2)  # on the page, whatever the frame
        if frame != UPRIGHT:
            (x0, y0), (x1, y1) = _to_frame(frame, x0, y0, x1, y1)
        by_frame.setdefault(frame, []).append(char_record(glyph, (x0, y0, x1, y1), height, doctop, centre, italic))
    return by_frame


@lru_cache(maxsize=1)
def _text_object_address():
    """FPDFText_GetTextObject answering an address: which text object a character belongs
    to is asked for every character, and a handle's address costs a ctypes.cast each time."""
    import pypdfium2.raw as pdfium_c

    return ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
        ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value)


class _TextObject(NamedTuple):
    """What the characters of one PDFium text object share."""

    frame: tuple              # _text_frame of its matrix
    linear: tuple             # the matrix's linear part (a, b, c, d)
    size: float               # font size (text space)
    descent: float            # the font's descent at that size (text space, negative)
    italic: bool
    advances: _PdfiumAdvances


def _pdfium_text_object(text, index: int) -> _TextObject:
    """What the characters of the text object of character ``index`` share."""
    import pypdfium2.raw as pdfium_c

    matrix, font, flags, descent = pdfium_c.FS_MATRIX(), ctypes.create_string_buffer(256), ctypes.c_int(), ctypes.c_float()
    pdfium_c.FPDFText_GetMatrix(text.raw, index, matrix)
    pdfium_c.FPDFText_GetFontInfo(text.raw, index, font, len(font), flags)
    size = pdfium_c.FPDFText_GetFontSize(text.raw, index)
    font_handle = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(text.raw, index))
    if not pdfium_c.FPDFFont_GetDescent(font_handle, ctypes.c_float(size), descent):
        descent.value = 0.0
    linear = (matrix.a, matrix.b, matrix.c, matrix.d)
    return _TextObject(_text_frame(linear), linear, size, descent.value, _is_italic(font.value.decode("utf-8", "replace")),
                       _PdfiumAdvances(font_handle, ctypes.c_float(size)))


def _has_text_annotations(page) -> bool:
    """Whether a PDFium page carries an annotation whose text ``page_annotation_texts``
    reads (a form field, a stamp, a typed-on comment); links, highlights and notes put no
    text on the page."""
    import pypdfium2.raw as pdfium_c

    readable = {getattr(pdfium_c, f"FPDF_ANNOT_{kind.upper()}") for kind in (FORM_FIELD, *DRAWN_ANNOTATIONS)}
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        try:
            if not annotation or pdfium_c.FPDFAnnot_GetSubtype(annotation) in readable:
                return True
        finally:
            if annotation:
                pdfium_c.FPDFPage_CloseAnnot(annotation)
    return False


def _file_key(path: str) -> tuple:
    """A file as this worker may have seen it before: its path, size and modification time."""
    import os

    stat = os.stat(path)
    return path, stat.st_size, stat.st_mtime_ns


class _LastFile:
    """One value a worker keeps for the file it read last (``_file_key``: path, size and
    modification time), for the next page of the same file; a value for another file
    replaces it, the old one closed first when ``close`` is given."""

    def __init__(self, close: Callable | None = None) -> None:
        self.key: tuple | None = None
        self.value = None
        self.close = close

    def get(self, key: tuple, make: Callable[[], object]):
        if self.key != key:
            if self.value is not None and self.close is not None:
                self.close(self.value)
            self.key = self.value = None
            self.value = make()  # (when it raises, nothing is kept)
            self.key = key
        return self.value

    def forget(self) -> None:
        """Drop the value unclosed (its file failed to read)."""
        self.key = self.value = None


# the worker's last PDF's page tops, for its next page
_DOCTOPS = _LastFile()


def _page_doctops(pdf, key: tuple) -> list[float]:
    """The top of each page of the PDFium document ``pdf`` (the file ``key``) in the
    document's one column of pages (pdfplumber's doctop), worked out once per file: summed
    again for each page, a 1,000-page PDF spent 6 ms a page on it."""
    def tops_of_pages() -> list[float]:
        tops, top = [], 0.0
        for i in range(len(pdf)):
            tops.append(top)
            top += pdf.get_page_size(i)[1]
        return tops

    return _DOCTOPS.get(key, tops_of_pages)


class _PdfiumAdvances(dict):
    """The advances of a PDFium font's glyphs at one size in text space, by Unicode
    character; 0 when the font cannot say (its Unicode map does not lead back to a
    character code)."""

    def __init__(self, font, size: ctypes.c_float):
        super().__init__()
        self.font, self.size = font, size

    def __missing__(self, code: int) -> float:
        import pypdfium2.raw as pdfium_c

        found = ctypes.c_float()
        self[code] = advance = found.value if pdfium_c.FPDFFont_GetGlyphWidth(self.font, code, self.size, found) else 0.0
        return advance


DEFAULT_MAX_FLAT_SUBPATHS = 200  # rules on a page read by PDFium: more is a chart or a form, pdfplumber's
DEFAULT_EDGE_REACH = 4.0  # pt: pdfplumber's table finder snaps and joins edges 3 pt apart


def pdfium_page_rules(page, width: float, height: float) -> list[float] | None:
    """The tops of a PDFium page's footnote separators, found as ``_page_chars`` finds them
    (a subpath's box from its end points, as pdfminer's line, rectangle or curve); None when
    the page may draw a ruled table, where pdfplumber looks for one: DEFAULT_MIN_RULING
    subpaths or more, unless every one is flat (all its points, control points too, within
    2 pt of height) and none lies within DEFAULT_EDGE_REACH of another above or below it (the
    table finder could join their ends into an upright edge): with no upright edge there is
    no cell. None too when the page draws paths inside a form XObject (matrices nest).

    Subpaths are counted at each move, a count never below pdfminer's."""
    import pypdfium2.raw as pdfium_c

    subpaths: list[tuple[list[tuple[float, float]], list[float]]] = []  # (end points, every point's y)
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3):
        if obj.level > 0:
            return None
        a, b, c, d, e, f = obj.get_matrix().get()
        points: list[tuple[float, float]] = []
        heights: list[float] = []
        run = 0  # the place of a Bézier point in its curve: pdfminer keeps the third, the end
        for k in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                points, heights = [], []
                subpaths.append((points, heights))
                if len(subpaths) > DEFAULT_MAX_FLAT_SUBPATHS:
                    return None
            x, y = _segment_point(segment)
            x, y = a * x + c * y + e, b * x + d * y + f
            heights.append(y)
            run = run + 1 if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO else 0
            if not run % 3:  # not a control point
                points.append((x, y))
    boxes = [(min(x for x, _ in points), min(y for _, y in points), max(x for x, _ in points),
              max(y for _, y in points)) for points, _ in subpaths if points]
    if len(subpaths) >= DEFAULT_MIN_RULING and not _no_upright_edges(subpaths, boxes):
        return None
    max_rule = DEFAULT_MAX_SEPARATOR_SHARE * width
    return [height - y1 for x0, y0, x1, y1 in boxes if is_separator(x0, y0, x1, y1, max_rule)]


def _no_upright_edges(subpaths: list[tuple[list, list[float]]], boxes: list[tuple]) -> bool:
    """Whether no edge pdfplumber's table finder makes of these subpaths can stand 3 pt tall:
    each is flat and none lies within DEFAULT_EDGE_REACH of another that overlaps it across."""
    if any(heights and max(heights) - min(heights) > DEFAULT_RULE_HEIGHT for _, heights in subpaths):
        return False
    reach = DEFAULT_EDGE_REACH
    ordered = sorted(boxes, key=lambda box: box[1])
    for k, (x0, y0, x1, y1) in enumerate(ordered):
        for ox0, oy0, ox1, oy1 in ordered[k + 1:]:
            if oy0 - y1 > reach:
                break
            if ox0 - reach <= x1 and x0 - reach <= ox1:
                return False
    return True


def _segment_point(segment) -> tuple[float, float]:
    """A PDFium path segment's point, in its path's own space."""
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_float(), ctypes.c_float()
    pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
    return x.value, y.value


DRAWN_ANNOTATIONS = ("FreeText", "Stamp")  # annotations whose appearance draws text on the page
FORM_FIELD = "Widget"                      # an annotation whose value is text on the page


def page_annotation_texts(page) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The text the page's annotations draw: (text, (x0, top, x1, bottom)). A filled-in form
    field gives its value; a stamp or a typed-on comment (FreeText) the text of its
    appearance, or its contents. Read from the page's annotations one level deep
    (pdfplumber's ``page.annots`` resolves every reference inside them and recursed without
    end on a federal register's page). Check boxes and choices left blank ('/Off', ' ') have
    no value; a turned page's annotations are not read."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    if page.rotation or not page.page_obj.annots:
        return []
    x_origin, y_top = float(page.mediabox[0]), float(page.mediabox[3])
    texts = []
    for ref in resolve1(page.page_obj.annots) or []:
        annot = resolve1(ref)
        if not isinstance(annot, dict):
            continue
        kind = getattr(resolve1(annot.get("Subtype")), "name", None)
        if kind == FORM_FIELD:
            value = resolve1(annot.get("V"))
        elif kind in DRAWN_ANNOTATIONS:
            value = appearance_text(annot) or resolve1(annot.get("Contents"))
        else:
            continue
        text = " ".join((decode_text(value) if isinstance(value, bytes) else value if isinstance(value, str) else "").split())
        rect = [float(resolve1(v)) for v in resolve1(annot.get("Rect")) or []]
        if text and len(rect) == 4:
            x0, x1 = sorted((rect[0], rect[2]))
            y0, y1 = sorted((rect[1], rect[3]))
            texts.append((text, (x0 - x_origin, y_top - y1, x1 - x_origin, y_top - y0)))
    return texts


def appearance_text(annot: dict) -> str:
    """The characters an annotation's normal appearance draws, in drawing order ('' when it
    has none or pdfminer cannot read it). pdftotext shows a stamp's text; pdfplumber reads
    only the page's own content."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdftypes import PDFStream, resolve1

    appearance = resolve1(annot.get("AP"))
    stream = resolve1(appearance.get("N")) if isinstance(appearance, dict) else None
    if not isinstance(stream, PDFStream):
        return ""
    try:
        box = [float(resolve1(v)) for v in resolve1(stream.get("BBox")) or [0, 0, 0, 0]]
        canvas = SimpleNamespace(mediabox=box, cropbox=box, rotate=0, pageid=0)
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager)
        device.begin_page(canvas, (1, 0, 0, 1, 0, 0))
        PDFPageInterpreter(manager, device).render_contents(resolve1(stream.get("Resources")) or {}, [stream])
        device.end_page(canvas)
    except Exception:  # a broken appearance stream loses the stamp, not the page
        return ""
    chars: list[str] = []

    def walk(item) -> None:
        if isinstance(item, LTChar):
            chars.append(item.get_text())
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    walk(device.get_result())
    return "".join(chars)


def annotation_words(texts: list[tuple[str, tuple]], page_words: list[Word] = ()) -> list[Word]:
    """The annotations' texts as words in their boxes. A filled form draws its values from
    the fields' own appearance, not the page's text layer: on a federal grant application
    the agency's name ('U.S. Department of Interior, Fish and Wildlife Service') was missing
    from the clean text."""
    words = []
    for text, (x0, top, x1, bottom) in texts:
        # one word for the whole value (spread over the box, its words would interleave with
        # page text drawn inside the field), on a line under any such text (a label)
        # in the size of that text (a stamp's box is many lines tall)
        inside = [w for w in page_words if _inside((w.x0 + w.x1) / 2, (w.top + w.bottom) / 2, (x0, top, x1, bottom))]
        if inside:
            top = max(w.bottom for w in inside)
            bottom = top + min(bottom - top, max(w.bottom - w.top for w in inside))
        words.append(Word(text, x0, x1, top, bottom))
    return words


DEFAULT_MIN_RULING = 4  # ruling lines or rectangles a page needs before tables are looked for


def page_tables(page, word_gap_ratio: float = 0.15) -> list[tuple[tuple, list[Line]]]:
    """Ruled tables of a text-layer page (pdfplumber's table finder, lattice-style on the
    page's lines and rectangles): per table its box and its rows as Lines, cells joined by
    tabs in column order (see ``table_to_rows``)."""
    out = []
    chars = page.chars
    for table in page.find_tables():
        rows = table_to_rows(table, chars, word_gap_ratio)
        if len(rows) < 2 or sum(sum(1 for v in cells if v) >= 2 for cells, _, _ in rows) < 2:
            continue  # a framed paragraph (rows of one filled cell), not a table
        box = table.bbox
        lines = [Line("\t".join(cells), box[0], box[2], top, bottom, table_row=True)
                 for cells, top, bottom in rows if any(cells)]
        if lines:
            out.append((box, lines))
    return out


def table_to_rows(table, chars: list[dict], word_gap_ratio: float) -> list[tuple[list[str], float, float]]:
    """A pdfplumber table's rows: (cell texts, top, bottom). Inside a cell the word gap is
    measured against the cell's own letters (``x_tolerance_ratio``), not pdfplumber's fixed
    3 pt: a report set in 7-pt type spaces its words by 2 pt, and the fixed tolerance
    glued them ("BAIN,JMATTHEW"). A cell's lines are joined (a hyphen at a line end joins
    the word), except in a band that holds several records: when every filled cell of a
    band has the same number of lines (two or more) on the same baselines, the band is a
    run of rows the table drew no rules between, and each line is a row."""
    out = []
    for row in table.rows:
        top, bottom = row.bbox[1], row.bbox[3]
        row_chars = _chars_in(chars, row.bbox)  # (each cell then searches its row's letters only)
        cells = [None if cell is None else _cell_lines(_chars_in(row_chars, cell), word_gap_ratio) for cell in row.cells]
        filled = [lines for lines in cells if lines]
        baselines = {tuple(round(line_top) for line_top, _ in lines) for lines in filled}
        if len(filled) >= 2 and len(baselines) == 1 and len(filled[0]) >= 2:
            tops = [line_top for line_top, _ in filled[0]]
            for k, (line_top, line_bottom) in enumerate(zip(tops, tops[1:] + [bottom])):
                out.append(([lines[k][1] if lines else "" for lines in cells], line_top, line_bottom))
        else:
            out.append(([cell_lines_to_text("\n".join(text for _, text in lines)) if lines else "" for lines in cells],
                        top, bottom))
    return out


def _chars_in(chars: list[dict], box: tuple) -> list[dict]:
    x0, top, x1, bottom = box
    return [c for c in chars
            if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom]


def _cell_lines(chars: list[dict], word_gap_ratio: float) -> list[tuple[float, str]]:
    """A cell's text lines, top to bottom: (the line's top, its text)."""
    from pdfplumber.utils.text import WordExtractor

    if not chars:
        return []
    words = WordExtractor(x_tolerance_ratio=word_gap_ratio, keep_blank_chars=False).extract_words(chars)
    return words_to_cell_lines([Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"]) for w in words])


def _inside(x: float, y: float, box: tuple) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


# Why: pdfplumber builds every page object of a PDF when it opens (and again when it
# closes) it, so opening the file once per page made a document cost O(pages²); each
# worker keeps the PDF it opened last for the next page of the same file.
_OPEN_PDF = _LastFile(close=lambda pdf: pdf.close())


def _plumber_page(path: str, page: int):
    """pdfplumber's Page ``page`` (1-based) of ``path``, from this worker's open PDF when it
    is the same file (same size and modification time)."""
    import pdfplumber

    return _OPEN_PDF.get(_file_key(path), lambda: pdfplumber.open(path)).pages[page - 1]


def _release_page(page) -> None:
    """Drop what reading one page cached (its layout, and the PDF objects pdfminer parsed
    for it, images included), so a worker's memory does not grow with the document."""
    page.close()
    cached = getattr(page.pdf.doc, "_cached_objs", None)
    if isinstance(cached, dict):
        cached.clear()


def _page_chars(page) -> tuple[dict[tuple, list[dict]], int, list[float]]:
    """The characters of a page by text orientation (``_text_frame``), each with its box in
    its frame, its centre on the page (``px``, ``py``), whether its font is italic and
    whether it is a raised reference mark (``sup``); how many ruling lines and rectangles
    the page draws; and the tops of its short horizontal rules (a footnote separator).

    Why not ``page.chars``: pdfplumber turns every layout object into a dict of ~20 resolved
    attributes, which took two thirds of a text page's time; the word grouping needs only
    the characters' text and boxes, computed here as pdfplumber does."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve

    height = page.height
    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    doctop = page.initial_doctop
    by_frame: dict[tuple, list[dict]] = {}
    ruling = 0
    rules: list[float] = []
    max_rule = DEFAULT_MAX_SEPARATOR_SHARE * float(page.width)

    def walk(objects) -> None:
        nonlocal ruling
        for obj in objects:
            if isinstance(obj, LTContainer):  # figures: their characters, in order
                walk(obj)
            elif isinstance(obj, LTCurve):  # lines and rectangles are curves to pdfminer
                ruling += 1
                if is_separator(obj.x0, obj.y0, obj.x1, obj.y1, max_rule):
                    rules.append(height - obj.y1 + mb_top)
            elif isinstance(obj, LTChar):
                frame = _text_frame(obj.matrix)
                x0, x1 = (obj.x0 + mb_x0, obj.x1 + mb_x0) if mb_x0 != 0 else (obj.x0, obj.x1)
                y0, y1 = obj.y0 - mb_top, obj.y1 - mb_top
                if frame != UPRIGHT:  # the box in the text's own frame, y up
                    (x0, y0), (x1, y1) = _to_frame(frame, x0, y0, x1, y1)
                # the glyph box's height in its own frame is its font size (pdfminer's size is
                # the page-space height, an advance width for text turned 90°)
                centre = ((obj.x0 + obj.x1) / 2 + mb_x0, height - (obj.y0 + obj.y1) / 2 + mb_top)
                by_frame.setdefault(frame, []).append(
                    char_record(obj.get_text(), (x0, y0, x1, y1), height, doctop, centre, _is_italic(obj.fontname)))

    walk(page.layout)
    for chars in by_frame.values():
        mark_superscripts(chars)
    return by_frame, ruling, rules


def char_record(text: str, box: tuple[float, float, float, float], height: float, doctop: float,
                centre: tuple[float, float], italic: bool) -> dict:
    """A character as the word grouping reads it (pdfplumber's char keys), from its box in
    its text frame (x0, y0, x1, y1, y up), the page height, the page's doctop and the
    character's centre on the page."""
    x0, y0, x1, y1 = box
    return {"text": text, "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0,
            "doctop": doctop + height - y1, "upright": True, "size": y1 - y0, "px": centre[0], "py": centre[1],
            "italic": italic, "sup": False}


DEFAULT_MIN_SEPARATOR = 20.0        # pt: a footnote separator rule is at least this long …
DEFAULT_MAX_SEPARATOR_SHARE = 0.45  # … and shorter than this share of the page width
DEFAULT_RULE_HEIGHT = 2.0           # pt: a rule (a separator; a path no table edge stands on) is this flat
DEFAULT_SUP_SIZE = 0.8              # a reference mark is at most this share of its neighbour's size
DEFAULT_SUP_RISE = 0.15             # and its baseline this share of that size above the neighbour's
REFERENCE_MARKS = frozenset("0123456789*†‡")


def is_separator(x0: float, y0: float, x1: float, y1: float, max_rule: float) -> bool:
    """Whether a drawn line or rectangle with this box (y up) is a footnote separator: flat,
    at least DEFAULT_MIN_SEPARATOR long and at most ``max_rule`` (a share of the page width)."""
    return y1 - y0 <= DEFAULT_RULE_HEIGHT and DEFAULT_MIN_SEPARATOR <= x1 - x0 <= max_rule


@lru_cache(maxsize=256)
def _is_italic(fontname: str) -> bool:
    name = fontname.split("+")[-1].lower()
    return "italic" in name or "oblique" in name


def mark_superscripts(chars: list[dict]) -> None:
    """Set ``sup`` on reference marks (digits, *, †) set small and raised against the
    character before or after them in the content stream ('migratorias¹', '¹La Constitución'):
    they are detached from the word they touch instead of glued to it ('migratorias1')."""
    for i, ch in enumerate(chars):
        if not ch["text"] in REFERENCE_MARKS:
            continue
        for step in (-1, 1):
            k = i + step  # the nearest letter before (after) it: other marks and spaces skipped
            while 0 <= k < len(chars) and (chars[k]["text"].isspace() or chars[k]["text"] in REFERENCE_MARKS):
                k += step
            if 0 <= k < len(chars) and _raised_against(ch, chars[k]):
                ch["sup"] = True
                break


def _raised_against(mark: dict, letter: dict) -> bool:
    """A mark smaller than the letter, its baseline above the letter's, on the letter's line."""
    return (mark["size"] <= DEFAULT_SUP_SIZE * letter["size"]
            and mark["bottom"] < letter["bottom"] - DEFAULT_SUP_RISE * letter["size"]
            and letter["top"] - letter["size"] < mark["top"] < letter["bottom"])


def chars_to_words(by_frame: dict[tuple, list[dict]], word_gap_ratio: float, height: float,
                   table_boxes: list[tuple] = ()) -> list[dict]:
    """Words as ``page.extract_words(x_tolerance_ratio=word_gap_ratio)`` finds them on
    upright text, leaving out the characters inside ``table_boxes`` (read as table rows).

    Text drawn rotated or mirrored (a text matrix other than upright) is read in its own
    upright frame, so it comes out in reading order, not reversed; each orientation but the
    page's main one (a rotated margin stamp, a sideways table head) is set apart below the
    page's lines, never joined to them."""
    from pdfplumber.utils.text import WordExtractor

    if table_boxes:
        by_frame = {f: [ch for ch in chars if not any(_inside(ch["px"], ch["py"], b) for b in table_boxes)]
                    for f, chars in by_frame.items()}
        by_frame = {f: chars for f, chars in by_frame.items() if chars}
    # a raised reference mark is a word of its own ("sup" differs), attached afterwards
    extractor = WordExtractor(x_tolerance_ratio=word_gap_ratio, keep_blank_chars=False, use_text_flow=False,
                              extra_attrs=["sup"])
    frames = sorted(by_frame, key=lambda f: -len(by_frame[f]))
    words: list[dict] = []
    for n, frame in enumerate(frames):
        chars = _shifted(by_frame[frame]) if frame != UPRIGHT else by_frame[frame]
        if any(ch["italic"] for ch in chars):
            found = [_with_emphasis(w) for w in extractor.extract_words(chars, return_chars=True)]
        else:  # the characters of each word are only needed to tell italics
            found = [w | {"italic": False} for w in extractor.extract_words(chars)]
        found = attach_reference_marks(found, word_gap_ratio)
        if n:  # set apart below what is already there
            below = max((w["bottom"] for w in words), default=0.0) + 2 * height
            found = [w | {"top": w["top"] + below, "bottom": w["bottom"] + below} for w in found]
        words += found
    return words


def _with_emphasis(word: dict) -> dict:
    """The word without its characters, ``italic`` when most of its letters are set in an
    italic font, ``sup`` when it is a raised reference mark."""
    chars = word.pop("chars")
    word["italic"] = 2 * sum(ch["italic"] for ch in chars) > len(chars)
    return word


def attach_reference_marks(words: list[dict], word_gap_ratio: float) -> list[dict]:
    """Each raised reference mark as ``<sup>N</sup>`` on the word it touches: the word it
    follows on its line ('migratorias<sup>1</sup>'), else the word it precedes ('<sup>1</sup>La'),
    else alone. The markup step removes the tag, as for text inputs, with the edit logged."""
    marks = [w for w in words if w["sup"]]
    if not marks:
        return words
    kept = [w for w in words if not w["sup"]]
    for mark in marks:
        tag, size = f"<sup>{mark['text']}</sup>", mark["bottom"] - mark["top"]
        line = [w for w in kept if w["top"] < mark["bottom"] and mark["top"] < w["bottom"]]
        before = [w for w in line if -1 <= mark["x0"] - w["x1"] < DEFAULT_MARK_GAP * size]
        after = [w for w in line if -1 <= w["x0"] - mark["x1"] < DEFAULT_MARK_GAP * size]
        if before:
            host = max(before, key=lambda w: w["x1"])
            host["text"], host["x1"] = host["text"] + tag, max(host["x1"], mark["x1"])
            # what touches the mark's other side ('migratorias¹,') was cut from the host only
            # because the mark stood between them
            touching = [w for w in after if w["x0"] - mark["x1"] < word_gap_ratio * (host["bottom"] - host["top"])]
            if touching:
                glued = min(touching, key=lambda w: w["x0"])
                host["text"], host["x1"] = host["text"] + glued["text"], max(host["x1"], glued["x1"])
                kept.remove(glued)
        elif after:
            host = min(after, key=lambda w: w["x0"])
            host["text"], host["x0"] = tag + host["text"], min(host["x0"], mark["x0"])
        else:
            kept.append(mark | {"text": tag})
    return kept


DEFAULT_MARK_GAP = 1.0  # a mark farther than this share of its size from any word stands alone


UPRIGHT = (1, 0, 0, 1)


def _text_frame(matrix) -> tuple:
    """The orientation of a character's text matrix as signs of (a, b, c, d), axis-aligned
    (a rotation by a multiple of 90°, mirrored or not); text at another angle counts by its
    nearest axis."""
    a, b, c, d = matrix[:4]
    if abs(a) + abs(d) >= abs(b) + abs(c):
        return (1 if a > 0 else -1, 0, 0, 1 if d > 0 else -1)
    return (0, 1 if b > 0 else -1, 1 if c > 0 else -1, 0)


def _to_frame(frame: tuple, x0: float, y0: float, x1: float, y1: float) -> tuple[tuple, tuple]:
    """A box of the page (y up) in the text frame: the inverse of the frame's linear map
    (orthogonal, so its transpose) applied to the box's corners."""
    a, b, c, d = frame
    us, vs = [], []
    for x, y in ((x0, y0), (x1, y1), (x0, y1), (x1, y0)):
        us.append(a * x + b * y)
        vs.append(c * x + d * y)
    return (min(us), min(vs)), (max(us), max(vs))


def _shifted(chars: list[dict]) -> list[dict]:
    """Characters moved so their frame starts at (0, 0), as a page's do; spaces dropped
    (the word gaps separate the words: a mirrored line's leading space overlaps its first
    letter and would split 'The' into 'T he')."""
    chars = [ch for ch in chars if not ch["text"].isspace()] or chars
    left = min(ch["x0"] for ch in chars)
    top = min(ch["top"] for ch in chars)
    return [ch | {"x0": ch["x0"] - left, "x1": ch["x1"] - left, "top": ch["top"] - top,
                  "bottom": ch["bottom"] - top, "doctop": ch["doctop"] - top} for ch in chars]


DEFAULT_MAX_PAGE_PIXELS = 40_000_000  # an A4 page at 200 dpi is 3.9 million; tesseract needs ~100 bytes each


def within_pixels(width: float, height: float, max_pixels: int = DEFAULT_MAX_PAGE_PIXELS) -> float:
    """The factor (at most 1) that brings an image of width × height within ``max_pixels``."""
    return min(1.0, (max_pixels / (width * height)) ** 0.5) if width * height > 0 else 1.0


def render_scale(width_pt: float, height_pt: float, dpi: float, max_pixels: int = DEFAULT_MAX_PAGE_PIXELS) -> float:
    """Points → pixels for rendering a page at ``dpi``, lowered so the image stays within
    ``max_pixels`` (a 596-byte PDF with an 8000-pt page would need 7 GB at 200 dpi)."""
    scale = dpi / 72
    return scale * within_pixels(width_pt * scale, height_pt * scale, max_pixels)


def _render_pdf_page(path: str, page: int, dpi: int, min_dpi: float = 0.0):
    """The page rendered at ``dpi`` (less for a page too large: see ``render_scale``), and
    the resolution it was rendered at. A page that is a scan under ``min_dpi`` is rendered
    at the scan's own resolution, so that OCR's upscaling and denoising see its pixels
    rather than PDFium's interpolation of them (a noisy 100-dpi page: 9.2% of words wrong
    rendered at 200 dpi, 4.1% read at 100 and upscaled)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        handle = pdf[page - 1]
        native = page_scan_dpi(handle)
        if native is not None and native < min_dpi:
            dpi = native
        scale = render_scale(*handle.get_size(), dpi)
        return handle.render(scale=scale).to_pil(), scale * 72
    finally:
        pdf.close()


DEFAULT_SCAN_COVER = 0.8  # an image covering this share of a page is a scan of it


def page_scan_dpi(handle) -> float | None:
    """The resolution of the image that covers the page (a scan's), or None when no image
    covers most of it."""
    import pypdfium2.raw as pdfium_c

    width, height = handle.get_size()
    for image in handle.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = image.get_bounds()
        if right - left <= 0 or top - bottom <= 0 or (right - left) * (top - bottom) < DEFAULT_SCAN_COVER * width * height:
            continue
        px_width, px_height = image.get_px_size()
        return min(px_width / ((right - left) / 72), px_height / ((top - bottom) / 72))
    return None


def _image_frame(path: str, page: int):
    from PIL import Image

    with Image.open(path) as image:
        image.seek(page - 1)
        frame = image.convert("RGB")
        frame.info["dpi"] = image.info.get("dpi")  # convert() keeps no resolution
        return frame


def _ocr_page(image, resolution: float, job: PageJob) -> PageText:
    image, dpi = upscaled(one_channel_if_grey(image), resolution, job.settings.ocr)
    if (factor := within_pixels(image.width, image.height)) < 1:  # a huge image is read smaller, not at any cost
        image, dpi = image.resize((int(image.width * factor), int(image.height * factor))), dpi * factor
    image, skew = deskewed(image, job.settings.ocr)
    words = image_to_words(image, job.settings.ocr)
    width, height = image.size
    # ruled tables found in the pixels: their words become tab-separated rows
    body_words, table_rows = words_into_grids(words, rules_to_grids(*image_to_rules(image), width, height))
    page = words_to_page(
        body_words, job.page, PageMethod.OCR, float(width), float(height), job.settings.layout,
        ocr_confidence=mean_confidence(words), table_rows=table_rows,
    )
    return replace(page, skew_degrees=skew, ocr_dpi=round(dpi, 1))
