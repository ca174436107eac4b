"""List-first membership candidates: every list of state and organisation names (and every
single name) a document holds, each with the process it is attributed to, a role, and the
ids of the evidence around it. Which candidates are memberships is decided afterwards by
``member_model`` from that evidence, with weights fitted to the gold (``make train``).

- **Lists** are runs of names with only separators, articles, conjunctions and a few
  capitalised words between them, inside one sentence or one name a line; consecutive
  name-only paragraphs (a list under a heading or an introducing sentence) are one list
  whose "before" text is the paragraph that introduces them.
- **Attribution by scope**: the process of the cue rule that found the name, else the
  process named in the list's own sentence (the last before the list, else the first
  after), else earlier in its paragraph, else in the introducing paragraph, else the
  section's, else one named a few paragraphs above, else the document's main process.
- **Evidence** is rows of ``patterns/membership_evidence.jsonl`` (cue words and negative
  cues, each looked for in windows: before the list in its sentence, after it, right
  after the name, in the section heading) plus structure (list size, one name a line, a
  table, the scope the process came from) and the cue rules of ``memberships`` that
  found the name (``rule.<basis>``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from extractors.context import DocumentContext, ParagraphContext
from extractors.memberships import (MEMBER_STATES_AFTER, _without_qualifiers, is_list_gap, load_grammar, names_only,
                                    numbered_sessions, statement_process)
from extractors.names import find_names
from extractors.nlp import DATA, PATTERNS
from pipeline.nlp.caches import per_document
from pipeline.nlp.fold import fold, fold_lower_keeping_offsets
from pipeline.nlp.literals import GatedPattern, LiteralScan
from pipeline.nlp.sentences import sentence_bounds, sentence_start
from pipeline.nlp.rule_files import read_records

EVIDENCE_PATH = PATTERNS / "membership_evidence.jsonl"
WORLD_REGIONS_PATH = DATA / "world_regions.jsonl"
DEFAULT_ITEM_WINDOW = 40       # characters after a name read for its own role ('X (observer since 2007)')
DEFAULT_AFTER_WINDOW = 160     # characters after a list (within its sentence) read for a predicate
DEFAULT_BEFORE_WINDOW = 240    # characters before a list (within its sentence, or its intro) read for a cue
DEFAULT_SINGLE_BEFORE_WINDOW = 80  # the same for a single name: its cue is close ('admitted as members: X')
BLOCKER_REACH = 80             # characters before a list a host/chair or sub-body blocker is looked for in
NEARBY_PARAGRAPHS = 3          # a list naming no process may take one named this few paragraphs above
MAX_LINE_LIST_PARAGRAPHS = 80  # name-only paragraphs one intro can head
DEFAULT_CLOSE_BEFORE_WINDOW = 40  # a role word this close before a list is the list's own
DEFAULT_NEAR_AFTER_WINDOW = 60  # what follows a list closely enough to state its role ('… have observer status')
# a new clause after a list: its role words are about something else
NEAR_AFTER_END = re.compile(r"\b(?:asi\s+como|as\s+well\s+as|ademas\s+de|in\s+addition|along\s+with|junto\s+con)\b|[;.]")
LOCATIVE_BEFORE = re.compile(r"\b(?:en|in|at|desde|from)\s+(?:the\s+|el\s+|la\s+)?$")
OBSERVER_WORD = re.compile(r"\bobserv(?:er|ers|ador|adores|adora|adoras)\b")
MEMBER_WORD = re.compile(r"\b(?:members?|miembros?|participating|participantes|partner\s+countries|paises\s+socios)\b")
# a capitalised word hyphenated right before or after a name ('Puebla-Panamá')
COMPOUND_BEFORE = re.compile(r"(?<![\w-])([A-ZÁÉÍÓÚÑ][^\W\d_]+)-$")
COMPOUND_AFTER = re.compile(r"-([A-ZÁÉÍÓÚÑ][^\W\d_]+)(?![\w-])")
# what stands between two items of an enumeration ('A, B and C', 'A, B, y C')
ENUMERATION_SEPARATOR = re.compile(r"(?:\s*,\s*(?:and\s+|y\s+|e\s+)?|\s+(?:and|y|e|&)\s+)")
# evidence that a list states a role (its absence is the no_cue feature)
POSITIVE_EVIDENCE = ("cue.member.", "cue.compose.", "cue.founding.", "cue.join.", "cue.observer.", "cue.participation.",
                     "nearest_before.")
# negative cue records and rule blockers (patterns/membership_evidence.jsonl, the cue rules)
NEGATIVE_CUES = ("neg.", "block.")
# evidence against a list's being members: its fitted weight is never positive (pipeline/evaluate/train.py)
NEGATIVE_EVIDENCE = (*NEGATIVE_CUES, "single.negative", "no_cue")
# a role word between two names ends the list before it ('Members: A, B; Observers: C')
ROLE_BREAK = re.compile(r"\b(?:observ\w*|members?|miembros?|participant\w*|chair\w*|presid\w*|host\w*)\b")


@dataclass(frozen=True, slots=True)
class EvidenceRule:
    id: str
    windows: tuple[str, ...]
    pattern: GatedPattern  # a window seldom holds the words of a rule: the literal gate answers first


@lru_cache(maxsize=1)
def evidence_rules() -> tuple[EvidenceRule, ...]:
    return tuple(EvidenceRule(e["id"], tuple(e["windows"]), GatedPattern(re.compile(e["pattern"]))) for e in read_records(EVIDENCE_PATH))


@dataclass(frozen=True, slots=True)
class MemberCandidate:
    """One name of one list, attributed: the unit the model scores."""

    member_type: str
    member_id: str
    member_name: str
    process_id: str | None
    role: str
    para_index: int
    start: int                 # offsets in the document text
    end: int
    evidence_start: int        # the sentence (or intro and list) it stands in
    evidence_end: int
    evidence_ids: tuple[str, ...]
    rule_id: str | None = None  # the cue rule that found it, if one did
    basis: str = "list"


@dataclass(frozen=True, slots=True)
class NameList:
    para_index: int
    items: tuple              # NameMention, offsets in their paragraph
    paragraphs: tuple[int, ...]  # one per item (a line list spans paragraphs)
    before: str               # folded text before the list (its sentence, or its intro paragraph)
    after: str                # folded text after the list in its sentence
    sentence: tuple[int, int]  # document offsets of the sentence (or intro .. list end)
    kind: str                 # inline, lines or table
    intro_index: int | None = None


def document_candidates(context: DocumentContext, rule_rows: list[dict]) -> list[MemberCandidate]:
    """Every name of every list in the document, attributed and with its evidence ids.
    ``rule_rows`` are the cue rules' membership rows (``document_membership_rows``): a name
    they found takes their process and role, and their basis as evidence."""
    by_span = {}
    for row in rule_rows:
        by_span.setdefault(row["char_start"], row)
    n_processes = len({m.process_id for p in context.paragraphs for m in p.registry_mentions})
    doc_evidence = "doc.one_process" if n_processes <= 1 else "doc.many_processes"
    out = []
    for names in name_lists(context):
        found = [_candidate(context, names, item, context.paragraphs[p_index],
                            by_span.get(context.paragraphs[p_index].start + item.start), doc_evidence)
                 for item, p_index in zip(names.items, names.paragraphs)]
        if any(c.rule_id for c in found):  # a cue rule read part of this list: the rest is likely the same list
            found = [c if c.rule_id else replace(c, evidence_ids=c.evidence_ids + ("list.partly_ruled",))
                     for c in found]
        out += found + [second for c in found for second in _second_roles(c)]
    # what a rule stated that no list holds ('all South American countries' → its states)
    listed = {c.start for c in out}
    for row in rule_rows:
        if row["char_start"] not in listed:
            ids = (f"rule.{row['basis']}", "scope.rule", doc_evidence, f"role.{row['role']}")
            start, end = row["_statement"]
            out.append(MemberCandidate(row["member_type"], row["member_id"], row["member_name"], row["process_id"],
                                       row["role"], -1, row["char_start"], row["char_end"], start, end, ids,
                                       row["rule_id"], row["basis"]))
    return out


def name_lists(context: DocumentContext) -> list[NameList]:
    """The lists of the document, in text order."""
    lists: list[NameList] = []
    run: list[tuple[int, list]] = []  # name-only paragraphs in a row: (index, names)

    def flush_run() -> None:
        if not run:
            return
        first = run[0][0]
        intro = _intro_index(context, first)
        before = fold(context.paragraphs[intro].text[-DEFAULT_BEFORE_WINDOW:]) if intro is not None else ""
        para0 = context.paragraphs[first]
        start = context.paragraphs[intro].start if intro is not None else para0.start
        items = tuple(n for _, names in run for n in names)
        lists.append(NameList(first, items, tuple(i for i, names in run for _ in names), before, "",
                              (start, context.paragraphs[run[-1][0]].end), "lines", intro))
        run.clear()

    for para in context.paragraphs:
        names = member_names(para)
        if not names:
            if para.kind != "heading" or len(run) > MAX_LINE_LIST_PARAGRAPHS:
                flush_run()
            continue
        if para.kind != "table" and _is_name_lines(para, names):
            run.append((para.index, names))
            continue
        flush_run()
        lists += _inline_lists(para, names)
    flush_run()
    return lists


def member_names(para: ParagraphContext) -> list:
    """The names of a paragraph that could be members: not inside a process's name ('IGAD'
    of 'IGAD-RCP'), not an organisation that only qualifies the name before it."""
    names = [n for n in para.names if not any(m.start <= n.start and n.end <= m.end for m in para.mentions)]
    return _without_qualifiers(para.text, [n for n in names if not _in_compound(para.text, n, names)
                                           and not _in_region_enumeration(para.text, n, names)])


def _in_compound(text: str, name, names: list) -> bool:
    """A name hyphenated to a word that is no name is part of a proper noun ('el Plan
    Puebla-Panamá'); two names hyphenated ('Mexico-US border') stay names."""
    starts, ends = {n.start for n in names}, {n.end for n in names}
    head = max(0, name.start - 40)
    before = COMPOUND_BEFORE.search(text[head:name.start])
    after = COMPOUND_AFTER.match(text, name.end)
    return bool(before and head + before.end(1) not in ends or after and after.start(1) not in starts)


@lru_cache(maxsize=1)
def _region_enumeration() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """World-region names (data/world_regions.jsonl), and runs of them just before and just
    after a name."""
    names = sorted((n for row in read_records(WORLD_REGIONS_PATH) for n in row["names"]), key=len, reverse=True)
    region = "(?:" + "|".join(re.escape(n) for n in names) + ")"
    separator = ENUMERATION_SEPARATOR.pattern
    return (re.compile(rf"(?<![\w-]){region}(?![\w-])"), re.compile(rf"(?<![\w-])(?:{region}{separator})+$"),
            re.compile(rf"(?:{separator}{region}(?![\w-]))+"))


def _in_region_enumeration(text: str, name, names: list) -> bool:
    """A name enumerated with world regions only is a region there ('in Europe, North America
    and Australia'): two or more regions beside it, no other name."""
    region, before_run, after_run = _region_enumeration()
    before = before_run.search(text, max(0, name.start - 120), name.start)
    after = after_run.match(text, name.end)
    regions = sum(len(region.findall(m.group(0))) for m in (before, after) if m)
    if regions < 2:
        return False
    ends, starts = {n.end for n in names}, {n.start for n in names}
    first = before.start() if before else name.start
    last = after.end() if after else name.end
    name_before = any(ENUMERATION_SEPARATOR.fullmatch(text, e, first) for e in ends if e < first)
    name_after = any(ENUMERATION_SEPARATOR.fullmatch(text, last, s) for s in starts if s > last)
    return not (name_before or name_after)


def _is_name_lines(para: ParagraphContext, names: list) -> bool:
    """Every line of the paragraph is names (a bullet, a number, a note in parentheses at most)."""
    start = 0
    for line in para.text.split("\n"):
        end = start + len(line)
        in_line = [replace(n, start=n.start - start, end=n.end - start) for n in names if start <= n.start < end]
        if line.strip() and not (in_line and names_only(line, in_line, True)):
            return False
        start = end + 1
    return True


def _intro_index(context: DocumentContext, first: int) -> int | None:
    """The paragraph that introduces a list of name-only paragraphs: the one just above
    (a heading or a sentence ending in a colon, usually)."""
    return first - 1 if first > 0 else None


def _inline_lists(para: ParagraphContext, names: list) -> list[NameList]:
    text = para.text
    folded = fold_lower_keeping_offsets(text)
    sentence_of = {n.start: sentence_start(text, n.start) for n in names}
    groups: list[list] = []
    for n in names:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end:n.start]
            same_sentence = sentence_of[prev.start] == sentence_of[n.start]
            if (same_sentence or re.fullmatch(r"\s*[,;]\s*", gap) or "\n" in gap and re.fullmatch(r"[\s,;•·*\-–]*", gap)) \
                    and is_list_gap(gap) \
                    and not ROLE_BREAK.search(re.sub(r"\([^()]*\)", " ", folded[prev.end:n.start])):
                groups[-1].append(n)
                continue
        groups.append([n])
    out = []
    for group in groups:
        s_start = sentence_bounds(text, group[0].start)[0]
        s_end = sentence_bounds(text, group[-1].start)[1]
        reach = DEFAULT_BEFORE_WINDOW if len(group) > 1 else DEFAULT_SINGLE_BEFORE_WINDOW
        before = folded[max(s_start, group[0].start - reach):group[0].start]
        after = folded[group[-1].end:min(s_end, group[-1].end + DEFAULT_AFTER_WINDOW)]
        if before.count("(") > before.count(")"):  # a list in parentheses: '9 Member States (A, B) and 4 Observers (C)'
            after = after[:after.find(")") + 1] if ")" in after else after
        out.append(NameList(para.index, tuple(group), (para.index,) * len(group), before, after,
                            (para.start + s_start, para.start + s_end), "table" if para.kind == "table" else "inline"))
    return out


@lru_cache(maxsize=1)
def _evidence_scan() -> LiteralScan:
    return LiteralScan(rule.pattern for rule in evidence_rules())


@per_document(maxsize=4096)
def _window_evidence(window: str, text: str) -> tuple[str, ...]:
    """The evidence records that fire in one window's text, as '<id>.<window>'."""
    return tuple(f"{rule.id}.{window}" for rule, may_match in zip(evidence_rules(), _evidence_scan().open(text))
                 if may_match and window in rule.windows and rule.pattern.regex.search(text))


@per_document(maxsize=1024)
def _list_evidence(before: str, after: str, heading: str, sentence: str) -> tuple[str, ...]:
    """The evidence a list's items share: its windows, the blockers of the cue rules, a
    numbered session in its sentence (computed once per list)."""
    folded_sentence = fold(sentence)
    near_after = NEAR_AFTER_END.split(after[:DEFAULT_NEAR_AFTER_WINDOW], maxsplit=1)[0]
    ids = [i for window, text in (("before", before), ("after", after), ("near_after", near_after),
                                  ("heading", heading), ("sentence", folded_sentence))
           for i in _window_evidence(window, text)]
    for blocker in load_grammar().blockers:  # the cue rules' blockers, as negative evidence
        if blocker.where == "sentence" and blocker.pattern.search(folded_sentence):
            ids.append(f"{blocker.id}.sentence")
        elif blocker.where in ("gap", "before_cue") and blocker.pattern.search(before[-BLOCKER_REACH:]):
            ids.append(f"{blocker.id}.before")
    if "cue.session.sentence" in ids and numbered_sessions(sentence):  # (a session word first: cheaper)
        ids.append("session.numbered")
    return tuple(ids)


def _size_bucket(n: int) -> str:
    return "list.size1" if n == 1 else "list.size2" if n == 2 else "list.size3_5" if n <= 5 else "list.size6"


def _candidate(context: DocumentContext, names: NameList, item, para: ParagraphContext, rule: dict | None,
               doc_evidence: str) -> MemberCandidate:
    folded_para = fold_lower_keeping_offsets(para.text)
    # up to the next name: what follows the last item of a list is not about it
    next_name = min((n.start for n in para.names if n.start >= item.end), default=len(para.text))
    item_window = folded_para[item.end:min(next_name, item.end + DEFAULT_ITEM_WINDOW)]
    item_window = item_window.split("\n")[0] if names.kind == "lines" else re.split(r"[,;]", item_window)[0]
    ids = [_size_bucket(len(names.items)), f"list.{names.kind}"]
    if item.kind == "organization":
        ids.append("name.organization")
    if "fuzzy" in item.rule_id:
        ids.append("name.fuzzy")
    if LOCATIVE_BEFORE.search(folded_para[max(0, item.start - 12):item.start]):
        ids.append("name.after_locative")  # 'se reunió en México', 'held in Bangkok, Thailand'
    if MEMBER_STATES_AFTER.match(item_window):
        ids.append("name.org_qualifier")  # 'SADC Member States': the states are meant, not SADC
    ids += _list_evidence(names.before, names.after, fold(context.section_headings.get(para.section_id, "")),
                          context.text[names.sentence[0]:names.sentence[1]])
    ids += _window_evidence("item", item_window)
    if len(names.items) == 1 and not any(i.startswith(("cue.join.", "cue.observer.item", "cue.observer.after"))
                                         for i in ids):
        ids.append("single.no_status_cue")  # one name, no joining or status stated of it
    if len(names.items) == 1 and any(i.startswith("neg.") and not i.endswith(".sentence") for i in ids):
        ids.append("single.negative_cue")  # 'seleccionaron a México como Presidente'
    if len(names.items) == 1 and any(i.startswith(NEGATIVE_CUES) and i.endswith(".item") for i in ids):
        ids.append("single.negative_item")
    if "neg.org_members.before" in ids and "cue.session.sentence" in ids:
        ids.append("org_members.at_session")  # 'the 12 ECOWAS Member States attended the session, represented by: …'
    nearest = _nearest_role(names.before)
    if nearest:
        ids.append(f"nearest_before.{nearest}")
    close = _nearest_role(names.before[-DEFAULT_CLOSE_BEFORE_WINDOW:])
    if close:
        ids.append(f"close_before.{close}")  # 'Members: A, B', '9 Member States (A, B
    if rule is None and not any(i.startswith(POSITIVE_EVIDENCE) for i in ids):
        ids.append("no_cue")  # nothing around the list says what it is a list of
        if any(i.startswith(NEGATIVE_CUES) and not i.endswith(".sentence") for i in ids):
            ids.append("no_cue.negative")  # and something says it is a list of something else
    if any(i.startswith(NEGATIVE_CUES) and i.endswith(".item") for i in ids) and not any(
            i.startswith(POSITIVE_EVIDENCE) for i in ids):
        ids.append("item.negative_only")  # 'Guatemala ejerció la Presidencia', 'hosted by Kenya', no cue for it
    process_id, scope = _attributed_process(context, names, para, item)
    column = table_cell_role(para.text, item.start, _header_above(context, para)) \
        if CELL_SEPARATOR.search(para.text) else None
    if column is not None:
        column_role, row_start, row_end = column
        ids.append(f"table.{column_role}_column")
        in_row = [m for m in para.registry_mentions if row_start <= m.start < row_end]
        if in_row:
            process_id, scope = in_row[0].process_id, "table_row"
    if rule is not None:
        ids.append(f"rule.{rule['basis']}")
        process_id, scope = rule["process_id"], "rule"
    ids.append(f"scope.{scope}")
    ids.append(doc_evidence)
    role = rule["role"] if rule is not None else column[0] if column is not None else _role(ids)
    ids.append(f"role.{role}")
    return MemberCandidate(item.kind, item.id, item.text, process_id, role, para.index, para.start + item.start,
                           para.start + item.end, names.sentence[0], names.sentence[1], tuple(ids),
                           rule["rule_id"] if rule is not None else None, rule["basis"] if rule is not None else "list")


@per_document(maxsize=256)
def _nearest_role(before: str) -> str | None:
    """The role word closest before a list ('9 Member States (A, B) and 4 Observers (C)').
    Cached: every name of a list asks about the same text before it."""
    found = [(m.end(), role) for role, pattern in (("observer", OBSERVER_WORD), ("member", MEMBER_WORD))
             for m in pattern.finditer(before)]
    return max(found)[1] if found else None


def _second_roles(c: MemberCandidate) -> list[MemberCandidate]:
    """'Nosotros, los Viceministros de A, B y C, Países Miembros de la CRM, reunidos en la XXVI
    Reunión': a list of members at a session of their process states both roles; the
    other role is a candidate of its own (the model decides it). So is an organisation's
    observer role where an observer word stands after it or its list."""
    if c.rule_id is not None:
        return []
    has = set(c.evidence_ids).__contains__
    others = []
    if c.role == "participant" and (has("cue.member.before") or has("cue.member.after")):
        others.append("member")
    elif c.role == "member" and _participation_at_session(has):
        others.append("participant")
    if c.role != "observer" and c.member_type == "organization" and (
            has("cue.observer.after") or has("cue.observer.near_after") or has("cue.observer.item")):
        others.append("observer")
    kept = tuple(i for i in c.evidence_ids if not i.startswith("role."))
    return [replace(c, role=role, evidence_ids=kept + (f"role.{role}", "role.second")) for role in others]


def _role(ids: list[str]) -> str:
    """The role the evidence around a list states: an observer word right after the name or
    the list (before another clause starts), else the role word nearest before the list,
    else the heading's, else participation in a session, else member."""
    has = set(ids).__contains__
    if has("cue.observer.item") or has("close_before.observer") or (
            has("cue.observer.near_after") and not has("close_before.member")) or (
            has("nearest_before.observer") and not has("close_before.member")) or (
            has("cue.observer.heading") and not has("nearest_before.member")):
        return "observer"
    if _participation_at_session(has) and not has("cue.member.before"):
        return "participant"
    return "member"


def _participation_at_session(has) -> bool:
    """A participation word around the list, and a session in its sentence."""
    return (has("cue.participation.before") or has("cue.participation.after")) and (
        has("cue.session.sentence") or has("session.numbered"))


def _attributed_process(context: DocumentContext, names: NameList, para: ParagraphContext, item) -> tuple[str | None, str]:
    """The process a list belongs to, and the scope it was found in."""
    s_start, s_end = names.sentence[0] - para.start, names.sentence[1] - para.start
    mentions = [m for m in para.registry_mentions]
    inside = [m for m in mentions if s_start <= m.start < s_end and names.kind != "lines"]
    if inside:
        # 'X brought together the Colombo Process countries and A, B': a process's countries
        # are a group in the list, the list is X's (unless no other process is named before it)
        before = statement_process([m for m in inside if m.end <= names.items[0].start], para.text)
        if before is not None:
            return before.process_id, "sentence"
        # named only after the list: 'A, B and C are members of X'; but in a relative clause
        # ('… signed the Declaration, which recognises X') X is what was talked about
        if not RELATIVE_CLAUSE.search(fold_lower_keeping_offsets(para.text), names.items[-1].end, inside[0].start):
            return inside[0].process_id, "sentence_after"
        # its own evidence id: the section or document scope would take the same mention
        return inside[0].process_id, "relative_clause"
    earlier = statement_process([m for m in mentions if m.end <= item.start], para.text)
    if earlier is not None:
        return earlier.process_id, "paragraph"
    if names.intro_index is not None and context.paragraphs[names.intro_index].registry_mentions:
        return context.paragraphs[names.intro_index].registry_mentions[-1].process_id, "intro"
    section = context.section_process(para)
    if section:
        return section, "section"
    for back in range(para.index - 1, max(-1, para.index - 1 - NEARBY_PARAGRAPHS), -1):
        named = context.paragraphs[back].registry_mentions
        if named:
            return named[-1].process_id, "previous"
    if mentions:
        return mentions[0].process_id, "paragraph_after"
    return context.main_process, "document" if context.main_process else "none"


RELATIVE_CLAUSE = re.compile(r",\s*(?:que|quien(?:es)?|cuy[oa]s?|el\s+cual|la\s+cual|which|who|whose|where|donde)\b")
CELL_SEPARATOR = re.compile(r"\t|\s\|\s")
COLUMN_ROLES = (("observer", re.compile(r"observ")),  # a participants column lists members, as the rules read it
                ("member", re.compile(r"member|miembro|integrante|socio|partner|particip")))


def table_cell_role(text: str, pos: int, header: tuple | None = None) -> tuple[str, int, int] | None:
    """The role of the table column ``pos`` stands in ('Proceso | Miembros | Observadores'
    over rows of cells separated by bars or tabs), with the start and end of its row; None
    outside such a table. ``header``: the column roles of a header paragraph above."""
    return next(((role, a, b) for a, b, cells in _table_rows(text, header) for c_start, c_end, role in cells
                 if c_start <= pos < c_end), None)


def _header_above(context: DocumentContext, para: ParagraphContext) -> tuple | None:
    """The column roles of the header row over a table whose rows are paragraphs of their own."""
    if len(_cells(para.text.split("\n")[0])) < 2:
        return None
    for back in range(para.index - 1, -1, -1):
        text = context.paragraphs[back].text
        if len(_cells(text.split("\n")[-1])) < 2:
            return None
        roles = _header_roles(text.split("\n")[-1])
        if roles is not None:
            return roles
    return None


@per_document(maxsize=1024)
def _header_roles(line: str) -> tuple | None:
    """The column roles of a header row: some cell names a role and none a state. Cached:
    each name of each row of a table asks about the rows above it."""
    bounds = _cells(line)
    header = tuple(next((role for role, pattern in COLUMN_ROLES if pattern.search(fold(line[a:b]))), None)
                   for a, b in bounds)
    if len(bounds) >= 2 and any(header) and not any(find_names(line[a:b]) for a, b in bounds):
        return header
    return None


@per_document(maxsize=256)
def _table_rows(text: str, header: tuple | None = None) -> tuple:
    """(row start, row end, ((cell start, cell end, role), ...)) of each row under a header
    that names member or observer columns."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    rows, roles = [], header
    for start, line in lines:
        bounds = _cells(line)
        if len(bounds) < 2:
            roles = None
            continue
        header_here = _header_roles(line)
        if header_here is not None:
            roles = header_here
            continue
        if roles is not None:
            rows.append((start, start + len(line), tuple((start + a, start + b, role) for (a, b), role
                                                          in zip(bounds, roles) if role)))
    return tuple(rows)


def _cells(line: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in CELL_SEPARATOR.finditer(line):
        out.append((start, m.start()))
        start = m.end()
    return out + [(start, len(line))] if out else []

