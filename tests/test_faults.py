"""Fault tolerance with fault doubles: a fake tesseract that crashes, hangs, or kills the
worker that runs it. The batch must finish, the bad document must be an error row with a
reason, and every other document must come out exactly as in a clean run."""
from __future__ import annotations

import shutil
import stat
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline import load
from pipeline.sources.ocr import OcrSettings
from pipeline.run.options import RunOptions
from pipeline.sources.pdf import PageSettings
from pipeline.run.runner import run
from tests.conftest import RAW

GOOD_TEXTS = ("crm-puebla-brochure_2004_ocr_es.txt", "crm-ppt-report_2002-2003_es.txt")
GOOD = ["crm-puebla-brochure_2004_ocr_es", "crm-ppt-report_2002-2003_es", "two_column"]
BAD = "page"  # an image: the only document that runs tesseract
REAL_TESSERACT = shutil.which("tesseract") or "tesseract"


def fake_tesseract(folder: Path, body: str) -> str:
    """An executable standing in for tesseract: `--version` answers like the real one
    (pytesseract asks first), anything else runs ``body`` (sh)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then exec "{REAL_TESSERACT}" --version; fi\n'
        f"{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(script)


def run_options(folder: Path, out: Path, tesseract: str = "tesseract", **kw) -> RunOptions:
    # the command, also for the real tesseract: the faults are a command's (killed, hung), and
    # the clean run they are compared with must read the pages with the same tesseract
    page = PageSettings(ocr=OcrSettings(tesseract_cmd=tesseract, timeout_s=120, engine="cli"))
    return RunOptions(inputs=(folder,), out_dir=out / "out", clean_dir=out / "clean", quiet=True,
                      workers=2, executor="process", page=page, **kw).validated()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, made) -> Path:
    folder = tmp_path_factory.mktemp("fault_inputs")
    for name in GOOD_TEXTS:
        shutil.copy(RAW / name, folder / name)
    shutil.copy(made["two_column"], folder / "two_column.pdf")
    shutil.copy(made["png"], folder / "page.png")
    return folder


@pytest.fixture(scope="module")
def clean(tmp_path_factory, inputs) -> Path:
    """The same inputs through a run with the real tesseract and nothing going wrong."""
    out = tmp_path_factory.mktemp("fault_clean")
    summary = run(run_options(inputs, out))
    assert not summary.errors
    return out


def assert_same_as_clean(out: Path, clean: Path, doc_ids) -> None:
    got, want = load(out / "out"), load(clean / "out")
    for name, frame in want.items():
        if "doc_id" not in frame.columns or name == "documents":
            continue
        mine = got[name][got[name]["doc_id"].isin(doc_ids)].reset_index(drop=True)
        theirs = frame[frame["doc_id"].isin(doc_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs, obj=name)
    docs_got = got["documents"].set_index("doc_id").loc[list(doc_ids)]
    docs_want = want["documents"].set_index("doc_id").loc[list(doc_ids)]
    pd.testing.assert_frame_equal(docs_got.drop(columns="source_path"), docs_want.drop(columns="source_path"))
    for doc_id in doc_ids:
        for sub in ("", "source/"):
            path = f"{sub}{doc_id}.txt"
            assert (out / "clean" / path).read_bytes() == (clean / "clean" / path).read_bytes(), path


def error_of(out: Path, doc_id: str) -> str:
    docs = load(out / "out")["documents"].set_index("doc_id")
    assert docs.loc[doc_id, "status"] == "error"
    return docs.loc[doc_id, "error"]


@pytest.mark.parametrize("script,reason", [
    # tesseract itself crashes: an ordinary error of that page's job
    ("kill -SEGV $$", "page 1: tesseract crashed (SIGSEGV)"),
    # the fake tesseract SIGKILLs the pool worker that started it: the pool breaks, twice
    ("kill -9 $PPID; sleep 5", "page 1: worker crashed twice while processing this document"),
], ids=["tesseract-segfault", "worker-killed-twice"])
def test_a_crash_under_one_document_gives_it_an_error_row(tmp_path, inputs, clean, script, reason):
    tesseract = fake_tesseract(tmp_path / "bin", script)
    summary = run(run_options(inputs, tmp_path, tesseract))
    assert set(summary.errors) == {BAD}
    assert error_of(tmp_path, BAD) == reason
    assert_same_as_clean(tmp_path, clean, GOOD)


def test_hanging_tesseract_is_stopped_after_the_time_limit(tmp_path, inputs, clean):
    pids = tmp_path / "pids"
    pids.mkdir()
    tesseract = fake_tesseract(tmp_path / "bin", f'echo $$ > "{pids}/$$"; exec sleep 60')
    started = time.monotonic()
    summary = run(run_options(inputs, tmp_path, tesseract, doc_timeout=10))
    assert time.monotonic() - started < 50
    assert set(summary.errors) == {BAD}
    assert error_of(tmp_path, BAD) == "page 1: timed out after 10 s"
    assert_same_as_clean(tmp_path, clean, GOOD)
    # the hung tesseract was stopped with its worker, not left behind
    hung = [int(p.name) for p in pids.iterdir()]
    assert hung
    time.sleep(0.5)
    assert not [pid for pid in hung if _alive(pid)]


def test_worker_killed_once_loses_nothing(tmp_path, inputs, clean):
    # the first OCR call kills its worker; the rebuilt pool runs the page again, for real
    marker = tmp_path / "killed-once"
    tesseract = fake_tesseract(
        tmp_path / "bin",
        f'if [ ! -e "{marker}" ]; then touch "{marker}"; kill -9 $PPID; sleep 5; fi\n'
        f'exec "{REAL_TESSERACT}" "$@"')
    summary = run(run_options(inputs, tmp_path, tesseract))
    assert marker.exists()
    assert not summary.errors
    assert_same_as_clean(tmp_path, clean, [*GOOD, BAD])


def test_doc_timeout_is_an_option():
    from pipeline.run.cli import build_parser
    from pipeline.errors import BadOptions

    args = build_parser().parse_args(["extract", "--doc-timeout", "12.5"])
    assert args.doc_timeout == 12.5
    assert RunOptions().doc_timeout == 900
    with pytest.raises(BadOptions):
        replace(RunOptions(inputs=(RAW,)), doc_timeout=0).validated()


def _alive(pid: int) -> bool:
    """Running, i.e. neither gone nor a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def test_a_document_past_its_budget_stops_though_each_page_is_within_the_page_limit(tmp_path, made):
    """Issue 31: --doc-timeout bounds one page; 4,999 blank pages ran on past it for hours. A
    scan whose three pages take over 5 s each (a slow tesseract) has a 6 s budget here: it
    gets an error row saying so, and the text document beside it comes out as in a clean run."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(made["scanned"], folder / "scanned.pdf")
    shutil.copy(RAW / GOOD_TEXTS[0], folder / GOOD_TEXTS[0])
    slow = fake_tesseract(tmp_path / "bin", f'sleep 5\nexec "{REAL_TESSERACT}" "$@"')
    summary = run(run_options(folder, tmp_path, slow, doc_budget=6))
    assert set(summary.errors) == {"scanned"}
    assert "time budget of 6 s" in error_of(tmp_path, "scanned")
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(RAW / GOOD_TEXTS[0], alone / GOOD_TEXTS[0])
    run(run_options(alone, tmp_path / "clean_run"))
    assert_same_as_clean(tmp_path, tmp_path / "clean_run", [GOOD[0]])
    with pytest.raises(Exception):
        RunOptions(doc_budget=0).validated()
