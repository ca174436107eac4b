"""Rule and registry files are read by one reader that checks each record's keys against the
shape declared for its file: a misspelt key fails with its file and line (issue 30)."""
import json
from pathlib import Path

import pytest

from pipeline.nlp.rule_files import SHAPES, RuleFileError, read_records

EXTRACTORS = Path(__file__).resolve().parent.parent / "extractors"


def test_every_rule_and_registry_file_has_a_shape_and_reads():
    files = sorted(EXTRACTORS.glob("*/*.jsonl"))
    assert {p.name for p in files} == set(SHAPES)
    assert all(read_records(p) for p in files)


def _write(tmp_path: Path, name: str, *records: dict) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


RULE = {"id": "year.x", "kind": "dating", "description": "d", "examples": [], "counterexamples": []}


def test_a_misspelt_key_fails_with_its_file_and_line(tmp_path):
    path = _write(tmp_path, "event_rules.jsonl", RULE, {**RULE, "counterexample": []})
    with pytest.raises(RuleFileError, match=r"event_rules\.jsonl:2: unknown key 'counterexample'"):
        read_records(path)


def test_a_missing_key_fails(tmp_path):
    path = _write(tmp_path, "processes.jsonl", {"process_id": "x", "name_en": "X", "name_es": "X", "acronyms": [],
                                                "aliases": [], "region": "r"})
    with pytest.raises(RuleFileError, match=r"processes\.jsonl:1: missing key 'founded_year'"):
        read_records(path)


def test_an_unknown_kind_fails(tmp_path):
    path = _write(tmp_path, "event_rules.jsonl", {**RULE, "kind": "datign"})
    with pytest.raises(RuleFileError, match=r":1: unknown kind 'datign'"):
        read_records(path)


def test_a_line_that_is_no_json_fails(tmp_path):
    path = tmp_path / "event_kinds.jsonl"
    path.write_text('{"id": "k", "kind": "workshop", "es": [], "en": []}\n{"id": \n', encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"event_kinds\.jsonl:2: not a JSON record"):
        read_records(path)


def test_an_undeclared_file_is_refused(tmp_path):
    with pytest.raises(RuleFileError, match="no record shape"):
        read_records(_write(tmp_path, "new_rules.jsonl", RULE))
