"""Events on the synthetic reports (tests/fixtures/synthetic_reports): rules tuned on the seed
corpus must still hold on text they were not written for."""
import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate import Counts, match_events

FOLDER = Path(__file__).parent / "fixtures" / "synthetic_reports"
FLOORS = tomllib.loads((Path(__file__).parent / "gold" / "floors.toml").read_text(encoding="utf-8"))["synthetic"]
NAMES = sorted(p.stem for p in FOLDER.glob("*.txt"))


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> pd.DataFrame:
    from pipeline.options import RunOptions
    from pipeline.runner import run

    folder = tmp_path_factory.mktemp("synthetic")
    options = RunOptions(inputs=tuple(FOLDER / f"{n}.txt" for n in NAMES), out_dir=folder / "output",
                         clean_dir=folder / "clean", quiet=True)
    summary = run(options.validated())
    assert not summary.errors, summary.errors
    return pd.read_parquet(folder / "output" / "events.parquet")


def test_every_synthetic_report_has_gold_for_its_events():
    assert len(NAMES) == 4
    for name in NAMES:
        gold = json.loads((FOLDER / f"{name}.events.json").read_text(encoding="utf-8"))
        assert gold and all({"kind", "title", "year"} <= set(e) for e in gold)


def test_events_micro_f1_on_the_synthetic_reports(events):
    total = Counts()
    for name in NAMES:
        gold = json.loads((FOLDER / f"{name}.events.json").read_text(encoding="utf-8"))
        total += match_events(gold, events[events.doc_id == name].to_dict("records"))
    assert total.f1 >= FLOORS["events.f1"], (total.tp, total.fp, total.fn)
