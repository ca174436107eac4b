"""`make train`: fit the membership and event models' weights to all the gold the project has.

Every gold set (the seeds against tests/gold/, ../shared/realdev, ../shared/realdev2 and
the blind membership sets under tests/fixtures/) is run through the pipeline (cached), its
documents' membership candidates are rebuilt from the clean text and paragraphs, and each
candidate is labelled by the gold: its (process, member, role) is stated there. A
logistic regression over the candidates' evidence ids is fitted on all of them and written
to ``extractors/data/membership_model.json`` (the same gold gives the same file); its
leave-one-document-out figures, per set and pooled, are printed and written beside it.

The figures are at the level the tables are scored at: one row per (document, process,
member, role), its confidence the highest of its candidates'.

The event model is fitted the same way to the event gold (seeds, realdev, realdev2, the
blind event and report sets): each row of events and event_candidates (their union does not
depend on the model) is labelled by whether it pairs with a gold event (title similarity
and year, as ``make evaluate`` scores them), and written to ``extractors/data/event_model.json``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluate.score import DEFAULT_REAL_SETS, REALDEV_ROLES, Counts, extract_set, load_gold, load_realdev_gold

ROOT = Path(__file__).resolve().parents[2]
EVENT_BLIND_SETS = {"blind_events": "*.json", "blind_events2": "*.json", "blind_events3": "*.json", "blind_reports": "*.events.json"}  # folder → its gold files
BLIND_SETS = ("blind_memberships", "blind_memberships2", "blind_memberships3", "blind_memberships4",
              "blind_memberships5")
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

    out_dir, clean_dir = extract_set(gold_set.inputs, work_dir / gold_set.name)
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


@dataclass(frozen=True, slots=True)
class Example:
    set_name: str
    doc_id: str
    key: tuple[str, str, str]       # (process, member, role) in the gold's roles
    evidence_ids: tuple[str, ...]
    label: bool


def examples(sets: list[GoldSet], work_dir: Path) -> list[Example]:
    """Every candidate of every gold document, labelled by its set's gold."""
    out = []
    for gold_set in sets:
        for doc_id, candidates in set_candidates(gold_set, work_dir).items():
            gold = {(p, m, gold_set.roles.get(r, r)) for p, m, r in gold_set.gold[doc_id]}
            for c in candidates:
                if c.process_id is None:
                    continue
                key = (c.process_id, c.member_id, gold_set.roles.get(c.role, c.role))
                out.append(Example(gold_set.name, doc_id, key, c.evidence_ids, key in gold))
    return out


def fit(train: list[Example], c: float = DEFAULT_C) -> dict:
    """A logistic regression over the evidence ids (one binary feature each) as data:
    intercept and one weight per id, ids sorted, so the same examples give the same file.
    Negative evidence (a host, a donor, no cue at all) may lower a row's confidence, never
    raise it: an id of that kind fitted positive (collinear with a stronger cue) is set to 0
    and the rest refitted, so every weight reads the way its record says."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from extractors.member_candidates import NEGATIVE_EVIDENCE

    zeroed: set[str] = set()
    while True:
        vectorizer = DictVectorizer(sort=True)
        matrix = vectorizer.fit_transform([{i: 1 for i in e.evidence_ids if i not in zeroed} for e in train])
        model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs").fit(matrix, [e.label for e in train])
        weights = dict(zip(vectorizer.get_feature_names_out(), model.coef_[0]))
        wrong_sign = {name for name, w in weights.items() if name.startswith(NEGATIVE_EVIDENCE) and w > 0}
        if not wrong_sign:
            break
        zeroed |= wrong_sign
    weights.update(dict.fromkeys(zeroed, 0.0))
    return {"intercept": round(float(model.intercept_[0]), 6),
            "weights": {name: round(float(w), 6) for name, w in sorted(weights.items())}}


def held_out_confidences(all_examples: list[Example], c: float = DEFAULT_C) -> dict[tuple[str, str], dict]:
    """Leave one document out: (set, doc_id) → {(process, member, role): confidence}, each
    document's rows scored by a model fitted without it (a row's confidence is its best
    candidate's)."""
    from extractors.member_model import confidence

    by_doc: dict[tuple[str, str], list[Example]] = {}
    for e in all_examples:
        by_doc.setdefault((e.set_name, e.doc_id), []).append(e)
    out = {}
    for doc, held in by_doc.items():
        model = fit([e for e in all_examples if (e.set_name, e.doc_id) != doc], c)
        best: dict[tuple, float] = {}
        for e in held:
            best[e.key] = max(best.get(e.key, 0.0), confidence(e.evidence_ids, model))
        out[doc] = best
    return out


def cross_validated(sets: list[GoldSet], held_out: dict[tuple[str, str], dict], threshold: float) -> dict[str, Counts]:
    """(process, member, role) rows at or over ``threshold`` against the gold, per set and pooled."""
    counts: dict[str, list[int]] = {}
    for gold_set in sets:
        tally = counts.setdefault(gold_set.name, [0, 0, 0])
        for doc_id, gold_keys in gold_set.gold.items():
            gold = {(p, m, gold_set.roles.get(r, r)) for p, m, r in gold_keys}
            best = held_out.get((gold_set.name, doc_id), {})
            predicted = {k for k, v in best.items() if v >= threshold}
            tally[0] += len(predicted & gold)
            tally[1] += len(predicted - gold)
            tally[2] += len(gold - predicted)
    pooled = [sum(t[i] for t in counts.values()) for i in range(3)]
    return {name: Counts(*t) for name, t in counts.items()} | {"pooled": Counts(*pooled)}


DEFAULT_THRESHOLDS_SHOWN = (0.3, 0.4, 0.5, 0.6, 0.7)


def _short(set_name: str) -> str:
    return set_name.replace("blind_memberships", "blind") or set_name


def write_model(model_path: Path, all_examples: list[Example], sets: list, description: str, unit: str) -> dict:
    """Fit on every example and write the weights with what they were fitted to (sorted keys:
    the same gold gives the same file)."""
    model = fit(all_examples) | {
        "model": description, "C": DEFAULT_C, "n_examples": len(all_examples),
        "n_positive": sum(e.label for e in all_examples), "sets": {s.name: len(s.gold) for s in sets}}
    model_path.write_text(json.dumps(model, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {model_path} ({len(model['weights'])} weights, {len(all_examples)} {unit})")
    return model


def train_command(model_path: Path, work_dir: Path, cross_validate: bool = True) -> int:
    """Fit the model on all gold, write it, and print (and write) its cross-validated figures."""
    from extractors.member_model import DEFAULT_MIN_CONFIDENCE

    sets = gold_sets()
    all_examples = examples(sets, work_dir)
    write_model(model_path, all_examples, sets, "logistic regression over membership evidence ids (pipeline/evaluate/train.py)",
                "candidates")
    if cross_validate:
        held_out = held_out_confidences(all_examples)
        scores = cross_validated(sets, held_out, DEFAULT_MIN_CONFIDENCE)
        lines = [f"leave-one-document-out, threshold {DEFAULT_MIN_CONFIDENCE}", "", *_counts_table(scores)]
        lines += ["", "F1 by threshold (leave-one-document-out)", "",
                  f"{'threshold':<10} " + " ".join(f"{_short(name):>9}" for name in scores)]
        for threshold in DEFAULT_THRESHOLDS_SHOWN:
            by_set = cross_validated(sets, held_out, threshold)
            lines.append(f"{threshold:<10} " + " ".join(f"{by_set[name].f1 or 0.0:9.3f}" for name in scores))
        report = "\n".join(lines)
        print(report)
        model_path.with_suffix(".cv.txt").write_text(report + "\n", encoding="utf-8")
    return 0


@dataclass(frozen=True, slots=True)
class EventGoldSet:
    name: str
    inputs: tuple[Path, ...]
    gold: dict[str, list[dict]]   # doc_id → gold events (title, year, …)


def event_gold_sets(raw_dir: Path = ROOT / "corpus" / "raw", real_sets: dict[str, Path] | None = None) -> list[EventGoldSet]:
    sets = [EventGoldSet("seed", (raw_dir,), {d: g["events"] for d, g in load_gold(DEFAULT_SEED_GOLD).items()})]
    for name, folder in (DEFAULT_REAL_SETS if real_sets is None else real_sets).items():
        if (folder / "gold").is_dir():
            sets.append(EventGoldSet(name, (folder / "texts",),
                                     {d: g["events"] for d, g in load_realdev_gold(folder).items()}))
    for name, pattern in EVENT_BLIND_SETS.items():
        folder = ROOT / "tests" / "fixtures" / name
        gold = {}
        for path in sorted(folder.glob(pattern)):
            data = json.loads(path.read_text("utf-8"))
            gold[path.name.split(".")[0]] = data["events"] if isinstance(data, dict) else data
        sets.append(EventGoldSet(name, tuple(sorted(folder.glob("*.txt"))), gold))
    return sets


def event_rows(gold_set: EventGoldSet, work_dir: Path) -> dict[str, list[dict]]:
    """doc_id → the rows of events and event_candidates of each gold document, in id order."""
    import pandas as pd

    from pipeline import load

    out_dir, _ = extract_set(gold_set.inputs, work_dir / gold_set.name)
    tables = load(out_dir, tables=["events", "event_candidates"])
    rows = pd.concat([tables["events"], tables["event_candidates"]], ignore_index=True)
    out = {}
    for doc_id in gold_set.gold:
        mine = rows[rows["doc_id"] == doc_id].sort_values("event_id").to_dict("records")
        out[doc_id] = [{"event_id": r["event_id"], "title": r["title"],
                        "year": None if pd.isna(r["year"]) else int(r["year"]),
                        "evidence_ids": tuple(r["evidence_ids"])} for r in mine]
    return out


def event_examples(sets: list[EventGoldSet], work_dir: Path) -> tuple[list[Example], dict[tuple[str, str], list[dict]]]:
    """Every event row of every gold document, labelled by whether it pairs with a gold
    event; and the rows by (set, document)."""
    from pipeline.evaluate.score import pair_events

    out, by_doc = [], {}
    for gold_set in sets:
        for doc_id, rows in event_rows(gold_set, work_dir).items():
            paired = {j for _, j in pair_events(gold_set.gold[doc_id], rows)}
            by_doc[(gold_set.name, doc_id)] = rows
            out += [Example(gold_set.name, doc_id, (r["event_id"],), r["evidence_ids"], j in paired)
                    for j, r in enumerate(rows)]
    return out, by_doc


def event_cross_validated(sets: list[EventGoldSet], rows: dict[tuple[str, str], list[dict]],
                          held_out: dict[tuple[str, str], dict], threshold: float) -> dict[str, Counts]:
    """Event rows at or over ``threshold`` (left-out confidences) against the gold, as
    ``make evaluate`` pairs them, per set and pooled."""
    from pipeline.evaluate.score import match_events

    counts: dict[str, Counts] = {}
    for gold_set in sets:
        total = Counts(0, 0, 0)
        for doc_id, gold in gold_set.gold.items():
            scores = held_out.get((gold_set.name, doc_id), {})
            kept = [r for r in rows.get((gold_set.name, doc_id), []) if scores.get((r["event_id"],), 0.0) >= threshold]
            total += match_events(gold, kept)
        counts[gold_set.name] = total
    pooled = Counts(0, 0, 0)
    for c in counts.values():
        pooled += c
    return counts | {"pooled": pooled}


EVENT_THRESHOLDS_SHOWN = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6)


def train_events_command(model_path: Path, work_dir: Path, cross_validate: bool = True) -> int:
    """Fit the event model on all event gold, write it, and print (and write) its
    leave-one-document-out figures (threshold 0 is the rows without the model)."""
    from extractors.event_model import DEFAULT_MIN_EVENT_CONFIDENCE

    sets = event_gold_sets()
    all_examples, rows = event_examples(sets, work_dir)
    write_model(model_path, all_examples, sets,
                "logistic regression over event evidence ids (pipeline/evaluate/train.py, extractors/event_model.py)", "event rows")
    if cross_validate:
        held_out = held_out_confidences(all_examples)
        lines = [f"leave-one-document-out, threshold {DEFAULT_MIN_EVENT_CONFIDENCE}", ""]
        lines += _counts_table(event_cross_validated(sets, rows, held_out, DEFAULT_MIN_EVENT_CONFIDENCE))
        names = [s.name for s in sets] + ["pooled"]
        lines += ["", "F1 by threshold (leave-one-document-out; 0.0 = every row, no model)", "",
                  f"{'threshold':<10} " + " ".join(f"{name[:9]:>9}" for name in names)]
        for threshold in EVENT_THRESHOLDS_SHOWN:
            by_set = event_cross_validated(sets, rows, held_out, threshold)
            lines.append(f"{threshold:<10} " + " ".join(f"{by_set[name].f1 or 0.0:9.3f}" for name in names))
        report = "\n".join(lines)
        print(report)
        model_path.with_suffix(".cv.txt").write_text(report + "\n", encoding="utf-8")
    return 0


def _counts_table(scores: dict[str, Counts]) -> list[str]:
    lines = [f"{'set':<20} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name, s in scores.items():
        p, r, f = (v or 0.0 for v in (s.precision, s.recall, s.f1))
        lines.append(f"{name:<20} {p:6.3f} {r:6.3f} {f:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d}")
    return lines
