"""Review pages: one self-contained HTML page per document for checking the extraction by eye.

A researcher (or a reviewer of a rule change) needs to see *where* every extracted row
came from, what repair changed, and where pages break — without a server, JavaScript or
network. Each page shows the clean text with the extracted spans highlighted (nested
where they overlap), the repair edits marked with the original text on hover, page
boundaries, and the rows of each extraction table for the document.

Called by the runner after every run (pipeline/output/corpus_outputs.py), so it must stay fast: it
reads the tables once and renders with plain string building.
"""
from __future__ import annotations

import html
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.output.decisions import ROW_TABLES, decision_lines
from pipeline.output.storage import document_tables, read_tables, write_atomic
from pipeline.output.tables import TABLES, span_bounds
from pipeline.textedit import origin_from_runs

REVIEW_DIR = "review"

Rows = list[dict]

# extraction table → (css class of its highlights, legend label)
HIGHLIGHTS: dict[str, tuple[str, str]] = {
    "process_mentions": ("proc", "process"),
    "dates": ("date", "date"),
    "events": ("event", "event"),
    "memberships": ("member", "member"),
    # rows the model scored under the confidence threshold: to check, not counted
    "event_candidates": ("cand-event", "event to check"),
    "membership_candidates": ("cand-member", "member to check"),
}
# Layering when two spans cover exactly the same text: the first listed is outermost.
RANK = {"events": 0, "event_candidates": 0, "memberships": 1, "membership_candidates": 1, "process_mentions": 2,
        "dates": 3, "edit": 4}
# the table a row's decision names: a candidate's is the table it would join
DECIDED_AS = {name: decided.name for name, decided in ROW_TABLES.items()}
# Edits that change words are marked; the very numerous layout edits are hidden unless asked for.
MARKED_STEPS = ("unicode", "ocr_confusion", "dehyphen", "bullet")
# Long free-text columns wrap in the row tables; the others stay on one line.
WRAPPED = {"text", "title", "evidence", "member_name"}
# Characters HTML forbids in text (C0 controls but tab and newline, CR, DEL): shown as U+FFFD.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

CSS = """
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;background:#fafafa}
header{padding:10px 18px;background:#fff;border-bottom:1px solid #ddd;position:sticky;top:0;z-index:2}
h1{font-size:18px;margin:0 0 6px}
h2{font-size:15px;margin:18px 0 6px}
a{color:#1a56a8}
.legend .key{display:inline-block;margin-right:12px;padding:0 6px;border-radius:3px}
.layout-toggle{margin-left:12px;font-size:13px;color:#555}
nav.jump{font-size:13px;margin:2px 0}
.quality-low{margin:4px 0;padding:2px 6px;background:#fff3cd;border:1px solid #e0c36c;border-radius:3px;font-size:13px}
#layout,input.hide{display:none}
label.key{cursor:pointer;user-select:none}
.layout-toggle::before{content:"\\2610  "}
#layout:checked ~ header .layout-toggle::before{content:"\\2611  "}
main{display:grid;grid-template-columns:minmax(0,11fr) minmax(0,9fr);gap:18px;padding:12px 18px}
.rows{position:sticky;top:70px;max-height:calc(100vh - 90px);overflow:auto;font-size:12px}
@media (max-width:900px){main{grid-template-columns:1fr}.rows{position:static;max-height:none}}
.cleantext{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"DejaVu Serif",serif;line-height:2.1;
 background:#fff;border:1px solid #ddd;padding:14px 18px}
table{border-collapse:collapse;width:100%;margin-bottom:10px;background:#fff}
th,td{border:1px solid #ddd;padding:2px 4px;vertical-align:top;text-align:left}
th{background:#f0f0f0}
td{white-space:nowrap}
tr.unplaced{background:#fde2e2}
table.index td{white-space:normal}
td.wrap{white-space:normal;min-width:12em;max-width:24em}
details.more summary{cursor:pointer;list-style:none;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:24em}
details.more[open] summary{display:none}
details.more[open]{white-space:normal;min-width:20em}
tr:target{outline:2px solid #e8a200}
mark{color:inherit;border-radius:2px}
mark.proc{background:#cfe3ff;border-bottom:2px solid #3a78d6}
mark.date{background:#ffe7a8;border-bottom:2px solid #d69a00}
mark.member{background:#f7d2ec;border-bottom:2px solid #b8418f}
mark.event{background:#d8f3dc;border-bottom:3px solid #2f8f4e;padding-bottom:4px}
mark.cand-member{background:#fdf1f9;border-bottom:2px dashed #b8418f}
mark.cand-event{background:#f1fbf3;border-bottom:2px dashed #2f8f4e;padding-bottom:4px}
.key.proc{background:#cfe3ff}.key.date{background:#ffe7a8}.key.member{background:#f7d2ec}.key.event{background:#d8f3dc}
.key.cand-member{border-bottom:2px dashed #b8418f}.key.cand-event{border-bottom:2px dashed #2f8f4e}
td.decide details{max-width:34em}
td.decide summary{cursor:pointer;color:#1a56a8}
td.decide code{display:block;white-space:pre;font-size:11px;background:#f4f4f4;margin:2px 0;padding:1px 3px;user-select:all}
tr.rejected td{text-decoration:line-through;color:#888}
tr.rejected td.decide{text-decoration:none}
h2.to-check{border-top:2px dashed #bbb;padding-top:8px}
.key.edit{text-decoration:underline wavy #d33}
mark:target{outline:2px solid #e8a200}
[id]{scroll-margin-top:140px} /* a link lands its target below the sticky header (100-125 px) */
span.edit{text-decoration:underline wavy #d33;text-decoration-skip-ink:none;cursor:help}
span.edit.del::after{content:"\\2038";color:#d33;font-size:80%;vertical-align:super}
span.subtle{text-decoration:none}
span.subtle.del::after{content:none}
#layout:checked ~ main span.subtle{text-decoration:underline dotted #999}
#layout:checked ~ main span.subtle.del::after{content:"\\2038";color:#999}
a.to-row{text-decoration:none;color:#777;font:9px/1 system-ui,sans-serif;vertical-align:super;margin-left:1px}
a.to-row::after{content:attr(data-n)}
a.to-row:hover{color:#1a56a8}
span.pb{display:block;border-top:2px dashed #999;margin:8px 0 2px;line-height:1.2}
span.pb::before{content:"page " attr(data-page);font:11px system-ui,sans-serif;color:#777}
span.pb:first-child{border-top:none;margin-top:0}
"""
# a ticked legend chip hides its kind's highlights (and their row links) and strikes the chip through
CSS += "".join(f"#hide-{css}:checked ~ main mark.{css}{{background:none;border-bottom:none;padding-bottom:0}}\n"
               f"#hide-{css}:checked ~ main a.to-row.{css}{{display:none}}\n"
               f"#hide-{css}:checked ~ header label.key.{css}{{text-decoration:line-through;opacity:.6}}\n"
               for css, _ in HIGHLIGHTS.values())


@dataclass(slots=True)
class Span:
    """An element wrapped around text[start:end]; split into fragments where spans cross."""

    start: int
    end: int
    tag: str
    attrs: dict[str, str]
    rank: int
    first_only: dict[str, str] = field(default_factory=dict)  # only on the first fragment: ids stay unique

    def open(self, first: bool) -> str:
        attrs = {**self.attrs, **(self.first_only if first else {})}
        joined = "".join(f' {k}="{escaped(v)}"' for k, v in attrs.items())
        return f"<{self.tag}{joined}>"

    def close(self) -> str:
        return f"</{self.tag}>"


def write_review_pages(out_dir: Path, clean_dir: Path, tables: dict[str, pd.DataFrame] | None = None,
                       map_=map) -> list[Path]:
    """Write output/review/<doc_id>.html for every document with status ok, then index.html.

    Returns the written paths (document pages in table order, the index last). Pages of
    documents no longer in the output are removed so the folder matches the tables.
    ``map_`` runs the pages (a process pool's map writes them in parallel; each job reads its
    document's rows from the result cache, so the corpus is never in memory); with
    ``tables`` given, the pages come from those frames, here.
    """
    review_dir = Path(out_dir) / REVIEW_DIR
    decisions = _decisions_by_doc(Path(out_dir))
    if tables is None:
        documents = read_tables(Path(out_dir), names=("documents",))["documents"].to_dict("records")
        results = list(map_(partial(review_page_job, Path(out_dir), Path(clean_dir)), documents,
                            [decisions.get(doc["doc_id"], []) for doc in documents]))
    else:
        by_doc = {name: _by_doc(tables.get(name)) for name in REVIEWED_TABLES}
        documents = tables["documents"].to_dict("records")
        results = [document_review_page(Path(out_dir), Path(clean_dir), doc,
                                        {name: rows.get(doc["doc_id"], []) for name, rows in by_doc.items()},
                                        decisions.get(doc["doc_id"], []))
                   for doc in documents]
    written = [path for _, path in results if path is not None]
    with_page = {doc["doc_id"] for doc, (_, path) in zip(documents, results) if path is not None}
    counts = {doc["doc_id"]: doc_counts for doc, (doc_counts, _) in zip(documents, results)}
    index = review_dir / "index.html"
    # decisions naming no document of the run, and malformed lines, are listed on the index
    write_atomic(index, index_page(documents, with_page, counts, decisions.get(None, [])))
    written.append(index)
    for stale in set(review_dir.glob("*.html")) - set(written):
        stale.unlink(missing_ok=True)
    return written


REVIEWED_TABLES = (*HIGHLIGHTS, "corrections", "pages")


def review_page_job(out_dir: Path, clean_dir: Path, doc: dict, doc_decisions: Rows
                    ) -> tuple[dict[str, int], Path | None]:
    """One document's review page from its cached rows (a job: runs in any process)."""
    return document_review_page(out_dir, clean_dir, doc, document_tables(out_dir, doc["doc_id"], REVIEWED_TABLES),
                                doc_decisions)


def document_review_page(out_dir: Path, clean_dir: Path, doc: dict, doc_tables: dict[str, list[dict]],
                         doc_decisions: Rows) -> tuple[dict[str, int], Path | None]:
    """(the document's row counts, the page written or None when it gets none: not ok, or
    its clean text is gone)."""
    counts = {name: len(rows) for name, rows in doc_tables.items()}
    doc_id = doc["doc_id"]
    if doc["status"] != "ok" or not (clean_dir / f"{doc_id}.txt").exists():
        return counts, None
    path = out_dir / REVIEW_DIR / f"{_safe_name(doc_id)}.html"
    write_atomic(path, document_page(doc, clean_dir, doc_tables, doc_decisions))
    return counts, path


def _decisions_by_doc(out_dir: Path) -> dict[str, Rows]:
    """The last table writing's report on the reviewer decisions, per document."""
    path = out_dir / "review_decisions.parquet"
    return _by_doc(pd.read_parquet(path)) if path.exists() else {}


def _by_doc(frame: pd.DataFrame | None) -> dict[str | None, Rows]:
    """Rows per document, in table order (one to_dict per table: per-group calls are slow);
    rows without a document under None."""
    grouped: dict[str | None, Rows] = {}
    for row in ([] if frame is None else frame.to_dict("records")):
        grouped.setdefault(None if _missing(row["doc_id"]) else row["doc_id"], []).append(row)
    return grouped


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _safe_name(doc_id: str) -> str:
    """doc_ids are file-name safe by construction (pipeline.run.corpus); never let one escape the folder."""
    return doc_id.replace("/", "_").replace("\\", "_")


def table_anchor(table: str) -> str:
    """The id of a table's heading on a review page, which the header's jump links target."""
    return f"table-{table}"


def row_anchor(table: str, n: int) -> str:
    """The id linking a highlighted span to its table row: '<table>-<n>', n 1-based within the document."""
    return f"{table}-{n}"


def clean_to_source(clean_dir: Path, doc_id: str) -> np.ndarray | None:
    """origin[i] = source offset of clean character i (origin[len(clean)] = len(source))."""
    try:
        runs = json.loads((clean_dir / "offsets" / f"{doc_id}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    # Rewrites keep the order of the text, so the map is non-decreasing; enforce it for searchsorted.
    return np.maximum.accumulate(origin_from_runs(runs)) if runs else None


def document_page(doc: dict, clean_dir: Path, t: dict[str, Rows], decisions: Rows = ()) -> str:
    """The HTML of one document's review page."""
    doc_id = doc["doc_id"]
    text = (clean_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
    t = {name: t.get(name, []) for name in (*HIGHLIGHTS, "corrections", "pages")}
    spans: list[Span] = []
    links: list[Span] = []
    counts: Counter = Counter()
    placed: set[str] = set()
    for name, (css, _) in HIGHLIGHTS.items():
        for n, row in enumerate(t[name], start=1):
            counts[name] += 1
            start, end = row["char_start"], row["char_end"]
            if _missing(start) or _missing(end) or not 0 <= start <= end <= len(text):
                continue  # still listed in its table, flagged there as not placed
            key = row_anchor(name, n)
            placed.add(key)
            spans.append(Span(int(start), int(end), "mark", {"class": f"hl {css}", "data-row": key,
                                                             "title": f"{key}: {_summary(name, row)}"},
                              RANK[name], {"id": key}))
            links.append(row_link(int(end), name, n))
            # the row's later mentions, each highlighted and linked back to it as well
            for k, (again, again_end) in enumerate(later_mentions(row, len(text)), start=2):
                spans.append(Span(again, again_end, "mark", {"class": f"hl {css}", "data-mention": key,
                                                             "title": f"{key} (mention {k}): {_summary(name, row)}"},
                                  RANK[name], {"id": f"{key}-m{k}"}))
                links.append(row_link(again_end, name, n))
    edits = _edit_spans(t["corrections"], clean_to_source(clean_dir, doc_id), counts)
    pages = [Span(int(p["char_start"]), int(p["char_start"]), "span",
                  {"class": "pb", "data-page": str(p["page"])}, -1, {"id": f"page-{p['page']}"})
             for p in t["pages"] if not _missing(p["char_start"]) and 0 <= p["char_start"] <= len(text)]
    body = render_text(text, spans + edits, pages + links)
    title = f"Review: {doc_id}"
    # each chip is the label of a hidden checkbox: ticked, its highlights are hidden (CSS
    # only: the page runs no script); a struck-through chip shows what is hidden
    legend = "".join(f'<label class="key {css}" for="hide-{css}" title="show or hide these highlights">'
                     f'{label} ({counts[name]})</label>' for name, (css, label) in HIGHLIGHTS.items())
    toggles = "".join(f'<input type="checkbox" class="hide" id="hide-{css}">' for css, _ in HIGHLIGHTS.values())
    legend += f'<span class="key edit" title="hover an edit to see the original text">repair edit ({counts["edits"]})</span>'
    facts = " · ".join(f"{k}: {html.escape(str(doc[k]))}" for k in ("symbol", "doc_date", "language", "n_pages", "n_chars")
                       if not _missing(doc.get(k)))
    decided = {(DECIDED_AS[d["table"]], row_id): d for d in decisions if d["status"] != "invalid"
               for row_id in (d["row_ids"] if d["row_ids"] is not None else ())}
    sha = str(doc.get("sha256") or doc_id)
    tables_html = "".join(_rows_table(name, t[name], placed, sha, decided, len(text)) for name in HIGHLIGHTS)
    tables_html += decisions_table(decisions)
    # the tables one after another can be long (109 process rows above MC/INF/266's events)
    jump = " · ".join(f'<a href="#{table_anchor(name)}">{name.replace("_", " ")} ({len(t[name])})</a>'
                      for name in HIGHLIGHTS)
    page = f"""<!DOCTYPE html>
<html lang="{_cell(doc.get('language')) or 'und'}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<input type="checkbox" id="layout">{toggles}
<header>
<h1>{html.escape(doc_id)}</h1>
<div><a href="index.html">all documents</a> · {facts}</div>
<nav class="jump">tables: {jump}</nav>
{quality_note(doc, t["pages"])}<div class="legend">{legend}<label class="layout-toggle" for="layout">show layout edits (reflow, markup, furniture: {counts["layout_edits"]})</label></div>
</header>
<main>
<section><h2>Clean text</h2><div class="cleantext">{body}</div></section>
<section class="rows">{tables_html}</section>
</main>
</body>
</html>
"""
    return page


def row_link(at: int, table: str, n: int) -> Span:
    """The small link after a highlight to its row (a mark cannot be the link: marks nest,
    links may not); its number is drawn by CSS, so copied text stays clean."""
    return Span(at, at, "a", {"class": f"to-row {HIGHLIGHTS[table][0]}", "href": f"#row-{row_anchor(table, n)}",
                              "data-n": str(n), "title": f"{table} row {n}"}, RANK[table])


def later_mentions(row: dict, text_length: int) -> list[tuple[int, int]]:
    """The row's mentions after its first (``mention_spans``), as offsets that fit the text."""
    spans = row.get("mention_spans")
    if not isinstance(spans, (list, tuple, np.ndarray)) or len(spans) < 2:
        return []
    bounds = (span_bounds(span) for span in list(spans)[1:])
    return [b for b in bounds if b is not None and 0 <= b[0] <= b[1] <= text_length]


def mention_links(key: str, row: dict, text_length: int) -> str:
    """The row's mentions as links to their highlights: its first, then each later one."""
    later = later_mentions(row, text_length)
    return " ".join([f'<a href="#{key}">1</a>'] + [f'<a href="#{key}-m{k}">{k}</a>' for k in range(2, len(later) + 2)])


def quality_note(doc: dict, pages: Rows) -> str:
    """The header's warning for a document or pages of low quality: why, and which pages
    (each a link to where it starts in the text); empty when all is well."""
    low = [p for p in pages if p.get("quality") == "low"]
    if doc.get("quality") != "low" and not low:
        return ""
    parts = []
    if doc.get("quality") == "low":
        parts.append(f"document: {html.escape(str(doc.get('quality_reason') or 'low'))}")
    if low:
        listed = ", ".join(f'<a href="#page-{int(p["page"])}">{int(p["page"])}</a>'
                           + (f" ({html.escape(str(p['quality_reason']))})" if not _missing(p.get("quality_reason")) else "")
                           for p in low)
        parts.append(f"{len(low)} of {len(pages)} pages: {listed}")
    return f'<div class="quality-low">Low quality · {" · ".join(parts)}</div>\n'


def _summary(table: str, row: dict) -> str:
    """What hovering a highlight shows: the row's values in a few words."""
    def v(name):
        value = row.get(name)
        return "" if _missing(value) else str(value)

    if table == "process_mentions":
        return f"process {v('process_id')} ({v('rule_id')})"
    if table == "dates":
        return f"{v('date_iso')} ({v('precision')})"
    if DECIDED_AS.get(table) == "events":
        return f"{v('kind')}: {v('title')} {v('date_iso') or v('year')} {v('location')} [{v('process_id')}]".strip()
    return f"{v('member_id')} {v('role')} of {v('process_id')}"


def _shown(value) -> str:
    """Edit text for a tooltip: line breaks and tabs made visible, removals shown as ∅."""
    if _missing(value) or value == "":
        return "∅"
    return str(value).replace("\n", "⏎").replace("\t", "⇥")


def _edit_spans(corrections: Rows, origin: np.ndarray | None, counts: Counter) -> list[Span]:
    """Applied repair edits moved from source offsets to clean offsets through the offset map.

    A replacement's characters map to the start of the span they replace, so the clean span
    of source [s, e) is [first clean char from ≥ s, first clean char from ≥ e); a removal
    gives an empty span, drawn as a marker.
    """
    applied = [r for r in corrections if not _missing(r["applied"]) and bool(r["applied"])]
    if origin is None or not applied:
        return []
    starts = np.searchsorted(origin, np.array([r["char_start"] for r in applied], dtype=np.int64), side="left")
    ends = np.searchsorted(origin, np.array([r["char_end"] for r in applied], dtype=np.int64), side="left")
    last = len(origin) - 1  # = len(clean)
    spans = []
    for row, start, end in zip(applied, starts, ends):
        start, end = min(int(start), last), min(int(end), last)
        marked = row["step"] in MARKED_STEPS
        counts["edits" if marked else "layout_edits"] += 1
        css = "edit" + ("" if marked else " subtle") + ("" if end > start else " del")
        rule = f" ({row['rule']})" if isinstance(row.get("rule"), str) and row["rule"] else ""
        tip = f"{row['step']}{rule}: {_shown(row['before'])} → {_shown(row['after'])}"
        spans.append(Span(start, end, "span", {"class": css, "title": tip}, RANK["edit"]))
    return spans


def render_text(text: str, spans: list[Span], markers: list[Span] = ()) -> str:
    """Escaped text with every span wrapped in its element, correctly nested.

    Spans sharing text nest (the longer one outside, ties by rank). A span crossing the end
    of an enclosing one is closed there and reopened just after, so the HTML stays well
    formed; its fragments share data-row and only the first carries the id. Empty spans
    and markers are emitted as empty elements at their position.
    """
    text = _FORBIDDEN.sub("\ufffd", text)  # same length, so offsets still hold
    empty = [s for s in spans if s.end <= s.start] + list(markers)
    ranged = sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, -s.end, s.rank))
    points: dict[int, list[Span]] = {}
    for s in sorted(empty, key=lambda s: s.rank):
        points.setdefault(s.start, []).append(s)
    bounds = sorted({0, len(text), *points, *(s.start for s in ranged), *(s.end for s in ranged)})
    out: list[str] = []
    stack: list[Span] = []
    nxt = 0
    for i, pos in enumerate(bounds):
        ending = [k for k, s in enumerate(stack) if s.end <= pos]
        if ending:
            lowest = ending[0]
            reopen = [s for s in stack[lowest:] if s.end > pos]
            out.extend(s.close() for s in reversed(stack[lowest:]))
            del stack[lowest:]
            for s in reopen:
                out.append(s.open(first=False))
                stack.append(s)
        out.extend(s.open(first=True) + s.close() for s in points.get(pos, ()))
        while nxt < len(ranged) and ranged[nxt].start == pos:
            out.append(ranged[nxt].open(first=True))
            stack.append(ranged[nxt])
            nxt += 1
        if i + 1 < len(bounds):
            out.append(html.escape(text[pos:bounds[i + 1]], quote=False))
    out.extend(s.close() for s in reversed(stack))
    return "".join(out)


DEFAULT_ESCAPES_CACHED_CHARS = 40  # cell and attribute values this short repeat: ids, roles, names


@lru_cache(maxsize=1 << 14)
def _escaped_short(text: str) -> str:
    return html.escape(text)


def escaped(text: str) -> str:
    """``html.escape`` (quotes too); a short value's escape is kept, as a page escapes the
    same ids, roles and names in row after row (a third of a page's time, issue 33)."""
    return _escaped_short(text) if len(text) <= DEFAULT_ESCAPES_CACHED_CHARS else html.escape(text)


def _cell(value) -> str:
    if value.__class__ is str:  # most cells: never missing
        return escaped(value)
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    return "" if _missing(value) else escaped(str(value))


DEFAULT_CELL_CHARS = 60  # a longer value shows its start, the whole of it on a click


def _compact_cell(value) -> str:
    """A row table's cell: a long value (evidence, evidence ids) shortened to its start,
    the whole value one click away (a details element: the page runs no script)."""
    if value.__class__ is str and len(value) <= DEFAULT_ESCAPES_CACHED_CHARS:
        return _compact_short(value)  # ids, roles, names: row after row
    return _compact_any(value)


def _compact_any(value) -> str:
    text = _cell(value)
    if len(text) <= DEFAULT_CELL_CHARS:
        return text
    plain = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return (f'<details class="more"><summary>{html.escape(plain[:DEFAULT_CELL_CHARS].rstrip())}…</summary>'
            f"{text}</details>")


_compact_short = lru_cache(maxsize=1 << 14)(_compact_any)


def _rows_table(name: str, rows: Rows, placed: set[str], document: str = "", decided: dict | None = None,
               text_length: int = 0) -> str:
    """The document's rows of one table; each row links to its highlight in the text
    (a row whose offsets do not fit the clean text is marked 'not placed' instead). Rows a
    reviewer can decide on carry their decision and the lines to paste into the decisions
    file."""
    css, label = HIGHLIGHTS[name]
    to_check = name.endswith("_candidates")
    css_class = ' class="to-check"' if to_check else ""
    heading = (f'<h2 id="{table_anchor(name)}"{css_class}>'
               f'<span class="key {css}">{label}</span> {name} ({len(rows)})</h2>')
    if to_check:
        heading += "<p>Under the model's confidence threshold: not in the tables unless a reviewer accepts them.</p>"
    if not rows:
        return heading + "<p>No rows.</p>"
    decidable = name in DECIDED_AS
    columns = [c for c in TABLES[name].column_names if c not in ("doc_id", "source", "decision")]
    head = ("<th>decision</th>" if decidable else "") + "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    id_column = ROW_TABLES[name].id_column if decidable else ""
    body = []  # the '#' cell links to the highlight (id of its first fragment)
    for n, row in enumerate(rows, start=1):
        key = row_anchor(name, n)
        decision = (decided or {}).get((DECIDED_AS.get(name), str(row.get(id_column)))) if decidable else None
        cells = (decide_cell(name, row, document, decision) if decidable else "") + "".join(
            f"<td>{mention_links(key, row, text_length)}</td>" if c == "mention_spans" and key in placed else
            f'<td class="wrap">{_compact_cell(row[c])}</td>' if c in WRAPPED else f"<td>{_compact_cell(row[c])}</td>"
            for c in columns)
        rejected = ' class="rejected"' if decision and decision["action"] == "reject" else ""
        if key in placed:
            body.append(f'<tr id="row-{key}"{rejected}><td><a href="#{key}">{n}</a></td>{cells}</tr>')
        else:
            body.append(f'<tr id="row-{key}" class="unplaced"><td title="offsets outside the clean text">{n} ⚠</td>{cells}</tr>')
    return heading + f"<table><thead><tr><th>#</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def decide_cell(name: str, row: dict, document: str, decision: dict | None) -> str:
    """The row's decision (or 'decide'), opening to the lines a reviewer pastes into
    review/decisions.csv to accept it, reject it or (a membership) change its role."""
    table = DECIDED_AS[name]
    if decision:
        change = f" {decision['change']}" if not _missing(decision.get("change")) else ""
        summary = html.escape(f"{decision['action']}{change} (line {decision['line']})")
    else:
        summary = "decide"
    actions = [("accept", ""), ("reject", "")]
    if table == "memberships":
        actions += [("set", f"role={role}") for role in TABLES[table].column("role").categories if role != row.get("role")]
    lines = decision_lines(document, table, row, actions)
    codes = "".join(f"<code>{html.escape(line)}</code>" for line in lines)
    return f'<td class="decide"><details><summary>{summary}</summary>{codes}</details></td>'


def decisions_table(decisions: Rows, title: str = "reviewer decisions") -> str:
    """Reviewer decisions (review_decisions rows) with what became of each."""
    if not decisions:
        return ""
    columns = ("line", *(("document",) if any(_missing(d.get("doc_id")) for d in decisions) else ()),
               "table", "key", "action", "change", "reviewer", "note", "status", "detail")
    head = "".join(f"<th>{c}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f'<td class="wrap">{_cell(d.get(c))}</td>' if c in ("key", "note", "detail")
                                    else f"<td>{_cell(d.get(c))}</td>" for c in columns) + "</tr>"
                   for d in sorted(decisions, key=lambda d: d["line"]))
    return (f'<h2 id="{table_anchor("decisions")}">{title} ({len(decisions)})</h2>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def index_page(documents: list[dict], with_page: set[str], counts: dict[str, dict[str, int]],
               stray_decisions: Rows = ()) -> str:
    """A table of all documents with their rows per table (``counts``: doc_id → table →
    rows), linking to the review pages; then the reviewer decisions that name no document
    of the run or are malformed."""
    counted = (*HIGHLIGHTS, "corrections")
    head = "".join(f"<th>{h}</th>" for h in ("document", "status", "quality", "format", "pages", "language", "symbol", "date",
                                            *(name.replace("_", " ") for name in counted), "error"))
    rows = []
    for doc in documents:
        doc_id = doc["doc_id"]
        link = (f'<a href="{html.escape(_safe_name(doc_id))}.html">{html.escape(doc_id)}</a>'
                if doc_id in with_page else html.escape(doc_id))
        # a low-quality document says why in its row, as its page's header does
        quality = _cell(doc.get("quality")) + (f" ({_cell(doc.get('quality_reason'))})"
                                               if doc.get("quality") == "low" and not _missing(doc.get("quality_reason")) else "")
        cells = [link, _cell(doc.get("status")), quality,
                 *(_cell(doc.get(k)) for k in ("format", "n_pages", "language", "symbol", "doc_date")),
                 *(str(counts.get(doc_id, {}).get(name, 0)) for name in counted), _cell(doc.get("error"))]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Review pages</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>Review pages</h1><div>One page per document processed without error: the clean text with the extracted
rows highlighted and the repair edits marked. Counts are rows per table.</div></header>
<main style="display:block"><table class="index"><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>
{decisions_table(stray_decisions, "reviewer decisions applied to no document (malformed, or naming no document of this run)")}</main>
</body>
</html>
"""
