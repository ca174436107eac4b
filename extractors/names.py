"""Country and organisation names in Spanish/English report text.

Reports list member states and observers in running prose and tables, in two
languages, with historical names (Serbia and Montenegro, Swaziland), UN list
forms ("Iran (Islamic Republic of)") and the odd OCR slip ("Guatamala").
Names are found by longest match over a token trie built once from pycountry
(English names and its Spanish gettext translations), pycountry's historic
countries, ``data/country_aliases_extra.jsonl`` and ``data/organizations.jsonl``.

Text and aliases are tokenised the same way: words are case-folded and
accent-stripped, soft punctuation (spaces, hyphens, apostrophes, the period of
an abbreviation) disappears, hard punctuation (, ; : ( ) [ ] / tab, a blank
line, a sentence period) stays as its own token.  So "Guinea-Bissau" equals
"Guinea Bissau", while "Moldova, Republic of Korea" can never become
"Moldova, Republic of" — and a mention's offsets are those of its first and
last token in the original text.
"""
from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pycountry
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pipeline.nlp.fold import fold
from pipeline.nlp.rule_files import read_records
from pipeline.nlp.words import COORDINATORS, DEFINITE_ARTICLES, DISJUNCTIONS

DATA_DIR = Path(__file__).resolve().parent / "data"
EXTRA_FILE = DATA_DIR / "country_aliases_extra.jsonl"
ORG_FILE = DATA_DIR / "organizations.jsonl"

#: Leading articles an alias may carry in running text ("the Netherlands",
#: "los Estados Unidos").  Never stripped from a name that starts with one in
#: its own right ("El Salvador"); only English "the" is stripped from aliases.
ARTICLES = DEFINITE_ARTICLES
#: An article belongs to a country name only when the name is built on a
#: common or plural noun ("the Russian Federation", "la República Dominicana",
#: "los Países Bajos") or is one of the names conventionally written with one.
#: Elsewhere it belongs to what follows: "the Kazakhstan Bureau", "the Colombia
#: Nos Une program".
ARTICLE_NOUNS = frozenset(
    "republic kingdom federation states union islands emirates commonwealth principality"
    " sultanate state confederation sar territory see netherlands philippines bahamas"
    " gambia maldives seychelles comoros congo sudan niger"
    " republica reino federacion estados islas emiratos principado sultanato estado"
    " confederacion rae territorio sede paises filipinas bahamas comoras".split()
)
#: Words that join the items of a list; used to decide that an ambiguous
#: name ("Mauricio", "Granada") really sits in a list of countries.
CONJUNCTIONS = COORDINATORS | DISJUNCTIONS
#: British/American spellings folded together so "Organisation" finds "Organization".
SPELLINGS = {
    "organisation": "organization",
    "organisations": "organizations",
    "labour": "labor",
    "centre": "center",
    "programme": "program",
}
#: Single-word historic entries newer than this year are taken from pycountry;
#: older ones (Dahomey, Upper Volta) predate the reports.
HISTORIC_SINCE = 1990
CURRENCY = frozenset("$€£")
FUZZY_MIN_LEN = 6
#: Zipf frequency (wordfreq) from which a word counts as a real word, not an OCR slip.
KNOWN_WORD_ZIPF = 1.5

_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|[,;:()\[\]/]|\t|\n[ \t]*\n|\.")
_HARD_WS = "|"  # a tab or a blank line: a table cell or paragraph ends here


@dataclass(frozen=True, slots=True)
class NameMention:
    start: int
    end: int
    text: str  # text[start:end]
    kind: str  # "country" or "organization"
    id: str  # ISO 3166-1 alpha-3, or org_id from organizations.jsonl
    rule_id: str  # e.g. "country.alias.en", "country.fuzzy", "org.acronym"


class _Token(NamedTuple):
    norm: str  # folded form, or the punctuation mark itself
    raw: str
    start: int
    end: int
    word: bool


_NORM, _RAW = 0, 1  # _Token fields a trie is keyed on


class _Entry(NamedTuple):
    id: str | None  # None: a blocker, swallowed but never reported
    rule_id: str
    list_only: bool = False


class _Hit(NamedTuple):
    i: int  # first token
    j: int  # one past the last token
    entry: _Entry


_Trie = dict  # token -> _Trie, with "" -> _Entry at the end of an alias


# ---------------------------------------------------------------- tokens


@functools.lru_cache(maxsize=1 << 16)
def _fold(word: str) -> str:
    """The accent fold (pipeline.nlp.fold.fold) and one spelling: the form both sides are compared in."""
    bare = fold(word)
    return SPELLINGS.get(bare, bare)


def _tokens(text: str) -> list[_Token]:
    """Words and hard punctuation with their offsets; soft punctuation vanishes.

    A period is soft after a word of at most two letters ("EE.UU.", "U.S.",
    "St. Lucia") and hard otherwise, so a sentence end splits names.
    """
    out: list[_Token] = []
    # tuple.__new__, not _Token(...): the named tuple's own __new__ is a Python call per token
    # of every paragraph (issue 33)
    token = tuple.__new__
    for m in _TOKEN_RE.finditer(text):
        raw = m.group()
        start, end = m.span()
        if raw == ".":
            if out and out[-1].word and len(out[-1].raw) <= 2:
                continue
            out.append(token(_Token, (".", raw, start, end, False)))
        elif raw[0] in "\t\n":
            out.append(token(_Token, (_HARD_WS, raw, start, end, False)))
        elif raw[0].isalnum():
            out.append(token(_Token, (_fold(raw), raw, start, end, True)))
        else:
            out.append(token(_Token, (raw, raw, start, end, False)))
    return out


def _key(alias: str) -> tuple[str, ...]:
    """An alias as the tuple of folded tokens the text is matched against."""
    return tuple(t.norm for t in _tokens(alias))


def _raw_key(acronym: str) -> tuple[str, ...]:
    """An acronym as case-sensitive tokens ("EE.UU." -> ("EE", "UU"))."""
    return tuple(t.raw for t in _tokens(acronym))


def _trie(entries: dict[tuple[str, ...], _Entry]) -> _Trie:
    root: _Trie = {}
    for key, entry in entries.items():
        node = root
        for tok in key:
            node = node.setdefault(tok, {})
        node[""] = entry
    return root


def _walk(trie: _Trie, tokens: list[_Token], i: int, field: int) -> _Hit | None:
    """The longest alias in ``trie`` starting at token ``i``, comparing tokens[k][field]."""
    node, best = trie, None
    for k in range(i, len(tokens)):
        node = node.get(tokens[k][field])
        if node is None:
            break
        if "" in node:
            best = _Hit(i, k + 1, node[""])
    return best


def _capitalised(tokens: list[_Token], hit: _Hit) -> bool:
    """Names are proper nouns: "turkey" and "neutral zone" in lower case are not."""
    return any(t.word and t.raw[0].isupper() for t in tokens[hit.i : hit.j])


def _all_caps_neighbour(tokens: list[_Token], hit: _Hit, known: frozenset[str]) -> bool:
    """True when a two-letter acronym sits in an all-caps run ("UN PROGRAMA")."""
    for k in (hit.i - 1, hit.j):
        if 0 <= k < len(tokens):
            t = tokens[k]
            if t.word and len(t.raw) >= 2 and t.raw.isalpha() and t.raw.isupper() and t.raw not in known:
                return True
    return False


def _scan(
    tokens: list[_Token],
    names: _Trie,
    acronyms: _Trie,
    known_acronyms: frozenset[str],
    covered: set[int] | None = None,
) -> list[_Hit]:
    """Greedy left-to-right longest match; blockers consume their tokens silently.

    Token indices of every hit and blocker are added to ``covered`` if given.
    """
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.word or token.norm not in names and token.raw not in acronyms:
            i += 1  # no alias starts here (the walks below would stop at their first step)
            continue
        name = _walk(names, tokens, i, _NORM)
        if name and name.entry.id is not None and not _capitalised(tokens, name):
            name = None
        acro = _walk(acronyms, tokens, i, _RAW)
        if acro and acro.j - acro.i == 1 and len(tokens[i].raw) <= 2:
            if _all_caps_neighbour(tokens, acro, known_acronyms):
                acro = None
        best = acro if acro and (name is None or acro.j > name.j) else name
        if best is None:
            i += 1
            continue
        if best.entry.id is not None:
            hits.append(best)
        if covered is not None:
            covered.update(range(best.i, best.j))
        i = best.j
    return hits


def _mention(text: str, tokens: list[_Token], hit: _Hit, kind: str) -> NameMention:
    start, end = tokens[hit.i].start, tokens[hit.j - 1].end
    if len(tokens[hit.j - 1].raw) <= 2 and "." in text[start:end] and text[end : end + 1] == ".":
        end += 1  # an abbreviation keeps its final period: "EE.UU.", "U.S."
    assert hit.entry.id is not None
    return NameMention(start, end, text[start:end], kind, hit.entry.id, hit.entry.rule_id)


# ---------------------------------------------------------------- countries


class _CountryTable(NamedTuple):
    aliases: dict[tuple[str, ...], _Entry]
    names: _Trie
    acronyms: _Trie
    known_acronyms: frozenset[str]
    fuzzy: dict[tuple[int, str], tuple[list[str], list[_Entry]]]  # (words, initial) -> choices


def _pycountry_names(record: object) -> list[str]:
    return [n for f in ("name", "official_name", "common_name") if (n := getattr(record, f, None))]


def _forms(name: str) -> list[str]:
    """A pycountry name and, if it carries a parenthetical, the name without it.

    Inverted forms with a comma ("Korea, Republic of") are dropped: in a list
    they would swallow the next item.
    """
    if "," in name:
        return []
    bare = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return [name] if bare == name or not bare else [name, bare]


@functools.lru_cache(maxsize=1)
def _country_table() -> _CountryTable:
    """Build the alias table once: pycountry en/es, historic, then the extras file."""
    base: dict[tuple[str, ...], _Entry] = {}

    def put(alias: str, entry: _Entry, override: bool = False) -> None:
        """First source wins; an extra overrides only when it disagrees, so an
        extra that repeats a pycountry name keeps pycountry's rule_id."""
        key = _key(alias)
        old = base.get(key)
        if key and (old is None or (override and (old.id, old.list_only) != (entry.id, entry.list_only))):
            base[key] = entry

    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    for c in pycountry.countries:
        for name in _pycountry_names(c):
            for form in _forms(name):
                put(form, _Entry(c.alpha_3, "country.alias.en"))
    for c in pycountry.countries:
        for name in _pycountry_names(c):
            for form in _forms(spanish.gettext(name)):
                put(form, _Entry(c.alpha_3, "country.alias.es"))
    for h in pycountry.historic_countries:
        year = int(str(getattr(h, "withdrawal_date", "0"))[:4] or 0)
        if year >= HISTORIC_SINCE:
            put(h.name.split(",")[0], _Entry(h.alpha_3, "country.historic"))

    acronyms: dict[tuple[str, ...], _Entry] = {}
    for row in read_records(EXTRA_FILE):
        entry = _Entry(row["iso3"], "country.extra", bool(row.get("list_only")))
        for alias in row["aliases"]:
            put(alias, entry, override=True)
        for acro in row.get("acronyms", []):
            acronyms[_raw_key(acro)] = _Entry(row["iso3"], "country.acronym")

    table = dict(base)
    for key, entry in base.items():
        if key[0] == "the" and len(key) > 1:
            table.setdefault(key[1:], entry)
    for key, entry in list(table.items()):
        if key[0] not in ARTICLES and ARTICLE_NOUNS.intersection(key):
            for article in ARTICLES:
                table.setdefault((article, *key), entry)

    fuzzy: dict[tuple[int, str], tuple[list[str], list[_Entry]]] = {}
    for key, entry in base.items():
        joined = " ".join(key)
        if entry.id is None or entry.list_only or len(key) > 2 or len(joined) < FUZZY_MIN_LEN:
            continue
        if not all(k.isalpha() for k in key) or key[0] in ARTICLES:
            continue
        choices, entries = fuzzy.setdefault((len(key), key[0][0]), ([], []))
        choices.append(joined)
        entries.append(entry)

    known = frozenset(k for key in acronyms for k in key) | _org_table().known_acronyms
    return _CountryTable(table, _trie(table), _trie(acronyms), known, fuzzy)


def country_aliases() -> dict[str, str]:
    """Normalised alias -> ISO alpha-3, as used for matching (blockers left out)."""
    out: dict[str, str] = {}
    for key, entry in _country_table().aliases.items():
        if entry.id is not None:
            out.setdefault(" ".join(k for k in key if k[0].isalnum()), entry.id)
    return out


def _suffix_only(a: str, b: str) -> bool:
    """True when a and b differ only in their last letter: "Israeli"/"Israel",
    "argentino"/"Argentina", "Somali"/"Somalia" are demonyms, not OCR slips."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= min(len(a), len(b)) - 1


@functools.lru_cache(maxsize=4096)
def _is_word(word: str) -> bool:
    """A real English or Spanish word ("Casada", "Médico", "Hungry") is no OCR slip
    for a country one edit away, however capitalised; OCR garbage has no frequency."""
    from wordfreq import zipf_frequency

    return any(zipf_frequency(part, lang) >= KNOWN_WORD_ZIPF for part in word.split() for lang in ("en", "es"))


@functools.lru_cache(maxsize=1 << 14)
def _fuzzy_pick(word: str, n_words: int) -> _Entry | None:
    """The one country within one edit of ``word``, if unambiguous and plausible.

    Guards, all on the conservative side: same initial, at least six letters,
    not a demonym-like last-letter difference, not a real word. Cached: a report asks
    about the same capitalised words and pairs paragraph after paragraph.
    """
    table = _country_table()
    group = table.fuzzy.get((n_words, word[0]))
    if not group or len(word) < FUZZY_MIN_LEN:
        return None
    found = process.extract(word, group[0], scorer=Levenshtein.distance, score_cutoff=1, limit=None)
    picks = {group[1][idx].id: group[1][idx] for alias, _, idx in found if not _suffix_only(word, alias)}
    if len(picks) != 1 or _is_word(word if n_words == 1 else word.split()[-1]):
        return None
    return next(iter(picks.values()))


def _fuzzy_hits(tokens: list[_Token], covered: set[int]) -> list[_Hit]:
    """OCR slips: one capitalised word or two adjacent words, at most one edit away."""

    # each token's freedom worked out once, not once per pair and word it is in (a call per
    # token and pair: 336,066 calls, a seventh of finding names over the seed, issue 33)
    free = [t.word and k not in covered and t.norm.isalpha() for k, t in enumerate(tokens)]
    hits: list[_Hit] = []
    taken: set[int] = set()
    for i in range(len(tokens) - 1):
        if free[i] and free[i + 1] and tokens[i].raw[0].isupper():
            entry = _fuzzy_pick(f"{tokens[i].norm} {tokens[i + 1].norm}", 2)
            if entry:
                hits.append(_Hit(i, i + 2, entry._replace(rule_id="country.fuzzy")))
                taken.update((i, i + 1))
    for i in range(len(tokens)):
        if free[i] and i not in taken and tokens[i].raw[0].isupper():
            entry = _fuzzy_pick(tokens[i].norm, 1)
            if entry:
                hits.append(_Hit(i, i + 1, entry._replace(rule_id="country.fuzzy")))
    return hits


def _linked(tokens: list[_Token], k: int, step: int, ends: dict[int, _Hit]) -> bool:
    """Walk from token k over list separators; do we land on a country mention?"""
    while 0 <= k < len(tokens):
        if k in ends:
            return True
        t = tokens[k]
        if t.norm in (",", ";", "/") or t.norm in CONJUNCTIONS:
            k += step
            continue
        return False
    return False


def _in_list(tokens: list[_Token], hit: _Hit, confirmed: list[_Hit]) -> bool:
    """An ambiguous name counts only as an item of a list of other countries."""
    by_last = {h.j - 1: h for h in confirmed}
    by_first = {h.i: h for h in confirmed}
    if hit.j < len(tokens):
        nxt = tokens[hit.j]
        if nxt.word and nxt.norm not in CONJUNCTIONS and hit.j not in by_first:
            return False  # "Mauricio Ruiz": a person, not a list item
    return _linked(tokens, hit.i - 1, -1, by_last) or _linked(tokens, hit.j, 1, by_first)


def _country_hits(text: str, tokens: list[_Token]) -> list[_Hit]:
    table = _country_table()
    covered: set[int] = set()
    exact = _scan(tokens, table.names, table.acronyms, table.known_acronyms, covered)
    # "US$", "EC$": a currency, not the country
    exact = [h for h in exact if text[tokens[h.j - 1].end : tokens[h.j - 1].end + 1] not in CURRENCY]
    confirmed = [h for h in exact if not h.entry.list_only]
    listed = [h for h in exact if h.entry.list_only and _in_list(tokens, h, confirmed)]
    hits = confirmed + listed + _fuzzy_hits(tokens, covered)
    return sorted(hits, key=lambda h: h.i)


def find_countries(text: str) -> list[NameMention]:
    """Country mentions in text order, non-overlapping, longest alias first."""
    tokens = _tokens(text)
    return [_mention(text, tokens, h, "country") for h in _country_hits(text, tokens)]


# ---------------------------------------------------------------- organisations


class _OrgTable(NamedTuple):
    names: _Trie
    acronyms: _Trie
    known_acronyms: frozenset[str]


def _without_articles(name: str) -> str:
    """"Organización de los Estados Americanos" is also written without "los"."""
    return " ".join(w for w in name.split() if _fold(w) not in ARTICLES)


@functools.lru_cache(maxsize=1)
def _org_table() -> _OrgTable:
    """Names (folded) and acronyms (exact case) of the organisations registry."""
    names: dict[tuple[str, ...], _Entry] = {}
    acronyms: dict[tuple[str, ...], _Entry] = {}
    for row in read_records(ORG_FILE):
        org = row["org_id"]
        sources = [(row.get("name_en"), "org.name.en"), (row.get("name_es"), "org.name.es")]
        sources += [(a, "org.alias") for a in row.get("aliases", [])]
        for name, rule in sources:
            if name:
                for form in (name, _without_articles(name)):
                    names.setdefault(_key(form), _Entry(org, rule))
        for acro in row.get("acronyms", []):
            acronyms.setdefault(_raw_key(acro), _Entry(org, "org.acronym"))
    known = frozenset(k for key in acronyms for k in key)
    return _OrgTable(_trie(names), _trie(acronyms), known)


def _org_hits(tokens: list[_Token]) -> list[_Hit]:
    table = _org_table()
    known = table.known_acronyms | _country_table().known_acronyms
    return _scan(tokens, table.names, table.acronyms, known)


def find_organizations(text: str) -> list[NameMention]:
    """Organisation mentions (full names or acronyms) in text order."""
    tokens = _tokens(text)
    return [_mention(text, tokens, h, "organization") for h in _org_hits(tokens)]


# ---------------------------------------------------------------- both


def find_names(text: str) -> list[NameMention]:
    """Countries and organisations together; where they overlap the longer wins."""
    tokens = _tokens(text)
    found = [(h, "country") for h in _country_hits(text, tokens)] + [(h, "organization") for h in _org_hits(tokens)]
    found.sort(key=lambda hk: (-(tokens[hk[0].j - 1].end - tokens[hk[0].i].start), hk[0].i))
    used: set[int] = set()
    kept: list[tuple[_Hit, str]] = []
    for hit, kind in found:
        span = set(range(hit.i, hit.j))
        if not span & used:
            used |= span
            kept.append((hit, kind))
    kept.sort(key=lambda hk: hk[0].i)
    return [_mention(text, tokens, h, kind) for h, kind in kept]


__all__ = ["NameMention", "country_aliases", "find_countries", "find_names", "find_organizations"]
