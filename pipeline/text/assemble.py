"""Pages → a Document: running furniture removed across pages, sentences, footnotes and
tables joined across page breaks, then the repair steps; every change an edit."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from pipeline.sources.decode import LAYOUT_MARKUP, SUP_MARK, fix_unicode_lines, markup_edits, rewrite_chain
from pipeline.sources.files import MARKUP_FORMATS, PAGE_SEPARATOR, PAGED_FORMATS
from pipeline.sources.layout import note_opening, plain
from pipeline.text.docinfo import SYMBOL_LINE
from pipeline.text.repair import RepairSettings, repair_steps
from pipeline.records import Document, PageMethod, PageSpan, PageText, SourceFile, Zone
from pipeline.textedit import Edit

FURNITURE_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:page|p[áa]gina|p[áa]g\.?)\s*)?\d{1,4}(?:\s*(?:of|de|/)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.I,
)


MARGIN_ZONES = (Zone.HEADER, Zone.FOOTER)  # where running heads, footers and page numbers live


def _furniture_key(text: str) -> str:
    """A margin line's text as pages repeat it: digits (page numbers) as '#', case and
    punctuation ignored (OCR reads one running head's dash as '—' on one page and '-' on
    the next: on an office scan of the OAS summary, 7 of its 28 heads stayed in the text)."""
    return " ".join(re.sub(r"\d+", "#", re.sub(r"\W+", " ", text.lower())).split())


def detect_furniture(pages: list[PageText], min_share: float = 0.5) -> list[set[int]]:
    """Per page, the indexes of header/footer lines that are running furniture: page numbers,
    or lines whose digit-normalised text recurs in the same zone on at least ``min_share`` of
    the pages (and on two pages at least)."""
    counts: Counter[tuple[Zone, str]] = Counter()
    for page in pages:
        seen = {(ln.zone, _furniture_key(ln.text)) for ln in page.lines if ln.zone in MARGIN_ZONES}
        counts.update(seen)
    needed = max(2, int(min_share * len(pages) + 0.999))
    result = []
    for page in pages:
        marks = set()
        for i, line in enumerate(page.lines):
            if line.zone not in MARGIN_ZONES:
                continue
            if FURNITURE_PAGE_NUMBER.match(line.text) or counts[(line.zone, _furniture_key(line.text))] >= needed:
                marks.add(i)
        result.append(marks)
    return result


def pages_to_document(source: SourceFile, pages: list[PageText], repair: RepairSettings = RepairSettings()) -> Document:
    """Join pages into one source text, then run the cleaning chain as recorded edits:
    furniture removal (paged formats) or markup removal (text files), Unicode repair,
    then the repair steps. Page spans are kept in both source and clean offsets."""
    pages = sorted(pages, key=lambda p: p.page)
    furniture = detect_furniture(pages) if source.format in PAGED_FORMATS else [set() for _ in pages]
    if furniture and pages:
        # the cover keeps its symbol: on page 1 a running 'MC/INF/266' is the document's symbol
        # (unless the cover's body states it too)
        body = {ln.text.strip() for ln in pages[0].lines if ln.zone is Zone.BODY}
        furniture[0] = {i for i in furniture[0] if not (SYMBOL_LINE.fullmatch(pages[0].lines[i].text.strip())
                                                        and pages[0].lines[i].text.strip() not in body)}
    parts, furniture_edits, spans_src = [], [], []
    cursor = 0
    for page, marks in zip(pages, furniture):
        if parts:
            parts.append(PAGE_SEPARATOR)
            cursor += len(PAGE_SEPARATOR)
        start = cursor
        parts.append(page.text)
        cursor += len(page.text)
        spans_src.append((start, cursor))
        for i in sorted(marks):
            line_start = start + page.line_starts[i]
            line_end = line_start + len(page.lines[i].text)
            # take the line's following break with it, so no blank hole is left
            tail = line_end
            while tail < cursor and page.text[tail - start] == "\n":
                tail += 1
            furniture_edits.append(Edit(line_start, tail, "", "furniture", page.lines[i].zone.value))
    source_text = "".join(parts)
    if source.format in PAGED_FORMATS:
        joins = sentence_across_pages_edits(pages, furniture, spans_src)
        # a join covers the furniture between the two halves of the sentence: one edit; the
        # footnotes it covers go after the paragraph the sentence ends in
        notes = footnote_edits(pages, spans_src, joins)
        joined = [j for _, _, j in joins]
        furniture_edits = [e for e in furniture_edits if not any(j.start <= e.start < j.end for j in joined)]
        furniture_edits = sorted(furniture_edits + joined + notes, key=lambda e: (e.start, e.end))
    if any(p.method is PageMethod.OCR for p in pages) and repair.ocr_damaged is None:
        repair = replace(repair, ocr_damaged=True)
    first_steps = (fix_unicode_lines, markup_edits) if source.format in MARKUP_FORMATS else (
        lambda _text: furniture_edits, lambda text: markup_edits(text, LAYOUT_MARKUP), fix_unicode_lines,
        table_across_pages_edits)
    rewrite = rewrite_chain(source_text, *first_steps, *repair_steps(repair))
    clean, origin = rewrite.text, rewrite.origin
    spans = []
    for page, marks, (s, e) in zip(pages, furniture, spans_src):
        spans.append(PageSpan(
            page=page.page, method=page.method, ocr_confidence=page.ocr_confidence,
            source_start=s, source_end=e,
            clean_start=_first_clean_at_or_after(origin, s), clean_end=_first_clean_at_or_after(origin, e),
            furniture=tuple(page.lines[i].text for i in sorted(marks)), skew_degrees=page.skew_degrees,
            ocr_dpi=page.ocr_dpi,
        ))
    return Document(source, source_text, clean, origin, tuple(spans), rewrite.edits)


# a page whose last line stops mid-sentence, and a next page that goes on with it
# ('… which is to take place in Santiago, Chile from' | '20 to 22 November 2002. This …')
SENTENCE_GOES_ON = re.compile(r"(?:[^\W\d_]|\d|[,\-–])$")
CONTINUATION_START = re.compile(r"(?:[a-záéíóúñü]|\d+(?![.)\d])\s+[a-záéíóúñü])")
DEFAULT_MIN_CUT_LINE_CHARS = 50  # a shorter last line may be a heading or the end of a paragraph


def sentence_across_pages_edits(pages: list[PageText], furniture: list[set[int]],
                                spans: list[tuple[int, int]]) -> list[tuple[int, int, Edit]]:
    """A sentence cut by a page break goes on in one paragraph: from the end of the page's
    last body line to the next page's first body line (running heads, footers and page
    numbers between them included), the text becomes one line break. The last line must
    be a full line that stops without closing punctuation, and the next page's first line
    must go on with it (a lower-case word, or a number that opens no numbered paragraph).
    Footnotes at the page's foot are not its last line. Per join: the page it leaves, the
    index of the line it goes on at, and the edit."""
    edits = []
    for i in range(len(pages) - 1):
        here, there = pages[i], pages[i + 1]
        last = max((k for k, ln in enumerate(here.lines) if k not in furniture[i] and ln.text.strip()
                    and ln.zone is not Zone.FOOTNOTE), default=None)
        body = [k for k, ln in enumerate(there.lines) if k not in furniture[i + 1] and ln.text.strip()]
        # a running symbol or page number furniture detection missed (a photographed page's
        # header sits lower than the header zone) does not stop the sentence
        while len(body) > 1 and (SYMBOL_LINE.fullmatch(there.lines[body[0]].text.strip())
                                 or FURNITURE_PAGE_NUMBER.match(there.lines[body[0]].text)):
            body.pop(0)
        first = body[0] if body else None
        if last is None or first is None or here.lines[last].table_row or there.lines[first].table_row:
            continue
        tail, head = _bare(here.lines[last].text.rstrip()), _bare(there.lines[first].text.lstrip())
        if len(tail) < DEFAULT_MIN_CUT_LINE_CHARS or not SENTENCE_GOES_ON.search(tail) \
                or not CONTINUATION_START.match(head):
            continue
        end = spans[i][0] + here.line_starts[last] + len(here.lines[last].text.rstrip())
        start = spans[i + 1][0] + there.line_starts[first] + (len(there.lines[first].text)
                                                              - len(there.lines[first].text.lstrip()))
        edits.append((i, first, Edit(end, start, "\n", "page_join", "sentence_across_pages")))
    return edits


def _bare(line: str) -> str:
    """A line as its words read: emphasis and reference marks the layout wrote in removed."""
    return SUP_MARK.sub("", plain(line))


def footnote_edits(pages: list[PageText], spans: list[tuple[int, int]],
                   joins: list[tuple[int, int, Edit]]) -> list[Edit]:
    """A page's footnotes become paragraphs of their own, each opening with its number as
    '[n] ' (as .docx notes and text inputs' '<sup>n</sup>' do). Where a sentence runs on to
    the next page, the notes between its halves go after the paragraph it ends in (the join
    removes them from where they stood), so the sentence reads on across them."""
    joined = {i: (first, edit) for i, first, edit in joins}
    edits: list[Edit] = []
    pending = ""
    for i, page in enumerate(pages):
        if pending and i - 1 in joined:
            first, _ = joined[i - 1]
            end = _paragraph_end(page, first)
            at = spans[i][0] + page.line_starts[end] + len(page.lines[end].text)
            if not (i in joined and joined[i][1].start == at):  # else it ends on a later page
                edits.append(Edit(at, at, "\n\n" + pending, "footnote", "moved_after_paragraph"))
                pending = ""
        block = [k for k, ln in enumerate(page.lines) if ln.zone is Zone.FOOTNOTE]
        if not block:
            continue
        text = footnotes_text([page.lines[k] for k in block])
        if i in joined:
            pending = f"{pending}\n\n{text}" if pending else text
        else:
            start = spans[i][0] + page.line_starts[block[0]]
            edits.append(Edit(start, spans[i][0] + page.line_starts[block[-1]] + len(page.lines[block[-1]].text),
                              text, "footnote", "note_number"))
    return edits


def _paragraph_end(page: PageText, first: int) -> int:
    """The index of the last line of the body paragraph that line ``first`` opens or goes on."""
    k = first
    while k + 1 < len(page.lines) and page.lines[k + 1].zone is Zone.BODY \
            and not page.lines[k + 1].paragraph_break_before and not page.lines[k + 1].table_row:
        k += 1
    return k


def footnotes_text(lines) -> str:
    """Footnote lines as paragraphs: a note opens with '[n] ', its other lines follow it."""
    parts = []
    for line in lines:
        opening = note_opening(line.text) if line.paragraph_break_before else None
        if opening is None:
            parts.append(("\n" if parts else "") + line.text)
            continue
        number, rest = opening
        parts.append(("\n\n" if parts else "") + f"[{number}] {rest}")
    return "".join(parts)


TABLE_BLOCK = re.compile(r"(?:^[^\n]*\t[^\n]*(?:\n|$))+", re.M)
DEFAULT_MAX_BETWEEN_TABLE_PARTS = 160  # a footnote or page number between the parts of a table


def table_across_pages_edits(text: str, max_between: int = DEFAULT_MAX_BETWEEN_TABLE_PARTS) -> list[Edit]:
    """A ruled table that runs over a page break comes out as two blocks of tab rows: the
    second starts with the header row again, and a row cut by the break goes on in a row
    whose first cell is empty. The two blocks become one (the repeated header dropped, the
    cut row joined cell by cell); what stood between them (a footnote, a page number)
    moves after the table."""
    blocks = list(TABLE_BLOCK.finditer(text))
    edits: list[Edit] = []
    for first, second in zip(blocks, blocks[1:]):
        rows, next_rows = first.group(0).rstrip("\n").split("\n"), second.group(0).rstrip("\n").split("\n")
        between = text[first.end():second.start()]
        if rows[0] != next_rows[0] or len(between.strip()) > max_between or len(next_rows) < 2:
            continue
        last_start = first.end() - len(rows[-1]) - (1 if first.group(0).endswith("\n") else 0)
        cont = next_rows[1].split("\t")
        if cont[0].strip() == "":
            prev = rows[-1].split("\t")
            merged = "\t".join(" ".join(p for p in (a.strip(), b.strip()) if p)
                                for a, b in zip(prev + [""] * (len(cont) - len(prev)), cont + [""] * (len(prev) - len(cont))))
            cut_end = second.start() + len(next_rows[0]) + 1 + len(next_rows[1])
            edits.append(Edit(last_start, cut_end, merged, "table", "row_across_pages"))
        else:
            cut_end = second.start() + len(next_rows[0])
            edits.append(Edit(first.end() - 1, cut_end, "", "table", "repeated_header"))
        if between.strip():
            end = second.end() - (1 if second.group(0).endswith("\n") else 0)
            edits.append(Edit(end, end, "\n\n" + between.strip(), "table", "moved_after_table"))
    return edits


def _first_clean_at_or_after(origin, source_offset: int) -> int:
    import numpy as np

    return int(np.searchsorted(origin, source_offset, side="left"))
