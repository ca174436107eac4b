"""Page geometry → text in reading order.

Shared by text-layer pages (words from pdfplumber) and OCR pages (words from
tesseract), so both get the same column handling and margin zones.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace
from itertools import groupby

from pipeline.records import Line, PageText, Word, Zone, PageMethod


@dataclass(frozen=True, slots=True)
class LayoutSettings:
    line_tolerance: float = 0.4     # words whose tops differ by < this × word height share a line
    gap_factor: float = 1.6         # a horizontal gap > this × line height splits a line into segments
    ocr_split_word_gaps: float = 2.5  # ... on an OCR page, only if also > this × the line's median word gap
    gutter_search: tuple[float, float] = (0.3, 0.7)  # where a column gutter may lie (share of width)
    min_column_lines: int = 4       # lines needed on each side of a gutter
    max_spanning_share: float = 0.35  # lines allowed to cross the gutter (titles, full-width text)
    margin_share: float = 0.07      # top/bottom bands where running headers and footers live
    paragraph_gap: float = 1.5      # vertical gap > this × typical line pitch starts a paragraph
    running_leading: float = 0.6    # a margin line this × its height or less above/below body text runs on into it
    max_gutter_crossing: float = 0.08  # a column gutter: at most this share of baselines have a word across it …
    min_gutter_sides: float = 0.5      # … and at least this share have words on both sides of it
    gutter_gap: float = 0.8  # a line splits at a gutter where its words are this × line height apart (a space: ~0.3)
    # footnotes: lines at the foot of the body set at most this share of the body's font size
    # (under a separator rule), or at most ``footnote_size_alone`` where no rule is drawn (scans)
    footnote_size: float = 0.9
    footnote_size_alone: float = 0.85
    footnote_max_share: float = 0.6  # footnotes never take more than this share of the body lines


DEFAULT_SAME_SIZE = 0.8  # two lines whose heights differ by less than this ratio are set in one size


def words_to_lines(words: list[Word], settings: LayoutSettings) -> list[Line]:
    """Group words into line segments: same baseline, no wide horizontal gap."""
    if not words:
        return []
    gutters: list[float] = []
    ocr = all(w.line_key is not None for w in words)
    if ocr:  # OCR: tesseract's lines keep to their column
        groups = [list(g) for _, g in groupby(words, key=lambda w: w.line_key)]
    else:
        groups = _group_by_baseline(sorted(words, key=lambda w: (w.top, w.x0)), settings)
        gutters = word_gutters(groups, settings)
    lines: list[Line] = []
    for group in groups:
        group.sort(key=lambda w: w.x0)
        height = statistics.median(w.bottom - w.top for w in group) or 1.0
        # an OCR line is split only where its gap is also far wider than its own word gaps:
        # justified lines space words widely and a sentence's end wider again ("2007.  The
        # event": 52 px against 27), and the split-off half sorted into another column
        gaps = sorted(b.x0 - a.x1 for a, b in zip(group, group[1:]))
        word_gap = gaps[len(gaps) // 2] if ocr and len(gaps) >= 3 else 0.0
        segment = [group[0]]
        for word in group[1:]:
            gap = word.x0 - segment[-1].x1
            # a bullet's indent is no gap between columns: the mark stays with its item
            keep = is_list_mark(segment) or gap <= settings.ocr_split_word_gaps * word_gap
            if not keep and (gap > settings.gap_factor * height or gap > settings.gutter_gap * height and any(
                    segment[-1].x1 <= g <= word.x0 for g in gutters)):
                lines.append(_line_of(segment))
                segment = []
            segment.append(word)
        lines.append(_line_of(segment))
    return lines


def word_gutters(groups: list[list[Word]], settings: LayoutSettings) -> list[float]:
    """The x of the gutters between text columns, from the words of each baseline: a strip
    that few baselines have a word across and most have words on both sides of. Column
    gutters of tight multi-column pages (three columns of a journal or register) are
    narrower than the gap that splits a line into segments, so the baselines of two
    columns would otherwise read as one line; in one column of justified text, words
    cover any x on most lines."""
    import numpy as np

    groups = [g for g in groups if len(g) >= 2]
    if len(groups) < 2 * settings.min_column_lines:
        return []
    left = min(w.x0 for g in groups for w in g)
    right = max(w.x1 for g in groups for w in g)
    xs = np.arange(int(left) + 1, int(right))
    if len(xs) < 10:
        return []
    crossing = np.zeros(len(xs))
    both = np.zeros(len(xs))
    for group in groups:
        x0 = np.array([w.x0 for w in group])[:, None]
        x1 = np.array([w.x1 for w in group])[:, None]
        crossing += ((x0 < xs) & (xs < x1)).any(axis=0)
        both += (x1 <= xs).any(axis=0) & (x0 >= xs).any(axis=0)
    n = len(groups)
    candidate = (crossing <= settings.max_gutter_crossing * n) & (both >= settings.min_gutter_sides * n)
    gutters: list[float] = []
    start = None
    for i, flag in enumerate([*candidate, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            gutters.append(float(xs[(start + i - 1) // 2]))
            start = None
    span = right - left
    return [g for g in gutters if left + 0.1 * span < g < right - 0.1 * span]


def is_list_mark(segment: list[Word]) -> bool:
    """A segment that is only a bullet: one mark of one or two characters, no letter or
    digit. OCR reads a bullet as '+', '*' or '°' on a box smaller and lower than its line's
    words; split off, it sorted after its line's text and broke the item in two."""
    return len(segment) == 1 and len(segment[0].text) <= 2 and not any(ch.isalnum() for ch in segment[0].text)


def _group_by_baseline(words: list[Word], settings: LayoutSettings) -> list[list[Word]]:
    groups: list[list[Word]] = []
    for word in words:
        height = max(word.bottom - word.top, 1.0)
        for group in reversed(groups[-6:]):
            anchor = group[0]
            if abs(anchor.top - word.top) < settings.line_tolerance * height:
                group.append(word)
                break
        else:
            groups.append([word])
    return groups


def _line_of(words: list[Word]) -> Line:
    return Line(
        text=_emphasised(words),
        x0=min(w.x0 for w in words),
        x1=max(w.x1 for w in words),
        top=min(w.top for w in words),
        bottom=max(w.bottom for w in words),
    )


def _emphasised(words: list[Word]) -> str:
    """The words joined by spaces, each run of italic words as Markdown emphasis
    ('*Conferencia sobre la CEI*'), the way text inputs carry it (the markup step removes the
    asterisks, logged, so titles in italics are known)."""
    parts: list[str] = []
    for italic, run in groupby(words, key=lambda w: w.italic):
        text = " ".join(w.text for w in run)
        parts.append(f"*{text}*" if italic and any(ch.isalnum() for ch in text) else text)
    return " ".join(parts)


def plain(text: str) -> str:
    """A line's text without the emphasis asterisks ``_emphasised`` put in (the markup
    step's own pattern)."""
    from pipeline.sources.decode import MD_ITALIC

    return MD_ITALIC.sub(r"\1", text) if "*" in text else text


def find_gutter(lines: list[Line], width: float, settings: LayoutSettings, offset: float = 0.0) -> float | None:
    """The x of a column gutter, or None for a single-column page (or region of
    ``width`` starting at ``offset``).

    A gutter is a vertical strip in the middle of the page that most lines do
    not cross, with enough lines wholly on each side of it.
    """
    if len(lines) < 2 * settings.min_column_lines:
        return None
    lo, hi = (int(offset + width * s) for s in settings.gutter_search)
    if hi < lo:
        return None
    # per candidate x in lo..hi: lines crossing it, lines wholly left and wholly right of it
    # (counted for all x at once: this search was a tenth of a text page's time)
    import numpy as np

    xs = np.arange(lo, hi + 1)
    x0 = np.array([ln.x0 for ln in lines], dtype=float)[:, None]
    x1 = np.array([ln.x1 for ln in lines], dtype=float)[:, None]
    crossings = ((x0 < xs) & (xs < x1)).sum(axis=0).tolist()
    lefts = (x1 <= xs).sum(axis=0).tolist()
    rights = (x0 >= xs).sum(axis=0).tolist()
    best: tuple[int, float] | None = None
    for x, crossing, left, right in zip(range(lo, hi + 1), crossings, lefts, rights):
        if left < settings.min_column_lines or right < settings.min_column_lines:
            continue
        if crossing > settings.max_spanning_share * len(lines):
            continue
        score = (crossing, -min(left, right))
        if best is None or score < best[0]:
            best = (score, x)
    if best is None:
        return None
    # centre the gutter in the empty strip around the best x
    x = best[1]
    crossing_at = lambda g: crossings[g - lo]  # noqa: E731
    base = crossing_at(x)
    left_edge, right_edge = x, x
    while left_edge - 1 >= lo and crossing_at(left_edge - 1) == base:
        left_edge -= 1
    while right_edge + 1 <= hi and crossing_at(right_edge + 1) == base:
        right_edge += 1
    return (left_edge + right_edge) / 2


def reading_order(lines: list[Line], width: float, settings: LayoutSettings) -> list[Line]:
    """Body lines in reading order: full-width lines cut the page into bands; in each band
    the columns are read left to right (one to three columns: a column holding a gutter of
    its own is split again)."""
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    gutters = find_gutters(lines, 0.0, width, settings)
    if not gutters:
        return lines
    ordered: list[Line] = []
    columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
    for line in lines:
        if any(line.x0 < g < line.x1 for g in gutters):
            ordered += [ln for column in columns for ln in column] + [line]
            columns = [[] for _ in range(len(gutters) + 1)]
        else:
            columns[sum(g <= line.x0 for g in gutters)].append(line)
    return ordered + [ln for column in columns for ln in column]


def find_gutters(lines: list[Line], x0: float, x1: float, settings: LayoutSettings, whole: bool = True) -> list[float]:
    """The gutters of the page (or of the region from x0 to x1, its lines wholly inside):
    its gutter, then those of each side."""
    region = lines if whole else [ln for ln in lines if x0 <= ln.x0 and ln.x1 <= x1]
    gutter = find_gutter(region, x1 - x0, settings, x0)
    if gutter is None:
        return []
    return [*find_gutters(region, x0, gutter, settings, False), gutter, *find_gutters(region, gutter, x1, settings, False)]


def mark_paragraph_breaks(lines: list[Line], settings: LayoutSettings) -> list[Line]:
    """Flag lines that start a paragraph: a vertical gap clearly wider than the line pitch.
    A jump back up the page (the top of the next column) is not one by itself: text runs on
    across columns, and repair's reflow decides from the sentence."""
    if len(lines) < 2:
        return lines
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top]
    pitch = statistics.median(pitches) if pitches else 0.0
    marked = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        gap = line.top - prev.top
        # a ruled table stands apart from the text around it, and its rows stay together
        new_paragraph = prev.table_row != line.table_row or (
            not line.table_row and pitch > 0 and gap > settings.paragraph_gap * pitch)
        marked.append(replace(line, paragraph_break_before=new_paragraph))
    return marked


def assign_zones(lines: list[Line], height: float, settings: LayoutSettings) -> list[Line]:
    """Lines in the top and bottom bands are the header and footer zones, unless they run
    on into the body: a paragraph that starts high on the page is body text (on a public
    PDF with one paragraph on every page, its first three lines were taken as a running
    head repeated on eight pages and left the text)."""
    band = settings.margin_share * height
    header = [ln for ln in lines if ln.bottom <= band]
    footer = [ln for ln in lines if ln.top >= height - band and ln.bottom > band]
    body = [ln for ln in lines if ln.bottom > band and ln.top < height - band]
    header_body = _running_into(sorted(header, key=lambda ln: -ln.top), body, settings, below=True)
    footer_body = _running_into(sorted(footer, key=lambda ln: ln.top), body, settings, below=False)
    zoned = []
    for line in lines:
        # running heads and footers are matched across pages as plain text
        if line.bottom <= band and id(line) not in header_body:
            zoned.append(replace(line, zone=Zone.HEADER, text=plain(line.text)))
        elif line.top >= height - band and line.bottom > band and id(line) not in footer_body:
            zoned.append(replace(line, zone=Zone.FOOTER, text=plain(line.text)))
        else:
            zoned.append(line)
    return zoned


def _running_into(margin: list[Line], body: list[Line], settings: LayoutSettings, below: bool) -> set[int]:
    """ids of the margin lines that chain into the body at ordinary leading: each one close
    to a line already in the chain (the body's nearest lines first), of similar size and
    overlapping it across. ``margin``: nearest to the body first; ``below``: the body lies
    below the margin (the header band)."""
    chain = sorted(body, key=lambda ln: ln.top if below else -ln.bottom)[:4]
    attached: set[int] = set()
    for line in margin:
        size = line.bottom - line.top
        for other in chain:
            other_size = other.bottom - other.top
            gap = other.top - line.bottom if below else line.top - other.bottom
            if (-0.5 * size < gap <= settings.running_leading * max(size, other_size)
                    and min(size, other_size) >= DEFAULT_SAME_SIZE * max(size, other_size)
                    and min(line.x1, other.x1) > max(line.x0, other.x0)):
                attached.add(id(line))
                chain.append(line)
                break
    return attached


NOTE_OPENING = re.compile(r"^(?:<sup>)?(\d{1,3}|[*†‡])(?:</sup>)?(?:\s+|(?=[^\W\d_]))(?=\S)")


def note_opening(text: str) -> tuple[str, str] | None:
    """(the reference a footnote line opens with, the note's text after it): '1 La
    Constitución…', '<sup>2</sup>Tras…', '* See…'; None for other lines, a page number
    ('3 de 13') among them."""
    m = NOTE_OPENING.match(text)
    if m is None or sum(ch.isalpha() for ch in text[m.end():]) < 4:
        return None
    return m.group(1), text[m.end():]


def note_number(text: str) -> str | None:
    """The reference a footnote line opens with, or None (see ``note_opening``)."""
    opening = note_opening(text)
    return opening[0] if opening else None


def mark_footnotes(lines: list[Line], separators: list[float], settings: LayoutSettings) -> list[Line]:
    """Lines at the foot of the page that are footnotes get ``Zone.FOOTNOTE``: a run of
    lines to the bottom set in a smaller font than the body, from a line that opens with a
    reference number (under a short separator rule when the page draws one, or smaller
    still where none is drawn); a line opening with the next number starts the next note.
    Notes reach into the footer band; a footer line is a note's only when it opens the
    next one or goes on from the line above it.

    Counterexamples: a small-print caption or source line under a table opens with no
    number; a numbered paragraph at the foot of the page is set in the body's size; a
    running footer set apart below the notes stays footer. The body's size is the line
    height half its characters are set in or above (a text layer's line height is its font
    size)."""
    foot = sorted((ln for ln in lines if ln.zone in (Zone.BODY, Zone.FOOTER) and not ln.table_row),
                  key=lambda ln: (ln.top, ln.x0))
    body = [ln for ln in foot if ln.zone is Zone.BODY]
    if not body:
        return lines
    main = _weighted_median([(ln.bottom - ln.top, len(ln.text)) for ln in body])
    run = len(foot)
    while run > 0 and foot[run - 1].bottom - foot[run - 1].top <= settings.footnote_size * main:
        run -= 1
    start = next((i for i in range(run, len(foot)) if note_number(foot[i].text) is not None), None)
    if start is None or len(foot) - start > settings.footnote_max_share * len(lines):
        return lines
    above = [ln for ln in lines if ln.zone is Zone.BODY and ln.bottom <= foot[start].top]
    if not above:  # notes need text or a table above them
        return lines
    ruled = any(max(ln.bottom for ln in above) - 1 <= top <= foot[start].top + 1 for top in separators)
    if not ruled and max(ln.bottom - ln.top for ln in foot[start:]) > settings.footnote_size_alone * main:
        return lines
    notes: dict[int, Line] = {}
    expected, previous = None, None
    for line in foot[start:]:
        number = note_number(line.text)
        opens = expected is None or number is not None and (not number.isdigit() or int(number) == expected)
        goes_on = previous is not None and line.top - previous.bottom < 0.8 * (line.bottom - line.top)
        if line.zone is Zone.FOOTER and not opens and not goes_on:
            break
        if opens and number is not None and number.isdigit():
            expected = int(number) + 1
        notes[id(line)] = replace(line, zone=Zone.FOOTNOTE, paragraph_break_before=opens)
        previous = line
    return [notes.get(id(ln), ln) for ln in lines]


def _weighted_median(pairs: list[tuple[float, int]]) -> float:
    """The value at or above which half the total weight lies."""
    pairs = sorted(pairs)
    half, seen = sum(w for _, w in pairs) / 2, 0
    for value, weight in pairs:
        seen += weight
        if seen >= half:
            return value
    return pairs[-1][0]


def words_to_page(
    words: list[Word],
    page: int,
    method: PageMethod,
    width: float,
    height: float,
    settings: LayoutSettings,
    ocr_confidence: float | None = None,
    table_rows: list[Line] = (),
    separators: list[float] = (),
) -> PageText:
    """Words of one page → PageText: header lines, body in reading order, footnotes, footer
    lines. ``table_rows``: rows of ruled tables found on the page (their words are not in
    ``words``), placed in the body by their position; they span the page, so the column
    logic reads them as band breaks. ``separators``: tops of short horizontal rules (a
    footnote separator)."""
    lines = assign_zones(words_to_lines(words, settings) + list(table_rows), height, settings)
    lines = mark_footnotes(lines, list(separators), settings)
    header = sorted((ln for ln in lines if ln.zone is Zone.HEADER), key=lambda ln: (ln.top, ln.x0))
    footer = sorted((ln for ln in lines if ln.zone is Zone.FOOTER), key=lambda ln: (ln.top, ln.x0))
    notes = [ln for ln in lines if ln.zone is Zone.FOOTNOTE]
    body = mark_paragraph_breaks(
        reading_order([ln for ln in lines if ln.zone is Zone.BODY], width, settings), settings
    )
    return lines_to_page(header + body + notes + footer, page, method, width, height, ocr_confidence)


def lines_to_page(
    lines: list[Line],
    page: int,
    method: PageMethod,
    width: float = 0.0,
    height: float = 0.0,
    ocr_confidence: float | None = None,
) -> PageText:
    parts: list[str] = []
    starts: list[int] = []
    cursor = 0
    for i, line in enumerate(lines):
        if i:
            sep = "\n\n" if line.paragraph_break_before or line.zone is not lines[i - 1].zone else "\n"
            parts.append(sep)
            cursor += len(sep)
        starts.append(cursor)
        parts.append(line.text)
        cursor += len(line.text)
    return PageText(page, method, "".join(parts), tuple(lines), tuple(starts), ocr_confidence, width, height)
