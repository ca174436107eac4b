"""Member and observer lists: prose lists after a trigger ("Los países miembros son: …",
"observers: …"), lists that follow a trigger ending in a colon, and participant columns of
tab-separated tables. Triggers are data (patterns/membership_triggers.jsonl)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from extractors.nlp import DATA, PATTERNS, doc_text, fold, phrase_to_pattern, read_jsonl

PARTICIPANT_HEADER = re.compile(r"particip|member|miembro|observ", re.I)
# what may stand between a trigger and the first name of its list
LIST_INTRODUCER = re.compile(
    r"^\s*(?:\(|:|,|\s)*\s*(?:(?:son|are|were|fueron|include|includes|incluyen|incluye|comprise|comprenden|"
    r"namely|a saber|such as|como|is|es|será|will be)\b[\s:,]*)?(?:the\s+|los\s+|las\s+|la\s+|el\s+)?$", re.I)
# "… are members", "… participate as observers", "… also have observer status"
PREDICATE_BEFORE = re.compile(
    r"\b(?:are|son|is|es|were|fueron|participate as|participan como|participa como|have|has|tienen|tiene|"
    r"hold|holds|enjoy|gozan de|poseen)\s+(?:(?:all|todos|also|también|now|ahora)\s+)?"
    r"(?:the\s+|los\s+|las\s+|el\s+|la\s+)?(?:\d+\s+)?$", re.I)


@dataclass(frozen=True, slots=True)
class MemberMention:
    member_type: str     # country or organization
    member_id: str
    member_name: str
    role: str            # member or observer
    start: int           # char offsets in the paragraph text
    end: int
    evidence_start: int  # the sentence or table row the membership is stated in
    evidence_end: int
    rule_id: str
    process_hint: str | None = None  # a process named in the same table row


@lru_cache(maxsize=1)
def trigger_rules() -> list[dict]:
    return read_jsonl(PATTERNS / "membership_triggers.jsonl")


@lru_cache(maxsize=1)
def regions() -> list[dict]:
    return read_jsonl(DATA / "regions.jsonl")


def patterns(nlp: Language, lang: str) -> list[dict]:
    out = []
    for rule in trigger_rules():
        for phrase in rule["phrases"]:
            out.append({"label": rule["role"], "pattern": phrase_to_pattern(nlp, phrase), "id": rule["id"]})
    return out


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: from after the previous '. ' to the next '.', or the line."""
    starts = [m.end() for m in re.finditer(r"(?<!\b[A-Z])[.!?]\s+(?=[A-ZÁÉÍÓÚÑ¿¡“\"(])|\n", text[:pos])]
    start = starts[-1] if starts else 0
    m = re.search(r"(?<!\b[A-Z])[.!?](?=\s+[A-ZÁÉÍÓÚÑ¿¡“\"(]|\s*$)|\n", text[pos:])
    end = pos + m.end() if m else len(text)
    return start, end


def prose_mentions(doc: Doc, names: list, continuation: list | None = None) -> tuple[list[MemberMention], bool]:
    """Memberships stated in one paragraph. Returns the mentions and whether the paragraph
    ends with a trigger and a colon, so the next paragraph (a list) continues it."""
    from spacy.util import filter_spans

    text = doc_text(doc)
    triggers = filter_spans(list(doc.spans.get("member_triggers", [])))
    out: list[MemberMention] = []
    open_list = False
    names = _without_qualifiers(text, names)
    for i, trig in enumerate(triggers):
        s_start, s_end = sentence_bounds(text, trig.start_char)
        if _owned_by_organisation(text, trig, names):
            continue  # "IOM Member States", "miembros de la OEA": members of an organisation
        nxt = next((t.start_char for t in triggers[i + 1:] if t.start_char < s_end), s_end)
        role = trig.label_
        after = [n for n in names if trig.end_char <= n.start < nxt]
        # a list must be introduced: "son: …", "are …", "include …", "(…)", ": …"
        scope = after if after and LIST_INTRODUCER.match(text[trig.end_char:after[0].start]) else []
        # "Canada, Mexico and the United States are members": names before a predicate trigger
        before = text[s_start:trig.start_char]
        if PREDICATE_BEFORE.search(before):
            prev_end = max((t.end_char for t in triggers[:i] if t.end_char > s_start), default=s_start)
            scope += [n for n in names if prev_end <= n.start < trig.start_char]
        regional = _region_members(text[s_start:s_end]) if PREDICATE_BEFORE.search(before) or scope else []
        for n in scope:
            out.append(MemberMention(n.kind, n.id, n.text, role, n.start, n.end, s_start, s_end, trig.id_))
        for iso3, phrase in regional:
            at = s_start + fold(text[s_start:s_end]).find(fold(phrase))
            out.append(MemberMention("country", iso3, phrase, role, at, at + len(phrase), s_start, s_end,
                                     "member.region"))
        if not scope and text[trig.end_char:s_end].strip().endswith(":") or re.match(
                r"^\s*(?:son|are|include|incluyen)?\s*:\s*$", text[trig.end_char:]):
            open_list = role
    return out, open_list


def _owned_by_organisation(text: str, trigger, names: list) -> bool:
    """'IOM Member States', 'Estados miembros de la OEA', 'member States of the OAS'."""
    for n in names:
        if n.kind != "organization":
            continue
        if 0 <= trigger.start_char - n.end <= 2:
            return True
        gap = text[trigger.end_char:n.start]
        if n.start >= trigger.end_char and re.fullmatch(r"\s*(?:de la|del|de los|de|of the|of)\s+", gap, re.I):
            return True
    return False


def _without_qualifiers(text: str, names: list) -> list:
    """Drop an organisation that only qualifies the name before it: '… de la Organización de
    las Naciones Unidas', 'CEPAL … de las Naciones Unidas/…'."""
    kept = []
    for n in names:
        prev = kept[-1] if kept else None
        if (n.kind == "organization" and prev is not None and n.start - prev.end <= 14
                and re.fullmatch(r"\s*(?:de la|de las|del|de los|of the|of)\s+", text[prev.end:n.start], re.I)):
            continue
        kept.append(n)
    return kept


def list_mentions(text: str, names: list, role: str, rule_id: str) -> list[MemberMention]:
    """Every name of a list paragraph that follows 'Los países observadores son:'."""
    names = _without_qualifiers(text, names)
    return [MemberMention(n.kind, n.id, n.text, role, n.start, n.end, 0, len(text), rule_id) for n in names]


def table_mentions(text: str, names: list, process_at) -> list[MemberMention]:
    """Tab-separated table with a participants/members column: each row's process (found by
    ``process_at(start, end)`` on the row's other cells) and the names in that column."""
    rows = text.split("\n")
    header = rows[0].split("\t")
    column = next((i for i, cell in enumerate(header) if PARTICIPANT_HEADER.search(cell)), None)
    if column is None:
        return []
    role = "observer" if re.search(r"observ", header[column], re.I) else "member"
    out = []
    offset = len(rows[0]) + 1
    for row in rows[1:]:
        cells = row.split("\t")
        cell_starts, pos = [], offset
        for cell in cells:
            cell_starts.append(pos)
            pos += len(cell) + 1
        if len(cells) > column:
            c_start, c_end = cell_starts[column], cell_starts[column] + len(cells[column])
            process_id = process_at(offset, c_start) or process_at(c_end, offset + len(row))
            for n in names:
                if c_start <= n.start < c_end:
                    out.append(MemberMention(n.kind, n.id, n.text, role, n.start, n.end, offset, offset + len(row),
                                             "member.table_column", process_id))
        offset += len(row) + 1
    return out


def _region_members(sentence: str) -> list[tuple[str, str]]:
    """'All South American countries …' → the region's states (regions.jsonl is data)."""
    folded = fold(sentence)
    out = []
    for region in regions():
        for phrase in region["aliases"]:
            if re.search(r"\b(?:all|todos los)\s+" + re.escape(fold(phrase)), folded):
                out += [(iso3, phrase) for iso3 in region["members"]]
                break
    return out
