"""Events (workshops, seminars, meetings, …): titled mentions, lists introduced by a kind,
and dated meetings with a place. Kinds are data (patterns/event_kinds.jsonl)."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.nlp import PATTERNS, doc_text, phrase_to_pattern
from extractors.context import ParagraphContext
from extractors.text import fold, is_title_line, read_jsonl, sentence_end as _sentence_end, sentence_start as _sentence_start

# Lower-case words that may sit inside a title ("Seminario sobre Migración y Salud").
CONNECTORS = frozenset(
    "de del la las los el y e en para sobre al a con por contra entre su sus o u "
    "on of the and for in to a an with against between at by from its their into".split())
DETERMINERS = frozenset("the a an la el los las un una este esta this these estos estas".split())
# Words that point back to an event already named: "That meeting", "la reunión de esta red",
# "capacitación para esa misma fecha"; such a mention names no new event.
ANAPHORA = frozenset(fold(w) for w in (
    "that this these those such said same "
    "ese esa esos esas este esta estos estas dicho dicha dichos dichas mismo misma aquel aquella").split())
# Heads that turn "<kind> X" into a body or a place, not an event: "Training Centre",
# "Training Institute for …", "Summits Secretariat".
BODY_HEADS = frozenset(fold(w) for w in (
    "centre center centres centers institute institution secretariat office unit division department school "
    "academy college programme program fund committee council network centro instituto secretaria oficina "
    "unidad departamento escuela academia programa fondo comite consejo").split())
# Words that introduce a title without quotes: "The Conference, entitled Arab Migration in …"
ENTITLED = frozenset(fold(w) for w in (
    "entitled titled called named titulado titulada intitulado intitulada denominado denominada "
    "llamado llamada").split())
# Verbs that tie a date to a title across a long title or clause: "…, which is to take place in
# Santiago, Chile from 20 to 22 November 2002"
HELD_VERB = re.compile(r"\b(?:held|hold|take[sn]? place|took place|taking place|convened|organi[sz]ed|conducted|"
                       r"celebrad[oa]s?|realizad[oa]s?|se realiz[oó]|llevad[oa]s? a cabo|tuvo lugar|"
                       r"tendr[aá] lugar)\b", re.I)
# Spelled ordinals of both languages and their numbers ("Segunda Reunión" and "Second
# Meeting" are the same number; "Primera …" and "Segunda …" are two meetings).
ORDINAL_NUMBERS = {
    **{w: n for n, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                                  "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                                  "nineteenth".split(), start=1)},
    **{w: 10 * n for n, w in enumerate("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth "
                                       "ninetieth".split(), start=2)},
    **{w: n for n, ws in enumerate(("primer primero primera", "segundo segunda", "tercer tercero tercera",
                                    "cuarto cuarta", "quinto quinta", "sexto sexta", "septimo septima",
                                    "octavo octava", "noveno novena", "decimo decima", "undecimo undecima",
                                    "duodecimo duodecima"), start=1) for w in ws.split()},
    **{w: 10 * n for n, ws in enumerate(("vigesimo vigesima", "trigesimo trigesima", "cuadragesimo cuadragesima",
                                         "quincuagesimo quincuagesima", "sexagesimo sexagesima",
                                         "septuagesimo septuagesima", "octogesimo octogesima",
                                         "nonagesimo nonagesima"), start=2) for w in ws.split()},
}
TENS = {w: 10 * n for n, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), start=2)}
ORDINAL_WORDS = "|".join(sorted(ORDINAL_NUMBERS, key=len, reverse=True)).replace("e", "[eé]").replace("i", "[ií]")
ORDINALS = re.compile(r"^(?:[IVXL]{1,6}|\d{1,2}(?:st|nd|rd|th|ª|º|°|a|o)?|\d{3}(?:st|nd|rd|th|ª|º|°)|"
                      + ORDINAL_WORDS + r")$", re.I)
# Ordinals that mark one instance of a recurring event, compounds included, bare numbers not:
# "thirty-first session", "110th regular session", "XVII World Congress", "Fifth Summit"
INSTANCE_ORDINAL = re.compile(r"^(?:[a-z]+-)?(?:" + ORDINAL_WORDS + r"|\w+teenth|\w+ieth|"
                              r"\d{1,3}(?:st|nd|rd|th|ª|º|a|o)|[IVXL]{1,6})$", re.I)
# "(1998)", "(Colombia, 2001)", "(Orlando 2005)": a year closing a short parenthesis after a title
YEAR_IN_PARENS = re.compile(r"^\s*\((?:[^()]{0,40}?[\s,])?((?:19|20)\d{2})\)")
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
    # a heading that is an event only if the text under it dates it ("Regional Ministerial
    # Meeting on …" over "… a ministerial meeting held on 16 and 17 October 2002")
    needs_date: bool = False


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


def is_ordinal(word: str) -> bool:
    """'Third', 'Segunda', '4th', 'VII', 'thirty-first', 'Fifteenth'."""
    return bool(ORDINALS.match(word) or INSTANCE_ORDINAL.match(word))


def _is_premodifier(token) -> bool:
    """Words that may open a title before its kind word: 'Second Bali Ministerial Conference',
    '38th Regular Session', 'XIII Inter-American Conference'."""
    if is_ordinal(token.text):
        return True
    if token.norm_ in CONNECTORS:
        return False  # the "Y" of "TALLERES Y CAPACITACIÓN" joins, it does not name
    return ((token.is_title or token.is_upper and len(token) > 1)
            and not YEAR_TOKEN.match(token.text) and token.norm_ not in MONTH_WORDS and not token.like_num)


def _title_span(doc: Doc, trigger: Span) -> tuple[int, int]:
    """Token range of a title around a capitalised kind word: pre-modifiers (ordinals,
    capitalised words) before it, capitalised words and connectors after it."""
    start = _premodifier_start(doc, trigger.start)
    end = _complement_end(doc, trigger.end)
    return start, end


# Words that, like an ordinal, single out one session of a series: "the next Ministerial Consultation"
NEXT_WORDS = frozenset(fold(w) for w in "next following forthcoming upcoming próxima próximo siguiente".split())


def _premodifier_start(doc: Doc, start: int) -> int:
    kind_start = start
    while start > 0 and doc[start - 1].text not in "().,;:":
        prev = doc[start - 1]
        if start == kind_start and prev.is_lower and any(t.start <= start - 1 < t.end and t.end == start
                                                         for t in doc.spans.get("event_kinds", [])):
            start -= 1  # "a training course", "un taller de capacitación"'s "training": one kind names another
            continue
        if (start == kind_start and prev.is_lower and prev.is_alpha and start > 1 and _is_premodifier(doc[start - 2])
                and not doc[start - 2].is_sent_start and prev.norm_ not in CONNECTORS | DETERMINERS | ANAPHORA | STOP_WORDS
                and fold(doc[start - 2].text) not in DETERMINERS | ANAPHORA):
            start -= 1  # "the Caribbean regional seminar": one lower-case adjective after a name
            continue
        if prev.text == "-" and start > 1 and (_is_premodifier(doc[start - 2]) or doc[start - 2].like_num
                                               and ORDINALS.match(doc[start].text)):
            start -= 2  # "Inter-American", "Ibero-American", "NINETY-FOURTH"
            continue
        if prev.text in ("'", "’", "'s", "’s") and start > 1 and _is_premodifier(doc[start - 2]):
            start -= 2  # "the Centre for Refugee Studies' Summer Course"
            continue
        if (prev.norm_ in ("of", "for", "de", "del", "para") and start > 1 and _is_premodifier(doc[start - 2])
                and not doc[start - 2].is_sent_start and start < kind_start):
            start -= 1  # "Centre for Refugee Studies' …": a name inside the pre-modifiers
            continue
        if (prev.is_lower and prev.is_alpha and start - 1 > 0 and INSTANCE_ORDINAL.match(doc[start - 2].text)
                and fold(prev.text) not in CONNECTORS | DETERMINERS | ANAPHORA):
            start -= 1  # "its 110th regular session", "the 38th Regular Session"
            continue
        if prev.norm_ in NEXT_WORDS and start - 1 > 0 and doc[start - 2].norm_ in DETERMINERS:
            start -= 1  # "the next Ministerial Consultation", "la próxima Reunión"
            continue
        if _is_premodifier(prev) and fold(prev.text) not in DETERMINERS | ANAPHORA and not (
                prev.is_sent_start and not ORDINALS.match(prev.text) and not is_title_line(doc_text(doc))):
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
        elif tok.norm_ in ("de", "of") and end + 1 < len(doc) and YEAR_TOKEN.match(doc[end + 1].text) \
                and _title_resumes(doc, end + 2):
            end += 2  # "de la Convención de las Naciones Unidas de 1990 sobre la Protección de …":
            #           the year belongs to a name inside the title, not to the event
        elif tok.norm_ in CONNECTORS and end + 1 < len(doc) and (
                _is_title_word(doc[end + 1]) or doc[end + 1].norm_ in CONNECTORS):
            end += 1
        else:
            break
    while end > first and (doc[end - 1].norm_ in CONNECTORS or doc[end - 1].text in "-–/&"):
        end -= 1
    return end


def _title_resumes(doc: Doc, k: int) -> bool:
    """Connectors from token k on, then a title word: "… de 1990 sobre la Protección"."""
    if k >= len(doc) or doc[k].norm_ not in CONNECTORS:
        return False
    while k < len(doc) and doc[k].norm_ in CONNECTORS:
        k += 1
    return k < len(doc) and _is_title_word(doc[k])


OPEN_QUOTE = re.compile(r"[“\"«]")
QUOTE_AFTER_ON = re.compile(r"\s+(?:on|about|sobre|acerca de)\s+[“\"«]", re.I)
CLOSE_QUOTE = re.compile(r"[”\"»]")


def _quoted_title(doc: Doc, trigger: Span) -> tuple[int, int] | None:
    """A kind word followed, in the same clause, by a quoted title: 'a workshop for
    journalists entitled "Migrants make news"', 'taller “Migrantes y Salud”'."""
    text = doc_text(doc)
    window = text[trigger.end_char:trigger.end_char + 100]
    clause = re.split(r"[.;](?:\s|$)", window, maxsplit=1)[0]
    m = OPEN_QUOTE.search(clause)
    if not m:
        return None
    # what a title may be introduced by: "Conference, entitled “…”", "campaigns (“…”)"
    between = re.sub(r"(?:,?\s*\b(?:%s)\b)?\s*[,:]?\s*\(?\s*$" % "|".join(ENTITLED), "", fold(clause[:m.start()]))
    if re.search(r"[(),]", between):
        # "Course on Human Rights, on November 2007, in Lima, on “The Human Rights of …”", "la VI
        # Reunión (San José, marzo 2001), … aprobaron el documento titulado, “…”": a quote past a
        # comma or a parenthesis titles something else (a talk, a document)
        return None
    open_at = trigger.end_char + m.end()
    close = CLOSE_QUOTE.search(text, open_at, open_at + 200)
    if not close or close.start() - open_at < 4 or text[open_at:open_at + 1].islower():
        return None  # 'in four targeted “emigration-prone locations”' quotes a phrase, not a title
    return open_at, close.start()


def _entitled_title(doc: Doc, trigger: Span) -> tuple[int, int] | None:
    """'The Conference, entitled Arab Migration in a Globalized World (2 to 4 September 2003,
    Cairo)': a capitalised title after entitled/titulado, without quotes."""
    k = trigger.end
    if k < len(doc) and doc[k].text == ",":
        k += 1
    if k + 1 >= len(doc) or doc[k].norm_ not in ENTITLED or not _is_title_word(doc[k + 1]):
        return None
    end = _complement_end(doc, k + 2)
    return (k + 1, end) if end - (k + 1) >= 2 else None


def _appositive_title(doc: Doc, trigger: Span, dates: list) -> EventMention | None:
    """'the Conclusions of the Forum, Education for Migration, which was jointly organized by
    IOM … in August 2001': a capitalised title set off by commas after a singular kind word,
    then a clause that says when it was held."""
    k = trigger.end
    if _is_plural(trigger) or k + 2 >= len(doc) or doc[k].text != "," or not _is_title_word(doc[k + 1]):
        return None
    end_tok = _complement_end(doc, k + 2)
    if end_tok - (k + 1) < 2 or end_tok >= len(doc) or doc[end_tok].text != ",":
        return None
    text = doc_text(doc)
    start, end = doc[k + 1].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
    clause = re.match(r",\s+(?:which|that|que)\b", text[end:])
    if clause is None:
        return None
    date = _date_after_held_verb(text, dates, end + clause.end(), min(len(text), end + clause.end() + 80),
                                 _sentence_end(text, end))
    if date is None:
        return None
    return EventMention(trigger.label_, text[start:end], trigger.start_char, end, *_date_fields(date),
                        _location(text, end, dates), "event.titled.appositive")


def _colon_title(doc: Doc, trigger: Span) -> tuple[int, int] | None:
    """'IOM contributes staff to teach the compulsory course: A World in Motion and its Impact on
    Women: The Feminization of International Migration.': a title-cased title after a
    lower-case singular kind word and a colon, to the end of the sentence."""
    text = doc_text(doc)
    m = re.match(r"\s*:\s+(?=[A-ZÁÉÍÓÚÑ])", text[trigger.end_char:])
    if m is None or not doc[trigger.start].is_lower or _is_plural(trigger):
        return None
    start_char = trigger.end_char + m.end()
    end_char = _sentence_end(text, start_char)
    if not 2 <= len(WORD.findall(text, start_char, end_char)) <= 25 or title_case_share(text[start_char:end_char]) < 0.6:
        return None  # "the course: participants discussed …" is a sentence, not a title
    if re.search(r"\d", text[start_char:end_char]):
        return None  # "the annual NSC congress: Orlando 2000 and San Diego 2002" lists occasions
    span = doc.char_span(start_char, end_char, alignment_mode="contract")
    return (span.start, span.end) if span is not None and len(span) >= 2 else None


WORD = re.compile(r"[^\W\d_][\w\-’']*")


def title_case_share(text: str) -> float:
    """Share of the words of 4+ letters that are capitalised (0 without such words): a title
    ('A World in Motion and its Impact on Women') has most, a sentence few."""
    words = [w for w in WORD.findall(text) if len(w) >= 4]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


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
# So does a conference named after its members, a standing body: "Conference of African
# Ministers of Finance", "Conferencia de Ministros del Interior", "Conference of Heads of State".
TITLED_WITHOUT_DATE = frozenset({"workshop", "seminar", "course", "training", "campaign", "conference",
                                 "symposium", "panel", "round_table"})


MEMBERS_BODY = re.compile(r"\b(?:Conference|Conferencia)\s+(?:of|de)\s+(?:the\s+|los\s+|las\s+)?(?:[\w\-]+\s+){0,2}?"
                          r"(?:Ministers|Ministros|Ministras|Heads\s+of\s+State|Jefes\s+de\s+Estado|Presidents|"
                          r"Presidentes|Mayors|Alcaldes)\b", re.I)


def event_mentions(para: ParagraphContext) -> list[EventMention]:
    """Event mentions of one paragraph. Process and organisation names are not events
    ("Conferencia Regional sobre Migración", "United Nations Conference on Trade and
    Development"), countries hold no meetings of their own, and a body a paragraph only
    refers to is named in full from where the document names it."""
    from spacy.util import filter_spans

    doc, dates = para.doc, list(para.dates)
    process_spans, organisation_spans = para.process_spans, para.name_spans("organization")
    country_spans = para.name_spans("country")
    triggers = filter_spans(list(doc.spans.get("event_kinds", [])))
    mentions: list[EventMention] = []
    taken: list[tuple[int, int]] = []
    text = doc_text(doc)
    def add_list_items(trigger: Span, kind: str) -> None:
        items = _list_items(text, trigger, kind, dates)
        mentions.extend(items)
        if items:
            taken.append((trigger.start_char, max(i.end for i in items)))

    heading = _item_heading(doc, triggers, dates)
    if heading:
        mentions.append(heading)
        taken.append((heading.start, heading.end))
    for trigger in triggers:
        kind = trigger.label_
        if any(s <= trigger.start_char < e for s, e in taken):
            continue
        if any(s <= trigger.start_char < e for s, e in process_spans):
            continue
        appositive = _appositive_title(doc, trigger, dates)
        if appositive and any(s < appositive.end and appositive.start < e  # "the workshop, IOM Colombia, which …"
                              for s, e in list(organisation_spans) + list(country_spans)
                              if s >= trigger.end_char):
            appositive = None
        if appositive:
            mentions.append(appositive)
            taken.append((trigger.start_char, appositive.end))
            continue
        if _inside_a_name(doc, trigger) or _names_a_body(doc, trigger) or _as_a_role(doc, trigger) \
                or _in_an_idiom(text, trigger):
            continue
        quoted = _quoted_title(doc, trigger)
        first = doc[trigger.start]
        entitled, unquoted_rule = None, "event.titled.entitled"
        if not quoted:
            entitled = _entitled_title(doc, trigger)
            if entitled is None:
                entitled, unquoted_rule = _colon_title(doc, trigger), "event.titled.colon"
        if entitled:
            start, end = doc[entitled[0]].idx, doc[entitled[1] - 1].idx + len(doc[entitled[1] - 1])
            year, ds, de, prec = _year_and_date(text, end, dates, trigger.start_char)
            mentions.append(EventMention(kind, text[start:end], trigger.start_char, end, year, ds, de, prec,
                                         _location(text, end, dates), unquoted_rule))
            taken.append((trigger.start_char, end))
            continue
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
            if (first.is_title or first.is_upper) and QUOTE_AFTER_ON.fullmatch(text, trigger.end_char, quoted[0]):
                # 'Regional Ministerial Meeting on “Cooperation Dialogue on Migration …”': a
                # capitalised kind phrase and its quoted topic make one title
                start = doc[_premodifier_start(doc, trigger.start)].idx
                title = text[start:quoted[0] - 1] + title
            between = [d for d in dates if trigger.end_char <= d.start < quoted[0]]
            if between:
                d = between[0]
                location = _location(text, end, dates) or _location(text, trigger.end_char, [])
                mentions.append(EventMention(kind, title, start, end, *_date_fields(d), location, rule))
                taken.append((start, end))
                continue
        elif (first.is_title or first.is_upper) and (not _is_plural(trigger) or _titled_plural(doc, trigger)):
            s, e = _title_span(doc, trigger)
            content = [t for t in doc[s:e] if not (t.norm_ in CONNECTORS) and t.i not in range(trigger.start, trigger.end)]
            if len(content) < 1 or e - s < 3 and not (e - s == 2 and INSTANCE_ORDINAL.match(doc[s].text)):
                s = None
            if s is None:
                mention = _dated_mention(para, trigger, kind, _trigger_spans(triggers, trigger))
                if mention:
                    mentions.append(mention)
                    taken.append((mention.start, mention.end))
                continue
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            title = text[start:end]
            rule = "event.titled.capitalised"
        else:
            if trigger.text.lower().endswith("s") and _list_after(text, trigger.end_char):
                add_list_items(trigger, kind)
                continue
            mention = _dated_mention(para, trigger, kind, _trigger_spans(triggers, trigger))
            if mention:
                mentions.append(mention)
                taken.append((mention.start, mention.end))
            continue
        if trigger.text.lower().endswith("s") and _list_after(text, trigger.end_char):
            add_list_items(trigger, kind)
            continue
        if any(max(0, min(end, e) - max(start, s)) >= 0.8 * (end - start)
               for s, e in list(process_spans) + list(organisation_spans)) and not _has_ordinal(doc, start):
            # the title is a process or organisation name: "Conferencia Regional sobre Migración",
            # "the International Labour Conference"; with an ordinal it is one of its sessions:
            # "XIII Inter-American Conference of Ministers of Labor"
            continue
        year, ds, de, prec = _year_and_date(text, end, dates, start, _trigger_spans(triggers, trigger))
        if year is None and is_title_line(doc_text(doc)):
            # a title line closed by its year: "Youth Consultation for General Assembly (GA) 2008"
            closing = re.match(r"\s*(?:\([^()]{1,15}\)\s*)?((?:19|20)\d{2})\s*[.:]?\s*$", text[end:])
            year = int(closing.group(1)) if closing else None
        s_tok = doc.char_span(start, start + 1, alignment_mode="expand").start
        year_before = _year_before(doc, s_tok)
        if year_before is not None:
            year, ds, de, prec = year_before, None, None, None
        needs_date = bool(year is None and (kind not in TITLED_WITHOUT_DATE or MEMBERS_BODY.search(title))
                          and not _has_ordinal(doc, start))
        if HOLDS_ITS.match(text, end) and (needs_date or MEMBERS_BODY.search(title)):
            continue  # "the Inter-American Conference of Ministers of Labor (IACML), which held its 15th meeting"
        if needs_date and not is_title_line(doc_text(doc)):
            continue  # "the OAS General Assembly" is a body; "the Fourth Summit of the Americas" an instance
        location = _location(text, end, dates)
        spans = [(0, end - start)]  # the title's parts, as offsets from start
        if rule == "event.titled.capitalised":  # title is text[start:end]
            place = PLACE_AT_END.search(title)
            if place and any(s == end + 2 for s, _ in country_spans) and text[end:end + 2] == ", ":
                # "the Ibero-American Meeting on Migration and Development in Madrid, Spain":
                # where, not part of the title
                title, location = title[:place.start()], place.group(1)
            spans = _coordinated_titles(title, trigger.text)
        for a, b in spans:
            part = title if len(spans) == 1 else title[a:b]
            mentions.append(EventMention(kind, part, start + a, start + b, year, ds, de, prec, location, rule,
                                         needs_date))
        taken.append((start, end))
    mentions += _process_sessions(doc, dates, process_spans, triggers)
    mentions = merge_mentions(sorted(mentions, key=lambda m: m.start))
    # kind words that name no event of their own: "… included workshops, radio broadcasts …"
    loose = [t for t in triggers if not any(m.start <= t.start_char < m.end for m in mentions)
             and not (_inside_a_name(doc, t) or _names_a_body(doc, t) or _as_a_role(doc, t))]
    return [_dated_by_previous_sentence(text, m, loose, dates) for m in mentions]


def _coordinated_titles(title: str, kind_word: str) -> list[tuple[int, int]]:
    """Spans of the titles a capitalised title coordinates: 'IOM 50th Anniversary Campaign and
    the Belgian Information Campaign', 'Seminar on Migration and Development and the Seminar on
    Trafficking' name two events each. Each part must open or close with the kind word, so
    'Seminar on Migration and Development' stays one title."""
    kind = fold(kind_word)

    def headed(part: str) -> bool:
        words = [fold(w) for w in re.findall(r"[\w\-]+", part)]
        return len(words) >= 2 and kind in (words[0], words[-1])

    for m in re.finditer(r"\s+(?:and|y|e)\s+(?:the\s+|la\s+|el\s+)?(?=[A-ZÁÉÍÓÚÑ])", title):
        left, right = title[:m.start()], title[m.end():]
        if headed(left) and headed(right):
            return [(0, m.start()), (m.end(), len(title))]
    return [(0, len(title))]


def _dated_by_previous_sentence(text: str, mention: EventMention, loose_triggers, dates: list) -> EventMention:
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
    return replace(mention, year=years.pop())


HELD_AFTER_NAME = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:which\s+was\s+|que\s+(?:se\s+)?)?" + HELD_VERB.pattern,
                             re.I)


def _process_sessions(doc: Doc, dates: list, process_spans, triggers) -> list[EventMention]:
    """An ordinal before a process's full name names one of its sessions: 'the Third South
    American Conference on Migration in Quito', 'the first 5+5 Dialogue on Migration in the
    Western Mediterranean'."""
    text, out = doc_text(doc), []
    for s, e in process_spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        inside = [t for t in triggers if s <= t.start_char < e]
        if span is None or len(span) < (2 if inside else 3) or span.start == 0:
            continue
        ordinal = doc[span.start - 1]
        paren = re.match(r"\s*\([^()]{0,60}\)", text[e:])
        dated_in_parens = paren is not None and any(e <= d.start and d.end <= e + paren.end() for d in dates)
        if inside and (HELD_AFTER_NAME.match(text[e:e + 60]) or dated_in_parens):
            # "the Bali Ministerial Conference on People Smuggling, … (Bali Conference), convened
            # on 26 to 28 February 2002", "the Labour Migration Ministerial Consultations for
            # Countries of Origin in Asia (1 to 2 April 2003, Colombo)": a process's founding
            # meeting, dated
            year, ds, de, prec = _year_and_date(text, e, dates)
            if ds is not None:
                out.append(EventMention(inside[-1].label_, text[s:e], s, e, year, ds, de, prec,
                                        _location(text, e, dates), "event.process_session"))
                # "convened on 26 to 28 February 2002 and on 28 to 30 April 2003 respectively":
                # one meeting per date
                first = next(d for d in dates if d.date_start == ds and d.start >= e)
                for d in _dates_joined_to(text, first, dates):
                    out.append(EventMention(inside[-1].label_, text[s:e], s, e, *_date_fields(d),
                                            None, "event.process_session"))
            continue
        if inside and _year_before(doc, span.start) is not None:
            # "The 1996 CIS Conference in Geneva adopted a Programme of Action"
            out.append(EventMention(inside[-1].label_, text[s:e], s, e, _year_before(doc, span.start), None, None,
                                    None, _location(text, e, dates), "event.process_session"))
            continue
        if not _is_session_ordinal(ordinal):
            continue
        kind = inside[-1].label_ if inside else "meeting"
        year, ds, de, prec = _year_and_date(text, e, dates, ordinal.idx)
        title = text[ordinal.idx:e]
        out.append(EventMention(kind, title[0].upper() + title[1:], ordinal.idx, e, year, ds, de, prec,
                                _location(text, e, dates), "event.process_session"))
    return out


def _dates_joined_to(text: str, first, dates: list) -> list:
    """Dates joined to ``first`` by 'and (on|in)': '26 to 28 February 2002 and on 28 to 30 April
    2003'."""
    joined, last = [], first
    for d in dates:
        if d.start > last.end and re.fullmatch(r"\s*,?\s*(?:and|y)\s+(?:on\s+|in\s+|from\s+|el\s+|en\s+|del\s+)?",
                                               text[last.end:d.start]):
            joined.append(d)
            last = d
    return joined


def _year_before(doc: Doc, k: int) -> int | None:
    """A year between a determiner and a title: 'the 2007 OAS General Assembly', 'The 1996 CIS
    Conference in Geneva'."""
    if k >= 2 and YEAR_TOKEN.match(doc[k - 1].text) and doc[k - 2].norm_ in DETERMINERS:
        return int(doc[k - 1].text)
    return None


def _is_session_ordinal(token) -> bool:
    """'Third', '4th', 'VII' before a process name; an upper-case word other than a Roman
    numeral is an acronym, not an ordinal."""
    if token.is_upper and len(token) > 1:
        return bool(re.fullmatch(r"[IVXL]+", token.text))
    return is_ordinal(token.text)


def _trigger_spans(triggers, current) -> list[tuple[int, int]]:
    return [(t.start_char, t.end_char) for t in triggers if t is not current]


def _has_ordinal(doc: Doc, start_char: int) -> bool:
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    return span is not None and bool(INSTANCE_ORDINAL.match(doc[span.start].text))


def similar_titles(a: str, b: str, threshold: float = 80) -> bool:
    """Titles of one event; titles numbered differently never are ('XIII Inter-American
    Conference of Ministers of Labor' and '18th Inter-American Conference')."""
    from rapidfuzz import fuzz

    na, nb = ordinal_value(a), ordinal_value(b)
    if na is not None and nb is not None and na != nb:
        return False
    return fuzz.token_set_ratio(normalise_title(a), normalise_title(b)) >= threshold


ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


MINOR_WORDS = frozenset("de del la las los el y e o u en a al para por sobre con of the and or on for in to at a an by "
                        "with from".split())


def readable_title(title: str) -> str:
    """A title written in capitals ('IX CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES') in title
    case ('IX Conferencia Sudamericana sobre Migraciones'): Roman numerals and registry
    acronyms stay upper case, short joining words go lower case. Any other title is kept."""
    letters = [c for c in title if c.isalpha()]
    if len(letters) < 6 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return title
    from pipeline.lexicon import registry_acronyms

    acronyms = {a.upper() for a in registry_acronyms()}
    words = []
    for i, word in enumerate(title.split(" ")):
        core = word.strip("()[]«»“”\"'.,:;")
        if re.fullmatch(r"[IVXLC]{1,7}", core) or core.upper() in acronyms or re.search(r"\d", core):
            words.append(word)
        elif i and fold(core) in MINOR_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(words)


def ordinal_value(title: str) -> int | None:
    """The number of a title's leading ordinal: 'XIII' → 13, '18th' → 18, 'Second' and
    'Segunda' → 2, 'thirty-first' → 31; None when the title starts with no ordinal."""
    words = title.split()
    first = words[0] if words else ""
    if re.fullmatch(r"[IVXL]{1,6}", first):
        values = [ROMAN[c] for c in first]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th|ª|º|°|a|o|\.ª|\.º)?", first)
    if m:
        return int(m.group(1))
    tens, _, unit = fold(first).rpartition("-")
    if tens:
        return TENS[tens] + ORDINAL_NUMBERS[unit] if tens in TENS and unit in ORDINAL_NUMBERS else None
    return ORDINAL_NUMBERS.get(unit)


def _same_kind(titled: EventMention, dated: EventMention) -> bool:
    return titled.kind == dated.kind or fold(dated.title.split()[0]) in normalise_title(titled.title).split()


def merge_mentions(mentions: list[EventMention]) -> list[EventMention]:
    """Mentions of one event in one paragraph become one: 'A four-day “Human Rights Course for
    the Prosecutors of Kazakhstan” … IOM gave a one-day course on migrants’ rights … (October
    2001)'. An untitled dated mention merges into the titled mention of its kind before it when
    that one has no year (it takes the date) or has the same year and a similar title."""
    kept: list[EventMention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.rule_id == "event.dated":
            titled = next((t for t in reversed(kept) if t.rule_id != "event.dated" and _same_kind(t, m)), None)
            if titled is not None and (titled.year is None or titled.year == m.year and similar_titles(titled.title, m.title)):
                if titled.year is None:
                    kept[kept.index(titled)] = replace(titled, year=m.year, date_start=m.date_start,
                                                       date_end=m.date_end, precision=m.precision,
                                                       location=titled.location or m.location)
                continue
        kept.append(m)
    return kept


@lru_cache(maxsize=1)
def plural_kind_words() -> frozenset[str]:
    words = {fold(w) for rule in kind_rules() for w in rule.get("es", []) + rule.get("en", [])}
    return frozenset(w for w in words if w.endswith("s") and (w[:-1] in words or w[:-2] in words))


# An enumerated item label: "(2)  Taller para …:", "G.  Taller auspiciado por …:", "3. Workshop …:"
ITEM_LABEL = re.compile(r"^\s*(?:\(\s*(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})\s*\)|(?:\d{1,2}|[A-Z])\.)\s+")


def _item_heading(doc: Doc, triggers, dates: list) -> EventMention | None:
    """An enumerated item headed by an event: '(2)  Taller para desarrollar un plan de trabajo
    regional …:   … El taller, que se realizó el 8 y 9 de mayo, …'. The title runs from the kind
    word to the colon; the date is the one the item says it was held on."""
    text = doc_text(doc)
    label = ITEM_LABEL.match(text)
    if not label or not triggers or triggers[0].start_char != label.end() or _is_plural(triggers[0]):
        return None
    trigger = triggers[0]
    if not doc[trigger.start].is_title or OPEN_QUOTE.match(text, trigger.end_char + 1):
        return None
    colon = text.find(":", trigger.end_char, trigger.end_char + 250)
    if colon < 0 or re.search(r"[.;]\s", text[trigger.end_char:colon]) or len(text[trigger.start_char:colon].split()) < 3:
        return None  # "Capacitación coordinada:" names a topic, not an event
    if any(_is_plural(t) for t in triggers if t.start_char < colon):
        return None  # "Training workshops:" heads a list
    date = _date_after_held_verb(text, dates, colon, len(text))
    if date is None and trigger.label_ not in TITLED_WITHOUT_DATE:
        return None
    year, ds, de, prec = _date_fields(date) if date else (None, None, None, None)
    return EventMention(trigger.label_, text[trigger.start_char:colon].strip(), trigger.start_char, colon,
                        year, ds, de, prec, None, "event.item_heading")


def _titled_plural(doc: Doc, trigger: Span) -> bool:
    """'the Labour Migration Ministerial Consultations for Countries of Origin in Asia (1 to 2
    April 2003, Colombo)': a plural kind word inside a dated title names one event."""
    s, e = _title_span(doc, trigger)
    return s < trigger.start and e > trigger.end and bool(YEAR_IN_PARENS.match(doc_text(doc)[doc[e - 1].idx + len(doc[e - 1]):]))


def _is_plural(trigger: Span) -> bool:
    """'Conferences', 'Talleres': a plural kind word names no single event by itself."""
    return fold(trigger.text) in plural_kind_words()


def _inside_a_name(doc: Doc, trigger: Span) -> bool:
    """'Grupo Regional de Consulta sobre Migración', 'Sistema de Información': the kind word
    continues a capitalised name of a body, not an event."""
    i = trigger.start
    return (i >= 2 and doc[i - 1].norm_ in ("de", "del", "of", "for", "para")
            and (doc[i - 2].is_title or doc[i - 2].is_upper and len(doc[i - 2]) > 1)
            and not doc[i - 2].is_sent_start and fold(doc[i - 2].text) not in DETERMINERS)


# Verbs before "a/un forum" that make it what something offers ("provided a forum for Arab
# countries"); "provided a training course" is a course all the same
ROLE_VERBS = frozenset(fold(w) for w in (
    "provide provides provided providing offer offers offered offering constitute constitutes "
    "constituye constituyen ofrece ofrecen ofreció brinda brindan brindó proporciona proporcionan").split())


def _as_a_role(doc: Doc, trigger: Span) -> bool:
    """'serves as a forum for Asian labour-sending States', 'provided a forum for Arab
    countries', 'como un foro para el diálogo': the kind word describes what something is or
    offers, not an event."""
    i = trigger.start
    if i < 2 or doc[i - 1].norm_ not in ("a", "an", "un", "una"):
        return False
    return doc[i - 2].norm_ in ("as", "como") or trigger.label_ == "forum" and doc[i - 2].norm_ in ROLE_VERBS


# Phrases in which a kind word names no event: "durante el curso del GRCM", "in the course of";
# lower case only, and not "en el curso de capacitación"
IDIOMS = re.compile(r"\b(?:[Dd]urante|[Ee]n)\s+el\s+curso\s+(?:del|de\s+(?:la|las|los|el|este|esta|estos|estas|"
                    r"su|sus|un|una|\d))\b|\b(?:[Dd]uring|[Ii]n|[Oo]ver)\s+the\s+course\s+of\b")


def _in_an_idiom(text: str, trigger: Span) -> bool:
    window = text[max(0, trigger.start_char - 12):trigger.end_char + 5]
    offset = max(0, trigger.start_char - 12)
    return any(m.start() + offset <= trigger.start_char < m.end() + offset for m in IDIOMS.finditer(window))


def _names_a_body(doc: Doc, trigger: Span) -> bool:
    """'Border Management Training Centre', 'Summits Secretariat': the kind word qualifies the
    name of a body or a place."""
    return trigger.end < len(doc) and doc[trigger.end].norm_ in BODY_HEADS


def _date_fields(d) -> tuple[int, str, str, str]:
    """A DateMention as an event's (year, date_start, date_end, precision)."""
    return int(d.date_start[:4]), d.date_start, d.date_end, d.precision


def _date_after_held_verb(text: str, dates: list, start: int, verb_stop: int, date_stop: int | None = None):
    """The date right after a 'held'/'se realizó' verb between start and verb_stop: 'El taller,
    que se realizó el 8 y 9 de mayo', '…, which is to take place … from 20 to 22 November 2002'."""
    held = HELD_VERB.search(text, start, verb_stop)
    if held is None:
        return None
    limit = held.end() + 60 if date_stop is None else min(held.end() + 60, date_stop)
    return next((d for d in dates if held.end() <= d.start <= limit), None)


def _year_and_date(text: str, end: int, dates: list, start: int | None = None,
                   other_events: list[tuple[int, int]] = ()):
    """The event's year: a trailing '(1998)'; else a date soon after the title in the same
    sentence ('… held in Manila in December 1996'); else 'in/en YEAR' after it; else a date
    earlier in the same sentence ('In June 2001, IOM gave the “… Course”')."""
    m = YEAR_IN_PARENS.match(text[end:])
    if m:
        inside = next((d for d in dates if end <= d.start and d.end <= end + m.end()), None)
        if inside:  # "(San José, marzo 2001)": the date, not only its year
            return _date_fields(inside)
        return int(m.group(1)), None, None, None
    sentence_end = _sentence_end(text, end)
    for d in dates:
        if end <= d.start <= min(end + 100, sentence_end):
            return _date_fields(d)
    year = _bare_year_after(text, end, sentence_end)
    if year:
        return year, None, None, None
    # "…: Human Rights and Trafficking in Migrants in the Americas, which is to take place in
    # Santiago, Chile from 20 to 22 November 2002"
    held = _date_after_held_verb(text, dates, end, min(sentence_end, end + 250), sentence_end)
    if held:
        return _date_fields(held)
    if start is not None:
        sentence_start = _sentence_start(text, start)
        before = _earlier_date(text, dates, sentence_start, start, other_events)
        if before:
            return _date_fields(before)
        opening = text[sentence_start:start]
        m = re.match(r"^\s*(?:(?:In|En|During|Durante)\s+((?:19|20)\d{2})\s*,|((?:19|20)\d{2})\s*[–—:-]\s)", opening)
        if m:  # "In 2002, IOM was again a guest lecturer … at the … Summer Course", an agenda
            #    line "2009 – IX Conferencia Sudamericana sobre Migraciones (Quito …)"
            return int(m.group(1) or m.group(2)), None, None, None
        if SAME_OCCASION.search(opening):
            # "On the same occasion, IOM … co-sponsored a panel discussion on “…”": the date
            # of the event named just before
            earlier = [d for d in dates if d.end <= sentence_start]
            if earlier:
                return _date_fields(earlier[-1])
    return None, None, None, None


def _bare_year_after(text: str, pos: int, stop: int, reach: int = 60, prepositions: str = "en|in|de|of") -> int | None:
    """A bare year soon after pos, in the same clause: '… held in Manila in 1996'."""
    m = re.match(r"[^.;]{0,%d}?\b(?:%s)\s+((?:19|20)\d{2})\b" % (reach, prepositions), text[pos:stop])
    return int(m.group(1)) if m else None


def _earlier_date(text: str, dates: list, sentence_start: int, start: int, other_events):
    """The last date of the sentence before a mention that can be the mention's: not one that
    qualifies another name ("durante el GRCM de octubre 2002 … la VIII Reunión"), nor one with
    another event word between it and the mention ("In December 2003, a bid to include the
    Hispanic Forum … of the XIII Inter-American Conference" dates the bid), nor one a held-verb
    binds to another event word before it ("la Mesa Redonda …, celebrada en junio de 2002, este
    documento sirve … para la reunión sobre …": the Mesa Redonda's date)."""
    before = [d for d in dates if sentence_start <= d.start and d.end <= start
              and not OWNED_DATE.search(text[max(0, d.start - 30):d.start])
              and not any(d.end <= a and b <= start for a, b in other_events)
              and not any(sentence_start <= a and b <= d.start and HELD_VERB.search(text, b, d.start)
                          for a, b in other_events)]
    return before[-1] if before else None


SAME_OCCASION = re.compile(r"\b(?:same occasion|that occasion|on that day|misma ocasi[oó]n|esa ocasi[oó]n|"
                           r"ese mismo d[ií]a|en esa oportunidad)\b", re.I)


OWNED_DATE = re.compile(r"\b[A-ZÁÉÍÓÚÑ][\w\-]+\s+(?:de|del|of)\s+$")


# Words whose period ends no sentence: "Dr. Norberto Liwski", "Sra. Pérez", "U.S. Department"
PLACE_IN_PARENS = re.compile(r"^\s*\(\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})\s*,")


def _location(text: str, end: int, dates: list) -> str | None:
    m = PLACE_IN_PARENS.match(text[end:])
    if m and fold(m.group(1).split()[0]) not in MONTH_WORDS:
        return m.group(1)  # "(San José, marzo 2001)", "(Turin, June 28-30, 2006, …)"
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
    # "… Trata de Personas en las Américas”, que se realizó en Santiago, Chile, del 20-22 …"
    held = HELD_VERB.search(text, end, min(_sentence_end(text, end), end + 200))
    m = held and HELD_PLACE.match(text, held.end())
    if m and fold(m.group(1).split()[0]) not in MONTH_WORDS:
        return m.group(1)
    return None


PLACE_AT_END = re.compile(r"\s+(?:in|en)\s+([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)$")
HELD_PLACE = re.compile(r"\s+(?:en|in|at)\s+([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})")


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


def _dated_mention(para: ParagraphContext, trigger: Span, kind: str,
                   other_events: list[tuple[int, int]] = ()) -> EventMention | None:
    """An untitled kind word with a date in its sentence: 'la reunión del GRCM, realizada del
    29-31 de octubre de 2002 en Antigua', 'In February 2002, IOM conducted a round table for
    the officials of Kokshetau oblast'. The title is the kind word with what names or
    describes it, or with the body it belongs to ('its 15th meeting', 'una reunión de esta Red
    de Funcionarios de Enlace'); a bare kind word names nothing and is dropped."""
    doc, dates, text = para.doc, para.dates, para.text
    start_tok = _premodifier_start(doc, trigger.start)
    owner = _owning_body(para, trigger, start_tok)
    if owner is not None:
        end_tok, body_title = owner
        start, end = doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
        title, rule = text[start:trigger.end_char] + body_title, "event.dated.body"
    else:
        end_tok = _complement_end(doc, trigger.end)
        if end_tok == trigger.end:
            end_tok = _descriptive_end(doc, trigger.end)
        kind_tokens = {i for t in doc.spans.get("event_kinds", []) for i in range(t.start, t.end)}
        if all(i in kind_tokens for i in range(start_tok, end_tok)):
            return None  # "la reunión", "a training seminar": kind words name nothing
        if any(t.norm_ in ANAPHORA for t in doc[start_tok:end_tok]):
            return None  # "la reunión de esta red": an event named before
        start, end = doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
        title, rule = text[start:end], "event.dated"
    sentence_end = _sentence_end(text, end)
    date = next((d for d in dates if end <= d.start <= min(end + 100, sentence_end)), None)
    if date is None:
        date = _earlier_date(text, dates, _sentence_start(text, start), start, other_events)
    title = title[0].upper() + title[1:]
    if date is None:
        # "the second Western Mediterranean meeting was organized in Morocco in 2003": a bare
        # year after a held-verb
        held = HELD_VERB.search(text, end, min(sentence_end, end + 40))
        year = held and _bare_year_after(text, held.end(), sentence_end, reach=50, prepositions="en|in")
        if not year:
            return None
        return EventMention(kind, title, start, end, year, None, None, None, _location(text, end, dates), rule)
    return EventMention(kind, title, start, end, *_date_fields(date), _location(text, end, dates), rule)


POSSESSIVES = frozenset("its their su sus".split())
# A name that holds its own meetings is a body: "… (IACML), which held its 15th meeting"
HOLDS_ITS = re.compile(r"\s*(?:\([^()]{1,40}\))?\s*,?\s*(?:which|that|que)?\s*(?:has\s+)?(?:held|holds|will\s+hold|"
                       r"celebr[oó]|celebrar[aá]|realiz[oó]|realizar[aá]|(?:ha|han)\s+(?:celebrado|realizado))\s+"
                       r"(?:its|their|su|sus)\b", re.I)
# Demonstratives that point at a body by its name ("esta Red de Funcionarios de Enlace"), with
# the article they stand for.
NAMING_DEMONSTRATIVES = {"this": "the", "that": "the", "said": "the", "este": "el", "ese": "el", "dicho": "el",
                         "esta": "la", "esa": "la", "dicha": "la"}  # (English always links with "of the")
PRONOUNS = frozenset(fold(w) for w in "it they this these that those he she we ella ellos ellas él este esta".split())


def _owning_body(para: ParagraphContext, trigger: Span, start_tok: int):
    """The body an untitled kind word belongs to, as (end token of the mention, title tail):
    'reunión de esta Red de Funcionarios de Enlace' → ' de la Red de Funcionarios de Enlace …';
    'the Inter-American Conference of Ministers of Labor (IACML), which held its 15th meeting'
    → ' of the IACML'; 'La Red de funcionarios de enlace recomendó … durante su reunión' → ' de
    la Red de Funcionarios de Enlace …' (the name completed from where the document names it
    in full). None when the kind word is not tied to a named body."""
    if _is_plural(trigger):
        return None  # "several of its round tables" are no one meeting
    doc = para.doc
    english = doc.lang_ == "en"
    k = trigger.end
    if k < len(doc) and doc[k].norm_ in ("de", "of"):
        k += 1
    if k + 1 < len(doc) and doc[k].norm_ in NAMING_DEMONSTRATIVES and _is_title_word(doc[k + 1]) \
            and not doc[k + 1].like_num:
        owner_start, owner_end = k + 1, _complement_end(doc, k + 2)
        article = "the" if english else NAMING_DEMONSTRATIVES[doc[k].norm_]
        mention_end = owner_end
    elif start_tok > 0 and doc[start_tok - 1].norm_ in POSSESSIVES:
        found = _name_before(doc, start_tok - 1)
        if found is None:
            return None
        owner_start, owner_end = found
        a, b = doc[owner_start].idx, doc[owner_end - 1].idx + len(doc[owner_end - 1])
        if any(s < b and a < e for s, e in para.name_spans("country")) or any(
                owner_start <= t.start < owner_end for t in doc.spans.get("event_kinds", [])):
            return None  # "Mexico hosted its first meeting", "the Seminar … held its closing session"
        before = doc[owner_start - 1].norm_ if owner_start > 0 else ""
        article = before if before in ("the", "la", "el", "los", "las") else ("the" if english else None)
        mention_end = trigger.end
    else:
        return None
    owner = doc[owner_start:owner_end].text
    reference = doc[owner_start:min(len(doc), owner_start + 12)].text
    owner = _fuller_name(para.document.text, para.start + doc[owner_start].idx, owner, reference)
    if english:
        link = f" of {article} " if article else " of "
    else:
        link = {"el": " del ", None: " de "}.get(article, f" de {article} ")
    return mention_end, link + owner


def _name_before(doc: Doc, k: int, reach: int = 12) -> tuple[int, int] | None:
    """Token range of the nearest name before token k in its sentence: an acronym in
    parentheses ('(IACML)') or a capitalised name ('La Red de Funcionarios de Enlace celebró
    su reunión' → 'Red de Funcionarios de Enlace'; 'La Red de funcionarios de enlace recomendó
    … durante su reunión' → 'Red', completed later from the document)."""
    for j in range(k - 1, max(-1, k - 1 - reach), -1):
        tok = doc[j]
        if tok.text in ".;:!?":
            return None
        if not _is_title_word(tok) or tok.like_num or tok.norm_ in MONTH_WORDS:
            continue
        if _opens_sentence(doc, j) and tok.norm_ in PRONOUNS | DETERMINERS | CONNECTORS:
            return None  # "It held its …", "The …"
        if j > 0 and doc[j - 1].text == "(" and j + 1 < len(doc) and doc[j + 1].text == ")":
            return j, j + 1  # "… of Labor (IACML), which held its 15th meeting"
        start = j
        while start > 0:
            prev = doc[start - 1]
            if _opens_sentence(doc, start - 1) and prev.norm_ in PRONOUNS | DETERMINERS:
                break
            if _is_title_word(prev) or prev.text == "-":
                start -= 1
            elif prev.norm_ in CONNECTORS - DETERMINERS and start > 1 and _is_title_word(doc[start - 2]) \
                    and not _opens_sentence(doc, start - 2):
                start -= 1  # "Red de | Funcionarios de | Enlace"
            else:
                break
        return start, _complement_end(doc, j + 1)
    return None


def _opens_sentence(doc: Doc, i: int) -> bool:
    # the blank pipelines set no sentence boundaries: a token after closing punctuation
    return i == 0 or doc[i - 1].text in (".", ";", "!", "?", ":") or "\n" in doc[i - 1].whitespace_ + doc[i - 1].text


FULL_NAME_REACH = 20_000  # chars back where a body's full name is looked for (a few pages)
# The continuation of a capitalised name: "… de Funcionarios de Enlace para el Intercambio …"
NAME_TAIL = re.compile(r"(?:[ \t]+(?:(?:de|del|la|las|los|el|y|e|para|al|sobre|en|of|the|and|for|on|in|to)[ \t]+)*"
                       r"[A-ZÁÉÍÓÚÑ][\w\-’']*)*")


def _fuller_name(text: str, before: int, owner: str, reference: str) -> str:
    """The owner's name as the document gave it in full before: 'Red de funcionarios de
    enlace' (the words after the owner's first word in its sentence) → 'Red de Funcionarios de
    Enlace para el Intercambio Regular de Información …' from a heading above. The nearest
    earlier name that starts with the same words and goes on; else the owner as written."""
    words = owner.split()
    if not words:
        return owner
    reference_words = re.findall(r"\w+", fold(reference))
    head = re.compile(r"\b%s\b" % re.escape(words[0]))
    for m in reversed(list(head.finditer(text, max(0, before - FULL_NAME_REACH), before))):
        name = words[0] + NAME_TAIL.match(text, m.end()).group(0)
        name_words = re.findall(r"\w+", fold(name))
        common = 0
        while common < min(len(name_words), len(reference_words)) and name_words[common] == reference_words[common]:
            common += 1
        if common >= max(3, len(re.findall(r"\w+", owner))) and len(name_words) > common:
            return " ".join(name.split())
    return owner


LIST_INTRODUCER = re.compile(r"^,?\s+(?:including|such as|among them|incluyendo|entre ell[oa]s|como)\b:?", re.I)


def _list_start(text: str, pos: int) -> int | None:
    """Where the items of a list introduced by a kind word begin: after a colon soon after it
    ('Seminarios/Talleres …: …'), or after 'including'/'such as' right after it ('meetings,
    including International Cooperation … (December 1997, Manila); …')."""
    colon = text.find(":", pos, pos + 200)
    if colon >= 0:
        return colon + 1
    m = LIST_INTRODUCER.match(text[pos:pos + 40])
    return pos + m.end() if m else None


def _list_after(text: str, pos: int) -> bool:
    """A kind word that introduces a list: a colon (or 'including') soon after, then items
    closing with a year in parentheses: '(1998)', '(December 1997, Manila)'."""
    start = _list_start(text, pos)
    return start is not None and bool(re.search(r"\([^()]{0,40}\b(?:19|20)\d{2}\b[^()]{0,40}\)", text[start:start + 400]))


LIST_ITEM = re.compile(r"([^:;()]+?)\s*\(([^()]{0,40})\)")


def _list_items(text: str, trigger: Span, kind: str, dates: list = ()) -> list[EventMention]:
    """'Seminarios/Talleres …: Tráfico de Migrantes (1998), Derechos Humanos (1998), …'"""
    colon = _list_start(text, trigger.end_char) - 1
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
        where = (re.match(r"\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)\s*,", m.group(2))
                 or re.search(r"(?:19|20)\d{2}\s*,\s*([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+[A-ZÁÉÍÓÚÑ][\w\-’']+)?)\s*$",
                              m.group(2)))  # "(Colombia, 2001)", "(December 1997, Manila)"
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
