"""Events on the blind event sets: texts of the genre with gold, each written by a helper
who saw neither the code, the data nor the other sets (see each folder's README), measured
once before any of its errors was read, then kept as regression sets with floors in
tests/gold/floors.toml:
- tests/fixtures/blind_events/ (10 texts, 68 events): blind F1 0.760 [blind_events];
- tests/fixtures/blind_events2/ (12 texts, 83 events): blind F1 0.662 [blind_events2];
- tests/fixtures/blind_events3/ (12 texts, 92 events): blind F1 0.713 [blind_events3]."""
import json
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from pipeline import load
from pipeline.evaluate.score import Counts, match_events
from pipeline.run.options import RunOptions
from pipeline.run.runner import run

SETS = ("blind_events", "blind_events2", "blind_events3")
FIXTURES = Path(__file__).parent / "fixtures"
FLOORS = tomllib.loads((Path(__file__).parent / "gold" / "floors.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=SETS)
def scored(request, tmp_path_factory):
    folder = FIXTURES / request.param
    work = tmp_path_factory.mktemp(request.param)
    texts = work / "texts"  # the texts only: the folder also holds their gold and a README
    texts.mkdir()
    for path in folder.glob("*.txt"):
        shutil.copy(path, texts / path.name)
    run(RunOptions(inputs=(texts,), out_dir=work / "out", clean_dir=work / "clean", quiet=True, workers=2).validated())
    events = load(work / "out", tables=["events"])["events"]
    exact = title_only = Counts()
    for gold_path in sorted(folder.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["events"]
        mine = [{"title": r.title, "year": None if pd.isna(r.year) else int(r.year)}
                for r in events[events["doc_id"] == gold_path.stem].itertuples()]
        exact += match_events(gold, mine)
        title_only += match_events(gold, mine, require_year=False)
    return request.param, {"events": exact, "events_title_only": title_only}


@pytest.mark.parametrize("name", SETS)
def test_every_text_has_gold(name):
    folder = FIXTURES / name
    assert sorted(p.stem for p in folder.glob("*.txt")) == sorted(p.stem for p in folder.glob("*.json"))


def test_blind_events_floors(scored):
    name, counts = scored
    low = {key: getattr(counts[key.split(".")[0]], key.split(".")[1]) for key in FLOORS[name]}
    assert all(low[key] >= FLOORS[name][key] for key in low), (name, low, FLOORS[name])
