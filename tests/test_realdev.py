"""The real development set (../shared/realdev): its gold read in our ids, and the floors
CI must keep on texts the rules were not written from (tests/gold/floors.toml [realdev])."""
import tomllib
from pathlib import Path

import pytest

from pipeline.evaluate.score import REALDEV_ROLES, evaluate, realdev_member_id
from tests.conftest import REALDEV

LIMITS = tomllib.loads((Path(__file__).parent / "gold" / "floors.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def evaluation(realdev_run):
    gold, out_dir, clean_dir = realdev_run
    return evaluate(out_dir, clean_dir, REALDEV, gold=gold, set_name="realdev", roles=REALDEV_ROLES)


def test_realdev_gold_uses_our_process_and_organisation_ids(realdev_run):
    from extractors.process_registry import registry

    gold, _, _ = realdev_run
    ours = {e["process_id"] for e in registry()}
    processes = {p["process_id"] for g in gold.values() for p in g["processes"]}
    assert processes <= ours, processes - ours
    assert realdev_member_id("org:CoE", {"org:COE": "council_of_europe"}) == "council_of_europe"
    assert realdev_member_id("BLZ", {}) == "BLZ"


def test_every_realdev_text_is_extracted(realdev_run):
    from pipeline import load

    gold, out_dir, _ = realdev_run
    docs = load(out_dir, tables=["documents"])["documents"]
    assert sorted(docs["doc_id"]) == sorted(gold) and (docs["status"] == "ok").all()


@pytest.mark.parametrize("key", sorted(LIMITS.get("realdev", {})))
def test_realdev_floor(evaluation, key):
    etype, metric = key.split(".")
    value = evaluation.value("micro", "all", etype, metric, set_name="realdev")
    assert value is not None and value >= LIMITS["realdev"][key], (key, value)
