"""Calendar dates and date ranges in Spanish and English report text.

The grammar lives in ``date_rules.jsonl`` (month lexicons, reusable regex pieces and the
rules built from them); this module only compiles it, normalises what matched and resolves
overlaps. Why a grammar and not a date parser: reports are full of numbers next to words
("Resolución 55/25", "10 de los 12 países", "may be held") that general parsers happily
read as dates, while the dates that matter come in a handful of shapes.

Conventions:
- only month or day precision is produced: bare years ("en 1998", "2001-2006") are not dates;
- English month names count only when Capitalised and next to a day number or a year, so the
  verbs "may"/"march" and "May I" never match;
- a date without a year takes the nearest preceding year the text states (in a date, or
  bare: "During 2007, …", a heading "2008"), else ``default_year``; with neither it is
  dropped (the year cannot be known);
- a month alone counts only after a time cue ("in early March", "a finales de marzo") and
  only when its year is known that way;
- in a report that states the period it covers ("el período que abarca desde noviembre 2002
  – mayo 2003"), a year-less date whose own text states no year takes the year that puts it
  inside that period, when exactly one does ("26 de mayo" → 2003-05-26), rather than the
  year the previous paragraphs ended on.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from extractors.text import expand_pieces
from pipeline.nlp.fold import fold, fold_keeping_offsets
from pipeline.nlp.caches import per_document
from pipeline.nlp.literals import GatedPattern, LiteralScan, first_char_lookahead, gated
from pipeline.nlp.rule_files import read_records
from pipeline.nlp.words import LANGUAGES

RULES_PATH = Path(__file__).resolve().parent / "patterns" / "date_rules.jsonl"


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date or date range found in a text; ``rule_id`` says which grammar rule saw it,
    so a wrong date can be traced to one line of date_rules.jsonl."""
    start: int          # char offsets into the text given
    end: int
    text: str           # text[start:end]
    date_start: str     # ISO at its precision: "2002-10-29", "2002-10" or "2002"
    date_end: str       # same precision; equals date_start when not a range
    precision: str      # "day" | "month" | "year"
    is_range: bool
    rule_id: str        # id of the rule in date_rules.jsonl that matched


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    lang: str           # "es", "en" or "any"
    regex: re.Pattern[str]
    order: int          # line order in the JSONL: breaks ties between equally long matches
    # the month names the rule cannot match without (its month piece): a text without any is
    # not searched with it (most paragraphs name no month; the rules are most of the time)
    needs: GatedPattern | None = None  # the month names the rule needs, if it needs one


@dataclass(frozen=True)
class Grammar:
    rules: tuple[Rule, ...]
    months: dict[str, int]  # folded lower-case name or abbreviation (no period) -> 1..12
    month_names: frozenset[str]  # folded full month names of both languages (no abbreviations)
    year: re.Pattern[str]   # a stated year, bare or inside a date (the "year" piece)
    relative: tuple[tuple[dict, re.Pattern[str]], ...] = ()  # dates said from the document's date

    @cached_property
    def rules_by_lang(self) -> dict[str | None, tuple[tuple[Rule, ...], tuple[re.Pattern[str], ...]]]:
        """For 'es', 'en' and None (both): the rules tried, in order, and the month pieces
        they need (each searched once per text, not once per rule)."""
        out = {}
        for lang in (None, *LANGUAGES):
            rules = tuple(r for r in self.rules if lang is None or r.lang in (lang, "any"))
            out[lang] = rules, tuple(dict.fromkeys(r.needs for r in rules if r.needs is not None))
        return out

    @cached_property
    def month_gates(self) -> dict[str | None, LiteralScan]:
        """Per language, the literal gates of the month pieces its rules need, in one pass."""
        return {lang: LiteralScan(needed) for lang, (_, needed) in self.rules_by_lang.items()}


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    rule: Rule
    days: tuple[int | None, int | None]
    months: tuple[int, int]
    years: tuple[int | None, int | None]


def _month_piece(entry: dict) -> str:
    """Alternation of a lexicon's names (longest first). English names are matched
    case-sensitively as Capitalised or UPPER forms via a scoped ``(?-i:...)``."""
    forms: list[str] = list(entry["names"])
    period = {"required": r"\.", "optional": r"\.?", "none": ""}[entry["abbreviation_period"]]
    abbrevs = list(entry.get("abbreviations", {}))
    if entry["case"] == "capitalised":
        forms = [f for name in forms for f in (name.capitalize(), name.upper())]
        abbrevs = [f for name in abbrevs for f in (name.capitalize(), name.upper())]
    alts = sorted((re.escape(f) for f in forms), key=len, reverse=True)
    alts += sorted((re.escape(a) + period for a in abbrevs), key=len, reverse=True)
    body = "|".join(alts)
    if entry["case"] == "capitalised":
        body = f"(?-i:{body})"
    return rf"\b(?P<@>{body})(?![a-z])"


@lru_cache(maxsize=4)
def load_grammar(path: Path = RULES_PATH) -> Grammar:
    """Compile the JSONL grammar once per path."""
    entries = read_records(path)
    pieces: dict[str, str] = {}
    months: dict[str, int] = {}
    month_names: set[str] = set()
    for e in entries:
        if e["kind"] == "months":
            pieces[e["piece"]] = _month_piece(e)
            month_names.update(fold(name) for name in e["names"])
            for name, number in {**e["names"], **e.get("abbreviations", {})}.items():
                months[fold_keeping_offsets(name).lower()] = number
        elif e["kind"] == "piece":
            pieces[e["name"]] = e["pattern"]
    # gated: most paragraphs name no month, and a rule needing one is then not tried
    month_pieces = {name: gated(expand_pieces("{%s}" % name, pieces), re.IGNORECASE)
                    for name in (e["piece"] for e in entries if e["kind"] == "months")}
    rules = tuple(
        Rule(e["id"], e["lang"], first_char_lookahead(re.compile(expand_pieces(e["pattern"], pieces), re.IGNORECASE)),
             order,
             next((regex for name, regex in month_pieces.items() if re.search(r"\{%s[:}]" % name, e["pattern"])), None))
        for order, e in enumerate(x for x in entries if x["kind"] == "rule"))
    relative = tuple((e, first_char_lookahead(re.compile(e["pattern"], re.I))) for e in entries if e["kind"] == "relative")
    return Grammar(rules, months, frozenset(month_names), first_char_lookahead(re.compile(expand_pieces("{year:y}", pieces))),
                   relative)


def _iso(year: int, month: int, day: int | None) -> str | None:
    """ISO string at day or month precision; None for impossible days (31 June)."""
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _candidate(match: re.Match[str], rule: Rule, months: dict[str, int]) -> _Candidate:
    """Fill the missing ends of a match: a one-sided month or day belongs to both ends
    ("29-31 de octubre de 2002"). Years stay as written (None when absent): the start
    year of "noviembre – marzo 2003" is decided in ``_mention``."""
    g = match.groupdict()

    def month(key: str) -> int | None:
        token = g.get(key)
        if token is None:
            return None
        return int(token) if token.isdigit() else months[fold_keeping_offsets(token).lower().rstrip(".")]

    def number(key: str) -> int | None:
        return int(g[key]) if g.get(key) else None

    m1, m2 = month("m1"), month("m2")
    d1, d2 = number("d1"), number("d2")
    y1, y2 = number("y1"), number("y2")
    m1, m2 = m1 or m2, m2 or m1
    d2 = d2 if d2 is not None else d1
    y2 = y2 if y2 is not None else y1
    # a rule may match a cue it does not count as part of the date ("in early March"): group t
    start, end = match.span("t") if g.get("t") is not None else match.span()
    return _Candidate(start, end, rule, (d1, d2), (m1, m2), (y1, y2))


def _mention(c: _Candidate, text: str, year: int | None) -> DateMention | None:
    """The DateMention of a candidate given its (possibly context-supplied) end year; None
    when the year is unknown, a day is impossible, or the range runs backwards."""
    y1, y2 = c.years[0], c.years[1] or year
    if y2 is None:
        return None
    (d1, d2), (m1, m2) = c.days, c.months
    if y1 is None:
        # "30 de diciembre al 2 de enero de 2003", "November – March 2002": start a year earlier.
        y1 = y2 - 1 if (m1, d1 or 0) > (m2, d2 or 0) else y2
    start, end = _iso(y1, m1, d1), _iso(y2, m2, d2)
    if start is None or end is None or start > end:
        return None
    is_range = start != end
    return DateMention(c.start, c.end, text[c.start:c.end], start, end,
                       "day" if d1 is not None else "month", is_range, c.rule.id)


def _resolve_overlaps(cands: list[_Candidate]) -> list[_Candidate]:
    """Longest match wins; ties go to the earlier start, then the earlier rule."""
    chosen: list[_Candidate] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start, c.rule.order)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def find_dates(text: str, lang: str | None = None, default_year: int | None = None,
               period: tuple[str, str] | None = None, doc_year: int | None = None,
               only_if_year: bool = False) -> list[DateMention]:
    """Dates and date ranges of ``text`` in text order, non-overlapping.

    ``lang`` ("es", "en" or None for both) selects the rules; ``default_year`` is the year of
    a year-less date that no earlier mention in ``text`` gives a year to, unless ``period``
    (ISO start and end of the period the document reports on) holds that date in exactly
    one year. A year-less date said relative to now ('el próximo 12 de septiembre', 'last
    5 March') takes ``doc_year``, the year of the document's own date, when it is known.
    ``only_if_year``: none at all when the text states no year (for a caller that keeps
    only the dates a year-stating rule found, which then cannot match; the scan is skipped).
    """
    if lang not in (None, *LANGUAGES):
        raise ValueError(f"lang must be 'es', 'en' or None, not {lang!r}")
    grammar = load_grammar()
    folded = fold_keeping_offsets(text)
    if only_if_year and not YEAR_DIGITS.search(folded):
        return []
    cands: list[_Candidate] = []
    rules, needed = grammar.rules_by_lang[lang]
    has_months = {needs: may_match and needs.regex.search(folded) is not None
                  for needs, may_match in zip(needed, grammar.month_gates[lang].open(folded))}
    for rule in rules:
        if rule.needs is not None and not has_months[rule.needs]:
            continue
        for match in rule.regex.finditer(folded):
            c = _candidate(match, rule, grammar.months)
            # A candidate with its own year that cannot be a date must not hide a shorter one.
            if c.years[1] is None or _mention(c, text, None) is not None:
                cands.append(c)
    if not cands:
        return []

    mentions: list[DateMention] = []
    years = anchor_years(folded)
    for c in _resolve_overlaps(cands):
        own_year = c.years[1]
        before = [year for pos, year in years if pos < c.start]
        anchor = before[-1] if before else (_year_within(c, text, period) or default_year)
        if doc_year is not None and own_year is None and RELATIVE_CUE.search(folded, max(0, c.start - 16), c.start):
            anchor = doc_year
        if doc_year is not None and own_year is None and (said := RELATIVE_YEAR_AFTER.match(folded, c.end)):
            anchor = doc_year + _relative_year_offset(said.group(1))
        mention = _mention(c, text, own_year if own_year is not None else anchor)
        if mention is not None:
            mentions.append(mention)
    return mentions


# 'el próximo 12 de septiembre', 'el pasado 3 de junio', 'next 5 March': a date said from now
RELATIVE_CUE = re.compile(r"\b(?:proximo|proxima|pasado|pasada|proximos|pasados|next|last|this|coming)\s+(?:del?\s+)?$",
                          re.I)


# '4 June last year', '13 y 14 de diciembre del año pasado', '27 April this year': a year-less
# date whose year is said from the document's own
RELATIVE_YEAR_AFTER = re.compile(r"\s*,?\s*(?:of\s+|del?\s+)?(last\s+year|this\s+year|next\s+year|(?:el\s+)?ano\s+pasado|"
                                 r"(?:este|presente)\s+ano|(?:el\s+)?(?:proximo\s+ano|ano\s+proximo))\b", re.I)


def _relative_year_offset(phrase: str) -> int:
    words = set(phrase.lower().split())
    return -1 if words & {"last", "pasado"} else 1 if words & {"next", "proximo"} else 0


def _year_within(c: _Candidate, text: str, period: tuple[str, str] | None) -> int | None:
    """The one year that puts a year-less candidate inside the reported period, if one does."""
    if period is None or c.years[1] is not None:
        return None
    first, last = period
    fits = [y for y in range(int(first[:4]), int(last[:4]) + 1)
            if (m := _mention(c, text, y)) is not None and m.date_start[:7] >= first[:7] and m.date_end[:7] <= last[:7]]
    return fits[0] if len(fits) == 1 else None


PERIOD_CUE = re.compile(r"\b(?:per[ií]odo|period)\b(?:\s+(?:que\s+)?(?:abarca|cubre|comprende|covered|covering|"
                        r"from|de|del|desde))*", re.I)


def reporting_period(text: str, dates: list[DateMention]) -> tuple[str, str] | None:
    """The period a report says it covers: the first range of months soon after 'período' or
    'period' ('el período que abarca desde noviembre 2002 – mayo 2003'); a range after other
    words ('the campaign covering November 2002 – February 2003') is no report's period."""
    for d in dates:
        if d.is_range and d.precision == "month" and PERIOD_CUE.search(text, max(0, d.start - 40), d.start):
            return d.date_start, d.date_end
    return None


WEEKDAYS = {name: n for n, names in enumerate(("monday lunes", "tuesday martes", "wednesday miercoles",
                                                "thursday jueves", "friday viernes", "saturday sabado",
                                                "sunday domingo")) for name in names.split()}


def relative_dates(text: str, lang: str | None, doc_date: str | None) -> list[DateMention]:
    """Dates said relative to the document's own date (ISO 'YYYY-MM-DD', or 'YYYY' when only
    its year is known): 'ayer' and 'el pasado martes' need the day, 'el año pasado' and 'next
    year' the year. None without a document date."""
    if not doc_date:
        return []
    import datetime

    day = datetime.date.fromisoformat(doc_date) if len(doc_date) == 10 else None
    folded = fold_keeping_offsets(text)
    out = []
    for rule, pattern in load_grammar().relative:  # matched on accent-folded text
        if lang is not None and rule["lang"] != lang:
            continue
        for m in pattern.finditer(folded):
            if "years" in rule:
                iso, precision = f"{int(doc_date[:4]) + rule['years']:04d}", "year"
            elif day is None:
                continue
            elif "days" in rule:
                iso, precision = (day + datetime.timedelta(days=rule["days"])).isoformat(), "day"
            else:  # the last such weekday before the document's date
                weekday = WEEKDAYS[(m.group("w1") or m.groupdict().get("w2")).lower()]
                back = (day.weekday() - weekday) % 7 or 7
                iso, precision = (day - datetime.timedelta(days=back)).isoformat(), "day"
            out.append(DateMention(m.start(), m.end(), text[m.start():m.end()], iso, iso, precision, False, rule["id"]))
    return sorted(out, key=lambda d: d.start)


@per_document(maxsize=2048)  # the event rows ask it of every paragraph, several times
def stated_years(text: str) -> tuple[tuple[int, int], ...]:
    """(offset, year) of every four-digit year the text states, bare or inside a date."""
    return tuple((m.start(), int(m.group("y"))) for m in load_grammar().year.finditer(text))


def anchor_years(text: str) -> list[tuple[int, int]]:
    """The stated years that give a year-less date after them its year: not the end of a
    span of years ('Action Plan (2019–2022)': a plan's last year dates nothing told after it)."""
    return [(pos, year) for pos, year in stated_years(text)
            if not YEAR_SPAN_BEFORE.search(text, max(0, pos - 8), pos)]


# what every rule but the yearless ones matches somewhere (the year piece without its bounds:
# not the piece itself, which date.num.dmy_slash's own year after '/' would fail;
# tests/test_dates.py checks the rules)
YEAR_DIGITS = re.compile(r"1[89][0-9]{2}|20[0-9]{2}")
YEAR_SPAN_BEFORE = re.compile(r"(?:19|20)\d{2}\s*[–—-]\s*$")


def last_stated_year(text: str) -> int | None:
    years = anchor_years(text)
    return years[-1][1] if years else None


def month_names() -> frozenset[str]:
    """The one month lexicon: folded full month names of Spanish and English, from the
    grammar ('septiembre', 'setiembre', 'march'). Title rules use it: a month ends a title."""
    return load_grammar().month_names


def iso_interval(start: str | None, end: str | None) -> str | None:
    """Display form of a date or range given as ISO strings at one precision."""
    if not start:
        return None
    return start if not end or end == start else f"{start}/{end}"
