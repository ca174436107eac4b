"""Member, observer and participant lists: the statements that say which states and
organisations take part in a process.

The rules are data (``patterns/membership_rules.jsonl``), built from reusable pieces the
way the date grammar is, each with examples and counterexamples that a test runs:

- **cue rules** find a phrase that introduces a list ("Los países miembros son:", "the
  Dialogue brings together", "con la participación de") or follows one ("… are members",
  "… participate as observers", "…, reunidos en la Quinta Conferencia"); the list is the
  run of country and organisation names that starts right after the cue (or ends right
  before it), with only separators, articles and capitalised words between its names;
- **heading rules** find a heading that names a role ("Member States (15 States)",
  "Países observadores"); the names standing alone on the lines below are its list, and a
  count the heading states is compared with the names found (a note, never a fill-in);
- **blockers** drop what looks like a list and is not: members of an organisation, invited
  guests, participants of a workshop, hosts and chairs.

Participation rules (role ``participant``) need the paragraph to be about a session of a
process (it names a process or a conference, meeting or session). Tab-separated tables
with a participants or members column give one membership per name of that column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from extractors.nlp import DATA, PATTERNS
from extractors.text import expand_pieces
from pipeline.nlp.fold import fold, fold_lower_keeping_offsets
from pipeline.nlp.literals import GatedPattern, LiteralScan, gated
from pipeline.nlp.sentences import sentence_bounds
from pipeline.nlp.rule_files import read_records
from pipeline.nlp.words import COORDINATORS, DEFINITE_ARTICLES, DISJUNCTIONS, LETTER_RUN

RULES_PATH = PATTERNS / "membership_rules.jsonl"
PARTICIPANT_HEADER = re.compile(r"particip|member|miembro|observ", re.I)
# a paragraph is about a session of a process when it names one of these (or a process)
SESSION_WORDS = re.compile(r"\b(?:conferences?|conferencias?|meetings?|reunion(?:es)?|sessions?|sesion(?:es)?|summits?|"
                           r"cumbres?|encuentros?|consultations?|consultas?|plenar(?:y|ies|ia|ias)|dialogues?|dialogos?)\b")
# words that may stand between two names of one list (besides capitalised words and punctuation)
LIST_WORDS = COORDINATORS | DISJUNCTIONS | frozenset(DEFINITE_ARTICLES) | frozenset(
    "ni plus mas as well asi como together with junto con of de del for para on sobre from "
    "in en a al to its sus su government governments gobierno gobiernos republic republica republics state states "
    "estado estados kingdom reino".split())
RELATIVE_CLAUSE = re.compile(r"\s*,\s*(?:which|who|que|quien|quienes|el\s+cual|la\s+cual|los\s+cuales|las\s+cuales)\b"
                             r"[^,.;:()]{1,80},")
RELATIVE_CLAUSE_BEFORE = re.compile(r"\s*,\s*(?:which|who|que|quien|quienes|el\s+cual|la\s+cual|los\s+cuales|"
                                    r"las\s+cuales)\b[^,.;:()]{1,80},?\s*$")
# where the items before stand, ending a group of a list: 'Argelia y Túnez en la ribera sur, y España …'
LOCATIVE_IN_LIST = re.compile(r"\b(?:en|in|on|de|from)\s+(?:la|el|the|los|las)\s+[a-z]+(?:\s+[a-z]+)?(?=\s*(?:[,;]|and\b|y\b))")
MAX_CAPITALISED_IN_GAP = 12
BEFORE_CUE_CHARS = 80         # how far before a cue a blocker of its subject looks   # unknown capitalised words between two names ("Office of the High Commissioner …")
MAX_PAREN_CHARS = 120         # a parenthesis inside a list is skipped up to this length


@dataclass(frozen=True, slots=True)
class MemberMention:
    member_type: str     # country or organization
    member_id: str
    member_name: str
    role: str            # member, observer or participant
    start: int           # char offsets in the paragraph text
    end: int
    evidence_start: int  # the sentence or table row the membership is stated in
    evidence_end: int
    rule_id: str
    process_hint: str | None = None  # a process named in the same table row
    complement_at: int | None = None  # after a predicate ('… observer status in the X'): where its complement starts
    year_from_sentence: bool = False
    basis: str = "stated"            # stated, participation, signatory, founding, table
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CueRule:
    id: str
    lang: str
    role: str
    basis: str
    side: str                 # before (the list follows) or after (the list precedes)
    pattern: GatedPattern  # re.Pattern with a literal gate (pipeline.nlp.literals)
    needs_session: bool
    member_types: tuple[str, ...]
    list_at_once: bool = False    # the first name follows the cue with nothing but articles between
    year_from_sentence: bool = False  # the statement holds for the year its sentence states
    process_object: bool = False      # the predicate's object must be a process ('joined the Process')
    low_priority: bool = False        # a catch-all that yields to any other cue it overlaps
    shares_list: bool = False         # an apposition: states a second role of a list already stated


@dataclass(frozen=True, slots=True)
class Blocker:
    id: str
    applies_to: tuple[str, ...]  # "all", a basis ("participation") or rule ids
    where: str                   # sentence, before_cue (its subject), gap (cue to list), cue (checked in code)
    pattern: GatedPattern
    all_but: tuple[str, ...] = ()  # with applies_to "all": rule ids it spares

    def applies(self, rule: "CueRule") -> bool:
        if rule.id in self.all_but:
            return False
        return "all" in self.applies_to or rule.basis in self.applies_to or rule.id in self.applies_to


@dataclass(frozen=True, slots=True)
class RoleRule:
    """A pattern that states a role by itself: a heading naming one ('Member States (15
    States)'), what follows a list and changes its role ('… en calidad de observadores'),
    the role column of a composition-table line ('Kenya – Member State')."""

    id: str
    role: str
    basis: str
    pattern: GatedPattern
    lang: str = "any"


@dataclass(frozen=True, slots=True)
class Grammar:
    cues: tuple[CueRule, ...]
    headings: tuple[RoleRule, ...]
    blockers: tuple[Blocker, ...]
    roles_after: tuple[RoleRule, ...]
    lines: tuple[RoleRule, ...]       # 'Republic of Kenya – Member State': a name, a dash, a role
    numbers: dict[str, int]           # folded number word → value
    group_label: GatedPattern         # 'eleven Asian countries of origin –', 'once países:'
    subheadings: tuple[GatedPattern, ...] = ()  # 'Estados:' inside a headed list
    # the cues' literal gates, answered in one pass per paragraph: made from the cues, never given
    cue_gates: LiteralScan = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cue_gates", LiteralScan(rule.pattern for rule in self.cues))


@dataclass(frozen=True, slots=True)
class OpenList:
    """A statement whose list is in the paragraphs that follow (a cue ending in a colon, or
    a heading naming a role)."""

    role: str
    basis: str
    rule_id: str
    count: int | None = None
    heading: bool = False


@lru_cache(maxsize=2)
def load_grammar(path: Path = RULES_PATH) -> Grammar:
    entries = read_records(path)
    numbers = {fold(k): v for e in entries if e["kind"] == "numbers" for k, v in e["names"].items()}
    pieces = {e["name"]: e["pattern"] for e in entries if e["kind"] == "piece"}
    pieces["number"] = r"\b(?:" + "|".join(re.escape(n) for n in sorted(numbers, key=len, reverse=True)) + r")\b"
    from extractors.event_titles import ORDINAL_NUMBERS  # one ordinal lexicon, the event rules'

    pieces["ordinal_word"] = r"\b(?:" + "|".join(sorted(ORDINAL_NUMBERS, key=len, reverse=True)) + r")\b"
    compile_ = lambda pattern: gated(expand_pieces(pattern, pieces))  # noqa: E731
    cues = tuple(CueRule(e["id"], e["lang"], e["role"], e["basis"], e["side"], compile_(e["pattern"]),
                         e.get("needs") == "session", tuple(e.get("member_types", ())),
                         e.get("list_starts") == "at_once", e.get("year_from") == "sentence",
                         e.get("object") == "process", e.get("priority") == "low", bool(e.get("shares_list")))
                 for e in entries if e["kind"] == "rule")
    role_rules = lambda kind: tuple(RoleRule(e["id"], e["role"], e["basis"], compile_(e["pattern"]),  # noqa: E731
                                             e.get("lang", "any")) for e in entries if e["kind"] == kind)
    headings = role_rules("heading")
    blockers = tuple(Blocker(e["id"], _applies_to(e["applies_to"]), e["where"], compile_(e["pattern"]),
                             tuple(e["applies_to"].get("all_but", ())) if isinstance(e["applies_to"], dict) else ())
                     for e in entries if e["kind"] == "blocker")
    roles_after, lines = role_rules("role_after"), role_rules("line")
    # a counted group inside a list: a number, a few words, then ':', a dash, '(' or ', namely'
    subheadings = tuple(compile_(e["pattern"]) for e in entries if e["kind"] == "subheading")
    group_label = compile_(r"\b(?:\d{1,3}|{number})\s+(?:[^\W\d_][\w'’-]*\s+){0,6}?[^\W\d_][\w'’-]*"
                           r"\s*(?:[:–—(]|,\s*(?:namely|a\s+saber|i\.e\.|that\s+is)\b)")
    return Grammar(cues, headings, blockers, roles_after, lines, numbers, group_label, subheadings)


def _applies_to(value) -> tuple[str, ...]:
    if isinstance(value, dict):
        return ("all",)
    return (value,) if isinstance(value, str) else tuple(value)


def rule_entries(path: Path = RULES_PATH) -> list[dict]:
    """The rows of the grammar as written (for the tests that run their examples)."""
    return read_records(path)


@lru_cache(maxsize=1)
def regions() -> list[dict]:
    return read_records(DATA / "regions.jsonl")


# ---------------------------------------------------------------- statements in prose

@dataclass(frozen=True, slots=True)
class _Cue:
    rule: CueRule
    start: int
    end: int
    count: int | None


def statement_mentions(text: str, names: list, lang: str, processes: list[tuple[int, int]] = (),
                       titled_session: bool = False) -> tuple[list[MemberMention], OpenList | None]:
    """Memberships stated in one paragraph, and the statement whose list continues in the
    next paragraphs (a cue at the paragraph's end before a colon), if any.

    A participation cue needs its session named: a process's name (``processes``: spans)
    in its sentence, a numbered session ('la Quinta Conferencia', '3rd Ministerial
    Conference') in its sentence or the one before, or ``titled_session``: the paragraph
    stands under a title line or heading that is a numbered session. 'participated in a
    ministerial meeting' names no session of the process."""
    grammar = load_grammar()
    folded = fold_lower_keeping_offsets(text)
    names = _without_qualifiers(text, names)
    # blocked cues are dropped first: they neither state a list nor end another cue's list
    cues = [c for c in _cues(grammar, folded, names, lang)
            if not _blocked(grammar, c.rule, folded, *sentence_bounds(text, c.start), c, text, names)]
    out: list[MemberMention] = []
    open_list = None
    claimed = 0  # where the last list stated so far ends: a list before a cue starts after it
    for i, cue in enumerate(cues):
        rule = cue.rule
        s_start, s_end = sentence_bounds(text, cue.start)
        if rule.needs_session and not titled_session:
            before = sentence_bounds(text, max(0, s_start - 2))[0] if s_start else 0
            named = any(a < s_end and s_start < b for a, b in processes)
            if not named and not any(a < s_end and before < b for a, b in numbered_sessions(text)):
                continue
        if rule.process_object and not _object_is_process(folded, cue.end, processes):
            continue
        if rule.side == "before":
            s_end = _continued_end(text, s_end)
            limit = min([c.start for c in cues[i + 1:] if c.start >= cue.end] + [s_end])
            if text[cue.start:cue.end].rstrip().endswith("(") or _paren_depth(text, s_start, cue.start) > 0:
                limit = min(limit, _closing_paren(text, cue.end))  # a list inside parentheses ends with them
            items = _list_after(text, names, cue.end, limit, first_words=not rule.list_at_once)
            span = (cue.end, items[-1].end if items else limit)
        else:
            floor = s_start if rule.shares_list else max(claimed, s_start)
            items = _list_before(text, names, cue.start, floor)
            span = (s_start, cue.start)
        if _gap_blocked(grammar, folded, cue, items):
            continue
        if rule.member_types:
            items = [n for n in items if n.kind in rule.member_types]
        role, basis, rule_id = rule.role, rule.basis, rule.id
        if items and rule.side == "before":
            after = next((r for r in grammar.roles_after if r.pattern.match(folded, items[-1].end)), None)
            if after is not None and after.role != role:
                role, basis, rule_id = after.role, after.basis, f"{rule.id}+{after.id}"
        regional = _region_members(text, *span) if items or rule.side == "after" else []
        found = len(items) + (1 if regional else 0)
        note = (f"the text states {cue.count}, {len(items)} names listed"
                if cue.count is not None and not regional and cue.count != len(items) else None)
        if items:
            claimed = max(claimed, cue.end if rule.side == "after" else items[-1].end)
        for n in items:
            out.append(MemberMention(n.kind, n.id, n.text, role, n.start, n.end, s_start, s_end, rule_id,
                                     basis=basis, note=note, complement_at=cue.end if rule.side == "after" else None,
                                     year_from_sentence=rule.year_from_sentence))
        for iso3, at, phrase in regional:
            out.append(MemberMention("country", iso3, phrase, rule.role, at, at + len(phrase), s_start, s_end,
                                     "member.region", basis=rule.basis))
        if not found and rule.side == "before" and _ends_in_colon(text, cue, s_end) and is_list_gap(
                text[cue.end:s_end].rstrip(), words_allowed=False):
            open_list = OpenList(rule.role, rule.basis, rule.id, cue.count)
        elif items and rule.side == "before" and limit >= len(text.rstrip()) - 1 and text.rstrip().endswith((",", ";")):
            open_list = OpenList(role, basis, rule_id)  # the list goes on in the next paragraph
    out += _line_roles(grammar, text, folded, names)
    return out, open_list


PROCESS_WORDS = re.compile(r"\s*(?:[\w-]+\s+){0,4}?(?:process|proceso|dialogue|dialogo|conference|conferencia|"
                           r"forum|foro|consultations|consultas|initiative|iniciativa)\b")


def _object_is_process(folded: str, pos: int, processes: list[tuple[int, int]]) -> bool:
    """What follows a predicate is a process: a process's name within a few words, or a
    word for one ('the Process', 'la Conferencia')."""
    return any(pos <= a <= pos + 40 for a, _ in processes) or bool(PROCESS_WORDS.match(folded, pos))


def _continued_end(text: str, end: int) -> int:
    """A list goes on past a semicolon ('Members: A; B; C'), and past a line break after a
    comma or semicolon (a list broken over lines); the walk still stops at prose or the
    next cue."""
    while end < len(text) and (text[end - 1] == ";" or text[end - 1] == "\n" and (
            text[:end - 1].rstrip().endswith((",", ";")) or _wrapped(text, end))):
        end = sentence_bounds(text, end)[1]
    return end


def _wrapped(text: str, end: int) -> bool:
    """A line broken inside a sentence (a PDF export's hard wrap): it ends with no closing
    punctuation and the next line is no bullet or heading of its own."""
    line_end = end - 1
    before = text[:line_end].rstrip()
    after = text[end:end + 2]
    return bool(before) and before[-1] not in ".:;!?)" and bool(after.strip()) and not re.match(r"\s*[•·\-–*\d]", after)


def _line_roles(grammar: Grammar, text: str, folded: str, names: list) -> list[MemberMention]:
    """Lines of a composition table: 'Republic of Kenya – Member State; Chair (2023–2024)'.
    The names before the dash must fill that part of the line."""
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        for rule in grammar.lines:
            m = rule.pattern.search(folded, start, end)
            if m is None:
                continue
            head = [replace(n, start=n.start - start, end=n.end - start) for n in names if start <= n.start < m.start()]
            if head and names_only(text[start:m.start()], head, words_allowed=True):
                out += [MemberMention(n.kind, n.id, n.text, rule.role, n.start + start, n.end + start, start, end,
                                      rule.id, basis=rule.basis) for n in head]
            break
        start = end + 1
    return out


def _cues(grammar: Grammar, folded: str, names: list, lang: str) -> list[_Cue]:
    """Every cue of the paragraph's language, overlaps resolved (the longest wins)."""
    found = []
    ends = {n.end for n in names} | {m.end() for m in re.finditer(r"\)", folded)}
    # a relative clause between a list and its predicate: 'Mauritania, which left ECOWAS in 2000, has …'
    ends |= {m.end() - 1 for pos in list(ends) if (m := RELATIVE_CLAUSE.match(folded, pos))}
    ends = sorted(ends)
    for rule, may_match in zip(grammar.cues, grammar.cue_gates.open(folded)):
        if rule.lang not in (lang, "any") or not may_match:  # the gate, once, not at every end
            continue
        if rule.side == "before":
            matches = list(rule.pattern.regex.finditer(folded))
        else:  # a predicate after a list: tried where a name (or a parenthesis after one) ends
            matches = [m for m in (rule.pattern.match(folded, pos) for pos in ends) if m]
        for m in matches:
            found.append(_Cue(rule, m.start(), m.end(), _count(grammar, m.groupdict().get("count"))))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Cue] = []
    for cue in sorted(found, key=lambda c: (c.rule.low_priority, -(c.end - c.start))):
        if not any(cue.start < k.end and k.start < cue.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


def _count(grammar: Grammar, text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else grammar.numbers.get(fold(text))


def _blocked(grammar: Grammar, rule: CueRule, folded: str, s_start: int, s_end: int, cue: _Cue, text: str,
             names: list) -> bool:
    for blocker in grammar.blockers:
        if not blocker.applies(rule):
            continue
        if blocker.where == "cue" and _owned_by_organisation(text, cue, names):
            return True
        if blocker.where == "sentence" and blocker.pattern.search(folded, s_start, s_end):
            return True
        if blocker.where == "before_cue" and blocker.pattern.search(folded, max(s_start, cue.start - BEFORE_CUE_CHARS),
                                                                   cue.start):
            return True
    return False


def _gap_blocked(grammar: Grammar, folded: str, cue: _Cue, items: list) -> bool:
    """A host, chair or secretariat named between the cue and its list."""
    if not items:
        return False
    # between the cue and its list, and just before a cue ('co-chaired by representatives of …')
    start, end = (max(0, cue.start - 40), items[0].start) if cue.rule.side == "before" else (items[-1].end, cue.start)
    return any(b.where == "gap" and b.applies(cue.rule) and b.pattern.search(folded, start, end)
               for b in grammar.blockers)


def _owned_by_organisation(text: str, cue: _Cue, names: list) -> bool:
    """'IOM Member States', 'Estados miembros de la OEA', 'member States of the OAS are': the
    cue's neighbour or complement is an organisation."""
    for n in names:
        if n.kind != "organization":
            continue
        if cue.rule.side == "before" and 0 <= cue.start - n.end <= 2:
            return True  # before an 'after' cue the organisation is the list's last name
        if cue.start <= n.start < cue.end:
            return True  # "members of the OAS are" (the complement is inside the cue)
        gap = text[cue.end:n.start]
        if n.start >= cue.end and re.fullmatch(r"\s*(?:de la|del|de los|de|of the|of)\s+", gap, re.I):
            return True
    return False


def _paren_depth(text: str, start: int, end: int) -> int:
    depth = 0
    for ch in text[start:end]:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
    return depth


def numbered_sessions(text: str) -> list[tuple[int, int]]:
    """Where a text names a numbered session ('Quinta Conferencia', '3rd Ministerial
    Conference', 'XIII Inter-American Conference', '1° Reunión'): an ordinal within the four
    words before a session word."""
    from extractors.event_titles import is_ordinal

    spans = []
    folded = fold_lower_keeping_offsets(text)
    for m in SESSION_WORDS.finditer(folded):
        words = list(re.finditer(r"[\w°ºª'’-]+", text[max(0, m.start() - 60):m.start()]))[-4:]
        # an ordinal, or a year naming one session ('its 2023 Ministerial Conference')
        if any(is_ordinal(w.group(0)) or re.fullmatch(r"(?:19|20)\d\d", w.group(0)) for w in words):
            spans.append((max(0, m.start() - 60) + words[0].start(), m.end()))
    return spans


def _closing_paren(text: str, pos: int) -> int:
    depth = 1
    for i in range(pos, min(len(text), pos + 2000)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _ends_in_colon(text: str, cue: _Cue, s_end: int) -> bool:
    """The cue's sentence ends the paragraph with a colon: its list is in the lines below."""
    return text[cue.start:s_end].rstrip().endswith(":") and s_end >= len(text.rstrip()) - 1


SHORT_PARENTHESIS = re.compile(r"\([^()]{0,%d}\)" % MAX_PAREN_CHARS)
DIGIT = re.compile(r"\d")


def is_list_gap(gap: str, words_allowed: bool = True) -> bool:
    """True when ``gap`` may stand between two names of one list: separators, articles,
    conjunctions, a parenthesis, capitalised words (a name the registry lacks), no prose."""
    bare = SHORT_PARENTHESIS.sub(" ", gap)
    for pattern in (load_grammar().group_label, LOCATIVE_IN_LIST):
        for m in pattern.finditer(fold_lower_keeping_offsets(bare)):
            bare = bare[:m.start()] + " " * (m.end() - m.start()) + bare[m.end():]
    if DIGIT.search(bare) or "\n\n" in bare:
        return False
    capitalised = 0
    for word in LETTER_RUN.findall(bare):
        if fold(word) in LIST_WORDS:
            continue
        if not words_allowed:
            return False
        if word[0].isupper():
            capitalised += 1
            if capitalised > MAX_CAPITALISED_IN_GAP:
                return False
            continue
        return False
    return True


def _list_after(text: str, names: list, pos: int, limit: int, first_words: bool = True) -> list:
    # a counted group label ('the three ECOWAS Member States:') is part of the list, not an item
    labels = [(pos + m.start(), pos + m.end())
              for m in load_grammar().group_label.finditer(fold_lower_keeping_offsets(text[pos:limit]))]
    items, cursor = [], pos
    for n in names:
        if n.start < pos or any(a <= n.start < b for a, b in labels):
            continue
        if n.start >= limit:
            break
        if not is_list_gap(text[cursor:n.start], words_allowed=first_words or bool(items)):
            break
        items.append(n)
        cursor = n.end
    return items


def _list_before(text: str, names: list, pos: int, floor: int) -> list:
    clause = RELATIVE_CLAUSE_BEFORE.search(fold_lower_keeping_offsets(text[floor:pos]))
    if clause:
        pos = floor + clause.start()  # the list ends before 'which …,' / 'que …,'
    before = [n for n in names if floor <= n.start and n.end <= pos]
    if not before or not is_list_gap(text[before[-1].end:pos], words_allowed=False):
        return []
    items = [before[-1]]
    for n in reversed(before[:-1]):
        if not is_list_gap(text[n.end:items[0].start]):
            break
        items.insert(0, n)
    return items


def _region_members(text: str, start: int, end: int) -> list[tuple[str, int, str]]:
    """'All South American countries …' in a list → the region's states (regions.jsonl is data)."""
    folded = fold_lower_keeping_offsets(text)
    out = []
    for region in regions():
        for phrase in region["aliases"]:
            m = re.compile(r"\b(?:all|todos los)\s+" + re.escape(fold(phrase))).search(folded, max(0, start - 80), end)
            if m:
                at = m.start() + m.group(0).find(fold(phrase).split()[0])
                out += [(iso3, at, text[at:at + len(phrase)]) for iso3 in region["members"]]
                break
    return out


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


# ---------------------------------------------------------------- lists in the lines below

def heading_list(text: str, lang: str) -> OpenList | None:
    """A paragraph that is a heading naming a role ('Member States (15 States)')."""
    if "\n" in text.strip() or len(text) > 80:
        return None
    folded = fold_lower_keeping_offsets(text)
    # every language's headings: a page in one language often heads its lists in another
    rules = sorted(load_grammar().headings, key=lambda r: r.lang != lang)
    for rule in rules:
        m = rule.pattern.match(folded)
        if m:
            return OpenList(rule.role, rule.basis, rule.id, _count(load_grammar(), m.groupdict().get("count")),
                            heading=True)
    return None


def is_subheading(text: str) -> bool:
    """'Estados:', 'Organismos internacionales:': a group inside a headed list, not its end."""
    folded = fold_lower_keeping_offsets(text.strip())
    return len(folded) <= 60 and any(p.match(folded) for p in load_grammar().subheadings)


def names_only(text: str, names: list, words_allowed: bool = False) -> bool:
    """True when the text holds names and nothing else (one per line, bullets, parentheses
    with acronyms): the body of a headed list. With ``words_allowed``, capitalised words
    the registry lacks may stand around the names ('• Oficina del Alto Comisionado …
    (ACNUR)'), but not right after one ('• UN Women' is no 'UN')."""
    if not names:
        return False
    rest, cursor = [], 0
    for n in names:
        rest.append(text[cursor:n.start])
        cursor = n.end
    rest.append(text[cursor:])
    if words_allowed and any(re.match(r" +[A-ZÁÉÍÓÚÑ]", gap) for gap in rest[1:]):
        return False
    return all(is_list_gap(re.sub(r"[•·\-–*]", " ", gap).replace("\n", " ; "), words_allowed=words_allowed)
               for gap in rest)


def list_mentions(text: str, names: list, open_list: OpenList) -> list[MemberMention]:
    """The names of a list paragraph that continues an open statement, line by line: a line
    counts when its names fill it ('• UN Women' names no organisation the registry has,
    so its 'UN' is not taken)."""
    names = _without_qualifiers(text, names)
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        in_line = [n for n in names if start <= n.start < end]
        if names_only(line, [replace(n, start=n.start - start, end=n.end - start) for n in in_line], True):
            out += [MemberMention(n.kind, n.id, n.text, open_list.role, n.start, n.end, 0, len(text),
                                  open_list.rule_id, basis=open_list.basis) for n in in_line]
        start = end + 1
    return out


def with_count_note(mentions: list[MemberMention], open_list: OpenList) -> list[MemberMention]:
    """A headed list's count against the names found under it: a note when they differ."""
    if open_list.count is None or open_list.count == len(mentions):
        return mentions
    note = f"the heading states {open_list.count}, {len(mentions)} names listed"
    return [replace(m, note=note) for m in mentions]


# ---------------------------------------------------------------- document level

def membership_rows_with_sessions(rows: list[dict], events: list[dict], paragraphs: list[dict]) -> list[dict]:
    """A participant's row takes the session it took part in: the first event extracted
    inside its statement, else in its paragraph; the row's year is then that event's year.
    The internal statement span is dropped."""
    out = []
    for row in rows:
        start, end = row.pop("_statement")
        if row["role"] == "participant":
            para = next((p for p in paragraphs if p["char_start"] <= start < p["char_end"]), None)
            spans = [(start, end)] + ([(para["char_start"], para["char_end"])] if para else [])
            event = next((e for a, b in spans for e in events if a <= e["char_start"] < b), None)
            if event is not None:
                row["event_id"] = event["event_id"]
                row["year"] = event["year"] if event["year"] is not None else row["year"]
        out.append(row)
    return out


# ---------------------------------------------------------------- tables

def table_mentions(text: str, names: list, process_at) -> list[MemberMention]:
    """Tab-separated table with participants, members or observers columns: each row's
    process (found by ``process_at(start, end)`` on the row's other cells) and the names
    in each such column, with that column's role. An organisation that only qualifies
    'Member States' in a cell ('all SADC Member States') is nobody's member."""
    rows = text.split("\n")
    header = rows[0].split("\t")
    columns = {i: ("observer" if re.search(r"observ", cell, re.I) else "member")
               for i, cell in enumerate(header) if PARTICIPANT_HEADER.search(cell)}
    if not columns:
        return []
    out = []
    offset = len(rows[0]) + 1
    folded = fold_lower_keeping_offsets(text)
    for row in rows[1:]:
        cells = row.split("\t")
        cell_starts, pos = [], offset
        for cell in cells:
            cell_starts.append(pos)
            pos += len(cell) + 1
        for column, role in columns.items():
            if len(cells) <= column:
                continue
            c_start, c_end = cell_starts[column], cell_starts[column] + len(cells[column])
            others = [(cell_starts[i], cell_starts[i] + len(c)) for i, c in enumerate(cells) if i not in columns]
            process_id = next((p for a, b in others if (p := process_at(a, b))), None)
            for n in names:
                if c_start <= n.start < c_end and not (
                        n.kind == "organization" and MEMBER_STATES_AFTER.match(folded, n.end)):
                    out.append(MemberMention(n.kind, n.id, n.text, role, n.start, n.end, offset, offset + len(row),
                                             "member.table_column" if role == "member" else "observer.table_column",
                                             process_id, basis="table"))
        offset += len(row) + 1
    return out


# after a process's name: its countries, a group inside a list ('the Colombo Process countries'),
# not the process the statement is about when another is named
PROCESS_GROUP = re.compile(r"\s+(?:member\s+)?(?:countries|states|governments)\b|\s+(?:paises|estados|gobiernos)\b", re.I)


def statement_process(mentions: list, text: str):
    """The process mention a statement is about among those before it: the last one that is
    not 'X countries' (else the last one), or None."""
    plain = [m for m in mentions if not PROCESS_GROUP.match(text, m.end)]
    return (plain or mentions)[-1] if mentions else None


MEMBER_STATES_AFTER = re.compile(r"\s+(?:member\s+states|member\s+countries|estados\s+miembros|paises\s+miembros)\b")
