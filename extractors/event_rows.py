"""Event rows of one document: what the paragraphs' mentions become once the whole document is
known. Elided numbered titles are completed, headings and their blocks date the events they
title, undated meetings that nothing dates are dropped, and mentions of one event merge into
one row. ``extractors.events`` finds the mentions, one paragraph at a time.

Each step is a pure function over frozen ``EventCandidate`` records (a new list out); the
rows of the events table are made from them at the end."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace

from extractors.context import ParagraphContext
from extractors.dates import WEEKDAYS, stated_years
from extractors.event_dating import Dating, Located, dating_of, place_after
from extractors.event_titles import is_ordinal, ordinal_value, similar_titles, title_case_share
from pipeline.nlp.fold import fold, fold_lower_keeping_offsets
from pipeline.nlp.titles import is_title_line, normalise_title

SINCE_YEAR = re.compile(r"\b(?:since|until|before|after|from|desde|hasta|antes|después|despues|a partir)\b[^\d]{0,20}"
                        r"(?:19|20)\d{2}", re.I)
# a field line that gives only the year: 'Date: 2012 (to be confirmed)', 'Fecha: 2008'
DATE_FIELD_YEAR = re.compile(r"\s*(?:Dates?|Fechas?|When|Year|Año|Period|Periodo|Período)\s*:\s*((?:19|20)\d{2})\b",
                             re.I)


@dataclass(frozen=True)
class EventCandidate:
    """One event mention of the document, with what the document-level steps read."""
    event_id: str
    kind: str
    title: str
    when: Dating
    location: Located | None
    process_id: str | None
    lang: str
    page: int
    char_start: int     # offsets in the document text
    char_end: int
    evidence: str
    rule_id: str
    needs_date: bool    # a heading that is an event only once something dates it
    year_inferred: bool  # its date took its year from the text above, not from itself
    title_rules: tuple[str, ...] = ()  # the title grammar's ids (EventMention.title_rules)
    mention_spans: tuple[str, ...] = ()  # 'start-end' of each mention with its title and year, in text order

    @property
    def year(self) -> int | None:
        return self.when.year

    @property
    def date_start(self) -> str | None:
        return self.when.date_start

    @property
    def date_end(self) -> str | None:
        return self.when.date_end


def document_event_rows(candidates: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """The events of one document, from its paragraph-level candidates (in text order)."""
    restored = elided_titles_restored([e.title for e in candidates], [e.char_start for e in candidates])
    # "the Fifth Summit" pages after "the Fourth Summit of the Americas"
    candidates = [replace(e, title=title) for e, title in zip(candidates, restored)]
    dated = _day_heading_events(_section_year_events(_date_heading_events(candidates, paragraphs), paragraphs),
                                paragraphs)
    kept = [e for e in dated if not (e.year is None and (e.needs_date or is_bare_session(e.title)))]
    kept = _without_guessed_repeats(kept)
    return _news_lead_event(_document_year_events(_dated_by_descriptor(merge_event_rows(kept), paragraphs),
                                                  paragraphs), paragraphs)


NEWS_LEAD_PARAGRAPHS = 3  # where a news item or a speech names the session it is about


def _news_lead_event(events: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """A text written from its own date (a news item, a speech: its opening paragraphs say
    'ayer', 'yesterday', 'el pasado martes') is about the numbered session it names first:
    undated there ('La XXII Reunión Viceministerial de la CRM, celebrada en un hotel …'), it
    takes the document's year."""
    if not paragraphs or paragraphs[0].document.year is None:
        return events
    lead = paragraphs[:NEWS_LEAD_PARAGRAPHS]
    if not any(d.rule_id.startswith("date.relative.") and d.precision == "day" for p in lead for d in p.dates):
        return events
    lead_end = lead[-1].end
    first = next((n for n, e in enumerate(events) if e.char_start < lead_end and ordinal_value(e.title) is not None), None)
    if first is None or events[first].year is not None:
        return events
    out = list(events)
    out[first] = replace(events[first], when=Dating(paragraphs[0].document.year, rule_id="year.news_lead"),
                         year_inferred=True)
    return out


# years a title takes from around it rather than from a date of its own
GUESSED_YEAR_RULES = frozenset({"year.previous_sentence"})


def _without_guessed_repeats(events: list[EventCandidate]) -> list[EventCandidate]:
    """A title the document dates itself elsewhere ('Fraudulent Document Training' … (April
    2002)) is not a second event in the year a neighbouring sentence guessed for it."""
    stated = {normalise_title(e.title) for e in events if e.year is not None and e.when.rule_id not in GUESSED_YEAR_RULES}
    return [e for e in events if not (e.when.rule_id in GUESSED_YEAR_RULES and normalise_title(e.title) in stated)]


def elided_titles_restored(titles: list[str], positions: list[int] | None = None) -> list[str]:
    """'the 16th Ibero-American Summit in Montevideo …, and the 17th Summit held in Santiago',
    'the Second Meeting of National Authorities on Trafficking in Persons … the First Meeting':
    an '<ordinal> <Kind>' title shares what another numbered title of that kind says around
    the kind word: '17th Ibero-American Summit', 'First Meeting of National Authorities on
    Trafficking in Persons' (or is that title, when the number is the same: 'la VI
    Conferencia'). Without ``positions`` (offsets) the other title is the nearest
    earlier one; with them, the nearest one either side ('the Fifth Summit' pages before 'the
    Fourth Summit of the Americas')."""
    def is_elided(words: list[str]) -> bool:
        return len(words) == 2 and is_ordinal(words[0])

    out = list(titles)
    for i, title in enumerate(titles):
        words = title.split()
        if not is_elided(words):
            continue
        numbered = [j for j in range(len(titles)) if j != i and ordinal_value(titles[j]) is not None
                    and fold(words[1]) in fold(titles[j]).split()]
        others = [j for j in reversed(numbered) if j < i] if positions is None else sorted(
            numbered, key=lambda j: abs(positions[j] - positions[i]))
        for j in others:
            full = titles[j].split()
            at = next((k for k, w in enumerate(full) if fold(w) == fold(words[1])), None)
            if at is not None and not is_elided(full) and len(full) > 2:
                out[i] = " ".join([words[0], *full[1:at], words[1], *_complement_words(full[at + 1:])])
                break
    return out


def is_bare_session(title: str) -> bool:
    """'OCTOGÉSIMA CUARTA REUNIÓN', 'Fifth Summit': ordinals and a kind word, naming no body;
    without a date, an event only once another title completes it ('Fifth Summit of the
    Americas')."""
    words = title.split()
    return len(words) >= 2 and all(is_ordinal(w) for w in words[:-1])


def _complement_words(words: list[str]) -> list[str]:
    """What follows a kind word in a title, unless it is only where the event was: 'in
    Montevideo' (but 'on Trafficking in Persons' stays whole)."""
    return [] if words and words[0].lower() in ("in", "en", "at") else words



def merge_event_rows(events: list[EventCandidate]) -> list[EventCandidate]:
    """One row per event of a document: repeats with a year merge first, then year-less
    repeats of a dated event are dropped."""
    return _merge_undated_repeats(_merge_dated_repeats(events))


def _compatible_dates(a: EventCandidate, b: EventCandidate) -> bool:
    """Dates that may describe one event: either unknown, or one within the other's
    ('2008-04' and '2008-04-10')."""
    x, y = a.date_start, b.date_start
    return x is None or y is None or x.startswith(y) or y.startswith(x)


def _merge_dated_repeats(events: list[EventCandidate]) -> list[EventCandidate]:
    """Mentions of one event across a document: the same year and a similar title ('the
    Ibero-American Forum on Migration and Development … in April 2008' and 'the meeting of the
    Ibero-American Forum on Migration and Development … on April 10 and 11, 2008'), or the same
    kind on the same stated dates ('Mesa Redonda sobre gestión de la migración regional,
    celebrada en junio de 2002' and 'Mesa Redonda de la OIM … celebrada en junio de 2002'), or
    an untitled mention on days a titled one overlaps ('the meeting in Prague … on 14 - 15
    October 1997' and '3rd Ministerial Conference', 'Date: 15 October 1997')."""
    kept: list[EventCandidate] = []
    for event in events:
        numbered = next((i for i, k in enumerate(kept) if ordinal_value(k.title) is not None and k.kind == event.kind
                         and normalise_title(k.title) == normalise_title(event.title)), None)
        if numbered is not None:
            # "VI Conferencia Sudamericana sobre Migraciones (Asunción, 2006)" and, later,
            # "la VI Conferencia, en 2005": a numbered title names one instance
            k = kept[numbered]
            if k.year is None or k.year_inferred and event.year is not None and not event.year_inferred:
                # the date that states its year wins: "10 al 14 de noviembre de 2008 – II Curso …"
                # over "… del 10 al 14 de noviembre, el II Curso …" read after a paragraph on 2009
                kept[numbered] = replace(k, when=event.when, year_inferred=event.year_inferred)
            continue
        same = next((i for i, k in enumerate(kept) if k.year is not None and k.year == event.year and (
            _compatible_dates(k, event) and similar_titles(k.title, event.title, 90)
            or k.kind == event.kind and k.date_start is not None
            and (k.date_start, k.date_end) == (event.date_start, event.date_end)
            and not _distinct_events(k, event)
            or _is_untitled(k) != _is_untitled(event) and _overlapping_days(k, event)
            and (k.rule_id not in UNTITLED_RULES or event.rule_id not in UNTITLED_RULES)
            and not _distinct_events(k, event))), None)
        if same is None:
            kept.append(event)
            continue
        k = kept[same]
        if _is_untitled(k) and not _is_untitled(event):
            k = replace(k, title=event.title, kind=event.kind, rule_id=event.rule_id,
                        title_rules=event.title_rules)  # the titled mention names it
        if k.date_start is None or len(event.date_start or "") > len(k.date_start):
            k = replace(k, when=replace(k.when, date_start=event.date_start, date_end=event.date_end,
                                        precision=event.when.precision), location=k.location or event.location)
        kept[same] = k
    return kept


# rules whose title is a descriptor ('Meeting in Prague', 'Conference of ministers …'), not a name
UNTITLED_RULES = ("event.dated", "event.distributed")


def _is_untitled(event: EventCandidate) -> bool:
    """A descriptor that names no body either: 'Meeting in Prague', 'Conference of ministers
    responsible for …'; not 'Reunión de la Red de Funcionarios de Enlace de Protección Consular'."""
    if event.rule_id not in UNTITLED_RULES or ordinal_value(event.title) is not None:
        return False
    words = re.sub(r"\s+(?:in|en|at)\s+[A-ZÁÉÍÓÚÑ].*$", "", event.title).split()
    return not any(w[:1].isupper() for w in words[1:])


def _overlapping_days(a: EventCandidate, b: EventCandidate) -> bool:
    """Two events dated to the day on overlapping days ('1997-10-14/1997-10-15' and '1997-10-15')."""
    if len(a.date_start or "") != 10 or len(b.date_start or "") != 10:
        return False
    return a.date_start <= (b.date_end or b.date_start) and b.date_start <= (a.date_end or a.date_start)


def _distinct_events(a: EventCandidate, b: EventCandidate) -> bool:
    """Two events on one day all the same: differently numbered ('XIII …', '18th …'), or
    meetings of two differently named bodies ('Reunión de la Red de Funcionarios de Enlace de
    Protección Consular' and '… para el Combate al Tráfico de Migrantes', both on 26 May)."""
    na, nb = ordinal_value(a.title), ordinal_value(b.title)
    return (na is not None and nb is not None and na != nb) or (
        a.rule_id == b.rule_id == "event.dated.body" and not similar_titles(a.title, b.title, 90))


def _same_by_place(undated: EventCandidate, dated: EventCandidate) -> bool:
    """'la Conferencia Hemisférica en Santiago' is the 'Conferencia Hemisférica Sobre Migración
    Internacional …' held in Santiago: the same kind, the words before 'en/in <place>' opening
    the dated title, and that place its location."""
    m = re.fullmatch(r"(.+?)\s+(?:en|in|at)\s+(.+)", undated.title)
    return (m is not None and dated.location is not None and undated.kind == dated.kind
            and fold(m.group(2)) == fold(dated.location.place)
            and normalise_title(dated.title).startswith(normalise_title(m.group(1))))


# 'Reunión de la' / 'Meeting of the' before a body's name: the session of that body
SESSION_OF = re.compile(r"(?:reunion|meeting|session|sesion)\s+(?:de\s+la|del|de|of\s+the|of)\s+")


def _session_core(title: str) -> str:
    """A numbered session's title without its number and a leading 'Reunión de la' /
    'Meeting of the': 'Octava Reunión de la Conferencia Regional sobre Migración' and 'VIII
    Conferencia Regional sobre Migración' are both 'conferencia regional sobre migracion'."""
    words = title.split()
    while words and is_ordinal(words[0]):
        words = words[1:]
    core = fold(" ".join(words))
    return SESSION_OF.sub("", core, count=1) if SESSION_OF.match(core) else core


def _same_session(a: EventCandidate, b: EventCandidate) -> bool:
    """Two mentions of one numbered session of one process, however the number is written
    ('VIII Conferencia …', 'Octava Reunión de la Conferencia …'); not another body's session
    of the same number ('XI Reunión Intersesional de la Conferencia …' and 'XI Conferencia')."""
    number = ordinal_value(a.title)
    return (number is not None and number == ordinal_value(b.title) and a.process_id is not None
            and a.process_id == b.process_id and similar_titles(_session_core(a.title), _session_core(b.title), 90))


def _merge_undated_repeats(events: list[EventCandidate]) -> list[EventCandidate]:
    """A year-less mention of an event the document dates elsewhere is that event: the heading
    'Hemispheric Conference on International Migration' over '… will organize the Hemispheric
    Conference on International Migration …, which is to take place … 20 to 22 November 2002';
    and year-less repeats of one undated event are one."""
    dated = [e for e in events if e.year is not None]
    kept: list[EventCandidate] = []
    for e in events:
        if e.year is None and any(e.kind == d.kind and similar_titles(e.title, d.title, 90)
                                  or _same_by_place(e, d) or _same_session(e, d) for d in dated):
            continue
        if e.year is None and any(k.year is None and k.kind == e.kind and similar_titles(e.title, k.title, 90)
                                  for k in kept):
            continue  # "the Third South American Conference on Migration" … "the Third South American Conference"
        kept.append(e)
    return kept


def _date_heading_events(events: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """An event titled by a heading ('Training Course on Migration Legislation') is dated by
    the first date of the paragraph under it ('8. A training course … in February 2002'), and
    the untitled mention of the same event there ('A training course …') is merged into it.
    When that paragraph states no date, the first date further down the heading's block
    gives the event its year ('Campaign for People in Need …' over an account of its
    activities, one '21 May 2002'), unless a paragraph that names the event states none."""
    events = list(events)
    dropped: set[int] = set()
    starts = [p.start for p in paragraphs]
    for n_event, event in enumerate(events):
        if event.year is not None:
            continue
        i = _paragraph_at(paragraphs, starts, event.char_start)
        if i is None or paragraphs[i].kind == "list" or not _is_title_paragraph(paragraphs[i], event.char_end - event.char_start):
            continue  # (an item of a list is no title over the paragraph after it)
        for n, below in enumerate(_block_below(paragraphs, i)):
            if n == 0 and below.dates:
                event = events[n_event] = replace(event, when=dating_of(below.dates[0], "year.heading_first_date_below"))
                dropped |= {j for j, e in enumerate(events)
                            if j != n_event and e.rule_id == "event.dated" and e.year == event.year
                            and below.start <= e.char_start < below.end
                            and (e.kind == event.kind or similar_titles(e.title, event.title))}
                break
            if below.dates:
                events[n_event] = replace(event, when=Dating(int(below.dates[0].date_start[:4]),
                                                             rule_id="year.heading_block_date"))
                break
            field = DATE_FIELD_YEAR.match(below.text)
            if n == 0 and field:  # 'Date: 2012 (to be confirmed)' under the title line
                events[n_event] = replace(event, when=Dating(int(field.group(1)), rule_id="year.date_field"))
                break
            if normalise_title(event.title) in normalise_title(below.text):
                break  # "The theme of the IOM 50th Anniversary campaign was …": named, and undated
    return [e for j, e in enumerate(events) if j not in dropped]


def _paragraph_at(paragraphs: tuple[ParagraphContext, ...], starts: list[int], pos: int) -> int | None:
    """Index of the paragraph holding offset pos (``starts``: the paragraphs' start offsets)."""
    i = bisect_right(starts, pos) - 1
    return i if i >= 0 and pos < paragraphs[i].end else None


def _block_below(paragraphs: tuple[ParagraphContext, ...], i: int) -> list[ParagraphContext]:
    """The paragraphs under a title paragraph: the next one, and those after it up to the
    next heading or title line ('IOM Armenia' over the next account). An item of a list is
    no title over a new account: it stays under the heading ('• Online course on …' after
    an item whose bullet an office scan's OCR lost, under 'Actions Planned for 2008:')."""
    block = []
    for p in paragraphs[i + 1:]:
        if p.kind == "heading" or p.section_id != paragraphs[i].section_id or (
                block and p.kind != "list" and is_title_line(p.text)):
            break
        block.append(p)
    return block


def _section_year_events(events: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """Undated events under a heading that states one year take it: '• Online course on
    “Migration and Human Rights”' under 'Actions Planned for 2008:'."""
    starts = [p.start for p in paragraphs]
    out = []
    for event in events:
        i = _paragraph_at(paragraphs, starts, event.char_start) if event.year is None else None
        h = None if i is None or paragraphs[i].kind == "heading" else next(
            (k for k in range(i - 1, -1, -1) if paragraphs[k].kind == "heading"
             or paragraphs[k].section_id != paragraphs[i].section_id), None)
        if h is not None and paragraphs[h].kind == "heading" and i in [p.index for p in _block_below(paragraphs, h)]:
            years = {year for _, year in stated_years(paragraphs[h].text)}
            if len(years) == 1 and not SINCE_YEAR.search(paragraphs[h].text):
                # not "BACKGROUND: COOPERATION SINCE 1996"
                event = replace(event, when=Dating(years.pop(), rule_id="year.section_heading"))
        out.append(event)
    return out


# a line that is a day of a programme or agenda and nothing else, once its date is taken out:
# 'Day 1 – Tuesday, 14 May', 'Día 2 - miércoles 15 de mayo', 'Monday, 3 June 2019'
# (a date alone on its line is no day heading: it is often when a page was published)
WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"  # the date grammar's folded weekday names
DAY_HEADING_REST = re.compile(r"[\W_]*(?:(?:(?:day|dia|jour)\s*\d{1,2}\b[\W_]*)(?:" + WEEKDAY + r"\b[\W_]*)?|"
                              + WEEKDAY + r"\b[\W_]*)")
DEFAULT_DAY_HEADING_CHARS = 60
PROGRAMME_SLOT = re.compile(r"(?:session|sesi[oó]n|sess[aã]o)\s+\d{1,2}\b", re.I)  # 'Session 1: Review of …': a slot, no event
DEFAULT_DAY_HEADING_REACH = 40  # paragraphs (lines of a programme) a day heading dates below it


def _day_heading(paragraph: ParagraphContext, years: set[int]):
    """The date of a paragraph that is a programme's day heading, else None. A year-less date
    takes the year its weekday names among the document's years ('Wednesday, 15 May' after a
    line on a 2018 meeting is 15 May 2024 in a 2024 programme), or is no date when none or
    several fit."""
    text = paragraph.text.strip()
    if len(text) > DEFAULT_DAY_HEADING_CHARS or len(paragraph.dates) != 1 or paragraph.dates[0].precision != "day":
        return None
    date = paragraph.dates[0]
    rest = fold(paragraph.text[:date.start] + " " + paragraph.text[date.end:])
    if not DAY_HEADING_REST.fullmatch(rest):
        return None
    named = re.search(WEEKDAY, rest)
    if named is None or "yearless" not in date.rule_id:
        return date
    month_day = date.date_start[4:]
    fits = [y for y in sorted(years) if _weekday(f"{y}{month_day}") == WEEKDAYS[named.group(0)]]
    if len(fits) != 1:
        return None
    year = str(fits[0])
    return replace(date, date_start=year + date.date_start[4:], date_end=year + date.date_end[4:])


def _weekday(iso: str) -> int | None:
    import datetime

    try:
        return datetime.date.fromisoformat(iso).weekday()
    except ValueError:  # 29 February of another year
        return None


def _day_heading_events(events: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """An undated event on a programme's line takes the date of the day heading above it
    ('Day 1 – Tuesday, 14 May' over '10:30–12:00 Opening Panel: "Skills Mobility …"'), the
    nearest one in its section and within a day's lines."""
    starts = [p.start for p in paragraphs]
    years = {year for p in paragraphs for _, year in stated_years(p.text)}
    out = []
    for event in events:
        i = _paragraph_at(paragraphs, starts, event.char_start) if event.year is None else None
        if i is not None and not PROGRAMME_SLOT.match(event.title):
            for k in range(i - 1, max(-1, i - 1 - DEFAULT_DAY_HEADING_REACH), -1):
                if paragraphs[k].section_id != paragraphs[i].section_id:
                    break
                if (day := _day_heading(paragraphs[k], years)) is not None:
                    event = replace(event, when=dating_of(day, "year.day_heading"), year_inferred=True)
                    break
        out.append(event)
    return out


# a title's head: the words before its complement ('Ministerial Conference' of '… of the Rabat Process')
TITLE_HEAD = re.compile(r"^(.+?)\s+(?:of|on|for|de|del|sobre|para)\s", re.I)
DESCRIPTOR_DATE_REACH = 40  # characters from the descriptor to its date ('… a ministerial conference on 28 November 2014')


def _dated_by_descriptor(events: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """An undated title whose head the document uses once more, in lower case and dated: 'It was
    launched by a ministerial conference on 10 July 2006 in Madrid' and, below, 'the Action
    Plan of the Ministerial Conference of the Rabat Process'. Only when that dated
    descriptor is the only one and the title the only one with that head."""
    heads: dict[str, list[int]] = {}
    for n, e in enumerate(events):
        head = TITLE_HEAD.match(e.title)
        if head and len(head.group(1).split()) >= 2:
            heads.setdefault(fold(head.group(1)), []).append(n)
    out = list(events)
    folded = None
    for head, indices in heads.items():
        if len(indices) != 1 or events[indices[0]].year is not None:
            continue
        folded = folded or [fold_lower_keeping_offsets(p.text) for p in paragraphs]  # once, for every head
        pattern = re.compile(r"(?<![\w-])" + re.escape(head) + r"(?![\w-])")
        dated = [(d, place_after(p.text, m.end(), p.dates)) for p, text in zip(paragraphs, folded)
                 for m in pattern.finditer(text) if not p.text[m.start()].isupper()
                 for d in p.dates if m.end() <= d.start <= m.end() + DESCRIPTOR_DATE_REACH][:2]
        if len(dated) == 1:
            (date, place), event = dated[0], events[indices[0]]
            out[indices[0]] = replace(event, when=dating_of(date, "year.descriptor_elsewhere"), year_inferred=True,
                                      location=event.location or place)
    return out


def _document_year_events(events: list[EventCandidate], paragraphs: tuple[ParagraphContext, ...]) -> list[EventCandidate]:
    """In a document that states one year only (besides years inside titles), the events of
    other paragraphs nothing else dates are of that year ('… se reunió … el 25 y 26 de noviembre
    de 2004' and, paragraphs later, 'convocar un Taller de Expertos sobre remesas'); not
    when the year is what something dates from ('desde 1996')."""
    if all(e.year is not None for e in events):
        return events
    in_titles = {year for e in events for _, year in stated_years(e.title)}  # 'la Convención de 1990'
    years = {year for p in paragraphs for _, year in stated_years(p.text)} - in_titles
    if len(years) != 1 or any(SINCE_YEAR.search(p.text) for p in paragraphs):
        return events
    when = Dating(years.pop(), rule_id="year.document_sole_year")
    starts = [p.start for p in paragraphs]
    # an event in the paragraph that states the year is one the dating steps left undated on purpose
    # ('El taller dio seguimiento a las recomendaciones del Taller sobre …' after a dated workshop)
    def own_year(e: EventCandidate) -> bool:
        i = _paragraph_at(paragraphs, starts, e.char_start)
        return i is None or bool(stated_years(paragraphs[i].text))

    return [replace(e, when=when, year_inferred=True) if e.year is None and not own_year(e) else e for e in events]


def _is_title_paragraph(paragraph: ParagraphContext, text_length: int) -> bool:
    """A heading, or a title line the section splitter kept as text: the event's title is
    most of a short paragraph, or the paragraph is a title-cased line without closing
    punctuation ('Activities carried out through the IOM 50th Anniversary Campaign and the
    Belgian Information Campaign'; not 'IOM will also hold a Seminar on Migration Law (see
    Annex 2)')."""
    length = paragraph.end - paragraph.start
    line = paragraph.text.strip()
    return paragraph.kind == "heading" or length <= 160 and (
        text_length >= 0.6 * length or is_title_line(line, 160) and title_case_share(line) >= 0.7)
