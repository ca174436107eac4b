"""Events (workshops, seminars, meetings, …): titled mentions, lists introduced by a kind,
and dated meetings with a place. Kinds are data (patterns/event_kinds.jsonl)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.nlp import PATTERNS, fold, phrase_to_pattern, read_jsonl

# Lower-case words that may sit inside a title ("Seminario sobre Migración y Salud").
CONNECTORS = frozenset(
    "de del la las los el y e en para sobre al a con por contra entre su sus o u "
    "on of the and for in to a an with against between at by from its their into".split())
DETERMINERS = frozenset("the a an la el los las un una este esta this these estos estas".split())
ORDINALS = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2}(?:st|nd|rd|th|ª|º|a|o)?|primera?|segund[ao]|tercer[ao]?|cuart[ao]|"
                      r"quint[ao]|sext[ao]|s[eé]ptim[ao]|octav[ao]|first|second|third|fourth|fifth|sixth|seventh|"
                      r"eighth|ninth|tenth|eleventh|twelfth)$", re.I)
YEAR_IN_PARENS = re.compile(r"^\s*\((\d{4})\)")
LOCATION_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:en|in|at|held in|celebrad[oa] en|realizad[oa] en|llevad[oa] a cabo en)\s+"
    r"((?:[A-ZÁÉÍÓÚÑ][\w\-’']+)(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})")
MONTH_WORDS = frozenset(fold(m) for m in (
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "
    "January February March April May June July August September October November December").split())


@dataclass(frozen=True, slots=True)
class EventMention:
    kind: str
    title: str
    start: int          # char offsets in the paragraph text
    end: int
    year: int | None
    date_start: str | None
    date_end: str | None
    precision: str | None
    location: str | None
    rule_id: str


@lru_cache(maxsize=1)
def kind_rules() -> list[dict]:
    return read_jsonl(PATTERNS / "event_kinds.jsonl")


def patterns(nlp: Language, lang: str) -> list[dict]:
    out = []
    for rule in kind_rules():
        for phrase in rule.get(lang, []) + (rule.get("en", []) if lang != "en" else []):
            out.append({"label": rule["kind"], "pattern": phrase_to_pattern(nlp, phrase), "id": rule["id"]})
    return out


YEAR_TOKEN = re.compile(r"^(?:1[89]|20)\d{2}$")


def _is_title_word(token) -> bool:
    if YEAR_TOKEN.match(token.text) or token.norm_ in MONTH_WORDS:
        return False  # a year or month ends a title: "(…) de 1996", "July 2002 Workshop"
    return (token.is_title or token.is_upper and len(token) > 1 or bool(ORDINALS.match(token.text))
            or token.text.isdigit())


def _is_premodifier(token) -> bool:
    """Words that may open a title before its kind word: 'Second Bali Ministerial Conference',
    '38th Regular Session', 'XIII Inter-American Conference'."""
    if ORDINALS.match(token.text) or re.match(r"^[a-z]+-(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)$",
                                             token.text, re.I):
        return True
    return ((token.is_title or token.is_upper and len(token) > 1)
            and not YEAR_TOKEN.match(token.text) and token.norm_ not in MONTH_WORDS and not token.like_num)


def _title_span(doc: Doc, trigger: Span) -> tuple[int, int]:
    """Token range of a title around a capitalised kind word: pre-modifiers (ordinals,
    capitalised words) before it, capitalised words and connectors after it."""
    start = _premodifier_start(doc, trigger.start)
    end = _complement_end(doc, trigger.end)
    return start, end


def _premodifier_start(doc: Doc, start: int) -> int:
    while start > 0 and doc[start - 1].text not in "().,;:":
        prev = doc[start - 1]
        if prev.text == "-" and start > 1 and _is_premodifier(doc[start - 2]):
            start -= 2  # "Inter-American", "Ibero-American"
            continue
        if _is_premodifier(prev) and fold(prev.text) not in DETERMINERS and not (
                prev.is_sent_start and not ORDINALS.match(prev.text)):
            start -= 1
            continue
        break
    return start


def _complement_end(doc: Doc, end: int) -> int:
    """Extend a title after its kind word through capitalised words and connectors."""
    first = end
    while end < len(doc):
        tok = doc[end]
        if tok.text in ("(", ")", ",", ";", ".", ":", "”", "\"", "»") or tok.is_space:
            break
        if _is_title_word(tok) or tok.text in "-–/&'’":
            end += 1
        elif tok.norm_ in CONNECTORS and end + 1 < len(doc) and (
                _is_title_word(doc[end + 1]) or doc[end + 1].norm_ in CONNECTORS):
            end += 1
        else:
            break
    while end > first and (doc[end - 1].norm_ in CONNECTORS or doc[end - 1].text in "-–/&"):
        end -= 1
    return end


OPEN_QUOTE = re.compile(r"[“\"«]")
CLOSE_QUOTE = re.compile(r"[”\"»]")


def _quoted_title(doc: Doc, trigger: Span) -> tuple[int, int] | None:
    """A kind word followed, in the same clause, by a quoted title: 'a workshop for
    journalists entitled "Migrants make news"', 'taller “Migrantes y Salud”'."""
    text = doc.text
    window = text[trigger.end_char:trigger.end_char + 100]
    clause = re.split(r"[.;](?:\s|$)", window, maxsplit=1)[0]
    m = OPEN_QUOTE.search(clause)
    if not m:
        return None
    open_at = trigger.end_char + m.end()
    close = CLOSE_QUOTE.search(text, open_at, open_at + 200)
    if not close or close.start() - open_at < 4:
        return None
    return open_at, close.start()


def _quoted_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted strings between two offsets: the items of 'three seminars: (1) “…”; (2) “…”'."""
    items, pos = [], start
    while True:
        m = OPEN_QUOTE.search(text, pos, end)
        if not m:
            return items
        close = CLOSE_QUOTE.search(text, m.end(), min(end, m.end() + 250))
        if not close:
            return items
        items.append((m.end(), close.start()))
        pos = close.end()


# Kinds whose titled mentions stand without a date ("Seminar on Migration and Health");
# meetings, sessions and summits need a date or year to be an event rather than a body.
TITLED_WITHOUT_DATE = frozenset({"workshop", "seminar", "course", "training", "campaign", "conference",
                                 "symposium", "panel", "round_table"})


def event_mentions(doc: Doc, dates: list, process_spans: list[tuple[int, int]] = ()) -> list[EventMention]:
    """Event mentions of one paragraph (``dates``: the paragraph's DateMentions;
    ``process_spans``: char spans of process mentions, which are not events)."""
    from spacy.util import filter_spans

    triggers = filter_spans(list(doc.spans.get("event_kinds", [])))
    mentions: list[EventMention] = []
    taken: list[tuple[int, int]] = []
    text = doc.text
    for trigger in triggers:
        kind = trigger.label_
        if any(s <= trigger.start_char < e for s, e in taken):
            continue
        if any(s <= trigger.start_char < e for s, e in process_spans):
            continue
        if _inside_a_name(doc, trigger):
            continue
        quoted = _quoted_title(doc, trigger)
        first = doc[trigger.start]
        if _is_plural(trigger) and ":" in text[trigger.end_char:trigger.end_char + 120]:
            colon = text.index(":", trigger.end_char)
            stop = text.find(". ", colon)
            stop = len(text) if stop < 0 else stop
            items = _quoted_items(text, colon, stop)
            if len(items) >= 2:
                for a, b in items:
                    year, ds, de, prec = _year_and_date(text, b + 1, dates)
                    mentions.append(EventMention(kind.rstrip("s"), text[a:b].strip(), a, b, year, ds, de, prec,
                                                 _location(text, b + 1, dates), "event.list_quoted"))
                taken.append((trigger.start_char, stop))
                continue
        if quoted:
            title = text[quoted[0]:quoted[1]].strip(" ,.")
            start, end = trigger.start_char, quoted[1] + 1
            rule = "event.titled.quoted"
            between = [d for d in dates if trigger.end_char <= d.start < quoted[0]]
            if between:
                d = between[0]
                location = _location(text, end, dates) or _location(text, trigger.end_char, [])
                mentions.append(EventMention(kind, title, start, end, int(d.date_start[:4]), d.date_start,
                                             d.date_end, d.precision, location, rule))
                taken.append((start, end))
                continue
        elif (first.is_title or first.is_upper) and not _is_plural(trigger):
            s, e = _title_span(doc, trigger)
            content = [t for t in doc[s:e] if not (t.norm_ in CONNECTORS) and t.i not in range(trigger.start, trigger.end)]
            if len(content) < 1 or e - s < 3:
                s = None
            if s is None:
                mention = _dated_mention(doc, trigger, kind, dates)
                if mention:
                    mentions.append(mention)
                    taken.append((mention.start, mention.end))
                continue
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            title = text[start:end]
            rule = "event.titled.capitalised"
        else:
            if trigger.text.endswith(("s", "es")) and _list_after(text, trigger.end_char):
                items = _list_items(text, trigger, kind, dates)
                mentions.extend(items)
                if items:
                    taken.append((trigger.start_char, max(i.end for i in items)))
                continue
            mention = _dated_mention(doc, trigger, kind, dates)
            if mention:
                mentions.append(mention)
                taken.append((mention.start, mention.end))
            continue
        if _list_after(text, trigger.end_char) and trigger.text.lower().endswith("s"):
            items = _list_items(text, trigger, kind, dates)
            mentions.extend(items)
            if items:
                taken.append((trigger.start_char, max(i.end for i in items)))
            continue
        if any(max(0, min(end, e) - max(start, s)) >= 0.8 * (end - start) for s, e in process_spans):
            continue  # the title is a process name: "Conferencia Regional sobre Migración"
        year, ds, de, prec = _year_and_date(text, end, dates, start)
        if year is None and kind not in TITLED_WITHOUT_DATE:
            continue
        location = _location(text, end, dates)
        mentions.append(EventMention(kind, title, start, end, year, ds, de, prec, location, rule))
        taken.append((start, end))
    return mentions


@lru_cache(maxsize=1)
def plural_kind_words() -> frozenset[str]:
    words = {fold(w) for rule in kind_rules() for w in rule.get("es", []) + rule.get("en", [])}
    return frozenset(w for w in words if w.endswith("s") and (w[:-1] in words or w[:-2] in words))


def _is_plural(trigger: Span) -> bool:
    """'Conferences', 'Talleres': a plural kind word names no single event by itself."""
    return fold(trigger.text) in plural_kind_words()


def _inside_a_name(doc: Doc, trigger: Span) -> bool:
    """'Grupo Regional de Consulta sobre Migración', 'Sistema de Información': the kind word
    continues a capitalised name of a body, not an event."""
    i = trigger.start
    return (i >= 2 and doc[i - 1].norm_ in ("de", "del", "of", "for", "para") and doc[i - 2].is_title
            and not doc[i - 2].is_sent_start and fold(doc[i - 2].text) not in DETERMINERS)


def _year_and_date(text: str, end: int, dates: list, start: int | None = None):
    """The event's year: a trailing '(1998)'; else a date soon after the title in the same
    sentence ('… held in Manila in December 1996'); else 'in/en YEAR' after it; else a date
    earlier in the same sentence ('In June 2001, IOM gave the “… Course”')."""
    m = YEAR_IN_PARENS.match(text[end:])
    if m:
        return int(m.group(1)), None, None, None
    sentence_end = _sentence_end(text, end)
    for d in dates:
        if end <= d.start <= min(end + 100, sentence_end):
            return int(d.date_start[:4]), d.date_start, d.date_end, d.precision
    m = re.match(r"^[^.;]{0,60}?\b(?:en|in|de|of)\s+((?:19|20)\d{2})\b", text[end:sentence_end])
    if m:
        return int(m.group(1)), None, None, None
    if start is not None:
        sentence_start = _sentence_start(text, start)
        before = [d for d in dates if sentence_start <= d.start and d.end <= start]
        if before:
            d = before[-1]
            return int(d.date_start[:4]), d.date_start, d.date_end, d.precision
    return None, None, None, None


def _sentence_end(text: str, pos: int) -> int:
    m = re.search(r"[.;!?](?=\s+[A-ZÁÉÍÓÚÑ“\"(•]|\s*$)|\n", text[pos:])
    return pos + m.start() if m else len(text)


def _sentence_start(text: str, pos: int) -> int:
    starts = [m.end() for m in re.finditer(r"[.;!?]\s+(?=[A-ZÁÉÍÓÚÑ“\"(•])|\n", text[:pos])]
    return starts[-1] if starts else 0


def _location(text: str, end: int, dates: list) -> str | None:
    after = end
    for d in dates:
        if end <= d.start <= end + 60:
            after = d.end
            break
    m = re.match(r"^\s*,\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)\s*\)", text[after:])
    if m:
        return m.group(1)
    m = LOCATION_AFTER.match(text[after:])
    if m and fold(m.group(1).split()[0]) not in MONTH_WORDS:
        return m.group(1)
    return None


STOP_WORDS = frozenset(fold(w) for w in (
    "held was were is are which that who organized organised conducted took will would has have had "
    "que fue fueron es son celebrada celebrado realizada realizado llevada llevado organizada organizado "
    "donde cuyo cuya durante during with con").split())
DESCRIPTIVE_LINKS = frozenset("on for of about sobre para de del acerca".split())


def _descriptive_end(doc: Doc, end: int, limit: int = 14) -> int:
    """'a round table for the officials of Kokshetau oblast', 'taller para desarrollar un plan
    de trabajo regional': a lower-case complement introduced by on/for/sobre/para/de, up to
    punctuation, a verb, or a date."""
    if end >= len(doc) or doc[end].norm_ not in DESCRIPTIVE_LINKS:
        return end
    k = end
    while k < len(doc) and k - end < limit:
        tok = doc[k]
        if tok.is_punct or tok.is_space or tok.norm_ in STOP_WORDS or tok.norm_ in MONTH_WORDS or tok.like_num:
            break
        if tok.norm_ in ("in", "en", "on", "el") and k + 1 < len(doc) and (
                doc[k + 1].norm_ in MONTH_WORDS or doc[k + 1].like_num):
            break
        k += 1
    while k > end and (doc[k - 1].norm_ in CONNECTORS or doc[k - 1].norm_ in DETERMINERS):
        k -= 1
    return k if k - end >= 2 else end


def _dated_mention(doc: Doc, trigger: Span, kind: str, dates: list) -> EventMention | None:
    """An untitled kind word with a date in its sentence: 'la reunión del GRCM, realizada del
    29-31 de octubre de 2002 en Antigua', 'In February 2002, IOM conducted a round table for
    the officials of Kokshetau oblast'. The title is the kind word with what names or
    describes it; a bare kind word names nothing and is dropped."""
    text = doc.text
    start_tok = _premodifier_start(doc, trigger.start)
    end_tok = _complement_end(doc, trigger.end)
    if end_tok == trigger.end:
        end_tok = _descriptive_end(doc, trigger.end)
    if start_tok == trigger.start and end_tok == trigger.end:
        return None
    start, end = doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
    sentence_end = _sentence_end(text, end)
    date = next((d for d in dates if end <= d.start <= min(end + 100, sentence_end)), None)
    if date is None:
        sentence_start = _sentence_start(text, start)
        before = [d for d in dates if sentence_start <= d.start and d.end <= start]
        date = before[-1] if before else None
    if date is None:
        return None
    title = text[start:end]
    title = title[0].upper() + title[1:]
    return EventMention(kind, title, start, end, int(date.date_start[:4]), date.date_start, date.date_end,
                        date.precision, _location(text, end, dates), "event.dated")


def _list_after(text: str, pos: int) -> bool:
    """A kind word that introduces a list: a colon soon after, then items with (YEAR)."""
    window = text[pos:pos + 200]
    colon = window.find(":")
    return colon >= 0 and bool(re.search(r"\(\d{4}\)", text[pos + colon:pos + colon + 400]))


LIST_ITEM = re.compile(r"([^:;()]+?)\s*\(([^()]{0,40})\)")


def _list_items(text: str, trigger: Span, kind: str, dates: list = ()) -> list[EventMention]:
    """'Seminarios/Talleres …: Tráfico de Migrantes (1998), Derechos Humanos (1998), …'"""
    colon = text.find(":", trigger.end_char)
    segment_end = text.find(".", colon)
    segment_end = len(text) if segment_end < 0 else segment_end + 1
    items = []
    for m in LIST_ITEM.finditer(text, colon + 1, segment_end):
        raw = re.sub(r"^[\s,;]*(?:y|e|and)?\s+", "", m.group(1)).strip(" ,;")
        raw = re.sub(r"^(?:y|e|and)\s+", "", raw)
        if len(raw) < 4 or not raw[:1].isupper():
            continue
        years = re.findall(r"\b(?:19|20)\d{2}\b", m.group(2))
        year = int(years[0]) if years else None
        inside = next((d for d in dates if m.start(2) <= d.start < m.end(2)), None)
        where = re.match(r"\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)\s*,", m.group(2))
        location = where.group(1) if where and fold(where.group(1).split()[0]) not in MONTH_WORDS else None
        start = m.start(1) + m.group(1).find(raw)
        item_kind = kind
        first = fold(raw.split()[0])
        for rule in kind_rules():
            if first in [fold(w) for w in rule.get("es", []) + rule.get("en", [])]:
                item_kind = rule["kind"]
        items.append(EventMention(item_kind, raw, start, start + len(raw), year,
                                  inside.date_start if inside else None, inside.date_end if inside else None,
                                  inside.precision if inside else None, location, "event.list_item"))
    return items


def normalise_title(title: str) -> str:
    return " ".join(re.findall(r"\w+", fold(title)))
