"""The same stage functions on Dask: outputs identical to the serial and process-pool
executors, and a worker that dies loses no document."""
from __future__ import annotations

import shutil
import sys
from dataclasses import replace

import pandas as pd
import pytest

from pipeline import load
from pipeline.run.cli import main
from pipeline.errors import ExitCode
from pipeline.run.options import RunOptions
from pipeline.run.runner import run
from tests.conftest import RAW, cut_pdf
from tests.test_faults import REAL_TESSERACT, assert_same_as_clean, error_of, fake_tesseract, run_options

TEXTS = ("crm-puebla-brochure_2004_ocr_es.txt", "crm-ppt-report_2002-2003_es.txt")


@pytest.fixture
def dask_installed():
    pytest.importorskip("distributed")


def test_without_dask_the_dask_executor_says_how_to_install_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    code = main(["extract", str(RAW / TEXTS[0]), "--out", str(tmp_path / "o"), "--clean", str(tmp_path / "c"),
                 "--executor", "dask", "--quiet"])
    assert code == ExitCode.MISSING_DEPENDENCY
    assert "pip install" in capsys.readouterr().err


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, made):
    """Two text documents and a two-page text-layer PDF made by the fixture script."""
    folder = tmp_path_factory.mktemp("dask_in")
    for name in TEXTS:
        shutil.copy(RAW / name, folder / name)
    cut_pdf(made["two_column"], [1, 2], folder / "two_column_p1-2.pdf")
    return folder


def test_serial_process_and_dask_give_identical_outputs(dask_installed, tmp_path, small_corpus):
    outs = {}
    for executor in ("serial", "process", "dask"):
        out = tmp_path / executor
        summary = run(RunOptions(inputs=(small_corpus,), out_dir=out / "out", clean_dir=out / "clean",
                                 quiet=True, executor=executor, workers=1 if executor == "serial" else 2
                                 ).validated())
        assert not summary.errors and summary.processed == 3
        outs[executor] = out
    serial = load(outs["serial"] / "out")
    assert set(serial) >= {"documents", "pages", "paragraphs"}
    for executor in ("process", "dask"):
        other = load(outs[executor] / "out")
        assert set(other) == set(serial)
        for name in serial:
            pd.testing.assert_frame_equal(other[name], serial[name], obj=f"{executor}: {name}")
        files = sorted(p.relative_to(outs["serial"] / "clean") for p in (outs["serial"] / "clean").rglob("*.*")
                       if not p.name.startswith("."))  # the folder's marker aside (pipeline.run.corpus.OUTPUT_MARKER)
        assert len(files) == 9  # clean, source and offsets of three documents
        for rel in files:
            assert (outs[executor] / "clean" / rel).read_bytes() == (outs["serial"] / "clean" / rel).read_bytes()


@pytest.fixture(scope="module")
def ocr_inputs(tmp_path_factory, made):
    folder = tmp_path_factory.mktemp("dask_ocr_in")
    shutil.copy(RAW / TEXTS[0], folder / TEXTS[0])
    shutil.copy(made["png"], folder / "page.png")
    return folder


@pytest.fixture(scope="module")
def ocr_clean(tmp_path_factory, ocr_inputs):
    out = tmp_path_factory.mktemp("dask_ocr_clean")
    assert not run(run_options(ocr_inputs, out)).errors
    return out


def test_worker_killed_on_dask_loses_no_document(dask_installed, tmp_path, ocr_inputs, ocr_clean):
    # the first OCR call SIGKILLs the dask worker running it; its nanny starts a new
    # worker and the scheduler runs the page again, this time with the real tesseract
    marker = tmp_path / "killed-once"
    tesseract = fake_tesseract(
        tmp_path / "bin",
        f'if [ ! -e "{marker}" ]; then touch "{marker}"; kill -9 $PPID; sleep 5; fi\n'
        f'exec "{REAL_TESSERACT}" "$@"')
    summary = run(replace(run_options(ocr_inputs, tmp_path, tesseract), executor="dask"))
    assert marker.exists()
    assert not summary.errors and summary.processed == 2
    assert_same_as_clean(tmp_path, ocr_clean, ["crm-puebla-brochure_2004_ocr_es", "page"])


def test_hung_job_on_dask_times_out(dask_installed, tmp_path, ocr_inputs, ocr_clean):
    tesseract = fake_tesseract(tmp_path / "bin", "exec sleep 60")
    summary = run(replace(run_options(ocr_inputs, tmp_path, tesseract), executor="dask", doc_timeout=10))
    assert set(summary.errors) == {"page"}
    assert error_of(tmp_path, "page") == "page 1: timed out after 10 s"
    assert_same_as_clean(tmp_path, ocr_clean, ["crm-puebla-brochure_2004_ocr_es"])
