"""Review pages: valid HTML, every extracted row highlighted on its exact text, repair edits
and pages marked, self-contained, and rendered by headless Chromium without console errors."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline import load
from pipeline.run.options import RunOptions
from pipeline.output.review import Span, render_text, write_review_pages
from pipeline.run.runner import run
from tests.conftest import RAW

DOCS = (RAW / "crm-puebla-brochure_2004_ocr_es.txt", RAW / "crm-ppt-report_2002-2003_es.txt")
HIGHLIGHTED = ("process_mentions", "dates", "events", "memberships", "event_candidates", "membership_candidates")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CHROMIUM = "/usr/bin/chromium"


class PageChecker(HTMLParser):
    """Strict structure check with the standard library: every opened element is closed, in
    order (no reliance on HTML's implied end tags), plus what the page shows: the text under
    each data-row element, the clean-text block, ids, titles of repair edits, page markers."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.problems: list[str] = []
        self.row_text: dict[str, list[str]] = defaultdict(list)  # data-row → text of each fragment
        self.clean_text: list[str] = []
        self.ids: list[str] = []
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "data-row" in attrs:
            self.row_text[attrs["data-row"]].append("")
        if tag not in VOID:
            self.stack.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in VOID:
            self.problems.append(f"self-closing non-void <{tag}/>")
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
        elif not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1][0] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        keys = [a["data-row"] for _, a in self.stack if "data-row" in a]
        for key in dict.fromkeys(keys):
            self.row_text[key][-1] += data
        if any(a.get("class") == "cleantext" for _, a in self.stack):
            self.clean_text.append(data)

    def close(self) -> None:
        super().close()
        self.problems += [f"<{tag}> never closed" for tag, _ in self.stack]


def check_page(path: Path) -> PageChecker:
    source = path.read_text(encoding="utf-8")
    assert source.startswith("<!DOCTYPE html>")
    checker = PageChecker()
    checker.feed(source)
    checker.close()
    assert checker.problems == [], f"{path.name}: {checker.problems[:5]}"
    assert len(checker.ids) == len(set(checker.ids)), f"{path.name}: duplicate ids"
    try:
        import html5lib
    except ImportError:
        return checker
    parser = html5lib.HTMLParser(strict=True)  # raises on any parse error of the HTML standard
    parser.parse(source)
    return checker


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    """Two small documents through the pipeline, then the review pages."""
    folder = tmp_path_factory.mktemp("review")
    options = RunOptions(inputs=DOCS, out_dir=folder / "output", clean_dir=folder / "clean", quiet=True).validated()
    run(options)
    return options, write_review_pages(options.out_dir, options.clean_dir)


def test_one_page_per_document_and_an_index(review):
    options, paths = review
    names = sorted(p.name for p in paths)
    assert names == sorted([f"{p.stem}.html" for p in DOCS] + ["index.html"])
    assert all(p.parent == options.out_dir / "review" for p in paths)
    index = check_page(options.out_dir / "review" / "index.html")
    links = {a["href"] for tag, a in index.elements if tag == "a"}
    assert links == {f"{p.stem}.html" for p in DOCS}


def test_pages_are_valid_html_with_every_row_highlighted(review):
    options, _ = review
    tables = load(options.out_dir)
    for source in DOCS:
        doc_id = source.stem
        text = (options.clean_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        page = check_page(options.out_dir / "review" / f"{doc_id}.html")
        assert "".join(page.clean_text) == text, "the page must show the clean text exactly once"
        n_rows = 0
        for name in HIGHLIGHTED:
            rows = tables[name][tables[name]["doc_id"] == doc_id].reset_index(drop=True)
            for n, row in enumerate(rows.itertuples(), start=1):
                key = f"{name}-{n}"
                assert "".join(page.row_text[key]) == text[row.char_start:row.char_end], key
                assert key in page.ids and f"row-{key}" in page.ids, key
                n_rows += 1
        assert n_rows > 20, "the seed documents yield rows to check"


def test_repair_edits_and_pages_are_marked(review):
    options, _ = review
    doc_id = DOCS[0].stem  # the OCR brochure: bullets, OCR confusions, line-break hyphens
    page = check_page(options.out_dir / "review" / f"{doc_id}.html")
    corrections = load(options.out_dir)["corrections"]
    fixed = corrections[(corrections["doc_id"] == doc_id) & corrections["applied"].fillna(False)
                        & corrections["step"].isin(["unicode", "ocr_confusion", "dehyphen", "bullet"])]
    assert len(fixed) > 10
    classes = [(a, a.get("class", "").split()) for _, a in page.elements]
    titles = [a["title"] for a, cls in classes if "edit" in cls and "key" not in cls]  # not the legend
    assert len([t for t in titles if not t.startswith(("reflow", "markup", "furniture", "page_number"))]) == len(fixed)
    ocr = fixed[fixed["step"] == "ocr_confusion"].iloc[0]
    assert any(ocr["before"] in t and ocr["after"] in t for t in titles), "hover shows the original text"
    assert "page-1" in page.ids


def test_pages_are_self_contained(review):
    options, paths = review
    for path in paths:
        page = check_page(path)
        tags = {tag for tag, _ in page.elements}
        assert not tags & {"script", "link", "img", "iframe", "object", "embed"}, path.name
        for tag, attrs in page.elements:
            for name in ("href", "src"):
                assert not re.match(r"[a-z]+:|//", attrs.get(name, "")), f"{path.name}: external {attrs[name]}"
        assert "default-src 'none'" in path.read_text(encoding="utf-8")


def test_overlapping_spans_nest_or_split_into_fragments():
    text = "La VII Reunión de la CRM, 29-31 de octubre de 2002, Antigua."
    spans = [
        Span(3, 50, "mark", {"data-row": "events-1"}, 0, {"id": "events-1"}),
        Span(21, 24, "mark", {"data-row": "process_mentions-1"}, 2, {"id": "process_mentions-1"}),
        Span(21, 24, "mark", {"data-row": "memberships-1"}, 1, {"id": "memberships-1"}),  # same text
        Span(26, 59, "mark", {"data-row": "dates-1"}, 3, {"id": "dates-1"}),  # crosses the event's end
        Span(10, 10, "span", {"class": "edit del", "title": "dehyphen: -⏎ → ∅"}, 4),  # a removal
    ]
    body = render_text(text, spans, [Span(0, 0, "span", {"class": "pb", "data-page": "1"}, -1)])
    checker = PageChecker()
    checker.feed(f'<div class="cleantext">{body}</div>')
    checker.close()
    assert checker.problems == []
    assert "".join(checker.clean_text) == text
    for span in spans[:4]:
        assert "".join(checker.row_text[span.attrs["data-row"]]) == text[span.start:span.end]
    assert len(checker.row_text["dates-1"]) == 2 and checker.ids.count("dates-1") == 1
    assert body.index('data-row="memberships-1"') < body.index('data-row="process_mentions-1"')  # by rank
    assert render_text("a<b>&c", []) == "a&lt;b&gt;&amp;c"


@pytest.mark.parametrize("broken", ["<div><span></div></span>", "<p>open", "</b>", "<div/>"])
def test_checker_catches_broken_html(broken):
    checker = PageChecker()
    checker.feed(broken)
    checker.close()
    assert checker.problems


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed with apt-get when absent and we may (root with apt-get)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("headless Chromium is needed for the rendering test: install Debian's chromium "
                    "(sudo apt-get install -y chromium); not root or no apt-get, so the test cannot")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1200)
        if done.returncode != 0:
            pytest.fail(f"{' '.join(command)} failed: {done.stderr[-500:]}")
    return CHROMIUM


CONSOLE = re.compile(r"CONSOLE[(:]|Uncaught")


def screenshot(chromium: str, page: Path, folder: Path) -> tuple[Path, list[str]]:
    """Render page to folder/page.png; return the PNG and the console lines Chromium logged."""
    folder.mkdir(parents=True, exist_ok=True)
    png = folder / "page.png"
    from pipeline.output.screenshots import CHROMIUM_FLAGS

    command = [chromium, *CHROMIUM_FLAGS, "--disable-quic", f"--user-data-dir={folder / 'profile'}", f"--screenshot={png}", "--window-size=1280,2000",
               "--enable-logging=stderr", "--v=0", page.resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return png, [line for line in done.stderr.splitlines() if CONSOLE.search(line)]


def test_console_error_detection_works(chromium, tmp_path):
    """The negative control: a page with a failing script and a blocked load is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head><title>bad</title></head><body><p>x</p>"
                   "<script>undefined_function_xyz()</script></body></html>", encoding="utf-8")
    _, console = screenshot(chromium, bad, tmp_path / "shot")
    assert any("undefined_function_xyz" in line for line in console), console


def test_pages_render_in_headless_chromium(review, chromium, tmp_path):
    options, paths = review
    for path in paths:
        png, console = screenshot(chromium, path, tmp_path / path.stem)
        assert console == [], f"{path.name}: {console}"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        if path.name != "index.html":
            assert png.stat().st_size > 10_000, f"{path.name}: screenshot looks empty"


def test_a_low_quality_document_says_which_pages_and_why(tmp_path):
    """A document flagged quality=low says in its page's header which pages and why, each
    page a link to where it starts in the text."""
    from pipeline.output.review import document_page, quality_note

    pages = [{"page": 1, "quality": "ok", "quality_reason": None, "char_start": 0, "char_end": 10},
             {"page": 2, "quality": "low", "quality_reason": "garbled OCR (41% of the words)", "char_start": 10, "char_end": 20}]
    doc = {"doc_id": "scan", "quality": "low", "quality_reason": "garbled OCR (23% of the words)",
           "language": "en", "n_pages": 2, "n_chars": 20}
    note = quality_note(doc, pages)
    assert "garbled OCR (23% of the words)" in note and '<a href="#page-2">2</a> (garbled OCR (41% of the words))' in note
    assert "1 of 2 pages" in note and 'href="#page-1"' not in note
    assert quality_note(doc | {"quality": "ok"}, [p | {"quality": "ok"} for p in pages]) == ""
    (tmp_path / "scan.txt").write_text("Page one. Page two.", encoding="utf-8")
    empty = {name: [] for name in HIGHLIGHTED + ("corrections",)}
    html_page = document_page(doc, tmp_path, empty | {"pages": pages})
    header = html_page[html_page.index("<header>"):html_page.index("</header>")]
    assert "Low quality" in header and 'href="#page-2"' in header
    assert 'id="page-2"' in html_page  # the link's target


TARGET_OUTLINE = (0xE8, 0xA2, 0x00)  # mark:target's outline colour in the page's CSS


def screenshot_at(chromium: str, page: Path, fragment: str, folder: Path) -> Path:
    """The page opened at #fragment in a 1280 × 900 frame, as a screenshot (`make
    screenshots` draws its pages the same way)."""
    from pipeline.output.screenshots import page_screenshot

    return page_screenshot(chromium, page, folder / "at.png", fragment, (1280, 900))


def test_make_screenshots_times_a_page_load(review, chromium, tmp_path):
    from pipeline.output.screenshots import page_load_ms

    options, paths = review
    ms = page_load_ms(chromium, next(p for p in paths if p.name != "index.html"), tmp_path / "profile")
    assert ms is not None and ms > 0
    assert not list(paths[0].parent.glob(".frame-*"))  # the frame page is removed


def test_a_linked_highlight_lands_below_the_sticky_header(review, chromium, tmp_path):
    """bug: a row's link scrolled its highlight under the sticky header (101 px), so the
    reviewer saw the text after it. Opened at an event's highlight halfway down the text,
    its outline is on screen, below the header."""
    from PIL import Image

    options, paths = review
    page = next(p for p in paths if p.stem == "crm-ppt-report_2002-2003_es")
    keys = [k for k in check_page(page).row_text if k.startswith("events-")]
    key = keys[len(keys) // 2]
    image = Image.open(screenshot_at(chromium, page, key, tmp_path)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    # the header's bottom border: the first grey row across the page under its title
    header = next(y for y in range(20, height) if pixels[5, y] == pixels[width // 2, y] != (255, 255, 255))
    outline = [y for y in range(0, height, 2) for x in range(0, width * 11 // 20, 3)
               if all(abs(a - b) <= 6 for a, b in zip(pixels[x, y], TARGET_OUTLINE))]  # (a date's border is #d69a00)
    assert outline, f"{key}: its outline is not on screen"
    assert min(outline) > header, f"{key}: outline at y={min(outline)}, under the header (bottom {header})"


def test_a_highlights_link_lands_its_row_below_the_sticky_header(review, chromium, tmp_path):
    """Each highlight is followed by a small link to its row (a highlight could not be
    found in the rows by anything but its number). Followed, the row's outline is on
    screen in the rows pane, below the header."""
    from PIL import Image

    options, paths = review
    page = next(p for p in paths if p.stem == "crm-ppt-report_2002-2003_es")
    source = page.read_text(encoding="utf-8")
    targets = list(dict.fromkeys(re.findall(r'<a class="to-row event" href="#(row-events-\d+)"', source)))
    assert len(targets) >= 10  # a link after each highlighted event (and each of its later mentions)
    target = targets[len(targets) // 2]
    assert f'<tr id="{target}"' in source
    image = Image.open(screenshot_at(chromium, page, target, tmp_path)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    header = next(y for y in range(20, height) if pixels[5, y] == pixels[width // 2, y] != (255, 255, 255))
    outline = [y for y in range(0, height, 2) for x in range(width * 11 // 20, width, 3)
               if all(abs(a - b) <= 6 for a, b in zip(pixels[x, y], TARGET_OUTLINE))]
    assert outline, f"{target}: its outline is not on screen"
    assert min(outline) > header, f"{target}: outline at y={min(outline)}, under the header (bottom {header})"


def test_a_row_links_to_every_mention_and_each_mention_back(review):
    """A membership or event stated more than once: its row links to each mention's
    highlight, and each later mention is highlighted with its own link back to the row."""
    _, paths = review
    linked = 0
    for path in paths:
        if path.name == "index.html":
            continue
        checker, source = check_page(path), path.read_text(encoding="utf-8")
        for key, later in re.findall(r'<a href="#((?:memberships|events|membership_candidates|event_candidates)-\d+)">1</a>'
                                     r'((?: <a href="#\1-m\d+">\d+</a>)+)', source):
            targets = re.findall(r'href="#([^"]+)"', later)
            assert all(t in checker.ids for t in targets)
            for target in targets:
                mark = source[source.index(f'id="{target}"'):]
                assert re.search(rf'<a class="to-row [\w-]+" href="#row-{key}"', mark[:mark.index("</mark>") + 200])
            linked += 1
    assert linked >= 3


def test_the_header_jumps_to_each_table_with_its_count(review):
    """In MC/INF/266 the events and memberships tables sat below 109 process rows, with no
    way there but scrolling: the header links to each table's heading, with its row count."""
    options, paths = review
    tables = load(options.out_dir, tables=list(HIGHLIGHTED))
    for path in paths:
        if path.name == "index.html":
            continue
        checker = check_page(path)
        source = path.read_text(encoding="utf-8")
        nav = source[source.index('<nav class="jump">'):source.index("</nav>")]
        links = re.findall(r'<a href="#([^"]+)">([^<]+) \((\d+)\)</a>', nav)
        assert [target for target, _, _ in links] == [f"table-{name}" for name in HIGHLIGHTED]
        assert all(target in checker.ids for target, _, _ in links)
        for name, (_, label, count) in zip(HIGHLIGHTED, links):
            rows = tables[name][tables[name]["doc_id"] == path.stem]
            assert label == name.replace("_", " ") and int(count) == len(rows)


HEADER_PX = 130  # the sticky header's height at most, legend included


def _colour_pixels(png: Path, colour: tuple[int, int, int], x_share: float = 0.55) -> int:
    """Pixels of ``colour`` in the clean-text pane (the left part of the page, under the
    header and its legend chips)."""
    from PIL import Image

    image = Image.open(png).convert("RGB")
    pixels = image.load()
    return sum(1 for y in range(HEADER_PX, image.height, 2) for x in range(0, int(image.width * x_share), 2)
               if pixels[x, y] == colour)


def test_a_legend_chip_hides_its_highlights_without_script(review, chromium, tmp_path):
    """The legend chips looked like toggles and did nothing: each is now the label of a
    checkbox whose ticked state hides that kind's highlights, in CSS only (the page keeps
    its script-less CSP). Rendered with the events' box ticked: no event highlight colour
    in the text, the dates' still there."""
    options, paths = review
    page = next(p for p in paths if p.stem == "crm-ppt-report_2002-2003_es")
    source = page.read_text(encoding="utf-8")
    assert "<script" not in source and 'for="hide-event"' in source
    ticked = page.parent / "ticked.html"
    ticked.write_text(source.replace('id="hide-event">', 'id="hide-event" checked>'), encoding="utf-8")
    event, date = (0xD8, 0xF3, 0xDC), (0xFF, 0xE7, 0xA8)  # the highlights' backgrounds
    try:
        shown, _ = screenshot(chromium, page, tmp_path / "shown")
        hidden, _ = screenshot(chromium, ticked, tmp_path / "hidden")
    finally:
        ticked.unlink()
    assert _colour_pixels(shown, event) > 200 and _colour_pixels(hidden, event) == 0
    assert _colour_pixels(hidden, date) > 200


def test_the_index_shows_each_documents_quality_and_why_when_low():
    from pipeline.output.review import index_page

    documents = [{"doc_id": "report", "status": "ok", "quality": "ok", "format": "pdf", "n_pages": 3},
                 {"doc_id": "scan", "status": "ok", "quality": "low", "quality_reason": "garbled OCR (23% of the words)",
                  "format": "pdf", "n_pages": 2},
                 {"doc_id": "broken", "status": "error", "quality": None, "error": "encrypted PDF"}]
    page = index_page(documents, {"report", "scan"}, {})
    rows = re.findall(r"<tr>(.*?)</tr>", page[page.index("<tbody>"):])
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in rows]
    header = re.findall(r"<th>(.*?)</th>", page)
    quality = header.index("quality")
    assert [c[quality] for c in cells] == ["ok", "low (garbled OCR (23% of the words))", ""]
    assert '<a href="scan.html">scan</a>' in cells[1][0] and cells[2][0] == "broken"


def test_pages_written_by_a_process_pool_are_the_drivers(review):
    """Issue 33: a large run writes its review pages through a process pool's map (each job
    reads its document's rows from the result cache); the pages and the index are byte for
    byte those the driver writes itself, in the same order."""
    from pipeline.run.executors import DEFAULT_PARALLEL_OUTPUT_JOBS, output_map

    options, paths = review
    before = {p: p.read_bytes() for p in paths}
    with output_map("process", 2, DEFAULT_PARALLEL_OUTPUT_JOBS) as map_:
        assert map_ is not map
        again = write_review_pages(options.out_dir, options.clean_dir, map_=map_)
    assert again == paths
    assert {p: p.read_bytes() for p in again} == before
    with output_map("process", 2, DEFAULT_PARALLEL_OUTPUT_JOBS - 1) as map_:
        assert map_ is map  # a small run's pages are written in the driver
