"""Events on report texts the rules were not written for: the synthetic reports
(tests/fixtures/synthetic_reports, a regression set) and the blind reports
(tests/fixtures/blind_reports, never tuned on). Rules tuned on the seed corpus must still
hold there."""
import json
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate.score import Counts, match_events

FIXTURES = Path(__file__).parent / "fixtures"
FLOORS = tomllib.loads((Path(__file__).parent / "gold" / "floors.toml").read_text(encoding="utf-8"))
SETS = {"synthetic": FIXTURES / "synthetic_reports", "blind": FIXTURES / "blind_reports"}


def names(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.txt"))


@pytest.fixture(scope="module")
def events(tmp_path_factory) -> pd.DataFrame:
    """Both sets through the pipeline in one run."""
    from pipeline.run.options import RunOptions
    from pipeline.run.runner import run

    folder = tmp_path_factory.mktemp("unseen")
    inputs = tuple(f / f"{n}.txt" for f in SETS.values() for n in names(f))
    options = RunOptions(inputs=inputs, out_dir=folder / "output", clean_dir=folder / "clean", quiet=True)
    summary = run(options.validated())
    assert not summary.errors, summary.errors
    return pd.read_parquet(folder / "output" / "events.parquet")


def gold_of(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / f"{name}.events.json").read_text(encoding="utf-8"))


def test_every_report_has_gold_for_its_events():
    assert [len(names(f)) for f in SETS.values()] == [4, 3]
    for folder in SETS.values():
        for name in names(folder):
            gold = gold_of(folder, name)
            assert gold and all({"kind", "title", "year"} <= set(e) for e in gold)


@pytest.mark.parametrize("which", sorted(SETS))
def test_events_micro_f1_on_reports_the_rules_were_not_written_for(events, which):
    folder, total = SETS[which], Counts()
    for name in names(folder):
        total += match_events(gold_of(folder, name), events[events.doc_id == name].to_dict("records"))
    assert total.f1 >= FLOORS[which]["events.f1"], (total.tp, total.fp, total.fn)
