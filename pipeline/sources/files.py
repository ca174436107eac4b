"""Source files: their formats, the document ids their paths give, and a text file read as its one page."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path, PurePath

from pipeline.errors import NotText, SourceChanged, UnsupportedFormat
from pipeline.records import PageMethod, PageText, SourceFile
from pipeline.sources.decode import bytes_to_text, html_to_text
from pipeline.textedit import Edit

FORMATS = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
}
PAGED_FORMATS = {"pdf", "image"}
TEXT_FORMATS = ("txt", "md", "html", "docx")  # one 'plain' page each
MARKUP_FORMATS = ("txt", "md", "docx")        # Markdown-style markup removed as logged edits
REFUSED_FORMATS = {  # formats a user may well have, with what to do instead
    "doc": "Word 97-2003 .doc files are not read: convert it to .docx or PDF "
           "(e.g. libreoffice --headless --convert-to docx FILE.doc)",
}
PAGE_SEPARATOR = "\n\n"


def check_unchanged(source: SourceFile, data: bytes | None = None) -> None:
    """SourceChanged unless the file still has the size and modification time it had when
    its hash was taken (and, given the bytes read, that hash): the recorded sha256 must be
    the bytes the rows come from, or a later run would reuse them for other bytes."""
    if source.mtime_ns is None:
        return
    stat = Path(source.path).stat()
    if (stat.st_size, stat.st_mtime_ns) != (source.n_bytes, source.mtime_ns) or (
            data is not None and hashlib.sha256(data).hexdigest() != source.sha256):
        raise SourceChanged("the file changed during the run (it is not the version that was hashed): run again")


def format_of(path: Path) -> str:
    """txt, md, html, docx, pdf, image, or the unsupported extension itself."""
    return FORMATS.get(path.suffix.lower(), path.suffix.lower().lstrip(".") or "none")


def path_to_source(path: Path, doc_id: str) -> SourceFile:
    data = path.read_bytes()
    return SourceFile(str(path), doc_id, format_of(path), hashlib.sha256(data).hexdigest(), len(data))


DEFAULT_MAX_ID_CHARS = 100  # file names of clean texts and review pages stay far below NAME_MAX


def relative_path_to_doc_id(relative: PurePath, max_chars: int = DEFAULT_MAX_ID_CHARS) -> str:
    """A readable id from a path below its input folder: folders and stem joined by '-',
    letters transliterated to ASCII ('Año 2003/versión ñ.txt' → 'ano-2003-version-n'), lower
    case; a longer id is cut and ends in a hash of the whole."""
    from anyascii import anyascii

    parts = [*relative.parts[:-1], relative.stem if relative.suffix else relative.name]
    slug = "-".join(p for p in (_slug(anyascii(part)) for part in parts) if p) or "document"
    if len(slug) > max_chars:
        slug = f"{slug[:max_chars - 9].rstrip('-._')}-{hashlib.sha256(slug.encode()).hexdigest()[:8]}"
    return slug


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-.")


def unique_doc_id(base: str, sha256: str, taken: set[str]) -> str:
    """``base``, or when another document has it, ``base`` plus the first 8 hex digits of the
    content hash (and a counter only for identical bytes under colliding names)."""
    if base not in taken:
        return base
    candidate, n = f"{base}-{sha256[:8]}", 2
    while candidate in taken:
        candidate, n = f"{base}-{sha256[:8]}-{n}", n + 1
    return candidate


def text_file_to_page(source: SourceFile) -> tuple[PageText, list[Edit]]:
    """A .txt/.md/.html/.docx file is one 'plain' page; returns the page (source text) and the
    edits (unicode repair, markup removal) that turn it into clean text."""
    if source.format in REFUSED_FORMATS:
        raise UnsupportedFormat(REFUSED_FORMATS[source.format])
    if source.format not in TEXT_FORMATS:
        raise UnsupportedFormat(f"unsupported file type '.{source.format}'")
    data = Path(source.path).read_bytes()
    check_unchanged(source, data)
    if source.format == "docx":
        from pipeline.sources.word import docx_to_text

        text = docx_to_text(data)
    else:
        text, _encoding = bytes_to_text(data)
    if source.format == "html":
        # HTML structure is not worth an offset map: the block text is the source text.
        text = html_to_text(text)
    page = PageText(1, PageMethod.PLAIN, text)
    if not text.strip():
        raise NotText("no text after decoding")
    return page, []
