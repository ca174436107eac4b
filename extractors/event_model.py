"""The event model: evidence ids for each event row and weights over them
(``data/event_model.json``, fitted by ``make train``) that give the row a confidence.

The evidence is what the title and dating steps already decided, named: the title rule
(its ``event.*`` rule id), what stopped the title on each side (the title grammar's
``title.start.*`` / ``title.end.*``), the dating strategy (its ``year.*`` id, or ``year.none``), the
date's precision, the rule that read the place
(``location.*``) or none, whether a process was found, the session number, the
title's shape (length, a function word at its end as in a cut title, a lower-case start,
capitalised words) and how many events the document gives. A logistic regression over
them (``member_model.confidence``) is the row's confidence; rows under the threshold go to
``event_candidates`` for review.
"""
from __future__ import annotations

from pathlib import Path

from extractors.member_model import confidence, load_model

EVENT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "event_model.json"
# rows under it go to event_candidates: a threshold with the best pooled leave-one-document-out F1 (make train prints them)
DEFAULT_MIN_EVENT_CONFIDENCE = 0.2
# a title ending in one of these was cut ('Meeting of the', 'Conferencia sobre')
FUNCTION_WORDS = frozenset(("of", "the", "de", "del", "la", "el", "los", "las", "on", "sobre", "and", "y", "e", "en",
                            "in", "for", "para", "a", "an", "to", "with", "con", "its", "su", "sus", "at", "por", "by"))
MANY_EVENTS = 15   # a document giving this many is a history, a calendar, an activity report
FEW_EVENTS = 2


def title_length_id(words: int) -> str:
    if words <= 1:
        return "title.words1"
    if words <= 3:
        return "title.words2_3"
    if words <= 8:
        return "title.words4_8"
    return "title.words9_14" if words <= 14 else "title.words15"


def event_evidence(row: dict, n_document_events: int, title_rules: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The evidence ids of one events row (its title, rule ids, date, place and process;
    title_rules: the title grammar's ids for where its title starts and ends)."""
    words = (row["title"] or "").split()
    ids = [row["rule_id"], *title_rules, row["year_rule_id"] or "year.none",
           f"precision.{row['date_precision'] or 'none'}", row.get("location_rule_id") or "location.none",
           f"kind.{row['kind']}", title_length_id(len(words))]
    if row["process_id"] is None:
        ids.append("process.none")
    if row["session_number"] is not None:
        ids.append("title.numbered")
    if words and words[-1].lower().strip(",.;:") in FUNCTION_WORDS:
        ids.append("title.ends_function_word")
    if words and words[0][:1].islower():
        ids.append("title.lower_first")
    content = [w for w in words if w.lower() not in FUNCTION_WORDS and w[:1].isalpha()]
    if len(content) >= 3 and sum(w[:1].isupper() for w in content) >= 0.8 * len(content):
        ids.append("title.capitalised")
    if n_document_events >= MANY_EVENTS:
        ids.append("document.many_events")
    elif n_document_events <= FEW_EVENTS:
        ids.append("document.few_events")
    return tuple(ids)


def scored_event_rows(rows: list[dict], model: dict | None = None,
                      title_rules: list[tuple[str, ...]] | None = None) -> list[dict]:
    """The events rows of one document, each with its ``confidence`` and ``evidence_ids``
    (rows at or over the threshold are events, the rest event_candidates)."""
    model = load_model(EVENT_MODEL_PATH) if model is None else model
    out = []
    for row, rules in zip(rows, title_rules or [()] * len(rows)):
        ids = event_evidence(row, len(rows), rules)
        out.append(row | {"confidence": round(confidence(ids, model), 4), "evidence_ids": list(ids)})
    return out
