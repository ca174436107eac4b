"""The document-level extractor: every rule family over one document's paragraphs.

``extract_document`` is the stage function: clean text and its paragraphs in, table rows
out. Offsets in every row point into corpus/clean/<doc_id>.txt. The paragraphs are parsed
once into a frozen ``DocumentContext`` that every rule family reads.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from extractors.context import DocumentContext, ParagraphContext, document_context
from extractors.dates import iso_interval
from extractors.event_rows import EventCandidate, document_event_rows
from extractors.event_titles import ordinal_value, readable_title
from extractors.event_dating import place_in_sentence
from extractors.events import event_mentions, timeline_line_mentions
from extractors.event_model import DEFAULT_MIN_EVENT_CONFIDENCE, scored_event_rows
from extractors.member_model import DEFAULT_MIN_CONFIDENCE
from extractors.membership_rows import EVIDENCE_CHARS, decided_membership_rows, document_membership_rows
from extractors.nlp import with_first_span
from pipeline.output.tables import mention_span
from extractors.memberships import membership_rows_with_sessions
from extractors.process_registry import process_rows
from pipeline.nlp.titles import normalise_title


def extract_document(doc_id: str, text: str, paragraphs: list[dict], page_of: Callable[[int], int],
                     doc_year: int | None = None,
                     min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                     min_event_confidence: float = DEFAULT_MIN_EVENT_CONFIDENCE,
                     doc_date: str | None = None) -> dict[str, list[dict]]:
    """Rows of process_mentions, dates, events, memberships, and the membership and event
    candidates their models score under ``min_confidence`` and ``min_event_confidence`` (and
    discovered processes). ``doc_date``: the document's own date (ISO), which dates said
    relative to it ('ayer', 'el año pasado') are read against; ``doc_year`` its year, or the
    year a masthead states when the document has no full date."""
    context = document_context(doc_id, text, paragraphs, page_of, doc_year, doc_date)
    rows = {"process_mentions": [], "dates": [], "events": [], "memberships": [], "processes": []}
    discovered: dict[str, str] = {}
    events: dict[tuple, EventCandidate] = {}
    timeline_lines: dict[int, list] = {}  # sessions written one per line, by paragraph
    for para, e in timeline_line_mentions(context.paragraphs):
        timeline_lines.setdefault(para.index, []).append(e)
    for para in context.paragraphs:
        base, common = para.start, {"doc_id": doc_id, "lang": para.lang}
        for m in para.mentions:
            rows["process_mentions"].append(common | {
                "process_id": m.process_id, "text": m.text, "page": page_of(base + m.start),
                "section_id": para.section_id, "char_start": base + m.start, "char_end": base + m.end,
                "rule_id": m.rule_id})
            if m.discovered_name:
                discovered.setdefault(m.process_id, m.discovered_name)
        for d in para.dates:
            rows["dates"].append(common | {
                "text": d.text, "date_start": d.date_start, "date_end": d.date_end, "precision": d.precision,
                "is_range": d.is_range, "page": page_of(base + d.start), "section_id": para.section_id,
                "char_start": base + d.start, "char_end": base + d.end, "rule_id": d.rule_id})
        for e in event_mentions(para) + timeline_lines.get(para.index, []):
            key = (normalise_title(e.title), e.year)
            if key in events:  # a later mention of the same event: its place is kept
                events[key] = replace(events[key], mention_spans=events[key].mention_spans + (
                    mention_span(base + e.start, base + e.end),))
                continue
            s_start = max(0, e.start - 150)
            events[key] = EventCandidate(
                f"e{len(events) + 1:03d}", e.kind, e.title, e.when, e.location or place_in_sentence(para.text, e.start, e.end),
                event_process(context, para, e.start, e.end),
                para.lang, page_of(base + e.start), base + e.start, base + e.end,
                " ".join(para.text[s_start:e.end + 150].split())[:EVIDENCE_CHARS], e.rule_id, e.needs_date,
                any((d.date_start, d.date_end) == (e.when.date_start, e.when.date_end) and "yearless" in d.rule_id
                    for d in para.dates), e.title_rules, (mention_span(base + e.start, base + e.end),))

    decided = document_event_rows(list(events.values()), context.paragraphs)
    sessions = scored_event_rows([event_row(doc_id, e) for e in decided], title_rules=[e.title_rules for e in decided])
    rows["events"] = [e for e in sessions if e["confidence"] >= min_event_confidence]
    rows["event_candidates"] = [e for e in sessions if e["confidence"] < min_event_confidence]
    for n, row in enumerate(rows["dates"], start=1):
        row.update(date_id=f"d{n:04d}", date_iso=iso_interval(row["date_start"], row["date_end"]))
    for n, row in enumerate(rows["process_mentions"], start=1):
        row["mention_id"] = f"m{n:04d}"
    accepted, held = decided_membership_rows(context, document_membership_rows(context), min_confidence)
    rows["memberships"] = membership_rows_with_sessions(accepted, sessions, paragraphs)
    rows["membership_candidates"] = membership_rows_with_sessions(held, sessions, paragraphs)
    rows["processes"] = [{"process_id": pid, "name_en": name, "name_es": None, "acronyms": None, "aliases": None,
                          "region": None, "founded_year": None, "source": "discovered"}
                         for pid, name in discovered.items()]
    return rows


def event_row(doc_id: str, e: EventCandidate) -> dict:
    """A row of the events table."""
    return {"doc_id": doc_id, "lang": e.lang, "event_id": e.event_id, "kind": e.kind, "title": readable_title(e.title),
            "title_as_written": e.title, "session_number": ordinal_value(e.title), "catalog_id": None,
            "year": e.year, "date_start": e.date_start, "date_end": e.date_end, "date_precision": e.when.precision,
            "date_iso": iso_interval(e.date_start, e.date_end), "location": e.location and e.location.place,
            "location_rule_id": e.location and e.location.rule_id, "process_id": e.process_id,
            "page": e.page, "char_start": e.char_start, "char_end": e.char_end, "evidence": e.evidence,
            "rule_id": e.rule_id, "year_rule_id": e.when.rule_id,
            "mention_spans": with_first_span(e.mention_spans, e.char_start, e.char_end)}



def event_process(context: DocumentContext, para: ParagraphContext, start: int, end: int) -> str | None:
    """The process an event is about: named in its title, else earlier in the paragraph,
    else first in its section, else the document's dominant process."""
    inside = [m for m in para.mentions if start <= m.start < end]
    if inside:
        return inside[0].process_id
    before = [m for m in para.mentions if m.end <= start]
    if before:
        return before[-1].process_id
    return context.section_process(para) or context.dominant_process


__all__ = ["extract_document", "process_rows"]
