"""`make train`: fit the membership model's weights to all the gold the project has.

Every gold set (the seeds against tests/gold/, ../shared/realdev, ../shared/realdev2 and
the blind membership sets under tests/fixtures/) is run through the pipeline (cached), its
documents' membership candidates are rebuilt from the clean text and paragraphs, and each
candidate is labelled by the gold: its (process, member, role) is stated there. A
logistic regression over the candidates' evidence ids is fitted on all of them and written
to ``extractors/data/membership_model.json`` (the same gold gives the same file); its
leave-one-document-out figures, per set and pooled, are printed and written beside it.

The figures are at the level the tables are scored at: one row per (document, process,
member, role), its confidence the highest of its candidates'.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate import (DEFAULT_REAL_SETS, REALDEV_ROLES, _extract_set, load_gold, load_realdev_gold)

ROOT = Path(__file__).resolve().parent.parent
BLIND_SETS = ("blind_memberships", "blind_memberships2", "blind_memberships3", "blind_memberships4")
DEFAULT_C = 1.0          # inverse regularisation strength of the logistic regression
DEFAULT_SEED_GOLD = ROOT / "tests" / "gold"


@dataclass(frozen=True, slots=True)
class GoldSet:
    name: str
    inputs: tuple[Path, ...]
    gold: dict[str, set[tuple[str, str, str]]]   # doc_id → {(process, member, role)}
    roles: dict[str, str]                          # our role → the gold's (participant → member)


def gold_sets(raw_dir: Path = ROOT / "corpus" / "raw", real_sets: dict[str, Path] | None = None) -> list[GoldSet]:
    """The gold sets that exist here, with their memberships as (process, member, role) keys."""
    keys = lambda rows: {(m["process_id"], m["member_id"], m["role"]) for m in rows}  # noqa: E731
    seed = {doc_id: keys(g.get("memberships", [])) for doc_id, g in load_gold(DEFAULT_SEED_GOLD).items()}
    sets = [GoldSet("seed", (raw_dir,), seed, {})]
    for name, folder in (DEFAULT_REAL_SETS if real_sets is None else real_sets).items():
        if (folder / "gold").is_dir():
            gold = {doc_id: keys(g["memberships"]) for doc_id, g in load_realdev_gold(folder).items()}
            sets.append(GoldSet(name, (folder / "texts",), gold, REALDEV_ROLES))
    for name in BLIND_SETS:
        folder = ROOT / "tests" / "fixtures" / name
        gold = {p.stem: {(m["process"], m["member"], m["role"]) for m in json.loads(p.read_text("utf-8"))["memberships"]}
                for p in sorted(folder.glob("*.json"))}
        sets.append(GoldSet(name, tuple(sorted(folder.glob("*.txt"))), gold, {}))
    return sets


def set_candidates(gold_set: GoldSet, work_dir: Path) -> dict[str, list]:
    """doc_id → the membership candidates of each gold document of the set."""
    from extractors.context import document_context
    from extractors.member_candidates import document_candidates
    from extractors.membership_rows import document_membership_rows
    from pipeline import load

    out_dir, clean_dir = _extract_set(gold_set.inputs, work_dir / gold_set.name)
    tables = load(out_dir, tables=["documents", "paragraphs"])
    documents = tables["documents"].set_index("doc_id")
    out = {}
    for doc_id, paras in tables["paragraphs"].groupby("doc_id", sort=True):
        if doc_id not in gold_set.gold:
            continue
        text = (clean_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        date = documents.loc[doc_id, "doc_date"]
        year = int(str(date)[:4]) if isinstance(date, str) and date[:4].isdigit() else None
        rows = paras.sort_values("char_start").to_dict("records")
        context = document_context(doc_id, text, rows, lambda _: 1, year)
        rule_rows = document_membership_rows(context)
        out[doc_id] = document_candidates(context, rule_rows)
    return out
