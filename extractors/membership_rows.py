"""Document-level steps for memberships: which process each statement's list belongs to,
and lists that run on below the paragraph that opened them.

``document_membership_rows`` walks the paragraphs once. A paragraph either continues an
open list (a headed list, or a statement ending in a colon, goes on through the list and
name-only paragraphs below it), is a table, or is read for statements by
``memberships.statement_mentions``. Each found name becomes one row per (process, member,
role); later mentions count in ``n_mentions``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.context import DocumentContext, ParagraphContext
from extractors.dates import stated_years
from pipeline.output.tables import mention_span
from extractors.memberships import (MemberMention, OpenList, heading_list, is_subheading, list_mentions, names_only,
                                    numbered_sessions, statement_mentions, statement_process, table_mentions,
                                    with_count_note)
from pipeline.nlp.titles import is_title_line

EVIDENCE_CHARS = 300
# a process named as such that neither the registry nor discovery knows ('el Proceso de Tegucigalpa')
OTHER_PROCESS = re.compile(r"\b(?:Proceso|Process)\s+(?:de|of)\s+[A-ZÁÉÍÓÚÑ][\w-]+|\b[A-ZÁÉÍÓÚÑ][\w-]+\s+Process\b")
# between a predicate and the process it is about: '… hold observer status in the Abu Dhabi Dialogue'
COMPLEMENT_GAP = re.compile(r"\s*(?:in|of|to|within|at|en|de|del|dentro\s+de)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?", re.I)
NEARBY_PARAGRAPHS = 3    # a statement naming no process may take the one named this few paragraphs above
SESSION_TITLE_REACH = 3  # paragraphs below a session's title line that still describe that session
# 'the Consultation', 'la Conferencia': a session word with a capital after an article refers to
# the numbered session the document is about, once one has been named
SESSION_REFERENCE = re.compile(r"\b(?:the|this|la|esta|el|este)\s+(?:(?:Ministerial|Regional|Plenary|Ministerial)\s+)?"
                               r"(?:Conference|Consultation|Meeting|Session|Summit|Conferencia|Consulta|Reuni[oó]n|Sesi[oó]n|"
                               r"Cumbre|Encuentro)\b")


@dataclass
class _Walk:
    """What the walk down the paragraphs remembers (local to one document)."""
    open_list: OpenList | None = None
    list_process: str | None = None          # the process the open list belongs to
    pending: list[tuple[MemberMention, ParagraphContext]] = field(default_factory=list)  # a headed list's names
    session_title_at: int | None = None      # index of the last paragraph that is a numbered session's title
    recent: tuple[str, str] | None = None    # (section_id, process_id) of the last process mention
    last_named: tuple[int, str] | None = None  # (paragraph index, process) of the last registry process named
    named_so_far: set[str] = field(default_factory=set)  # registry processes named so far
    section_processes: dict[str, set[str]] = field(default_factory=dict)  # and per section


def document_membership_rows(context: DocumentContext) -> list[dict]:
    """Membership rows of the document, in the order their statements appear (before
    ``membership_rows_with_sessions`` gives participants their session)."""
    rows: dict[tuple, dict] = {}
    walk = _Walk()

    def record(f: MemberMention, para: ParagraphContext, process_id: str | None) -> None:
        if process_id is None or process_id.startswith("discovered."):
            return
        key = (process_id, f.member_id, f.role)
        if key in rows:
            rows[key]["n_mentions"] += 1
            rows[key]["mention_spans"].append(mention_span(para.start + f.start, para.start + f.end))
        else:
            rows[key] = _membership_row(context, para, f, process_id, f"mb{len(rows) + 1:04d}")

    def flush_pending() -> None:
        if walk.pending and walk.open_list is not None:
            noted = with_count_note([f for f, _ in walk.pending], walk.open_list)
            for f, (_, para) in zip(noted, walk.pending):
                record(f, para, f.process_hint)
        walk.pending.clear()

    for para in context.paragraphs:
        found = _paragraph_found(context, para, walk, flush_pending)
        if found is None:
            continue  # 'Estados:' under 'OBSERVADORES': the list goes on
        if para.mentions:
            walk.recent = (para.section_id, para.mentions[-1].process_id)
            named_here = para.registry_mentions
            if named_here:
                walk.last_named = (para.index, named_here[-1].process_id)
                walk.named_so_far.update(m.process_id for m in named_here)
                walk.section_processes.setdefault(para.section_id, set()).update(m.process_id for m in named_here)
        for f in found:
            record(f, para, f.process_hint or _statement_process(context, para, f, walk))
    flush_pending()
    return list(rows.values())


def _paragraph_found(context: DocumentContext, para: ParagraphContext, walk: _Walk, flush_pending) -> list | None:
    """The mentions a paragraph gives (a headed list's are held back until it ends), or None
    for a subheading inside a headed list."""
    found: list = []
    ptext = para.text
    # a name inside a process's name ('IGAD' of 'IGAD-RCP') is no member of anything
    names = [n for n in para.names if not any(m.start <= n.start and n.end <= m.end for m in para.mentions)]
    if is_title_line(ptext) and numbered_sessions(ptext):
        walk.session_title_at = para.index  # a title line ('3rd Ministerial Conference') over field lines
    heading = heading_list(ptext, para.lang)
    if walk.open_list is not None and walk.open_list.heading and is_subheading(ptext):
        return None
    if walk.open_list is not None and not heading and (para.kind == "list" or names_only(ptext, names)):
        found = [replace(f, process_hint=walk.list_process) for f in list_mentions(ptext, names, walk.open_list)]
        if walk.open_list.heading:
            walk.pending += [(f, para) for f in found]
            found = []
    else:
        if walk.open_list is not None and walk.open_list.heading:
            flush_pending()
        walk.open_list = None
    if heading:
        flush_pending()
        walk.open_list = heading
        walk.list_process = (para.mentions[0].process_id if para.mentions else None) or context.section_process(
            para) or context.sole_process
    elif para.kind == "table":
        def process_at(start, end):
            hit = [m for m in para.mentions if start <= m.start < end]
            return hit[0].process_id if hit else None
        found = table_mentions(ptext, names, process_at)
    elif not found:
        at = walk.session_title_at
        titled = bool(numbered_sessions(context.section_headings.get(para.section_id, ""))) or (
            at is not None and (para.index - at <= SESSION_TITLE_REACH or bool(SESSION_REFERENCE.search(ptext))))
        found, colon_list = statement_mentions(ptext, names, para.lang, para.process_spans, titled)
        if colon_list is not None:
            walk.open_list = colon_list
            # the list after '… son:' belongs to the process the paragraph names last, else
            # the document's, else the one named last in this section
            walk.list_process = (para.mentions[-1].process_id if para.mentions else context.dominant_process) or (
                walk.recent[1] if walk.recent and walk.recent[0] == para.section_id else None) or context.sole_process
    return found


def _statement_process(context: DocumentContext, para: ParagraphContext, f: MemberMention, walk: _Walk) -> str | None:
    """The process the statement's sentence names (the last before the list, else the
    first), else one named earlier in the paragraph, else the section's, else the
    document's main process. A process the registry lacks that the sentence names takes
    the statement (and the row is dropped): 'el Proceso de Tegucigalpa, que reúne a …' is not
    the list of the process the paragraph is about."""
    ptext, mentions = para.text, para.mentions
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
    earlier = statement_process([m for m in para.registry_mentions if m.end <= f.evidence_start], ptext)
    if earlier is not None:
        return earlier.process_id
    # a paragraph that names no process speaks for its section's or the document's process
    # only where no other could be meant: a section, or the document so far, that names one
    # process ('five member states (…)' in a report on many processes may be anybody's)
    in_section = walk.section_processes.get(para.section_id, set())
    if len(in_section) == 1:
        return next(iter(in_section))
    if not in_section and len(walk.named_so_far) == 1 and walk.last_named \
            and para.index - walk.last_named[0] <= NEARBY_PARAGRAPHS:
        return walk.last_named[1]
    return context.sole_process


def _membership_row(context: DocumentContext, para: ParagraphContext, f: MemberMention, process_id: str,
                    membership_id: str) -> dict:
    base, ptext = para.start, para.text
    # the year the statement holds for: the cover's, or for a signatory, founder or joiner
    # the one year its sentence states (a participant's is its session's, set later)
    years = {y for _, y in stated_years(ptext[f.evidence_start:f.evidence_end])} if f.year_from_sentence else set()
    return membership_row(
        context, membership_id=membership_id, process_id=process_id, member_type=f.member_type,
        member_id=f.member_id, member_name=f.member_name, role=f.role, basis=f.basis,
        year=years.pop() if len(years) == 1 else context.year, note=f.note, start=base + f.start, end=base + f.end,
        statement=(base + f.evidence_start, base + f.evidence_end), rule_id=f.rule_id)


def membership_row(context: DocumentContext, *, process_id: str, member_type: str, member_id: str, member_name: str,
                   role: str, basis: str, year: int | None, note: str | None, start: int, end: int,
                   statement: tuple[int, int], rule_id: str, n_mentions: int = 1, membership_id: str = "",
                   mentions: tuple[str, ...] = ()) -> dict:
    """A row of the memberships table (offsets in the document text; ``_statement`` is the
    span of the sentence stating it, dropped by ``membership_rows_with_sessions``;
    ``mentions``: the spans of its later statements)."""
    return {
        "doc_id": context.doc_id, "membership_id": membership_id, "process_id": process_id,
        "member_type": member_type, "member_id": member_id, "member_name": member_name, "role": role,
        "basis": basis, "year": year, "event_id": None, "note": note, "page": context.page_of(start),
        "char_start": start, "char_end": end,
        "evidence": " ".join(context.text[statement[0]:statement[1]].split())[:EVIDENCE_CHARS],
        "rule_id": rule_id, "n_mentions": n_mentions, "mention_spans": [mention_span(start, end), *mentions],
        "_statement": statement}


# ---------------------------------------------------------------- decisions

def decided_membership_rows(context: DocumentContext, rule_rows: list[dict],
                            min_confidence: float) -> tuple[list[dict], list[dict]]:
    """The document's membership rows, list first: every candidate of
    ``member_candidates`` is scored by ``member_model`` from its evidence, one row per
    (process, member, role) with its best candidate's confidence and evidence ids. A row a
    cue rule stated keeps that rule's row (year, basis, rule id, note). Returns the rows at
    or over ``min_confidence`` (memberships) and those under it (membership_candidates),
    each in text order (before ``membership_rows_with_sessions``)."""
    from extractors.member_candidates import document_candidates
    from extractors.member_model import confidence, strongest

    by_key = {(r["process_id"], r["member_id"], r["role"]): r for r in rule_rows}
    best: dict[tuple, tuple[float, object]] = {}
    spans: dict[tuple, list[str]] = {}
    for c in document_candidates(context, rule_rows):
        if c.process_id is None or c.process_id.startswith("discovered."):
            continue
        key = (c.process_id, c.member_id, c.role)
        score = confidence(c.evidence_ids)
        spans.setdefault(key, []).append(mention_span(c.start, c.end))
        if key not in best or score > best[key][0]:
            best[key] = (score, c)
    rows = []
    for key, (score, c) in best.items():
        row = by_key.get(key) or _candidate_row(context, c, strongest(c.evidence_ids), spans[key])
        rows.append(row | {"confidence": round(score, 4), "evidence_ids": list(c.evidence_ids)})
    rows.sort(key=lambda r: r["char_start"])
    accepted = [r for r in rows if r["confidence"] >= min_confidence]
    held = [r for r in rows if r["confidence"] < min_confidence]
    for prefix, group in (("mb", accepted), ("mc", held)):
        for n, row in enumerate(group, start=1):
            row["membership_id"] = f"{prefix}{n:04d}"
    return accepted, held


def _candidate_row(context: DocumentContext, c, strongest_id: str | None, spans: list[str]) -> dict:
    """A membership row for a candidate no cue rule stated (``spans``: of every candidate
    with its key, in text order)."""
    own = mention_span(c.start, c.end)
    return membership_row(
        context, process_id=c.process_id, member_type=c.member_type, member_id=c.member_id,
        member_name=c.member_name, role=c.role, basis="list", year=context.year, note=None, start=c.start, end=c.end,
        statement=(c.evidence_start, c.evidence_end), rule_id=_list_rule_id(strongest_id),
        n_mentions=len(spans), mentions=tuple(dict.fromkeys(s for s in spans if s != own)))


def _list_rule_id(strongest_id: str | None) -> str:
    """'list.<the evidence it rests on most>': 'list.cue.member.before', 'list.size6'."""
    if not strongest_id:
        return "list"
    return strongest_id if strongest_id.startswith("list.") else f"list.{strongest_id}"
