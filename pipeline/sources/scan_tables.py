"""Ruled tables on page images: ruling lines found in the pixels, OCR words put in the cells.

The text-layer path reads a table's ruling lines from the PDF (pdfplumber's table finder);
a scan has only pixels. Here a rule is a long thin line of ink: ink measured against the
page's own paper and darkest ink (a scanner's hairline is mid-grey), nearly unbroken along
the line (noise and JPEG leave holes, letters leave gaps) and thin across it (a letter's
stem is not). A table is a set of horizontal and vertical lines that cross, its rows
are the bands between horizontal lines and its cells the boxes between the vertical lines
that cross each band. The page's OCR words are then placed in the cells by their centres,
so a three-column table comes out as tab-separated rows, as from a text layer, instead of
its columns interleaved line by line.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.records import Line, Word

DEFAULT_RULE_DPI = 200            # the pixel sizes below are for a page at this resolution
DEFAULT_INK_SHARE = 0.35           # ink is darker than the paper by this share of the page's contrast...
DEFAULT_MIN_INK_CONTRAST = 40      # ...and by at least this many grey levels (a page with no dark ink)
DEFAULT_DARKEST_PERCENTILE = 0.5   # the page's darkest ink: this percentile of its pixels
DEFAULT_RULE_SMOOTH_PX = 5         # grey averaged over this many pixels along a rule before it is judged ink
DEFAULT_RULE_WINDOW_PX = 41        # a rule's pixels: ink on nearly all of this many pixels along it...
DEFAULT_RULE_COVERAGE = 0.85       # ...this share (noise and JPEG leave holes; letters leave gaps)
DEFAULT_MAX_RULE_THICKNESS_PX = 9  # a dark band this thick is letters run together, not a rule
DEFAULT_MIN_RULE_SHARE = 0.05      # a horizontal rule is at least this share of the page width
DEFAULT_MIN_VERTICAL_SHARE = 0.03  # a vertical rule at least this share of the page height
DEFAULT_JOIN_PX = 3                # pixel rows (columns) of one rule's thickness, and slack at crossings
DEFAULT_MIN_ROW_PX = 8             # a band between two rules narrower than this is a double rule
DEFAULT_MAX_PAGE_SHARE = 0.95      # a "table" as wide and tall as the page is its border
DEFAULT_MAX_JUNCTION_CHARS = 2  # a word this short lying across a column rule is the rule, read as letters
RULE_AS_TEXT = re.compile(r"[|¦!\[\]{}()_—–\-=~:;.,'\"`]{1,3}")


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: ``at`` is its y (horizontal) or x (vertical), it runs from ``start`` to ``end``."""

    at: float
    start: float
    end: float


@dataclass(frozen=True, slots=True)
class Grid:
    """A ruled table: its box, the y of its row rules, and per row band the x of the
    vertical rules that cross it."""

    box: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: tuple[float, ...]
    columns: tuple[tuple[float, ...], ...]  # one tuple of xs per band between rows


def image_to_rules(image, dpi: float = DEFAULT_RULE_DPI) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical ruling lines of a (deskewed) page image."""
    import numpy as np

    grey = np.asarray(image.convert("L"))
    height, width = grey.shape
    level = ink_level(grey)
    scale = dpi / DEFAULT_RULE_DPI
    sizes = (_odd(DEFAULT_RULE_SMOOTH_PX * scale), _odd(DEFAULT_RULE_WINDOW_PX * scale),
             _odd(DEFAULT_MAX_RULE_THICKNESS_PX * scale))
    horizontal = _runs_to_rules(_long_runs(_line_pixels(grey, level, *sizes), DEFAULT_MIN_RULE_SHARE * width))
    # vertical rules are the horizontal ones of the turned page (row-wise filters run fastest)
    vertical = _runs_to_rules(_long_runs(_line_pixels(np.ascontiguousarray(grey.T), level, *sizes),
                                         DEFAULT_MIN_VERTICAL_SHARE * height))
    return horizontal, vertical


def ink_level(grey) -> float:
    """The grey level under which a pixel is ink: set between the page's paper (its median)
    and its darkest ink. A fixed level loses a scanner's rules: a hairline blurred by the
    optics and JPEG is mid-grey (about 135 on an office scan where the text layer's render
    has 60). Measured on every third pixel both ways (the same level, a ninth of the work)."""
    import numpy as np

    sample = grey[::3, ::3]
    paper, darkest = float(np.median(sample)), float(np.percentile(sample, DEFAULT_DARKEST_PERCENTILE))
    return paper - max(DEFAULT_MIN_INK_CONTRAST, DEFAULT_INK_SHARE * (paper - darkest))


def _line_pixels(grey, level: float, smooth: int, window: int, thickness: int):
    """The pixels of long thin horizontal lines. The grey is averaged over ``smooth`` pixels
    along the row before it is judged ink (sensor noise averages out along a rule; the rule
    does not). Only thin ink counts (ink running down for fewer than ``thickness`` pixels: a
    letter's stem, a picture or a black bar do not), and a line's pixel has thin ink on
    nearly all of the ``window`` pixels along it: a rule does, with the odd hole of noise or
    JPEG; a row through letters run together by blur does not."""
    import numpy as np
    from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d

    ink = ((uniform_filter1d(grey, smooth, axis=1, output=np.float32) if smooth > 1 else grey) < level).view(np.uint8)
    thick = maximum_filter1d(minimum_filter1d(ink, thickness, axis=0), thickness, axis=0)
    thin = ink & (thick == 0)
    covered = uniform_filter1d(thin, window, axis=1, output=np.float32) >= DEFAULT_RULE_COVERAGE
    # a rule's last pixels have paper on one side of their window: its ends are given back
    return maximum_filter1d(covered.view(np.uint8), window, axis=1) > 0


def _odd(pixels: float) -> int:
    """A filter size: odd, so the filter is centred on its pixel, and at least 1."""
    return max(1, int(pixels) // 2 * 2 + 1)


def _long_runs(ink, min_length: float) -> list[tuple[int, int, int]]:
    """(row, start, end) of every run of ink at least ``min_length`` long, row by row."""
    import numpy as np

    padded = np.zeros((ink.shape[0], ink.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = ink
    step = np.diff(padded, axis=1)
    starts, ends = np.argwhere(step == 1), np.argwhere(step == -1)  # row-major: they pair up
    keep = (ends[:, 1] - starts[:, 1]) >= min_length
    return [(int(r), int(s), int(e)) for (r, s), (_, e) in zip(starts[keep], ends[keep])]


def _runs_to_rules(runs: list[tuple[int, int, int]]) -> list[Rule]:
    """Runs on neighbouring pixel rows that overlap are one rule (its thickness, or a
    slightly skewed line)."""
    open_rules: list[list[float]] = []  # [first row, last row, start, end]
    done: list[list[float]] = []
    for row, start, end in runs:
        for rule in open_rules:
            if row - rule[1] <= DEFAULT_JOIN_PX and start <= rule[3] and rule[2] <= end:
                rule[1], rule[2], rule[3] = row, min(rule[2], start), max(rule[3], end)
                break
        else:
            open_rules.append([row, row, start, end])
        done += [r for r in open_rules if row - r[1] > DEFAULT_JOIN_PX]
        open_rules = [r for r in open_rules if row - r[1] <= DEFAULT_JOIN_PX]
    return [Rule((r[0] + r[1]) / 2, r[2], r[3]) for r in done + open_rules]


def rules_to_grids(horizontal: list[Rule], vertical: list[Rule], width: float, height: float) -> list[Grid]:
    """Tables: groups of horizontal and vertical rules joined by crossings, with at least
    three horizontal and two vertical rules (a box around a paragraph is no table)."""
    slack = DEFAULT_JOIN_PX
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    crossings = [(i, j) for i, h in enumerate(horizontal) for j, v in enumerate(vertical)
                 if v.start - slack <= h.at <= v.end + slack and h.start - slack <= v.at <= h.end + slack]
    # a table's rule runs from one rule across it to another: a line crossing a single rule
    # is a row of letters that touches one (serifs on a baseline read as a line on a scan)
    h_crossed, v_crossed = Counter(i for i, _ in crossings), Counter(j for _, j in crossings)
    for i, j in crossings:
        if h_crossed[i] >= 2 and v_crossed[j] >= 2:
            parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, h in enumerate(horizontal):
        if h_crossed[i] >= 2:
            groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vertical):
        if v_crossed[j] >= 2:
            groups.setdefault(find(len(horizontal) + j), ([], []))[1].append(v)
    grids = []
    for hs, vs in groups.values():
        if len(hs) < 3 or len(vs) < 2:
            continue
        box = (min(v.at for v in vs), min(h.at for h in hs), max(v.at for v in vs), max(h.at for h in hs))
        if box[2] - box[0] >= DEFAULT_MAX_PAGE_SHARE * width and box[3] - box[1] >= DEFAULT_MAX_PAGE_SHARE * height:
            continue  # the page's border, not a table
        rows = _distinct(sorted(h.at for h in hs), DEFAULT_MIN_ROW_PX)
        columns = tuple(
            tuple(_distinct(sorted(v.at for v in vs if v.start - slack <= (a + b) / 2 <= v.end + slack),
                            DEFAULT_MIN_ROW_PX))
            for a, b in zip(rows, rows[1:]))
        grids.append(Grid(box, tuple(rows), columns))
    return sorted(grids, key=lambda g: g.box[1])


def _distinct(values: list[float], gap: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] >= gap:
            out.append(v)
    return out


def words_into_grids(words: list[Word], grids: list[Grid]) -> tuple[list[Word], list[Line]]:
    """(the words outside every table, the tables' rows as Lines with their cells joined by
    tabs). A row's cells are laid on the table's columns (all its vertical rules), so a
    merged cell's text is in its first column and the columns it covers are empty, as the
    text-layer path gives them. A table whose rows each fill one cell is a framed
    paragraph: its words stay in the text."""
    rest = list(words)
    rows_out: list[Line] = []
    for grid in grids:
        x0, top, x1, bottom = grid.box
        inside = [w for w in rest if x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom]
        if not inside:
            continue
        edges = _distinct(sorted({x for cols in grid.columns for x in cols}), DEFAULT_MIN_ROW_PX)
        # a rule OCR read as a character ('|', '—'), or a junction of rules read as a letter
        # (an office scan's 'T' where a column rule meets the top rule, which then kept the
        # repeated header of the next page from matching the first page's)
        words_of_cells = [w for w in inside if not RULE_AS_TEXT.fullmatch(w.text) and not (
            len(w.text) <= DEFAULT_MAX_JUNCTION_CHARS and any(w.x0 - 1 <= x <= w.x1 + 1 for x in edges))]
        lines: list[Line] = []
        for (a, b), cols in zip(zip(grid.rows, grid.rows[1:]), grid.columns):
            band = [w for w in words_of_cells if a <= (w.top + w.bottom) / 2 < b]
            if not band or len(cols) < 2:
                continue
            cells = [""] * (len(edges) - 1)
            for left, right in zip(cols, cols[1:]):
                column = min(range(len(edges) - 1), key=lambda k: abs(edges[k] - left))
                cells[column] = _cell_text([w for w in band if left <= (w.x0 + w.x1) / 2 < right])
            if any(cells):
                lines.append(Line("\t".join(cells), x0, x1, a, b, table_row=True))
        if sum(sum(1 for c in ln.text.split("\t") if c) >= 2 for ln in lines) < 2:
            continue  # a framed paragraph, not a table
        taken = {id(w) for w in inside}
        rest = [w for w in rest if id(w) not in taken]
        rows_out += lines
    return rest, rows_out


CELL_LINE_HYPHEN = re.compile(r"(\w)-\n(?=[a-záéíóúñ])")


def cell_lines_to_text(text: str) -> str:
    """A table cell's lines as one line: a word hyphenated at a line end joined, the rest
    by spaces (cells of text layers and of scans alike)."""
    return " ".join(CELL_LINE_HYPHEN.sub(r"\1", text).split())


def _cell_text(words: list[Word]) -> str:
    """A cell's words in reading order, its lines joined."""
    return cell_lines_to_text("\n".join(text for _, text in words_to_cell_lines(words)))


def words_to_cell_lines(words: list[Word]) -> list[tuple[float, str]]:
    """A table cell's words as its lines, top to bottom: (the line's top, its words left to
    right). Scans and text layers alike."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - w.top) < 0.5 * max(w.bottom - w.top, 1.0):
            lines[-1].append(w)
        else:
            lines.append([w])
    return [(line[0].top, " ".join(w.text for w in sorted(line, key=lambda w: w.x0))) for line in lines]
