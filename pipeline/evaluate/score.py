"""Score the pipeline's output against the hand-written gold annotations (tests/gold/).

Matching (see tests/gold/README.md): processes by id; memberships by exact
(process, member, role); dates by (start, end) as multisets; events one-to-one by
equal year and fuzzy title; document fields exactly. Text repair by word error
rate against hand-corrected reference texts; language by paragraph accuracy.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.nlp.fold import fold, fold_lower_keeping_offsets
from pipeline.nlp import titles
from pipeline.nlp.titles import normalise_title
from pipeline.output.tables import iso_at_precision
from pipeline.evaluate.scans import made_scan

EVENT_TITLE_THRESHOLD = 80  # rapidfuzz similarity on normalised titles (see title_similarity)
DOCUMENT_FIELDS = ("symbol", "doc_date", "language", "original_language")
ENTITY_TYPES = ("processes", "memberships", "events", "dates", "document")
REPAIR_STEPS_WORD_LEVEL = ("ocr_confusion",)


# ---------------------------------------------------------------- gold

def load_gold(gold_dir: Path) -> dict[str, dict]:
    """doc_id → annotations, with `same_as` documents resolved to the annotated one."""
    raw = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))}
    gold = {}
    for doc_id, entry in raw.items():
        target = entry
        while "same_as" in target:
            target = raw[target["same_as"]]
        gold[doc_id] = target | {"doc_id": doc_id}
    return gold


# ---------------------------------------------------------------- the real development set

DEFAULT_REALDEV = Path("../shared/realdev")
# the real development sets, by set name: texts the rules were not written from, with gold
DEFAULT_REAL_SETS = {"realdev": DEFAULT_REALDEV, "realdev2": Path("../shared/realdev2")}
# roles of our rows as the realdev gold writes them: it calls participants of a process's
# own session, and signatories, members
REALDEV_ROLES = {"participant": "member"}


def _name_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text or "")))


def realdev_process_ids(registry_csv: Path) -> dict[str, str]:
    """The realdev registry's ids → ours, matched by name (full names and aliases first,
    then acronyms); an id that matches nothing stays as it is (and cannot be found)."""
    import csv

    from extractors.process_registry import registry

    ours = list(registry())
    names = lambda e: {_name_key(n) for n in (e.get("name_en"), e.get("name_es"), *e.get("aliases", [])) if n}  # noqa: E731
    out = {}
    with open(registry_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            theirs = {_name_key(n) for n in (row["name_en"], row["name_es"], *row["aliases"].split("|")) if n}
            acronyms = {a for a in row["acronyms"].split("|") if a}
            match = next((e["process_id"] for e in ours if names(e) & theirs), None) or next(
                (e["process_id"] for e in ours if acronyms & set(e.get("acronyms", []))), None)
            out[row["id"]] = match or row["id"]
    return out


def realdev_org_ids() -> dict[str, str]:
    """'org:IOM' → our organisation id, by acronym in any case ('org:CoE' → council_of_europe)."""
    from extractors.names import ORG_FILE
    from pipeline.nlp.rule_files import read_records

    out = {}
    for org in read_records(ORG_FILE):
        for acronym in org.get("acronyms", []):
            out.setdefault(f"org:{acronym.upper()}", org["org_id"])
    return out


def realdev_member_id(member: str, orgs: dict[str, str]) -> str:
    return orgs.get(f"org:{member[4:].upper()}", member) if member.startswith("org:") else member


def load_realdev_gold(realdev_dir: Path) -> dict[str, dict]:
    """The realdev gold (its own format, GUIDELINES.md there) in the seed gold's shape,
    with process and organisation ids mapped to ours."""
    processes = realdev_process_ids(realdev_dir / "registry.csv")
    orgs = realdev_org_ids()
    gold = {}
    for path in sorted((realdev_dir / "gold").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        meta = raw.get("doc_meta", {})
        gold[path.stem] = {
            "doc_id": path.stem,
            "document": {"symbol": meta.get("symbol"), "doc_date": meta.get("date"),
                         "language": meta.get("language"), "original_language": meta.get("original_language")},
            "processes": [{"process_id": processes.get(p, p)} for p in raw.get("processes", [])],
            "memberships": [{"process_id": processes.get(m["process"], m["process"]), "member_id": realdev_member_id(m["member"], orgs),
                             "role": m["role"]} for m in raw.get("memberships", [])],
            "events": [e | {"process_id": processes.get(e.get("process"), e.get("process"))}
                       for e in raw.get("events", [])],
            "dates": [{"date_start": d["start"], "date_end": d["end"], "text": d.get("text")}
                      for d in raw.get("dates", [])],
        }
    return gold


def extract_realdev(realdev_dir: Path, work_dir: Path, workers: int | None = None):
    """The realdev texts through the pipeline into ``work_dir``/{output,clean} (cached: an
    unchanged re-run costs nothing). Returns (out_dir, clean_dir)."""
    return extract_set((realdev_dir / "texts",), work_dir, workers)


def extract_set(inputs: tuple[Path, ...], work_dir: Path, workers: int | None = None):
    """An evaluation set's inputs through the pipeline into ``work_dir``/{output,clean}
    (cached: an unchanged re-run costs nothing). Returns (out_dir, clean_dir)."""
    from pipeline.run.options import RunOptions
    from pipeline.run.runner import run

    options = RunOptions(inputs=inputs, out_dir=work_dir / "output", clean_dir=work_dir / "clean", quiet=True,
                         mode="replace", **({"workers": workers} if workers else {})).validated()
    run(options)
    return options.out_dir, options.clean_dir


COMPARED_TYPES = ("processes", "memberships", "events", "dates", "document")


def _dev_pdfs_toml(gold_dir: Path) -> dict:
    import tomllib

    return tomllib.loads((gold_dir / "dev_pdfs.toml").read_text(encoding="utf-8"))


def dev_pdf_texts(gold_dir: Path) -> dict[str, str]:
    """PDF stem → doc_id of the seed text it was made from (tests/gold/dev_pdfs.toml)."""
    return _dev_pdfs_toml(gold_dir)["texts"]


def dev_pdf_scans(gold_dir: Path) -> dict[str, tuple[str, str]]:
    """Scan stem → (stem of the dev PDF it is made from, scanner profile) (tests/gold/dev_pdfs.toml [scans])."""
    return {scan: (spec["from"], spec["profile"]) for scan, spec in _dev_pdfs_toml(gold_dir).get("scans", {}).items()}


def extract_dev_pdfs(paths: list[Path], work_dir: Path):
    """The dev PDFs through the pipeline into ``work_dir``/{output,clean} (cached, as the
    realdev set is: OCR of the scans and the photo runs once). Returns (out_dir, clean_dir)."""
    return extract_set(tuple(paths), work_dir)


def realworld_report(pdf_dir: Path, work_dir: Path) -> str:
    """Word recall of other producers' text-layer PDFs against pdftotext, or why it is skipped."""
    from pipeline.evaluate.pdf_words import folder_pdf_words, render_pdf_words

    if not any(pdf_dir.glob("*.pdf")):
        return f"(no PDFs in {pdf_dir}: word recall against pdftotext is skipped)"
    rows = folder_pdf_words(pdf_dir, work_dir)
    if rows is None:
        return "(pdftotext not installed (apt-get install poppler-utils): word recall is skipped)"
    return render_pdf_words(rows)


def pdf_comparison(evaluation: "Evaluation", pdf_texts: dict[str, str]) -> str:
    """Per dev PDF and type: F1 of the PDF against its text's gold, F1 of the text itself
    (the seed set), and the difference."""
    lines = ["## PDF against its text (the same gold)", "",
             f"{'pdf':<36} {'type':<12} {'from .txt':>9} {'from pdf':>9} {'diff':>7}"]
    for pdf, text in pdf_texts.items():
        for etype in COMPARED_TYPES:
            txt = evaluation.value("document", text, etype, "f1", "seed")
            got = evaluation.value("document", pdf, etype, "f1", "dev_pdfs")
            if txt is None and got is None:
                continue
            show = lambda v: "n/a" if v is None else f"{v:.3f}"  # noqa: E731
            diff = "" if txt is None or got is None else f"{got - txt:+.3f}"
            lines.append(f"{pdf[:36]:<36} {etype:<12} {show(txt):>9} {show(got):>9} {diff:>7}")
    return "\n".join(lines)


# ---------------------------------------------------------------- matching

@dataclass(frozen=True, slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def match_multisets(gold: list, predicted: list) -> Counts:
    g, p = Counter(gold), Counter(predicted)
    tp = sum((g & p).values())
    return Counts(tp, sum(p.values()) - tp, sum(g.values()) - tp)


def title_similarity(a: str | None, b: str | None) -> float:
    """token_set_ratio, which forgives a title cut short or given in full ('Workshop on X' vs
    'Workshop on X: Concepts and Data'); but a one- or two-word title would then match any
    title containing its words ('Meeting'), so short titles are compared whole (ratio)."""
    na, nb = normalise_title(a), normalise_title(b)
    if min(len(na.split()), len(nb.split())) < 3:
        return fuzz.ratio(na, nb)
    return titles.title_similarity(na, nb)


def match_events(gold: list[dict], predicted: list[dict], require_year: bool = True) -> Counts:
    pairs = pair_events(gold, predicted, require_year)
    return Counts(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs))


def pair_events(gold: list[dict], predicted: list[dict], require_year: bool = True) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs: best-scoring first; a pair needs equal
    years (unless relaxed) and a title similarity of at least EVENT_TITLE_THRESHOLD."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(predicted):
            if require_year and _year(g) != _year(p):
                continue
            score = title_similarity(g.get("title"), p.get("title"))
            if score >= EVENT_TITLE_THRESHOLD:
                pairs.append((score, i, j))
    used_g, used_p, matched = set(), set(), []
    for score, i, j in sorted(pairs, reverse=True):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            matched.append((i, j))
    return matched


def match_locations(gold: list[dict], predicted: list[dict]) -> Counts:
    """The places of the events matched by title and year, where the gold gives one: a
    predicted place that names the gold's (or the gold's names it: 'Victoria Falls' and
    'Victoria Falls, Zimbabwe') is right; precision is over the matched events that have a
    predicted place, recall (location accuracy) over those whose gold has one."""
    tp = fp = fn = 0
    for i, j in pair_events(gold, predicted):
        g, p = _place_key(gold[i].get("location")), _place_key(predicted[j].get("location"))
        if g and p and (g in p or p in g):
            tp += 1
            continue
        fn += bool(g)
        fp += bool(p) and bool(g)  # a place where the gold names none is not scored
    return Counts(tp, fp, fn)


def _place_key(place) -> str:
    return fold(place).strip() if isinstance(place, str) else ""


def _year(event: dict):
    year = event.get("year")
    return None if year is None or (isinstance(year, float) and pd.isna(year)) else int(year)


def match_document_fields(gold: dict, predicted: dict) -> Counts:
    tp = fp = fn = 0
    for name in DOCUMENT_FIELDS:
        g, p = gold.get(name), _none_if_na(predicted.get(name))
        if g is not None and p == g:
            tp += 1
        else:
            fn += g is not None
            fp += p is not None
    return Counts(tp, fp, fn)


def _none_if_na(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


# ---------------------------------------------------------------- predictions

# the precision column of each table with typed dates: gold writes dates as ISO at their precision
DATE_PRECISION = {"dates": "precision", "events": "date_precision", "documents": None}


def _rows(tables: dict[str, pd.DataFrame], name: str, doc_id: str) -> list[dict]:
    frame = tables.get(name)
    if frame is None or frame.empty:
        return []
    rows = frame[frame["doc_id"] == doc_id].to_dict("records")
    if name in DATE_PRECISION:
        rows = [_dates_as_written(row, DATE_PRECISION[name]) for row in rows]
    return rows


def _dates_as_written(row: dict, precision_field: str | None) -> dict:
    """Typed dates (a day of the interval) back to ISO at their precision, as gold has them."""
    precision = row.get(precision_field) if precision_field else "day"
    for name in ("date_start", "date_end", "doc_date"):
        value = row.get(name)
        if name in row and not isinstance(value, str):
            row[name] = iso_at_precision(value, precision if isinstance(precision, str) else "day")
    return row


def score_document(gold: dict, tables: dict[str, pd.DataFrame], roles: dict[str, str] | None = None) -> dict[str, Counts]:
    """Counts per type for one gold document; ``roles`` maps our roles to the gold's."""
    roles = roles or {}
    doc_id = gold["doc_id"]
    mentions = _rows(tables, "process_mentions", doc_id)
    memberships = _rows(tables, "memberships", doc_id)
    events = _rows(tables, "events", doc_id)
    dates = _rows(tables, "dates", doc_id)
    documents = _rows(tables, "documents", doc_id)
    return {
        "processes": match_multisets(
            sorted({p["process_id"] for p in gold["processes"]}), sorted({m["process_id"] for m in mentions})),
        "memberships": match_multisets(
            sorted({(m["process_id"], m["member_id"], m["role"]) for m in gold["memberships"]}),
            sorted({(m["process_id"], m["member_id"], roles.get(m["role"], m["role"])) for m in memberships})),
        "events": match_events(gold["events"], events),
        "events_title_only": match_events(gold["events"], events, require_year=False),
        "event_locations": match_locations(gold["events"], events),
        "dates": match_multisets(
            [(d["date_start"], d["date_end"]) for d in gold["dates"]],
            [(d["date_start"], d["date_end"]) for d in dates]),
        "document": match_document_fields(gold["document"], documents[0] if documents else {}),
    }


# ---------------------------------------------------------------- text repair

WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def words(text: str) -> list[str]:
    return WORD.findall(text)


@dataclass(frozen=True, slots=True)
class RepairScore:
    """Word-level repair figures. ``wer_*`` are order-sensitive (edit distance over word
    sequences); the ``bag_*`` figures ignore word order, so a document whose columns the
    OCR interleaved is judged on its words, not on a reading order no repair can restore."""

    ref_words: int
    errors_raw: int        # word edit distance raw → reference
    errors_clean: int      # word edit distance clean → reference
    bag_errors_raw: int    # max(missing, extra) words, order ignored
    bag_errors_clean: int
    damaged: int           # words right in raw (in the reference) that repair turned wrong
    correct_raw: int       # raw words found in the reference (multiset intersection)

    @property
    def wer_raw(self) -> float:
        return self.errors_raw / self.ref_words

    @property
    def wer_clean(self) -> float:
        return self.errors_clean / self.ref_words

    @property
    def bag_wer_raw(self) -> float:
        return self.bag_errors_raw / self.ref_words

    @property
    def bag_wer_clean(self) -> float:
        return self.bag_errors_clean / self.ref_words

    @property
    def fixed_share(self) -> float:
        """Share of (order-free) word errors that repair removed."""
        return (self.bag_errors_raw - self.bag_errors_clean) / self.bag_errors_raw if self.bag_errors_raw else 0.0

    @property
    def false_edit_rate(self) -> float:
        return self.damaged / self.correct_raw if self.correct_raw else 0.0


REPAIR_METRICS = ("ref_words", "errors_raw", "errors_clean", "bag_errors_raw", "bag_errors_clean", "damaged",
                  "correct_raw", "wer_raw", "wer_clean", "bag_wer_raw", "bag_wer_clean", "fixed_share",
                  "false_edit_rate")


def _bag_errors(hyp: list[str], ref: list[str]) -> int:
    h, r = Counter(hyp), Counter(ref)
    return max(sum((r - h).values()), sum((h - r).values()))


def score_repair(raw: str, clean: str, reference: str) -> RepairScore:
    ref, raw_w, clean_w = words(reference), words(raw), words(clean)
    ref_bag, raw_bag, clean_bag = Counter(ref), Counter(raw_w), Counter(clean_w)
    correct_raw = raw_bag & ref_bag
    # damaged: right word occurrences of the raw text that the clean text no longer has
    # (removing a surplus copy, such as a running header, is not damage)
    damaged = sum(((correct_raw) - (clean_bag & ref_bag)).values())
    return RepairScore(
        ref_words=len(ref),
        errors_raw=Levenshtein.distance(raw_w, ref),
        errors_clean=Levenshtein.distance(clean_w, ref),
        bag_errors_raw=_bag_errors(raw_w, ref),
        bag_errors_clean=_bag_errors(clean_w, ref),
        damaged=damaged,
        correct_raw=sum(correct_raw.values()),
    )


# ---------------------------------------------------------------- language

def language_accuracy(gold: dict, clean: str, paragraphs: list[dict]) -> tuple[int, int] | None:
    """(correct, total) over pipeline paragraphs, each judged by the gold span that covers
    most of its characters (so a table whose first words precede an anchor is not misjudged)."""
    if not paragraphs or not gold.get("language_spans"):
        return None
    folded = _fold(clean)
    starts, cursor = [], 0
    for span in gold["language_spans"]:
        pos = folded.find(_fold(span["anchor"]), cursor)
        if pos < 0:
            pos = cursor  # anchor lost by repair/OCR: the span starts where the last one did
        starts.append((pos, span["lang"]))
        cursor = pos
    starts[0] = (0, starts[0][1])
    bounds = [(s, starts[i + 1][0] if i + 1 < len(starts) else len(clean) + 1, lang)
              for i, (s, lang) in enumerate(starts)]
    correct = total = 0
    for para in paragraphs:
        a, b = para["char_start"], max(para["char_end"], para["char_start"] + 1)
        overlap: dict[str, int] = {}
        for s, e, lang in bounds:
            overlap[lang] = overlap.get(lang, 0) + max(0, min(b, e) - max(a, s))
        gold_lang = max(overlap, key=overlap.get)
        total += 1
        correct += para.get("lang") == gold_lang
    return correct, total


_fold = fold_lower_keeping_offsets  # lower-case, accent-free, one char per char (so offsets survive)


# ---------------------------------------------------------------- report

@dataclass
class Evaluation:
    rows: list[dict] = field(default_factory=list)
    set_name: str = "seed"  # the gold set the rows being added belong to

    def add(self, scope: str, name: str, kind: str, metric: str, value: float | int | None) -> None:
        self.rows.append({"set": self.set_name, "scope": scope, "name": name, "type": kind, "metric": metric,
                          "value": None if value is None else float(value)})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["set", "scope", "name", "type", "metric", "value"])

    def value(self, scope: str, name: str, kind: str, metric: str, set_name: str = "seed") -> float | None:
        for row in self.rows:
            if (row["set"], row["scope"], row["name"], row["type"], row["metric"]) == (set_name, scope, name, kind, metric):
                return row["value"]
        return None


def describe_errors(gold: dict, tables: dict[str, pd.DataFrame], etype: str, roles: dict[str, str] | None = None) -> list[str]:
    """One line per missed gold item ("missed") and per predicted item without a gold match
    ("spurious") of one entity type in one document: what a reviewer reads to see why a
    score is what it is."""
    doc_id = gold["doc_id"]
    if etype == "events":
        events = _rows(tables, "events", doc_id)
        pairs = pair_events(gold["events"], events)
        hit_g, hit_p = {i for i, _ in pairs}, {j for _, j in pairs}
        show = lambda e: f"{e.get('kind')} | {e.get('title')!r} | {_year(e)}"  # noqa: E731
        rules = lambda e: f"[{e.get('rule_id')} / {'no year' if pd.isna(e.get('year_rule_id')) else e['year_rule_id']}]"  # noqa: E731
        # a missed event's nearest row: the unmatched row whose title matches it, year aside
        missed = [i for i in range(len(gold["events"])) if i not in hit_g]
        left = [j for j in range(len(events)) if j not in hit_p]
        near = {missed[i]: left[j] for i, j in pair_events([gold["events"][i] for i in missed],
                                                           [events[j] for j in left], require_year=False)}
        return ([f"missed    {show(gold['events'][i])}" + (f"  ≈ row {show(events[near[i]])}  {rules(events[near[i]])}"
                                                          if i in near else "  (no row)") for i in missed]
                + [f"spurious  {show(events[j])}  {rules(events[j])}" for j in left])
    if etype == "dates":
        g = Counter((d["date_start"], d["date_end"]) for d in gold["dates"])
        rows = _rows(tables, "dates", doc_id)
        p = Counter((d["date_start"], d["date_end"]) for d in rows)
        texts = {(d["date_start"], d["date_end"]): d.get("text") for d in gold["dates"] + rows}
        return ([f"missed    {k[0]}/{k[1]} {texts[k]!r} x{n}" for k, n in (g - p).items()]
                + [f"spurious  {k[0]}/{k[1]} {texts[k]!r} x{n}" for k, n in (p - g).items()])
    if etype in ("memberships", "processes"):
        roles = roles or {}
        key = (lambda m: (m["process_id"], m["member_id"], roles.get(m["role"], m["role"]))) if etype == "memberships" \
            else (lambda m: m["process_id"])
        g = {key(m) for m in gold[etype]}
        p = {key(m) for m in _rows(tables, "memberships" if etype == "memberships" else "process_mentions", doc_id)}
        return [f"missed    {k}" for k in sorted(g - p)] + [f"spurious  {k}" for k in sorted(p - g)]
    raise ValueError(f"no error listing for {etype!r}")


def input_kind(document_row: dict | None) -> str:
    if not document_row:
        return "missing"
    if document_row.get("n_ocr_pages", 0) and document_row["n_ocr_pages"] > 0:
        return "ocr"
    return "text-layer pdf" if document_row.get("format") == "pdf" else "text"


def evaluate(out_dir: Path, clean_dir: Path, gold_dir: Path, gold: dict[str, dict] | None = None,
             set_name: str = "seed", result: "Evaluation | None" = None, roles: dict[str, str] | None = None) -> Evaluation:
    """Scores of one output against one gold set (``gold``, else the files of ``gold_dir``),
    added to ``result`` under ``set_name``."""
    from pipeline import load

    tables = load(out_dir, tables=SCORED_TABLES)
    gold = load_gold(gold_dir) if gold is None else gold
    documents = {r["doc_id"]: r for r in tables["documents"].to_dict("records")} if "documents" in tables else {}
    result = Evaluation() if result is None else result
    result.set_name = set_name
    by_kind: dict[tuple[str, str], Counts] = {}
    micro: dict[str, Counts] = {}
    for doc_id, doc_gold in gold.items():
        kind = input_kind(documents.get(doc_id))
        for etype, counts in score_document(doc_gold, tables, roles).items():
            _add_counts(result, "document", doc_id, etype, counts)
            micro[etype] = micro.get(etype, Counts()) + counts
            by_kind[(kind, etype)] = by_kind.get((kind, etype), Counts()) + counts
        _evaluate_text(result, doc_id, doc_gold, clean_dir, gold_dir, tables)
    for (kind, etype), counts in sorted(by_kind.items()):
        _add_counts(result, "input_kind", kind, etype, counts)
    for etype, counts in micro.items():
        _add_counts(result, "micro", "all", etype, counts)
    _micro_text(result)
    return result


def _add_counts(result: Evaluation, scope: str, name: str, etype: str, counts: Counts) -> None:
    for metric in ("tp", "fp", "fn"):
        result.add(scope, name, etype, metric, getattr(counts, metric))
    for metric in ("precision", "recall", "f1"):
        result.add(scope, name, etype, metric, getattr(counts, metric))


def _evaluate_text(result, doc_id, annotations, clean_dir, gold_dir, tables) -> None:
    clean_path = clean_dir / f"{doc_id}.txt"
    if not clean_path.exists():
        return
    clean = clean_path.read_text(encoding="utf-8")
    source_path = clean_dir / "source" / f"{doc_id}.txt"
    reference_path = gold_dir / "reference" / f"{doc_id}.txt"
    if reference_path.exists() and source_path.exists():
        score = score_repair(source_path.read_text(encoding="utf-8"), clean,
                             reference_path.read_text(encoding="utf-8"))
        for metric in REPAIR_METRICS:
            result.add("document", doc_id, "repair", metric, getattr(score, metric))
    corrections = _rows(tables, "corrections", doc_id)
    n_words = len(words(clean))
    word_edits = sum(1 for c in corrections if c["step"] in REPAIR_STEPS_WORD_LEVEL and c["applied"])
    result.add("document", doc_id, "repair", "words", n_words)
    result.add("document", doc_id, "repair", "ocr_edits_per_10k_words", 1e4 * word_edits / max(n_words, 1))
    lang = language_accuracy(annotations, clean, _rows(tables, "paragraphs", doc_id))
    if lang is not None:
        result.add("document", doc_id, "language", "correct", lang[0])
        result.add("document", doc_id, "language", "paragraphs", lang[1])
        result.add("document", doc_id, "language", "accuracy", lang[0] / lang[1] if lang[1] else None)


def _micro_text(result: Evaluation) -> None:
    docs = [r for r in result.rows if r["scope"] == "document" and r["set"] == result.set_name]
    correct = sum(r["value"] for r in docs if r["type"] == "language" and r["metric"] == "correct")
    total = sum(r["value"] for r in docs if r["type"] == "language" and r["metric"] == "paragraphs")
    result.add("micro", "all", "language", "accuracy", correct / total if total else None)
    repair = {}
    for r in docs:
        if r["type"] == "repair":
            repair.setdefault(r["metric"], 0.0)
            repair[r["metric"]] += r["value"] or 0.0
    if repair.get("ref_words"):
        words_total = repair["ref_words"]
        result.add("micro", "all", "repair", "wer_raw", repair["errors_raw"] / words_total)
        result.add("micro", "all", "repair", "wer_clean", repair["errors_clean"] / words_total)
        result.add("micro", "all", "repair", "bag_wer_raw", repair["bag_errors_raw"] / words_total)
        result.add("micro", "all", "repair", "bag_wer_clean", repair["bag_errors_clean"] / words_total)
        bag_raw = repair["bag_errors_raw"]
        result.add("micro", "all", "repair", "fixed_share",
                   (bag_raw - repair["bag_errors_clean"]) / bag_raw if bag_raw else 0.0)
        result.add("micro", "all", "repair", "false_edit_rate",
                   repair["damaged"] / repair["correct_raw"] if repair["correct_raw"] else 0.0)


SCORED_TABLES = ("documents", "process_mentions", "memberships", "events", "dates", "corrections", "paragraphs")
SCOPE_ORDER = {"micro": 0, "input_kind": 1, "document": 2}
SET_TITLES = {"seed": "Seed corpus (output/ against tests/gold/)",
              "realdev": "Real development set (../shared/realdev: texts the rules were not written from)",
              "realdev2": "Real development set 2 (../shared/realdev2: 26 more real texts; the membership model is fitted on them, its left-out figures are make train's)",
              "dev_pdfs": "Dev PDFs (../shared/corpus: Word-style PDFs, a scan and a photo of seed texts, "
                          "against their text's gold)"}


def render(evaluation: Evaluation) -> str:
    """One table per gold set, each with its headline micro figures first."""
    frame = evaluation.frame()
    parts = []
    for set_name, group in frame.groupby("set", sort=False):
        ordered = group.assign(_order=group["scope"].map(SCOPE_ORDER)).sort_values("_order", kind="stable")
        parts.append(f"## {SET_TITLES.get(set_name, set_name)}\n\n" + render_set(ordered.drop(columns="_order")))
    return "\n\n".join(parts)


def render_set(frame: pd.DataFrame) -> str:
    lines = []
    prf = frame[frame["metric"].isin(["tp", "fp", "fn", "precision", "recall", "f1"])]
    if not prf.empty:
        header = f"{'scope':<10} {'name':<45} {'type':<18} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"
        lines += [header, "-" * len(header)]
        fmt = lambda v: "   n/a" if v is None or pd.isna(v) else f"{v:6.3f}"  # noqa: E731
        for (scope, name, etype), group in prf.groupby(["scope", "name", "type"], sort=False):
            m = dict(zip(group["metric"], group["value"]))
            lines.append(f"{scope:<10} {name[:45]:<45} {etype:<18} {fmt(m['precision'])} {fmt(m['recall'])} "
                         f"{fmt(m['f1'])} {int(m['tp']):5d} {int(m['fp']):5d} {int(m['fn']):5d}")
    other = frame[~frame["metric"].isin(["tp", "fp", "fn", "precision", "recall", "f1"])]
    if not other.empty:
        lines += ["", f"{'scope':<10} {'name':<45} {'type':<10} {'metric':<26} {'value':>10}"]
        for row in other.itertuples():
            value = "n/a" if pd.isna(row.value) else (f"{row.value:.4f}" if row.value % 1 else f"{int(row.value)}")
            lines.append(f"{row.scope:<10} {row.name[:45]:<45} {row.type:<10} {row.metric:<26} {value:>10}")
    return "\n".join(lines)


def evaluate_command(out_dir: Path, clean_dir: Path, gold_dir: Path, errors: list[str] | None = None,
                     real_sets: dict[str, Path | None] | None = None, dev_pdf_dir: Path | None = None,
                     realworld_dir: Path | None = None) -> int:
    from pipeline.errors import ExitCode
    from pipeline.output.corpus_outputs import write_datapackage
    from pipeline.output.storage import write_table
    from pipeline.output.tables import EVALUATION

    if not (out_dir / "documents.parquet").exists() and not (out_dir / "documents.csv").exists():
        print(f"error: no pipeline output in {out_dir}; run `make extract` first")
        return ExitCode.BAD_ARGS
    evaluation = evaluate(out_dir, clean_dir, gold_dir)
    scored_real = []  # (set name, gold, output folder)
    for set_name, real_dir in (DEFAULT_REAL_SETS if real_sets is None else real_sets).items():
        if real_dir is None:
            continue
        if not (real_dir / "gold").is_dir():
            print(f"(no real development set at {real_dir}: {set_name} is not scored)\n")
            continue
        rd_out, rd_clean = extract_realdev(real_dir, out_dir / set_name)
        gold = load_realdev_gold(real_dir)
        evaluate(rd_out, rd_clean, real_dir, gold=gold, set_name=set_name, result=evaluation, roles=REALDEV_ROLES)
        scored_real.append((set_name, gold, rd_out))
    pdf_texts = dev_pdf_texts(gold_dir) if dev_pdf_dir is not None else {}
    pdf_texts = {pdf: text for pdf, text in pdf_texts.items() if (dev_pdf_dir / f"{pdf}.pdf").exists()}
    dev = None
    if pdf_texts:
        seed_gold = load_gold(gold_dir)
        paths = [dev_pdf_dir / f"{pdf}.pdf" for pdf in pdf_texts]
        for scan, (source, profile) in dev_pdf_scans(gold_dir).items():  # scans made here of dev PDFs
            if source in pdf_texts:
                paths.append(made_scan(dev_pdf_dir / f"{source}.pdf", out_dir / "dev_pdfs" / "made" / f"{scan}.pdf",
                                       profile))
                pdf_texts[scan] = pdf_texts[source]
        dev_out, dev_clean = extract_dev_pdfs(paths, out_dir / "dev_pdfs")
        dev = ({pdf: seed_gold[text] | {"doc_id": pdf} for pdf, text in pdf_texts.items()}, dev_out)
        evaluate(dev_out, dev_clean, gold_dir, gold=dev[0], set_name="dev_pdfs", result=evaluation)
    elif dev_pdf_dir is not None:
        print(f"(no dev PDFs in {dev_pdf_dir}: the PDF-vs-text comparison is skipped)\n")
    print(render(evaluation))
    if pdf_texts:
        print("\n" + pdf_comparison(evaluation, pdf_texts))
    if realworld_dir is not None:
        print("\n" + realworld_report(realworld_dir, out_dir / "realworld_pdfs"))
    write_table(EVALUATION, evaluation.rows, out_dir)
    write_datapackage(out_dir)  # it now lists evaluation.csv too
    print(f"\nwritten: {out_dir / 'evaluation.csv'}")
    if errors:
        from pipeline import load

        sets = [("seed", load_gold(gold_dir), out_dir, {})] + [(name, gold, where, REALDEV_ROLES)
                                                               for name, gold, where in scored_real] \
            + ([("dev_pdfs", *dev, {})] if dev else [])
        for set_name, gold, where, roles in sets:
            tables = load(where, tables=SCORED_TABLES)
            for doc_id, doc_gold in gold.items():
                for etype in errors:
                    lines = describe_errors(doc_gold, tables, etype, roles)
                    if lines:
                        print(f"\n## {set_name} {doc_id}: {etype}")
                        print("\n".join(lines))
    return ExitCode.OK
