"""Screenshots of what a researcher looks at: the review index, the longest document's
review page (at its top and at its memberships), and the figures of the executed notebook
(``make screenshots``, after ``make extract``). Pages are drawn by headless Chromium."""
from __future__ import annotations

import base64
import html
import re
import shutil
import subprocess
from pathlib import Path

from pipeline.errors import MissingDependency

SCREENSHOTS_DIR = "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
DEFAULT_WINDOW = (1400, 1000)
DEFAULT_TIMEOUT_S = 180.0
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync")


def find_chromium() -> str:
    """The headless browser; MissingDependency says how to install it."""
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    raise MissingDependency("screenshots need headless Chromium: sudo apt-get install -y chromium")


def _frame(page: Path, fragment: str, window: tuple[int, int], script: str = "") -> Path:
    """A page beside ``page`` showing it in a window-sized iframe at #fragment: headless
    Chromium draws a blank page when it is asked for a fragment itself."""
    frame = page.parent / f".frame-{page.stem}.html"
    src = html.escape(page.name + (f"#{fragment}" if fragment else ""), quote=True)
    frame.write_text(f'<!DOCTYPE html><html><head><title>frame</title><style>body{{margin:0}}'
                     f'iframe{{border:0;width:{window[0]}px;height:{window[1]}px}}</style></head><body>'
                     f'<p id="loaded" hidden></p><iframe src="{src}"></iframe>{script}</body></html>',
                     encoding="utf-8")
    return frame


def _chromium(chromium: str, profile: Path, *args: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> str:
    done = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=timeout_s)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed: {done.stderr[-1000:]}")
    return done.stdout


def page_screenshot(chromium: str, page: Path, png: Path, fragment: str = "",
                    window: tuple[int, int] = DEFAULT_WINDOW) -> Path:
    """``page`` opened at #fragment in a window-sized frame, as a PNG."""
    png.parent.mkdir(parents=True, exist_ok=True)
    frame = _frame(page, fragment, window)
    try:
        _chromium(chromium, png.parent / ".profile", f"--screenshot={png}", f"--window-size={window[0]},{window[1]}",
                  frame.resolve().as_uri())
    finally:
        frame.unlink(missing_ok=True)
    return png


# the frame page (ours, not the review page, whose CSP forbids scripts) times its frame's load
LOAD_TIMER = ("<script>const t0 = performance.now(); document.querySelector('iframe').onload = () => "
              "{document.getElementById('loaded').textContent = (performance.now() - t0).toFixed(0);};</script>")


def page_load_ms(chromium: str, page: Path, profile: Path, window: tuple[int, int] = DEFAULT_WINDOW) -> float | None:
    """Milliseconds from asking for ``page`` to its load event (parsed, styled, its
    subresources read), in headless Chromium; None when it was not measured."""
    frame = _frame(page, "", window, LOAD_TIMER)
    try:
        dom = _chromium(chromium, profile, "--dump-dom", frame.resolve().as_uri())
    finally:
        frame.unlink(missing_ok=True)
    found = re.search(r'<p id="loaded" hidden="">(\d+)</p>', dom)
    return float(found.group(1)) if found else None


def notebook_figures(notebook: Path, folder: Path) -> list[Path]:
    """Every figure of an executed notebook as folder/notebook-<cell tag>.png."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for n, cell in enumerate(nbformat.read(notebook, as_version=4).cells, start=1):
        tag = (cell.metadata.get("tags") or [f"cell{n}"])[0]
        images = [out["data"]["image/png"] for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
        for k, data in enumerate(images, start=1):
            path = folder / f"notebook-{tag}{'' if k == 1 else f'-{k}'}.png"
            path.write_bytes(base64.b64decode(data))
            written.append(path)
    return written


def write_screenshots(out_dir: Path) -> tuple[list[Path], dict[str, float | None]]:
    """The screenshots in ``out_dir``/screenshots, and the load time of each review page
    shot (milliseconds). The notebook is executed first when it has not been."""
    from pipeline.output.notebook import NOTEBOOK, write_executed_notebook

    chromium = find_chromium()
    review, folder = Path(out_dir) / "review", Path(out_dir) / SCREENSHOTS_DIR
    index = review / "index.html"
    if not index.exists():
        raise FileNotFoundError(f"no review pages in {review}: run `make extract` first")
    folder.mkdir(parents=True, exist_ok=True)
    pages = [p for p in review.glob("*.html") if p.name != "index.html" and not p.name.startswith(".")]
    longest = max(pages, key=lambda p: p.stat().st_size, default=None)
    shots = [page_screenshot(chromium, index, folder / "review-index.png")]
    timings = {index.name: page_load_ms(chromium, index, folder / ".profile")}
    if longest is not None:
        shots.append(page_screenshot(chromium, longest, folder / f"review-{longest.stem}.png"))
        shots.append(page_screenshot(chromium, longest, folder / f"review-{longest.stem}-memberships.png",
                                     "table-memberships"))
        timings[longest.name] = page_load_ms(chromium, longest, folder / ".profile")
    executed = Path(out_dir) / "notebooks" / NOTEBOOK.name
    if not executed.exists():
        executed = write_executed_notebook(Path(out_dir))
    shots += notebook_figures(executed, folder)
    shutil.rmtree(folder / ".profile", ignore_errors=True)
    return shots, timings
