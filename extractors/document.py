"""The document-level extractor: every rule family over one document's paragraphs.

``extract_document`` is the stage function: clean text and its paragraphs in, table rows
out. Offsets in every row point into corpus/clean/<doc_id>.txt.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Callable

from extractors.dates import find_dates, last_stated_year, reporting_period, stated_years
from extractors.event_rows import document_event_rows
from extractors.events import event_mentions, normalise_title, ordinal_value, readable_title
from extractors.memberships import (heading_list, is_subheading, list_mentions, membership_rows_with_sessions, names_only,
                                    numbered_sessions, statement_mentions, table_mentions, with_count_note)
from extractors.names import find_names
from extractors.nlp import doc_text, pipeline_for
from extractors.processes import names_in, process_mentions, process_rows
from pipeline.tables import iso_interval

EVIDENCE_CHARS = 300
# a process named as such that neither the registry nor discovery knows ('el Proceso de Quito')
OTHER_PROCESS = re.compile(r"\b(?:Proceso|Process)\s+(?:de|of)\s+[A-ZÁÉÍÓÚÑ][\w-]+|\b[A-ZÁÉÍÓÚÑ][\w-]+\s+Process\b")
# between a predicate and the process it is about: '… hold observer status in the Abu Dhabi Dialogue'
COMPLEMENT_GAP = re.compile(r"\s*(?:in|of|to|within|at|en|de|del|dentro\s+de)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?", re.I)
NEARBY_PARAGRAPHS = 3    # a statement naming no process may take the one named this few paragraphs above
TITLE_LINE_CHARS = 160   # a line this short that names a numbered session is that session's title
SESSION_TITLE_REACH = 3  # paragraphs below a session's title line that still describe that session
# 'the Consultation', 'la Conferencia': a session word with a capital after an article refers to
# the numbered session the document is about, once one has been named
SESSION_REFERENCE = re.compile(r"\b(?:the|this|la|esta|el|este)\s+(?:(?:Ministerial|Regional|Plenary|Ministerial)\s+)?"
                               r"(?:Conference|Consultation|Meeting|Session|Summit|Conferencia|Consulta|Reuni[oó]n|Sesi[oó]n|"
                               r"Cumbre|Encuentro)\b")
DOMINANT_SHARE = 0.8
PERIOD_REACH = 3000  # chars from the start where a report states the period it covers


def with_other_language_dates(dates: list, text: str, other: str) -> list:
    """A paragraph in one language may carry a date in the other ('17 November 2005' in the
    header of a Spanish paper): the other language's dates are added when they state their
    own year and overlap none found."""
    extra = [d for d in find_dates(text, other) if "yearless" not in d.rule_id
             and not any(d.start < x.end and x.start < d.end for x in dates)]
    return sorted(dates + extra, key=lambda d: d.start) if extra else dates


def extract_document(doc_id: str, text: str, paragraphs: list[dict], page_of: Callable[[int], int],
                     doc_year: int | None = None) -> dict[str, list[dict]]:
    """Rows of process_mentions, dates, events, memberships (and discovered processes)."""
    docs = []
    for para in paragraphs:
        lang = para["lang"] if para["lang"] in ("es", "en") else "en"
        docs.append(pipeline_for(lang)(text[para["char_start"]:para["char_end"]]))
    named = set().union(*(names_in(d) for d in docs)) if docs else set()

    mentions_by_para = [process_mentions(d, named) for d in docs]
    counts = Counter(m.process_id for ms in mentions_by_para for m in ms if not m.process_id.startswith("discovered."))
    main_process = counts.most_common(1)[0][0] if counts else None
    # a document "about" one process: statements without a named process belong to it
    dominant = main_process if counts and counts[main_process] >= max(3, DOMINANT_SHARE * sum(counts.values())) else None
    # the process a short page is about (dominant without the minimum count)
    sole_process = main_process if counts and counts[main_process] >= DOMINANT_SHARE * sum(counts.values()) else None

    rows = {"process_mentions": [], "dates": [], "events": [], "memberships": [], "processes": []}
    discovered = {}
    year_context = doc_year
    period = None  # the period the report covers, stated near its start
    open_list = None
    list_process = None  # the process a list introduced by "… son:" belongs to
    recent: tuple[str, str] | None = None  # (section_id, process_id) of the last mention
    section_process: dict[str, str] = {}
    events: dict[tuple, dict] = {}
    memberships: dict[tuple, dict] = {}
    section_heading: dict[str, str] = {}
    session_title_at: int | None = None  # index of the last paragraph that is a numbered session's title
    last_named: tuple[int, str] | None = None  # (paragraph index, process) of the last registry process named
    named_so_far: set[str] = set()              # registry processes the document has named so far
    section_processes: dict[str, set[str]] = {}  # and per section
    pending: list[tuple] = []  # names under a heading naming a role, until the list ends

    def record_membership(f, base: int, ptext: str, process_id: str | None) -> None:
        if process_id is None or process_id.startswith("discovered."):
            return
        key = (process_id, f.member_id, f.role)
        if key in memberships:
            memberships[key]["n_mentions"] += 1
            return
        # the year the statement holds for: the cover's, or for a signatory, founder or joiner
        # the one year its sentence states (a participant's is its session's, set below)
        years = {y for _, y in stated_years(ptext[f.evidence_start:f.evidence_end])} if f.year_from_sentence else set()
        memberships[key] = {
            "doc_id": doc_id, "membership_id": f"mb{len(memberships) + 1:04d}", "process_id": process_id,
            "member_type": f.member_type, "member_id": f.member_id, "member_name": f.member_name, "role": f.role,
            "basis": f.basis, "year": years.pop() if len(years) == 1 else doc_year, "event_id": None,
            "note": f.note, "page": page_of(base + f.start),
            "char_start": base + f.start, "char_end": base + f.end,
            "evidence": " ".join(ptext[f.evidence_start:f.evidence_end].split())[:EVIDENCE_CHARS],
            "rule_id": f.rule_id, "n_mentions": 1,
            "_statement": (base + f.evidence_start, base + f.evidence_end)}

    def flush_pending() -> None:
        if pending and open_list is not None:
            noted = with_count_note([f for f, _, _ in pending], open_list)
            for f, (_, base, ptext) in zip(noted, pending):
                record_membership(f, base, ptext, f.process_hint)
        pending.clear()

    for index, (para, doc, mentions) in enumerate(zip(paragraphs, docs, mentions_by_para)):
        base, ptext, lang = para["char_start"], doc_text(doc), para["lang"]
        common = {"doc_id": doc_id, "lang": lang}

        for m in mentions:
            rows["process_mentions"].append(common | {
                "process_id": m.process_id, "text": m.text, "page": page_of(base + m.start),
                "section_id": para["section_id"], "char_start": base + m.start, "char_end": base + m.end,
                "rule_id": m.rule_id})
            if m.discovered_name:
                discovered.setdefault(m.process_id, m.discovered_name)
        if mentions:
            section_process.setdefault(para["section_id"], mentions[0].process_id)

        dates = find_dates(ptext, lang if lang in ("es", "en") else None, year_context, period)
        if lang in ("es", "en"):
            dates = with_other_language_dates(dates, ptext, "en" if lang == "es" else "es")
        if period is None and base < PERIOD_REACH:
            period = reporting_period(ptext, dates)
        for d in dates:
            rows["dates"].append(common | {
                "text": d.text, "date_start": d.date_start, "date_end": d.date_end, "precision": d.precision,
                "is_range": d.is_range, "page": page_of(base + d.start), "section_id": para["section_id"],
                "char_start": base + d.start, "char_end": base + d.end, "rule_id": d.rule_id})
        year_context = last_stated_year(ptext) or year_context

        def process_near(start: int, end: int, use_section: bool = True) -> str | None:
            """The process a statement is about: named in it, else earlier in the paragraph,
            else (for events) the section's, else the document's dominant process."""
            inside = [m for m in mentions if start <= m.start < end]
            if inside:
                return inside[0].process_id
            before = [m for m in mentions if m.end <= start]
            if before:
                return before[-1].process_id
            return (section_process.get(para["section_id"]) if use_section else None) or dominant

        names = find_names(ptext)
        organisations = [(n.start, n.end) for n in names if n.kind == "organization"]
        countries = [(n.start, n.end) for n in names if n.kind == "country"]
        for e in event_mentions(doc, dates, [(m.start, m.end) for m in mentions], organisations, text, base, countries):
            key = (normalise_title(e.title), e.year)
            if key in events:
                continue
            s_start = max(0, e.start - 150)
            events[key] = common | {
                "event_id": f"e{len(events) + 1:03d}", "kind": e.kind, "title": e.title, "year": e.year,
                "date_start": e.date_start, "date_end": e.date_end, "date_precision": e.precision,
                "location": e.location, "process_id": process_near(e.start, e.end),
                "page": page_of(base + e.start), "char_start": base + e.start, "char_end": base + e.end,
                "evidence": " ".join(ptext[s_start:e.end + 150].split())[:EVIDENCE_CHARS], "rule_id": e.rule_id,
                "needs_date": e.needs_date,
                "year_inferred": any((d.date_start, d.date_end) == (e.date_start, e.date_end) and "yearless" in d.rule_id
                                     for d in dates)}

        def membership_process(f) -> str | None:
            """The process the statement's sentence names (the last before the list, else the
            first), else one named earlier in the paragraph, else the section's, else the
            document's main process. A process the registry lacks that the sentence names takes
            the statement (and the row is dropped): 'el Proceso de Quito, que reúne a …' is not
            the list of the process the paragraph is about."""
            inside = [m for m in mentions if f.evidence_start <= m.start < f.evidence_end]
            for other in OTHER_PROCESS.finditer(ptext, f.evidence_start, f.evidence_end):
                if not any(m.start <= other.start() < m.end for m in mentions):
                    return None
            complement = [m for m in inside if f.complement_at is not None and f.complement_at <= m.start
                          and COMPLEMENT_GAP.fullmatch(ptext[f.complement_at:m.start])]
            if complement:  # 'Japan … hold observer status in the Abu Dhabi Dialogue'
                return complement[0].process_id
            if inside:
                before = [m for m in inside if m.start < f.start]
                return (before[-1] if before else inside[0]).process_id
            named = [m for m in mentions if not m.process_id.startswith("discovered.")]
            earlier = [m for m in named if m.end <= f.evidence_start]
            if earlier:
                return earlier[-1].process_id
            # a paragraph that names no process speaks for its section's or the document's
            # process only where no other could be meant: a section, or the document so far,
            # that names one process ('five member states (…)' in a report on many processes
            # may be anybody's member states)
            in_section = section_processes.get(para["section_id"], set())
            if len(in_section) == 1:
                return next(iter(in_section))
            if not in_section and len(named_so_far) == 1 and last_named and index - last_named[0] <= NEARBY_PARAGRAPHS:
                return last_named[1]
            return sole_process

        # memberships: a headed list or a list after a colon continues in the paragraphs below
        found: list = []
        # a name inside a process's name ('IGAD' of 'IGAD-RCP') is no member of anything
        names = [n for n in names if not any(m.start <= n.start and n.end <= m.end for m in mentions)]
        if len(ptext) <= TITLE_LINE_CHARS and "\n" not in ptext.strip() and numbered_sessions(ptext):
            session_title_at = index  # a title line ('3rd Ministerial Conference') over field lines
        if para["kind"] == "heading":
            section_heading[para["section_id"]] = ptext
        heading = heading_list(ptext, lang)
        if open_list is not None and open_list.heading and is_subheading(ptext):
            continue  # 'Estados:' under 'OBSERVADORES': the list goes on
        if open_list is not None and not heading and (para["kind"] == "list" or names_only(ptext, names)):
            found = [replace(f, process_hint=list_process) for f in list_mentions(ptext, names, open_list)]
            if open_list.heading:
                pending += [(f, base, ptext) for f in found]
                found = []
        else:
            if open_list is not None and open_list.heading:
                flush_pending()
            open_list = None
        if heading:
            flush_pending()
            open_list = heading
            list_process = (mentions[0].process_id if mentions else None) or section_process.get(
                para["section_id"]) or sole_process
        elif para["kind"] == "table":
            def process_at(start, end, _mentions=mentions):
                hit = [m for m in _mentions if start <= m.start < end]
                return hit[0].process_id if hit else None
            found = table_mentions(ptext, names, process_at)
        elif not found:
            titled = bool(numbered_sessions(section_heading.get(para["section_id"], ""))) or (
                session_title_at is not None and index - session_title_at <= SESSION_TITLE_REACH) or (
                session_title_at is not None and bool(SESSION_REFERENCE.search(ptext)))
            found, colon_list = statement_mentions(ptext, names, lang, [(m.start, m.end) for m in mentions], titled)
            if colon_list is not None:
                open_list = colon_list
                list_process = process_near(len(ptext), len(ptext), use_section=False) or (
                    recent[1] if recent and recent[0] == para["section_id"] else None) or sole_process
        if mentions:
            recent = (para["section_id"], mentions[-1].process_id)
            named_here = [m for m in mentions if not m.process_id.startswith("discovered.")]
            if named_here:
                last_named = (index, named_here[-1].process_id)
                named_so_far.update(m.process_id for m in named_here)
                section_processes.setdefault(para["section_id"], set()).update(m.process_id for m in named_here)
        for f in found:
            record_membership(f, base, ptext, f.process_hint or membership_process(f))
    flush_pending()

    rows["events"] = [e | {"date_iso": iso_interval(e["date_start"], e["date_end"]),
                           "session_number": ordinal_value(e["title"]), "title": readable_title(e["title"]),
                           "title_as_written": e["title"], "catalog_id": None}
                      for e in document_event_rows(list(events.values()), paragraphs, rows["dates"], text)]
    for n, row in enumerate(rows["dates"], start=1):
        row.update(date_id=f"d{n:04d}", date_iso=iso_interval(row["date_start"], row["date_end"]))
    for n, row in enumerate(rows["process_mentions"], start=1):
        row["mention_id"] = f"m{n:04d}"
    rows["memberships"] = membership_rows_with_sessions(list(memberships.values()), rows["events"], paragraphs)
    rows["processes"] = [{"process_id": pid, "name_en": name, "name_es": None, "acronyms": None, "aliases": None,
                          "region": None, "founded_year": None, "source": "discovered"}
                         for pid, name in discovered.items()]
    return rows


__all__ = ["extract_document", "process_rows"]
