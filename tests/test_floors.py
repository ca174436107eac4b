"""CI floors: the seed corpus through the pipeline must score at least tests/gold/floors.toml."""
import tomllib
from pathlib import Path

import pytest

from pipeline.evaluate.score import evaluate

GOLD = Path(__file__).parent / "gold"
LIMITS = tomllib.loads((GOLD / "floors.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation(corpus_run):
    summary, options = corpus_run
    assert not summary.errors, summary.errors
    return evaluate(options.out_dir, options.clean_dir, GOLD)


def micro(evaluation, key):
    etype, metric = key.split(".")
    value = evaluation.value("micro", "all", etype, metric)
    assert value is not None, f"{key} was not computed"
    return value


@pytest.mark.parametrize("key", sorted(LIMITS.get("floors", {})))
def test_floor(evaluation, key):
    assert micro(evaluation, key) >= LIMITS["floors"][key]


@pytest.mark.parametrize("key", sorted(LIMITS.get("ceilings", {})))
def test_ceiling(evaluation, key):
    assert micro(evaluation, key) <= LIMITS["ceilings"][key]


def test_every_corpus_document_is_ok_with_scans_ocred(corpus_run):
    from pipeline import load

    _, options = corpus_run
    tables = load(options.out_dir)
    docs = tables["documents"].set_index("doc_id")
    assert (docs["status"] == "ok").all()
    assert docs.loc["mc-inf-259_2002_migrants-rights_scanned", "n_ocr_pages"] == 13
    assert docs.loc["mc-inf-259_2002_migrants-rights_textlayer", "n_ocr_pages"] == 0
    pages = tables["pages"]
    assert set(pages[pages.doc_id.str.endswith("scanned")]["method"]) == {"ocr"}
