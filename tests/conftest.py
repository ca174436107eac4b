from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.fixtures import make_fixtures

ROOT = Path(__file__).resolve().parent.parent
RAW = ROOT / "corpus" / "raw"
TEXTLAYER_PDF = RAW / "mc-inf-259_2002_migrants-rights_textlayer.pdf"
SCANNED_PDF = RAW / "mc-inf-259_2002_migrants-rights_scanned.pdf"


@pytest.fixture(scope="session")
def made(tmp_path_factory) -> dict[str, Path]:
    """The fixture script's files (two-column PDF, its scan, a PNG, a mixed PDF)."""
    return make_fixtures.make_all(tmp_path_factory.mktemp("made"))


def cut_pdf(source: Path, pages: list[int], target: Path) -> Path:
    """A small real fixture: the given 1-based pages of a corpus PDF."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(source))
    out = pdfium.PdfDocument.new()
    out.import_pages(src, [p - 1 for p in pages])
    out.save(str(target))
    out.close()
    src.close()
    return target


@pytest.fixture(scope="session")
def real_cuts(tmp_path_factory) -> dict[str, Path]:
    """Pages 1-2 of the corpus text-layer PDF and of its scan."""
    folder = tmp_path_factory.mktemp("cuts")
    return {
        "textlayer": cut_pdf(TEXTLAYER_PDF, [1, 2], folder / "textlayer_p1-2.pdf"),
        "scanned": cut_pdf(SCANNED_PDF, [1, 2], folder / "scanned_p1-2.pdf"),
    }


def copy_into(folder: Path, *files: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    """The whole seed corpus through the pipeline once per test session (OCR included)."""
    from pipeline.run.options import RunOptions
    from pipeline.run.runner import run

    folder = tmp_path_factory.mktemp("corpus_run")
    options = RunOptions(inputs=(RAW,), out_dir=folder / "output", clean_dir=folder / "clean", quiet=True)
    summary = run(options.validated())
    return summary, options


REALDEV = ROOT.parent / "shared" / "realdev"


@pytest.fixture(scope="session")
def realdev_run(tmp_path_factory):
    """The real development set (../shared/realdev, never copied into the repository)
    through the pipeline once per test session: (gold in the seed shape, out_dir, clean_dir).
    CI has shared/ beside the clone, so there a missing set is a failure, not a skip."""
    import os

    from pipeline.evaluate.score import extract_realdev, load_realdev_gold

    if not (REALDEV / "gold").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the real development set is missing: {REALDEV}")
        pytest.skip(f"no real development set at {REALDEV}")
    out_dir, clean_dir = extract_realdev(REALDEV, tmp_path_factory.mktemp("realdev"))
    return load_realdev_gold(REALDEV), out_dir, clean_dir
