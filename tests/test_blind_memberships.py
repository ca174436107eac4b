"""Memberships on tests/fixtures/blind_memberships/ (8 texts), blind_memberships2/, 3/ and
4/ (10 texts each): texts of the genre with gold, each set written by a helper who saw
neither the code, the data nor the other sets (see their READMEs). Each was measured once
before any of its errors was read (exact F1 0.539, 0.364, 0.575, 0.608); the rules were
then improved by statement class, so all are now regression sets, with floors in
tests/gold/floors.toml [blind_memberships]."""
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from pipeline import load
from pipeline.evaluate.score import Counts, match_multisets
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

FOLDERS = [Path(__file__).parent / "fixtures" / name for name in ("blind_memberships", "blind_memberships2", "blind_memberships3", "blind_memberships4")]
LIMITS = tomllib.loads((Path(__file__).parent / "gold" / "floors.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    work = tmp_path_factory.mktemp("blind_memberships")
    texts = work / "texts"
    texts.mkdir()
    for folder in FOLDERS:
        for path in folder.glob("*.txt"):
            shutil.copy(path, texts / f"{folder.name}-{path.name}")
    run(RunOptions(inputs=(texts,), out_dir=work / "out", clean_dir=work / "clean", quiet=True, workers=2).validated())
    rows = load(work / "out", tables=["memberships"])["memberships"]
    exact = loose = Counts()
    as_member = {"participant": "member"}.get
    for gold_path in sorted(p for folder in FOLDERS for p in folder.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["memberships"]
        mine = rows[rows["doc_id"] == f"{gold_path.parent.name}-{gold_path.stem}"]
        predicted = {(r.process_id, r.member_id, str(r.role)) for r in mine.itertuples()}
        expected = {(g["process"], g["member"], g["role"]) for g in gold}
        exact += match_multisets(sorted(expected), sorted(predicted))
        loose += match_multisets(sorted({(p, m, as_member(r, r)) for p, m, r in expected}),
                                 sorted({(p, m, as_member(r, r)) for p, m, r in predicted}))
    return exact, loose


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: f.name)
def test_every_text_has_gold(folder):
    assert sorted(p.stem for p in folder.glob("*.txt")) == sorted(p.stem for p in folder.glob("*.json"))


@pytest.mark.parametrize("key", sorted(LIMITS["blind_memberships"]))
def test_blind_memberships_floor(scored, key):
    exact, loose = scored
    which, metric = key.split(".")
    value = getattr({"exact": exact, "participant_as_member": loose}[which], metric)
    assert value >= LIMITS["blind_memberships"][key], (key, value, exact, loose)
