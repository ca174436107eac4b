"""When and where an event was: dating strategies, tried in order, each with the id that
reaches the row as ``year_rule_id`` (patterns/event_rules.jsonl holds their examples), and
the place a title is followed by."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from extractors.dates import stated_years
from extractors.event_titles import MONTH_WORDS, YEAR_TOKEN, ordinal_value
from extractors.nlp import doc_text
from extractors.places import is_country, known_city, known_place
if TYPE_CHECKING:
    from extractors.events import EventMention
from extractors.text import PLACE_NAME
from pipeline.nlp.fold import fold
from pipeline.nlp.sentences import sentence_end as _sentence_end, sentence_start as _sentence_start
from pipeline.nlp.words import DETERMINERS
from pipeline.nlp.titles import is_table_line

# Verbs that tie a date to a title across a long title or clause: "…, which is to take place in
# Santiago, Chile from 20 to 22 November 2002"
HELD_VERB = re.compile(r"\b(?:held|hold|take[sn]? place|took place|taking place|convened|organi[sz]ed|conducted|carried out|"
                       r"celebrad[oa]s?|realizad[oa]s?|se realiz[oó]|se realizaron|se celebr[oó]|se celebraron|"
                       r"se llev[oó] a cabo|se llevaron a cabo|se efectu[oó]|llevad[oa]s? a cabo|tuvo lugar|"
                       r"tuvieron lugar|tendr[aá] lugar)\b", re.I)
# "(1998)", "(Colombia, 2001)", "(Orlando 2005)": a year closing a short parenthesis after a title
YEAR_IN_PARENS = re.compile(r"^\s*\((?:[^()]{0,40}?[\s,])?((?:19|20)\d{2})\)")
LOCATION_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:en|in|at|held in|celebrad[oa] en|realizad[oa] en|llevad[oa] a cabo en)\s+"
    r"((?:[A-ZÁÉÍÓÚÑ][\w\-’']+)(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})")


@dataclass(frozen=True, slots=True)
class Located:
    """A known place an event was held at and the id of the rule that read it there
    (``location.*``; it reaches the row as ``location_rule_id``)."""
    place: str
    rule_id: str


def located(place: str | None, rule_id: str) -> Located | None:
    return Located(place, rule_id) if place else None


def dated_by_previous_sentence(text: str, mention: EventMention, loose_triggers, dates: list) -> EventMention:
    """An undated event introduced by the sentence before it, which names its kind, as no
    event of its own, and gives one year: 'An information campaign, carried out from October
    to December 2001, … included workshops … . A workshop for journalists entitled "Migrants
    make news" …' → 2001; not 'El Taller Regional … tuvo lugar … de 2005. El taller dio
    seguimiento … del Taller sobre Retorno …', where the year is the other workshop's, nor
    'The Summits Secretariat participated … 2007 … for the Fifth Summit' (a body's name)."""
    if mention.year is not None:
        return mention
    start = _sentence_start(text, mention.start)
    if start == 0:
        return mention
    previous = _sentence_start(text, max(0, start - 2))
    if not any(previous <= t.start_char < start and t.label_ == mention.kind for t in loose_triggers):
        return mention
    years = {int(d.date_start[:4]) for d in dates if previous <= d.start < start} | {
        int(d.date_end[:4]) for d in dates if previous <= d.start < start}
    if len(years) != 1:
        return mention
    return replace(mention, when=Dating(years.pop(), rule_id="year.previous_sentence"))


def dated_by_held_sentence(text: str, mention: EventMention) -> EventMention:
    """An undated numbered session said to be held, right before or after its title, in a
    sentence that states one year outside parentheses: 'La XXVIII Conferencia … se llevó a cabo
    recientemente en Panamá, … durante el año pasado 2023', 'carried out in the year 2000, the
    I South American Conference …'; not 'organized the Second Meeting (Paraguay, 2003) in
    preparation for the Fourth Conference', nor '… Forum (it was not formally held as such)'."""
    if mention.year is not None or ordinal_value(mention.title) is None:
        return mention
    start, end = _sentence_start(text, mention.start), _sentence_end(text, mention.end)
    held = [m for m in HELD_VERB.finditer(text, max(start, mention.start - HELD_BEFORE_REACH),
                                          min(end, mention.end + HELD_AFTER_REACH))
            if not (mention.start <= m.start() < mention.end) and not NEGATION_BEFORE.search(text, max(0, m.start() - NEGATION_REACH), m.start())]
    if not held:
        return mention
    outside_parens = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text[start:end])
    years = {year for _, year in stated_years(outside_parens)}
    if len(years) != 1:
        return mention
    return replace(mention, when=Dating(years.pop(), rule_id="year.held_sentence"))


HELD_BEFORE_REACH = 60   # characters before a title its held verb may be ('carried out in the year 2000, the I …')
HELD_AFTER_REACH = 200   # and after it, past an apposition ('… se llevó a cabo recientemente en Panamá')

# How far (characters) the dating and place rules look, named so a rule's reach is read and
# tuned in one place:
NEGATION_REACH = 20          # before a held verb: 'no se realizó'
IN_YEAR_REACH = 60           # before a title: 'In 2004, the Regional Seminar …'
HELD_DATE_REACH = 60         # after a held verb, to its date: 'celebrada en Lima el 8 y 9 de mayo'
DATE_AFTER_TITLE_REACH = 100  # after a title, to a date in its sentence: '… held in Manila in December 1996'
HELD_VERB_DATE_REACH = 250   # after a title, to a held verb that dates it: '…, which is to take place in Santiago …'
OWNER_REACH = 30             # before a date, to the name it belongs to: 'el GRCM de octubre 2002'
PLACE_DATE_REACH = 60        # after a title, to the date a place may follow: '(Turin, June 28-30, 2006)'
HELD_PLACE_REACH = 200       # after a title, to a held verb whose place is the event's
NEGATION_BEFORE = re.compile(r"\b(?:not|never|no|nunca)\b(?:\s+\w+)?\s*$", re.I)


def dates_joined_to(text: str, first, dates: list) -> list:
    """Dates joined to ``first`` by 'and (on|in)': '26 to 28 February 2002 and on 28 to 30 April
    2003'."""
    joined, last = [], first
    for d in dates:
        if d.start > last.end and re.fullmatch(r"\s*,?\s*(?:and|y)\s+(?:on\s+|in\s+|from\s+|el\s+|en\s+|del\s+)?",
                                               text[last.end:d.start]):
            joined.append(d)
            last = d
    return joined


def year_before_title(doc: Doc, k: int) -> Dating | None:
    """A year between a determiner and a title (token k): 'the 2007 OAS General Assembly',
    'The 1996 CIS Conference in Geneva'; or the year a sentence says the title's event was in,
    right before it: 'se sitúan en el año 1998 en el “Foro Andino …”', 'in 2005 at
    the Regional Seminar …'."""
    if k >= 2 and YEAR_TOKEN.match(doc[k - 1].text) and doc[k - 2].norm_ in DETERMINERS:
        return Dating(int(doc[k - 1].text), rule_id="year.before_title")
    start = doc[k].idx
    then = IN_YEAR_AT.search(doc_text(doc), max(0, start - IN_YEAR_REACH), start)  # (doc.text joins every token)
    return Dating(int(then.group(1)), rule_id="year.in_year_at") if then else None


# 'en (el año) 1999 en el “…', 'in 2005 at the …' ending right where a title starts
IN_YEAR_AT = re.compile(r"\b(?:en|in)\s+(?:el\s+año\s+(?:de\s+)?|the\s+year\s+(?:of\s+)?)?((?:19|20)\d{2}),?\s+"
                        r"(?:en|at|in|durante|during)\s+(?:el|la|the)\s+[\"“«]?$", re.I)


CLOSING_YEAR = r"\s*(?:\([^()]{1,15}\)\s*)?((?:19|20)\d{2})"
# a sentence opening right after the year: the heading was run into its paragraph
RUN_IN_SENTENCE = re.compile(CLOSING_YEAR + r"\s+(?:The|This|These|It|In|On|At|El|La|Los|Las|Este|Esta|En)\s")
# the paragraph opens with the title: after an item number or bullet at most
OPENS_PARAGRAPH = re.compile(r"\s*(?:(?:\d{1,2}|[a-z]|[IVX]{1,4})[.)]\s+|[•\-–]\s+)?$")


def closing_year(text: str, end: int) -> Dating | None:
    """A title line closed by its year: 'Youth Consultation for General Assembly (GA) 2008'."""
    closing = re.match(CLOSING_YEAR + r"\s*[.:]?\s*$", text[end:])
    return Dating(int(closing.group(1)), rule_id="year.title_line_closing") if closing else None


def run_in_heading_year(text: str, start: int, end: int) -> Dating | None:
    """A heading run into its paragraph, closed by its year: '2. Regional Seminar on Labour
    Mobility 2007 The seminar gathered …' (a PDF set the heading on the paragraph's first
    line). The title must open the paragraph; a year inside a sentence dates nothing so."""
    if not OPENS_PARAGRAPH.match(text[:start]):
        return None
    m = RUN_IN_SENTENCE.match(text, end)
    return Dating(int(m.group(1)), rule_id="year.run_in_heading") if m else None


@dataclass(frozen=True, slots=True)
class Dating:
    """When an event was, and the id of the strategy that said so (``year_rule_id``)."""
    year: int | None = None
    date_start: str | None = None
    date_end: str | None = None
    precision: str | None = None
    rule_id: str | None = None


UNDATED = Dating()


def dating_of(d, rule_id: str) -> Dating:
    """A DateMention as an event's date."""
    return Dating(int(d.date_start[:4]), d.date_start, d.date_end, d.precision, rule_id)


def date_after_held_verb(text: str, dates: list, start: int, verb_stop: int, date_stop: int | None = None):
    """The date right after a 'held'/'se realizó' verb between start and verb_stop: 'El taller,
    que se realizó el 8 y 9 de mayo', '…, which is to take place … from 20 to 22 November 2002'."""
    held = HELD_VERB.search(text, start, verb_stop)
    if held is None:
        return None
    limit = held.end() + HELD_DATE_REACH if date_stop is None else min(held.end() + HELD_DATE_REACH, date_stop)
    return next((d for d in dates if held.end() <= d.start <= limit), None)


@dataclass(frozen=True, slots=True)
class TitleSite:
    """Where a title stands in its paragraph, for the dating strategies: ``end`` of the
    title, ``start`` of the mention (None: only what follows the title may date it), and
    the spans of the paragraph's other kind words."""
    text: str
    dates: tuple
    end: int
    start: int | None = None
    other_events: tuple[tuple[int, int], ...] = ()


def _year_in_parens(site: TitleSite) -> Dating | None:
    # "(1998)", "(San José, marzo 2001)": the date inside, else the year
    m = YEAR_IN_PARENS.match(site.text[site.end:])
    if not m:
        return None
    inside = next((d for d in site.dates if site.end <= d.start and d.end <= site.end + m.end()), None)
    return dating_of(inside, "year.parens_date") if inside else Dating(int(m.group(1)), rule_id="year.parens")


def _place_then_year_in_parens(site: TitleSite) -> Dating | None:
    # a list line "1st Ministerial Conference: Berlin, Germany (1991)", "… – Rhodes (2003)":
    # the year in parentheses after the place the title is set off from
    m = PLACE_THEN_YEAR.match(site.text, site.end)
    if not m or not known_place(m.group(1)):  # "…, Smith (2003)" cites, it does not date
        return None
    return Dating(int(m.group(2)), rule_id="year.place_then_parens")


def _date_after(site: TitleSite) -> Dating | None:
    # "… held in Manila in December 1996": a date soon after the title, in its sentence
    stop = min(site.end + DATE_AFTER_TITLE_REACH, _sentence_end(site.text, site.end))
    d = next((d for d in site.dates if site.end <= d.start <= stop), None)
    return dating_of(d, "year.date_after") if d else None


def _bare_year_after(site: TitleSite) -> Dating | None:
    year = bare_year_after(site.text, site.end, _sentence_end(site.text, site.end))
    return Dating(year, rule_id="year.bare_after") if year else None


def _held_verb_date(site: TitleSite) -> Dating | None:
    # "…: Human Rights and Trafficking in Migrants in the Americas, which is to take place in
    # Santiago, Chile from 20 to 22 November 2002"
    stop = _sentence_end(site.text, site.end)
    held = date_after_held_verb(site.text, site.dates, site.end, min(stop, site.end + HELD_VERB_DATE_REACH), stop)
    return dating_of(held, "year.held_verb") if held else None


# 'al año siguiente la Séptima Conferencia', 'the following year the Second Forum', 'a year
# later': the year after the last one stated before the phrase
FOLLOWING_YEAR = re.compile(r"\b(?:al|el)\s+año\s+siguiente\b|\bun\s+año\s+(?:después|despues|más\s+tarde)\b|"
                            r"\bthe\s+(?:following|next)\s+year\b|\ba\s+year\s+later\b", re.I)


def _following_year(site: TitleSite) -> Dating | None:
    if site.start is None:
        return None
    phrase = None
    for phrase in FOLLOWING_YEAR.finditer(site.text, _sentence_start(site.text, site.start), site.start):
        pass
    if phrase is None or re.search(r"[.;]", site.text[phrase.end():site.start]):
        return None
    years = stated_years(site.text[:phrase.start()])
    return Dating(years[-1][1] + 1, rule_id="year.following_year") if years else None


def _earlier_in_sentence(site: TitleSite) -> Dating | None:
    # "In June 2001, IOM gave the “… Course”"
    if site.start is None:
        return None
    before = earlier_date(site.text, site.dates, _sentence_start(site.text, site.start), site.start, site.other_events)
    return dating_of(before, "year.earlier_in_sentence") if before else None


def _opening_year(site: TitleSite) -> Dating | None:
    # "In 2002, IOM was again a guest lecturer … at the … Summer Course", an agenda line
    # "2009 – IX Conferencia Sudamericana sobre Migraciones (Quito …)"
    if site.start is None:
        return None
    opening = site.text[_sentence_start(site.text, site.start):site.start]
    m = OPENING_YEAR.match(opening)
    return Dating(int(m.group(1) or m.group(2)), rule_id="year.sentence_opening") if m else None


# 'In 2002,', 'En 2001 la …', 'In the year 2004', 'Durante el año 2003': a year that opens the
# sentence (not a range or a pair of years: 'In 2001-2003', 'En 2001 y 2002')
OPENING_YEAR = re.compile(r"^\s*(?:(?:In|En|During|Durante)\s+(?:the\s+year\s+|el\s+año\s+)?((?:19|20)\d{2})\b"
                          r"(?!\s*(?:[-–/]|and\b|y\b|to\b|a\b)\s*\d)\s*,?|((?:19|20)\d{2})\s*[–—:-]\s)")


def _same_occasion(site: TitleSite) -> Dating | None:
    # "On the same occasion, IOM … co-sponsored a panel discussion on “…”": the date of the
    # event named just before
    if site.start is None:
        return None
    sentence_start = _sentence_start(site.text, site.start)
    if not SAME_OCCASION.search(site.text[sentence_start:site.start]):
        return None
    earlier = [d for d in site.dates if d.end <= sentence_start]
    return dating_of(earlier[-1], "year.same_occasion") if earlier else None


def _list_item_date(site: TitleSite) -> Dating | None:
    # '(ii) A “Fraudulent Document Training” course, organized by … . IOM conducted training on …
    # (April 2002).': the event an enumerated item opens with takes the item's one date, in a
    # later sentence of the item too, when no other capitalised kind word comes between ('IOM
    # conducted training on …' is the course itself)
    if site.start is None or not LIST_ITEM_OPENING.match(site.text[:site.start]):
        return None
    after = [d for d in site.dates if d.start >= site.end]
    if len(after) != 1 or any(site.end <= a < after[0].start and site.text[a].isupper() for a, _ in site.other_events):
        return None
    return dating_of(after[0], "year.list_item_date")


# a list marker and at most a few words before the title: '(ii) A “…”', '- The …', '3. Un …'
LIST_ITEM_OPENING = re.compile(r"\s*(?:\(?(?:[ivxl]{1,5}|[a-z]|\d{1,2})[.)]|[-–•*])\s+(?:\S+\s+){0,2}[“\"«]?$", re.I)


# The dating strategies of a title, in the order they are tried: what closes the title,
# then what follows it in its sentence, then what opens the sentence.
TITLE_DATING = (
    ("year.parens", _year_in_parens),
    ("year.place_then_parens", _place_then_year_in_parens),
    ("year.date_after", _date_after),
    ("year.bare_after", _bare_year_after),
    ("year.held_verb", _held_verb_date),
    ("year.following_year", _following_year),
    ("year.earlier_in_sentence", _earlier_in_sentence),
    ("year.sentence_opening", _opening_year),
    ("year.same_occasion", _same_occasion),
    ("year.list_item_date", _list_item_date),
)


def title_dating(site: TitleSite) -> Dating:
    """The first strategy of ``TITLE_DATING`` that dates the title, else UNDATED."""
    for _, strategy in TITLE_DATING:
        found = strategy(site)
        if found is not None:
            return found
    return UNDATED


def bare_year_after(text: str, pos: int, stop: int, reach: int = 60, prepositions: str = "en|in|de|of") -> int | None:
    """A bare year soon after pos, in the same clause: '… held in Manila in 1996'."""
    m = re.match(r"[^.;]{0,%d}?\b(?:%s)\s+((?:19|20)\d{2})\b" % (reach, prepositions), text[pos:stop])
    return int(m.group(1)) if m else None


def earlier_date(text: str, dates: list, sentence_start: int, start: int, other_events):
    """The last date of the sentence before a mention that can be the mention's: not one that
    qualifies another name ("durante el GRCM de octubre 2002 … la VIII Reunión"), nor one with
    another event word between it and the mention ("In December 2003, a bid to include the
    Hispanic Forum … of the XIII Inter-American Conference" dates the bid), nor one a held-verb
    binds to another event word before it ("la Mesa Redonda …, celebrada en junio de 2002, este
    documento sirve … para la reunión sobre …": the Mesa Redonda's date)."""
    before = [d for d in dates if sentence_start <= d.start and d.end <= start
              and not OWNED_DATE.search(text[max(0, d.start - OWNER_REACH):d.start])
              and not any(d.end <= a and b <= start for a, b in other_events)
              and not any(sentence_start <= a and b <= d.start and HELD_VERB.search(text, b, d.start)
                          for a, b in other_events)]
    return before[-1] if before else None


SAME_OCCASION = re.compile(r"\b(?:same occasion|that occasion|on that day|misma ocasi[oó]n|esa ocasi[oó]n|"
                           r"ese mismo d[ií]a|en esa oportunidad)\b", re.I)


OWNED_DATE = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\w\-]+\s+(?:de|del|of)\s+$")


# Words whose period ends no sentence: "Dr. Norberto Liwski", "Sra. Pérez", "U.S. Department"
PLACE_IN_PARENS = re.compile(r"^\s*\(\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})\s*,")


def place_after(text: str, end: int, dates: list) -> Located | None:
    """Where the event a title ends at was held: the first capture after it that is a known
    place (extractors.places), in the order tried."""
    m = CITY_SET_OFF.match(text, end)
    city = known_city(m.group(1)) if m else None
    if city:
        return Located(city, "location.city_set_off")  # "18th Inter-American Conference, Guayaquil, Ecuador, June 4-7, 2007"
    for rule_id, capture in _place_captures(text, end, dates):
        place = known_place(capture)
        if place:
            return Located(place, rule_id)
    return None


# a place set off from a title by a colon, comma or dash, its country perhaps, then the
# year in parentheses: "1st Ministerial Conference: Berlin, Germany (1991)"
PLACE_THEN_YEAR = re.compile(rf"[ \t]*(?::|,|\s[–—-])[ \t]*({PLACE_NAME})(?:[ \t]*,[ \t]*{PLACE_NAME})?[ \t]*\(((?:19|20)\d{{2}})\)")


# a city set off by commas right after a title, before its country or date (a country there
# may as well start a list: "the Conference, Peru, Chile and Bolivia agreed")
CITY_SET_OFF = re.compile(rf"\s*,\s*({PLACE_NAME})\s*,")


def _place_captures(text: str, end: int, dates: list):
    m = PLACE_THEN_YEAR.match(text, end)
    if m:
        yield "location.place_then_year_parens", m.group(1)  # "1st Ministerial Conference: Berlin, Germany (1991)"
    m = HELD_PLACE.match(text, end)
    if m:
        yield "location.after_title", m.group(1)  # "the 16th Summit in Montevideo, Uruguay, in November 2006"
    m = PLACE_IN_PARENS.match(text[end:])
    if m and fold(m.group(1).split()[0]) not in MONTH_WORDS:
        yield "location.parens", m.group(1)  # "(San José, marzo 2001)", "(Turin, June 28-30, 2006, …)"
    after = end
    for d in dates:
        if end <= d.start <= end + PLACE_DATE_REACH:
            after = d.end
            break
    m = re.match(r"^\s*,\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)\s*\)", text[after:])
    if m:
        yield "location.parens_after_date", m.group(1)
    m = LOCATION_AFTER.match(text[after:])
    if m and fold(m.group(1).split()[0]) not in MONTH_WORDS:
        yield "location.after_title", m.group(1)
    # "… Trata de Personas en las Américas”, que se realizó en Santiago, Chile, del 20-22 …"
    held = HELD_VERB.search(text, end, min(_sentence_end(text, end), end + HELD_PLACE_REACH))
    m = held and HELD_PLACE.match(text, held.end())
    if m and fold(m.group(1).split()[0]) not in MONTH_WORDS:
        yield "location.held_in", m.group(1)


PLACE_AT_END = re.compile(r"\s+(?:in|en)\s+([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)$")
HELD_PLACE = re.compile(r"\s+(?:en|in|at)\s+([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})")


# A known place in the sentence of an event that place_after found none for: after a
# locative ('tuvo lugar en la ciudad de Lima, la Quinta Reunión', 'hosted the
# … Consultation … in Abu Dhabi on 21 …', 'tuvo lugar en la Antigua Guatemala'), as the host
# ('Accra Hosts 3rd Forum'), or as a dateline ('… MIGRACIÓN Lima, Perú, 3 y 4 …')
SENTENCE_PLACES = (
    ("location.locative", re.compile(r"\b(?:en|in|at)\s+(?:(?:la\s+)?ciudad\s+de\s+|(?:the\s+)?city\s+of\s+|la\s+|el\s+)?"
                                     rf"({PLACE_NAME})")),
    ("location.host", re.compile(rf"({PLACE_NAME})\s+(?:[-–—]\s+\w+\s+)?(?:[Hh]osts|[Hh]osted|acoge|acogi[oó]|fue\s+sede)\b")),
    ("location.dateline", re.compile(rf"({PLACE_NAME}),\s+(?={PLACE_NAME}[ \t]*,?[ \t]*\d)")),
    # the last cell of a table row: '2003 | IV Conferencia … | 6-7 noviembre | Montevideo, Uruguay'
    ("location.table_cell", re.compile(rf"(?:[|\t]|\s[–—]\s)[ \t]*({PLACE_NAME})(?:,[ \t]*{PLACE_NAME})?[ \t]*(?=\n|$)")),
)


def place_in_sentence(text: str, start: int, end: int) -> Located | None:
    """The known place of the sentence around text[start:end] nearest to it, a city before
    a country ('Asunción, Paraguay' gives Asunción)."""
    s_start, s_end = _sentence_start(text, start), _sentence_end(text, end)
    line_end = text.find("\n", end)
    line = max(s_start, text.rfind("\n", 0, start) + 1), min(s_end, len(text) if line_end < 0 else line_end)
    if line != (s_start, s_end):
        # a sentence over several lines (a table's rows run together): the title's own line first
        on_line = _place_in_span(text, start, end, *line)
        if on_line or is_table_line(text[line[0]:line[1]]):
            return on_line  # a table row's place is in its own cells or nowhere
    return _place_in_span(text, start, end, s_start, s_end)


def _place_in_span(text: str, start: int, end: int, s_start: int, s_end: int) -> Located | None:
    found = []
    for rule_id, pattern in SENTENCE_PLACES:
        for m in pattern.finditer(text, s_start, s_end):
            place = known_place(m.group(1))
            if place:
                distance = m.start(1) - end if m.start(1) >= end else start - m.end(1)
                found.append((is_country(place), abs(distance), place, rule_id))
    return Located(*min(found)[2:]) if found else None
