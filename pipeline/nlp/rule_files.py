"""The one reader of the project's JSONL rule and registry files (extractors/patterns/,
extractors/data/). Each line is a record whose keys are checked against the shape declared
here for its file (and, in files of several record kinds, for its ``kind``): a misspelt or
missing key fails with the file and line, where ``.get()`` used to ignore it silently."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


class RuleFileError(ValueError):
    """A rule or registry file has a line that is not a record of its declared shape."""


@dataclass(frozen=True, slots=True)
class Shape:
    required: frozenset[str]
    optional: frozenset[str] = frozenset()


def _shape(required: str, optional: str = "") -> Shape:
    return Shape(frozenset(required.split()), frozenset(optional.split()))


RULE = "id kind description examples counterexamples"  # a rule record: what it is, what it finds, what it must not

# file name → record shape; files with records of several kinds: file name → kind → shape
SHAPES: dict[str, Shape | dict[str, Shape]] = {
    # registries (extractors/data)
    "processes.jsonl": _shape("process_id name_en name_es acronyms aliases region founded_year"),
    "organizations.jsonl": _shape("org_id name_en name_es acronyms aliases", "note"),
    "country_aliases_extra.jsonl": _shape("iso3 aliases note", "acronyms list_only"),
    "places_extra.jsonl": _shape("id names note"),
    "regions.jsonl": _shape("region_id aliases members note"),
    "world_regions.jsonl": _shape("region_id names"),
    # rules (extractors/patterns)
    "date_rules.jsonl": {
        "months": _shape("id kind lang description piece names abbreviations abbreviation_period case"),
        "piece": _shape("id kind lang description name pattern"),
        "rule": _shape("id kind lang description pattern examples", "counterexamples"),
        "relative": _shape("id kind lang description pattern examples", "counterexamples days weekday years"),
    },
    "event_kinds.jsonl": _shape("id kind es en"),  # kind: the event kind a word gives
    "event_blockers.jsonl": {
        "words": _shape("kind name words", "description"),
        "blocker": _shape(RULE, "after before inside kinds step trigger"),
        "title_pattern": _shape(f"{RULE} regex use"),
    },
    "event_rules.jsonl": {"title": _shape(RULE), "dating": _shape(RULE)},
    "title_grammar.jsonl": {kind: _shape(RULE, "words") for kind in ("start", "part", "end")},
    "membership_evidence.jsonl": _shape("id pattern windows examples counterexamples"),
    "membership_rules.jsonl": {
        "numbers": _shape("id kind description names"),
        "piece": _shape("id kind description name pattern"),
        "rule": _shape(f"{RULE} basis lang pattern role side",
                       "list_starts member_types needs object priority shares_list year_from"),
        "heading": _shape(f"{RULE} basis lang pattern role"),
        "role_after": _shape(f"{RULE} basis pattern role"),
        "line": _shape(f"{RULE} basis lang pattern role"),
        "subheading": _shape(f"{RULE} pattern"),
        "blocker": _shape(f"{RULE} applies_to where pattern"),
    },
    "process_discovery.jsonl": _shape("id description lang pattern"),
}


def read_records(path: Path) -> list[dict]:
    """The records of a declared rule or registry file, each checked against its shape."""
    shapes = SHAPES.get(path.name)
    if shapes is None:
        raise RuleFileError(f"{path}: no record shape is declared for this file (pipeline/nlp/rule_files.py)")
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleFileError(f"{path}:{number}: not a JSON record ({exc.msg})") from None
        if not isinstance(record, dict):
            raise RuleFileError(f"{path}:{number}: not a JSON object")
        _check(record, shapes, f"{path}:{number}")
        records.append(record)
    return records


def _check(record: dict, shapes: Shape | dict[str, Shape], where: str) -> None:
    if isinstance(shapes, dict):
        kind = record.get("kind")
        if kind not in shapes:
            raise RuleFileError(f"{where}: unknown kind {kind!r} (known: {', '.join(sorted(shapes))})")
        shape = shapes[kind]
    else:
        shape = shapes
    unknown = sorted(set(record) - shape.required - shape.optional)
    if unknown:
        known = ", ".join(sorted(shape.required | shape.optional))
        raise RuleFileError(f"{where}: unknown key {', '.join(map(repr, unknown))} (known: {known})")
    missing = sorted(shape.required - set(record))
    if missing:
        raise RuleFileError(f"{where}: missing key {', '.join(map(repr, missing))}")
