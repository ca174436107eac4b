"""Word (.docx) files → text, the way the text inputs look: one paragraph per block with a
blank line between, italics as Markdown emphasis (``*…*``, removed by the markup step with
the emphasis kept in the corrections log, as for .md inputs), table rows as tab-separated
lines (one cell per column), list items as bullets, footnotes as their own paragraphs after
the body ("[3] The text of footnote 3.")."""
from __future__ import annotations

import io
import re

from pipeline.errors import NotText

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
BULLET = "• "


def docx_to_text(data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zip, package and XML errors of python-docx: one reason for all
        raise NotText(f"not a readable .docx file ({type(exc).__name__})") from exc
    blocks = [*body_blocks(document), *footnote_blocks(document)]
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise NotText("no text in the .docx file")
    return text + "\n"


def body_blocks(document) -> list[str]:
    """Paragraphs and tables in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            paragraph = Paragraph(child, document)
            text = paragraph_text(paragraph)
            if text and _is_list_item(paragraph):
                text = BULLET + text
            blocks.append(text)
        elif child.tag == f"{W}tbl":
            blocks.append(table_text(Table(child, document)))
    return blocks


def paragraph_text(paragraph) -> str:
    """The runs' text, italic runs (joined across run boundaries) as ``*…*``."""
    pieces: list[tuple[str, bool]] = []
    for run in paragraph.runs:
        if run.text:
            italic = bool(run.italic) and not bool(run.bold)
            if pieces and pieces[-1][1] == italic:
                pieces[-1] = (pieces[-1][0] + run.text, italic)
            else:
                pieces.append((run.text, italic))
    out = []
    for text, italic in pieces:
        core = text.strip()
        if italic and core:
            lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            out.append(f"{lead}*{core}*{trail}")
        else:
            out.append(text)
    return re.sub(r"[ \t]*\n[ \t]*", " ", "".join(out)).strip()


def _is_list_item(paragraph) -> bool:
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return numbered or style.lower().startswith("list")


def table_text(table) -> str:
    """One line per row, cells separated by tabs; a cell merged across columns counts once."""
    lines = []
    for row in table.rows:
        cells, seen = [], []
        for cell in row.cells:
            if any(cell._tc is s for s in seen):
                continue
            seen.append(cell._tc)
            text = " ".join(paragraph_text(p) for p in cell.paragraphs if paragraph_text(p))
            cells.append(text.replace("\t", " "))
        if any(cells):
            lines.append("\t".join(cells))
    return "\n".join(lines)


def footnote_blocks(document) -> list[str]:
    """Footnotes from the footnotes part (python-docx has no API for them): '[n] text'."""
    from lxml import etree

    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == FOOTNOTES_RELTYPE and not rel.is_external), None)
    if part is None:
        return []
    root = etree.fromstring(part.blob)
    blocks = []
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") not in (None, "normal"):
            continue  # the separator and continuation marks
        text = " ".join("".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in note.iter(f"{W}p"))
        if text.strip():
            blocks.append(f"[{note.get(f'{W}id')}] {' '.join(text.split())}")
    return blocks
