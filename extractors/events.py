"""Events (workshops, seminars, meetings, …) of one paragraph: titled mentions, lists
introduced by a kind, and dated meetings with a place. Kinds are data
(patterns/event_kinds.jsonl), blockers are data (patterns/event_blockers.jsonl), and the
title strategies are tried in a written order (``TRIGGER_STEPS``)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.event_dating import (HELD_AFTER_REACH, HELD_VERB, Located, dated_by_held_sentence, located, PLACE_AT_END, UNDATED, YEAR_IN_PARENS, Dating, TitleSite,
                                     bare_year_after, closing_year, date_after_held_verb, dated_by_previous_sentence,
                                     dates_joined_to, dating_of, earlier_date, place_after, run_in_heading_year,
                                     title_dating, year_before_title)
from extractors.event_titles import (ANAPHORA, CONNECTORS, INSTANCE_ORDINAL, WORD,
                                     complement_end, coordinated_ordinals, coordinated_titles, descriptive_end, fuller_name,
                                     is_ordinal, is_session_ordinal, is_title_word, kind_rules, kind_tokens, name_before,
                                     plural_kind_words, premodifier_start, similar_titles, singular_title, title_case_share,
                                     title_rules_at, title_span)
from extractors.nlp import PATTERNS, doc_text, phrase_to_pattern
from extractors.places import known_city, known_place
from extractors.text import PLACE_NAME
from pipeline.nlp.fold import fold
from pipeline.nlp.literals import first_char_lookahead
from pipeline.nlp.sentences import sentence_end as _sentence_end, sentence_start as _sentence_start
from pipeline.nlp.rule_files import read_records
from pipeline.nlp.titles import is_title_line, normalise_title
from pipeline.nlp.words import COORDINATORS, DETERMINERS, TOPIC_LINKS

if TYPE_CHECKING:  # (a type only: extractors.context builds the pipeline that imports this module)
    from extractors.context import ParagraphContext

# Words that introduce a title without quotes: "The Conference, entitled Arab Migration in …"
ENTITLED = frozenset(fold(w) for w in (
    "entitled titled called named titulado titulada intitulado intitulada denominado denominada "
    "llamado llamada").split())


@dataclass(frozen=True, slots=True)
class EventMention:
    kind: str
    title: str
    start: int          # char offsets in the paragraph text
    end: int
    when: Dating        # its date, and the id of the dating strategy that found it
    location: Located | None
    rule_id: str        # the title step that found it (TRIGGER_STEPS, or a paragraph-level rule)
    # a heading that is an event only if the text under it dates it ("Regional Ministerial
    # Meeting on …" over "… a ministerial meeting held on 16 and 17 October 2002")
    needs_date: bool = False
    # the title grammar's ids for what stopped the title on each side (title.start.*, title.end.*)
    title_rules: tuple[str, ...] = ()

    @property
    def year(self) -> int | None:
        return self.when.year


@dataclass(frozen=True)
class Blocker:
    """A row of patterns/event_blockers.jsonl: token patterns (spaCy Matcher) that must end
    right before the kind word (``before``) and start right after it (``after``), a pattern
    for the kind word's own first token, and the kinds it applies to (all when empty). A
    row with ``inside`` patterns blocks a mention of the title step ``step`` whose tokens
    hold a match ('la reunión de esta red': an event named before)."""
    id: str
    before: tuple = ()
    after: tuple = ()
    trigger: dict | None = None
    kinds: frozenset[str] = frozenset()
    inside: tuple = ()
    step: str | None = None
    examples: tuple = ()
    counterexamples: tuple = ()


BLOCKERS_PATH = PATTERNS / "event_blockers.jsonl"
# word lists blocker patterns may name as "@name" besides their own
SHARED_WORDS = {"determiners": DETERMINERS, "connectors": CONNECTORS, "anaphora": ANAPHORA}


def _with_words(value, words: dict[str, frozenset[str]]):
    """A token pattern with its "@name" word lists spelt out (folded, as NORM is)."""
    if isinstance(value, str) and value.startswith("@"):
        return sorted(words[value[1:]])
    if isinstance(value, dict):
        return {k: _with_words(v, words) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_words(v, words) for v in value]
    return value


@lru_cache(maxsize=1)
def blockers() -> tuple[Blocker, ...]:
    rows = read_records(BLOCKERS_PATH)
    words = dict(SHARED_WORDS) | {r["name"]: frozenset(fold(w) for w in r["words"].split())
                                  for r in rows if r["kind"] == "words"}
    return tuple(Blocker(r["id"], tuple(_with_words(r.get("before", []), words)),
                         tuple(_with_words(r.get("after", []), words)), _with_words(r.get("trigger"), words),
                         frozenset(r.get("kinds", [])), tuple(_with_words(r.get("inside", []), words)), r.get("step"),
                         tuple(r.get("examples", [])), tuple(r.get("counterexamples", [])))
                 for r in rows if r["kind"] == "blocker")


_MATCHERS: dict[int, object] = {}


def _blocker_matcher(vocab):
    """One Matcher per language vocabulary, holding every blocker's patterns under the keys
    '<n>:before', '<n>:after' and '<n>:trigger'."""
    from spacy.matcher import Matcher

    matcher = _MATCHERS.get(id(vocab))
    if matcher is None:
        matcher = Matcher(vocab, validate=True)
        for n, b in enumerate(blockers()):
            for part in ("before", "after", "inside"):
                if getattr(b, part):
                    matcher.add(f"{n}:{part}", [list(p) for p in getattr(b, part)])
            if b.trigger:
                matcher.add(f"{n}:trigger", [[b.trigger]])
        _MATCHERS[id(vocab)] = matcher
    return matcher


@lru_cache(maxsize=1)
def blocker_reach() -> int | None:
    """The most tokens a blocker pattern spans, or None when one is unbounded ('+', '*')."""
    lengths = []
    for b in blockers():
        for p in (*b.before, *b.after, *b.inside, *([[b.trigger]] if b.trigger else [])):
            if any(t.get("OP") in ("+", "*") for t in p):
                return None
            lengths.append(len(p))
    return max(lengths, default=0)


def _blocker_matches(doc: Doc, start: int, end: int) -> set[tuple]:
    """(key, token) where each before-pattern ends and each after- and trigger pattern
    starts, and (key, start, end) of each inside-pattern, among the matches a pattern can
    make that touch tokens start..end: the Matcher runs over those tokens and a pattern's
    reach either side (the whole paragraph only when a pattern is unbounded), as walking
    every paragraph took 7% of extraction. Cached per paragraph and window."""
    cache = doc.user_data.setdefault("event_blocker_matches", {})
    found = cache.get((start, end))
    if found is None:
        reach = blocker_reach()
        lo, hi = (0, len(doc)) if reach is None else (max(0, start - reach), min(len(doc), end + reach))
        strings = doc.vocab.strings
        found = set()
        for key, m_start, m_end in _blocker_matcher(doc.vocab)(doc[lo:hi]):
            name, m_start, m_end = strings[key], m_start + lo, m_end + lo
            found.add((name, m_start, m_end) if name.endswith(":inside") else
                      (name, m_end if name.endswith(":before") else m_start))
        cache[(start, end)] = found
    return found


def blocker_of(doc: Doc, trigger: Span) -> str | None:
    """The id of the first blocker that says this kind word names no event, or None."""
    found = _blocker_matches(doc, trigger.start, trigger.end)
    for n, b in enumerate(blockers()):
        if b.inside or b.kinds and trigger.label_ not in b.kinds:
            continue
        if (not b.before or (f"{n}:before", trigger.start) in found) and (
                not b.after or (f"{n}:after", trigger.end) in found) and (
                not b.trigger or (f"{n}:trigger", trigger.start) in found):
            return b.id
    return None


def span_blocker(doc: Doc, start: int, end: int, step: str) -> str | None:
    """The id of the first ``inside`` blocker of ``step`` with a match in tokens start..end."""
    found = _blocker_matches(doc, start, end)
    for n, b in enumerate(blockers()):
        if b.inside and b.step == step and any(f[0] == f"{n}:inside" and start <= f[1] and f[2] <= end
                                              for f in found if len(f) == 3):
            return b.id
    return None



def patterns(nlp: Language, lang: str) -> list[dict]:
    out = []
    for rule in kind_rules():
        for phrase in rule.get(lang, []) + (rule.get("en", []) if lang != "en" else []):
            out.append({"label": rule["kind"], "pattern": phrase_to_pattern(nlp, phrase), "id": rule["id"]})
    return out


OPEN_QUOTE = re.compile(r"[“\"«]")
# (qualifiers between the name and the kind word are adjectives, not 'in organizing …')
QUOTE_BEFORE_KIND = re.compile(r"[“\"«]([A-ZÁÉÍÓÚÑ][^“”\"«»\n]{3,120}?)[”\"»]\s+"
                               r"(?:(?!(?:in|on|of|for|to|at|by|en|de|del|para|por|con|y|and)\s)[a-záéíóúñ\-]+(?<!ing)\s+){0,2}$")
QUOTE_AFTER_ON = re.compile(r"\s+(?:on|about|sobre|acerca de)\s+[“\"«]", re.I)
CLOSE_QUOTE = re.compile(r"[”\"»]")


def _quoted_title(doc: Doc, trigger: Span) -> tuple[int, int] | None:
    """A kind word followed, in the same clause, by a quoted title: 'a workshop for
    journalists entitled "Migrants make news"', 'taller “Migrantes y Salud”'."""
    text = doc_text(doc)
    window = text[trigger.end_char:trigger.end_char + QUOTE_AFTER_KIND_REACH]
    clause = re.split(r"[.;](?:\s|$)", window, maxsplit=1)[0]
    m = OPEN_QUOTE.search(clause)
    if not m:
        # 'the “Building Migration Partnerships” ministerial conference': a quoted name right
        # before the kind word and its lower-case qualifiers
        before = QUOTE_BEFORE_KIND.search(text, max(0, trigger.start_char - QUOTE_BEFORE_KIND_REACH), trigger.start_char)
        return (before.start(1), before.end(1)) if before else None
    # what a title may be introduced by: "Conference, entitled “…”", "campaigns (“…”)"
    between = re.sub(r"(?:,?\s*\b(?:%s)\b)?\s*[,:]?\s*\(?\s*$" % "|".join(ENTITLED), "", fold(clause[:m.start()]))
    if re.search(r"[(),]", between):
        # "Course on Human Rights, on November 2007, in Lima, on “The Human Rights of …”", "la VI
        # Reunión (San José, marzo 2001), … aprobaron el documento titulado, “…”": a quote past a
        # comma or a parenthesis titles something else (a talk, a document)
        return None
    open_at = trigger.end_char + m.end()
    close = CLOSE_QUOTE.search(text, open_at, open_at + MAX_QUOTED_TITLE_CHARS)
    if not close or close.start() - open_at < 4 or text[open_at:open_at + 1].islower():
        return None  # 'in four targeted “emigration-prone locations”' quotes a phrase, not a title
    return open_at, close.start()


def _entitled_title(doc: Doc, trigger: Span) -> tuple[int, int] | None:
    """'The Conference, entitled Arab Migration in a Globalized World (2 to 4 September 2003,
    Cairo)': a capitalised title after entitled/titulado, without quotes."""
    k = trigger.end
    if k < len(doc) and doc[k].text == ",":
        k += 1
    if k + 1 >= len(doc) or doc[k].norm_ not in ENTITLED or not is_title_word(doc[k + 1]):
        return None
    end = complement_end(doc, k + 2)
    return (k + 1, end) if end - (k + 1) >= 2 else None


def _appositive_title(doc: Doc, trigger: Span, dates: list) -> EventMention | None:
    """'the Conclusions of the Forum, Education for Migration, which was jointly organized by
    IOM … in August 2001': a capitalised title set off by commas after a singular kind word,
    then a clause that says when it was held."""
    k = trigger.end
    if _is_plural(trigger) or k + 2 >= len(doc) or doc[k].text != "," or not is_title_word(doc[k + 1]):
        return None
    end_tok = complement_end(doc, k + 2)
    if end_tok - (k + 1) < 2 or end_tok >= len(doc) or doc[end_tok].text != ",":
        return None
    text = doc_text(doc)
    start, end = doc[k + 1].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
    clause = re.match(r",\s+(?:which|that|que)\b", text[end:])
    if clause is None:
        return None
    date = date_after_held_verb(text, dates, end + clause.end(), min(len(text), end + clause.end() + CLAUSE_DATE_REACH),
                                 _sentence_end(text, end))
    if date is None:
        return None
    return EventMention(trigger.label_, text[start:end], trigger.start_char, end, dating_of(date, "year.held_verb"),
                        place_after(text, end, dates), "event.titled.appositive")


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


def _quoted_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Quoted strings between two offsets: the items of 'three seminars: (1) “…”; (2) “…”'."""
    items, pos = [], start
    while True:
        m = OPEN_QUOTE.search(text, pos, end)
        if not m:
            return items
        close = CLOSE_QUOTE.search(text, m.end(), min(end, m.end() + QUOTED_ITEM_CHARS))
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


@lru_cache(maxsize=1)
def title_patterns() -> dict[str, re.Pattern[str]]:
    """The title-level patterns of patterns/event_blockers.jsonl (kind title_pattern), by id."""
    return {r["id"]: re.compile(r["regex"], re.I) for r in read_records(BLOCKERS_PATH) if r["kind"] == "title_pattern"}


def _standing_body(title: str) -> bool:
    return bool(title_patterns()["event.blocker.standing_body"].search(title))


def _holds_its_meetings(text: str, end: int) -> bool:
    return bool(title_patterns()["event.blocker.holds_its_meetings"].match(text, end))


@dataclass(frozen=True)
class KindWord:
    """A kind word of a paragraph ('Seminar', 'reunión') as the title steps see it."""
    para: ParagraphContext
    span: Span
    others: tuple[tuple[int, int], ...]  # char spans of the paragraph's other kind words

    @property
    def kind(self) -> str:
        return self.span.label_

    @cached_property
    def quoted(self) -> tuple[int, int] | None:
        return _quoted_title(self.para.doc, self.span)

    @property
    def capitalised(self) -> bool:
        first = self.para.doc[self.span.start]
        return first.is_title or first.is_upper


@dataclass(frozen=True, slots=True)
class Found:
    """What a step made of a kind word: its mentions (none: the kind word is blocked or
    names nothing) and the span they take; a later kind word inside it is part of them."""
    mentions: tuple[EventMention, ...] = ()
    span: tuple[int, int] | None = None


BLOCKED = Found()


def _in_a_process_name(w: KindWord) -> Found | None:
    # "Conferencia Regional sobre Migración": the process, not one of its sessions
    return BLOCKED if any(s <= w.span.start_char < e for s, e in w.para.process_spans) else None


def _appositive(w: KindWord) -> Found | None:
    mention = _appositive_title(w.para.doc, w.span, w.para.dates)
    if mention is None or any(s < mention.end and mention.start < e  # "the workshop, IOM Colombia, which …"
                              for s, e in w.para.name_spans("organization") + w.para.name_spans("country")
                              if s >= w.span.end_char):
        return None
    return Found((mention,), (w.span.start_char, mention.end))


def _blocked(w: KindWord) -> Found | None:
    return BLOCKED if blocker_of(w.para.doc, w.span) else None


def _entitled(w: KindWord) -> Found | None:
    return None if w.quoted else _unquoted_title(w, _entitled_title(w.para.doc, w.span), "event.titled.entitled")


def _colon(w: KindWord) -> Found | None:
    return None if w.quoted else _unquoted_title(w, _colon_title(w.para.doc, w.span), "event.titled.colon")


def _unquoted_title(w: KindWord, tokens: tuple[int, int] | None, rule: str) -> Found | None:
    if tokens is None:
        return None
    doc, text = w.para.doc, w.para.text
    start, end = doc[tokens[0]].idx, doc[tokens[1] - 1].idx + len(doc[tokens[1] - 1])
    when = title_dating(TitleSite(text, w.para.dates, end, w.span.start_char))
    mention = EventMention(w.kind, text[start:end], w.span.start_char, end, when, place_after(text, end, w.para.dates),
                           rule)
    return Found((mention,), (w.span.start_char, end))


def _quoted_list(w: KindWord) -> Found | None:
    # 'three seminars: (1) “…”; (2) “…”'
    text, dates = w.para.text, w.para.dates
    if not (_is_plural(w.span) and ":" in text[w.span.end_char:w.span.end_char + LIST_COLON_REACH]):
        return None
    colon = text.index(":", w.span.end_char)
    stop = text.find(". ", colon)
    stop = len(text) if stop < 0 else stop
    items = _quoted_items(text, colon, stop)
    if len(items) < 2:
        return None
    return Found(tuple(EventMention(w.kind.rstrip("s"), text[a:b].strip(), a, b,
                                    title_dating(TitleSite(text, dates, b + 1)), place_after(text, b + 1, dates),
                                    "event.list_quoted") for a, b in items), (w.span.start_char, stop))


def _distributed(w: KindWord) -> Found | None:
    """A plural kind word whose sessions the sentence dates one by one: 'la Segunda y Tercera
    Reuniones del Grupo Consultivo, celebradas en Lima, en junio de 2005, y en Montevideo, en
    agosto de 2006', 'the first and second
    Ministerial Conferences, held in Vienna (June 2001) and Rome (May 2003)', 'two regional
    workshops on labour mobility, which took place in Accra on 3 - 4 May 2011 and in Dakar on
    8 - 9 June 2011': one event per date, in order, numbered by its ordinal when there are."""
    if not _is_plural(w.span):
        return None
    doc, text, trigger = w.para.doc, w.para.text, w.span
    if w.capitalised:
        s, e = title_span(doc, trigger)
    else:
        s, e = premodifier_start(doc, trigger.start), descriptive_end(doc, trigger.end)
    body = s
    while body < trigger.start and is_session_ordinal(doc[body]):
        body += 1
    ordinals = coordinated_ordinals(doc, body)
    end = doc[e - 1].idx + len(doc[e - 1])
    stop = _sentence_end(text, end)
    dates = [d for d in w.para.dates if end <= d.start < stop]
    if ordinals:
        if len(dates) < len(ordinals):
            return None
        dates = dates[:len(ordinals)]
    elif len(dates) < 2 or not HELD_VERB.search(text, end, dates[0].start):
        return None
    title = singular_title(text[doc[body].idx:end], w.para.lang)
    mentions, previous_end = [], end
    for n, d in enumerate(dates):
        place = None
        for m in PLACE_BEFORE_DATE.finditer(text, previous_end, d.start):
            place = located(known_place(m.group(1)), "location.before_date") or place
        named = f"{doc[ordinals[n]].text} {title}" if ordinals else title[0].upper() + title[1:]
        start = doc[ordinals[n]].idx if ordinals else doc[body].idx
        mentions.append(EventMention(w.kind, named[0].upper() + named[1:], start, end,
                                     dating_of(d, "year.distributed"), place, "event.distributed"))
        previous_end = d.end
    return Found(tuple(mentions), (doc[ordinals[0] if ordinals else body].idx, dates[-1].end))


# 'en Buenos Aires, en mayo de 2000', 'in Berlin on 30 - 31 October 1991': the place of each date
PLACE_BEFORE_DATE = re.compile(r"\b(?:en|in|at)\s+([A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+|del\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,2})")


def _quoted(w: KindWord) -> Found | None:
    if not w.quoted:
        return None
    doc, text, dates, trigger = w.para.doc, w.para.text, w.para.dates, w.span
    title = text[w.quoted[0]:w.quoted[1]].strip(" ,.")
    start, end = trigger.start_char, w.quoted[1] + 1
    if w.quoted[1] < trigger.start_char:  # the name before the kind word: dated from after it
        start, end = w.quoted[0] - 1, trigger.end_char
    if w.capitalised and QUOTE_AFTER_ON.fullmatch(text, trigger.end_char, w.quoted[0]):
        # 'Regional Ministerial Meeting on “Cooperation Dialogue on Migration …”': a
        # capitalised kind phrase and its quoted topic make one title
        start = doc[premodifier_start(doc, trigger.start)].idx
        title = text[start:w.quoted[0] - 1] + title
    between = [d for d in dates if trigger.end_char <= d.start < w.quoted[0]]
    if between:  # 'el taller del 8 de mayo “Migrantes y Salud”'
        place = place_after(text, end, dates) or place_after(text, trigger.end_char, [])
        mention = EventMention(w.kind, title, start, end, dating_of(between[0], "year.between_kind_and_quote"),
                               place, "event.titled.quoted")
        return Found((mention,), (start, end))
    return _titled(w, start, end, title, "event.titled.quoted")


def _capitalised(w: KindWord) -> Found | None:
    if w.quoted or not w.capitalised or _is_plural(w.span) and not _titled_plural(w.para.doc, w.span):
        return None
    doc, trigger = w.para.doc, w.span
    s, e = title_span(doc, trigger)
    start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    subtitle = SUBTITLE.match(w.para.text, end)
    if subtitle and is_title_line(w.para.text) and title_case_share(subtitle.group(1)) >= 0.5 \
            and not _opens_with_place(subtitle.group(1)):
        # 'Panel Discussion: Diaspora Engagement in Southern Africa' on a line of its own
        return _titled(w, start, subtitle.end(1), w.para.text[start:subtitle.end(1)], "event.titled.capitalised")
    content = [t for t in doc[s:e] if not (t.norm_ in CONNECTORS) and t.i not in range(trigger.start, trigger.end)]
    if len(content) < 1 or e - s < 3 and not (e - s == 2 and INSTANCE_ORDINAL.match(doc[s].text)):
        return _dated(w)  # 'the Meeting', 'la Reunión': a capital that names nothing yet
    e = _coordinated_items_end(w.para, s, e)
    start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
    called = CALLED.match(w.para.text, end)
    if called:  # 'the Summit of Presidents called Tuxtla II': the name is the title
        k = doc.char_span(called.end(), called.end() + 1, alignment_mode="expand")
        name_end = complement_end(doc, k.start) if k is not None and is_title_word(doc[k.start]) else None
        if name_end is not None and name_end > k.start:
            start, end = called.end(), doc[name_end - 1].idx + len(doc[name_end - 1])
    return _titled(w, start, end, w.para.text[start:end], "event.titled.capitalised")


THIS_SESSION = frozenset(fold(w) for w in "this esta este presente present current actual".split())
LIST_COORDINATORS = COORDINATORS | {"&"}


# How far (characters) the title rules look, named so a rule's reach is read and tuned in one place:
QUOTE_AFTER_KIND_REACH = 100    # a kind word to the quoted title of its clause: 'a workshop … entitled "…"'
QUOTE_BEFORE_KIND_REACH = 160   # a quoted name before its kind word: 'the “…” ministerial conference'
MAX_QUOTED_TITLE_CHARS = 200    # an opening quote to its closing one
CLAUSE_DATE_REACH = 80          # past ', which …' after a title, to its held verb and date
QUOTED_ITEM_CHARS = 250         # one quoted item of a list
LIST_COLON_REACH = 120          # a plural kind word to the colon of its list: 'three seminars: (1) “…”'
HELD_AFTER_NAME_REACH = 60      # a name to 'held …' after it
ITEM_COLON_REACH = 250          # a kind word to the colon that opens its item's text
DATED_TITLE_REACH = 100         # a title to its date, in the sentence
TIME_REFERENCE_REACH = 30       # before a meeting that only sets a time: 'Since the ECLAC session …'
HELD_VERB_REACH = 40            # a descriptor to the held verb of its bare year: '… was organized in Morocco in 2003'
OWNER_TOKENS = 12               # tokens of the name an event belongs to, as the reference it is compared by
LIST_START_REACH = 200          # a kind word to the colon its list of items starts after
LIST_INTRODUCER_CHARS = 40      # 'including', 'such as' after a kind word
LIST_YEARS_REACH = 400          # a list's items, looked at for '(1998)' closing them


def _coordinated_items_end(para: ParagraphContext, s: int, e: int) -> int:
    """A title whose topic is a list goes on past its commas: 'Seminar on Return, Readmission
    and Reintegration', 'Taller sobre Protección, Asistencia y Retorno de Víctimas'. The items
    are capitalised, the last joined by and/y, and none is a country or organisation
    ('the Workshop on Return, Canada and Mexico …' ends at 'Return')."""
    doc = para.doc
    if not any(t.norm_ in TOPIC_LINKS for t in doc[s:e]):
        return e
    k = e
    names = para.name_spans("country") + para.name_spans("organization")
    while k + 1 < len(doc) and doc[k].text == "," and len(doc[k].whitespace_) == 1:
        first = k + 2 if doc[k + 1].norm_ in LIST_COORDINATORS else k + 1  # 'Return, Readmission, and …'
        if first >= len(doc) or not is_title_word(doc[first]) or doc[first].like_num:
            return e
        end = complement_end(doc, first)
        a, b = doc[first].idx, doc[end - 1].idx + len(doc[end - 1])
        if end - first > 8 or any(x < b and a < y for x, y in names):
            return e
        if first == k + 2 or any(t.norm_ in LIST_COORDINATORS for t in doc[first:end]):
            return end  # the item joined by and/y closes the list
        k = end
    return e


SUBTITLE = re.compile(r":\s+([A-ZÁÉÍÓÚÑ][^:\n]*?\s[^:\n]*?)\s*$")
PLACE_OPENING = re.compile(rf"({PLACE_NAME})\s*(?:[,(]|$)")


def _opens_with_place(text: str) -> bool:
    """'Lisbon, Portugal (1994)' after a title's colon says where, it is no subtitle."""
    m = PLACE_OPENING.match(text)
    return bool(m and known_place(m.group(1)))
# what names an event after its kind phrase: 'the Summit of Presidents called Tuxtla II', 'la
# Cumbre denominada Tuxtla II', 'the meeting known as the Manila Process Review'
CALLED = re.compile(r"\s*,?\s*(?:called|named|known\s+as|denominad[oa]|llamad[oa]|conocid[oa]\s+como)\s+"
                    r"(?:the\s+|la\s+|el\s+)?(?=[A-ZÁÉÍÓÚÑ])")


def _listed(w: KindWord) -> Found | None:
    # 'Seminarios/Talleres …: Tráfico de Migrantes (1998), Derechos Humanos (1998), …'
    text = w.para.text
    if not (w.span.text.lower().endswith("s") and _list_after(text, w.span.end_char)):
        return None
    items = _list_items(text, w.span, w.kind, w.para.dates)
    return Found(tuple(items), (w.span.start_char, max(i.end for i in items))) if items else BLOCKED


def _dated(w: KindWord) -> Found:
    mention = _dated_mention(w.para, w.span, w.kind, w.others)
    return Found((mention,), (mention.start, mention.end)) if mention else BLOCKED


def _titled(w: KindWord, start: int, end: int, title: str, rule: str) -> Found:
    """A quoted or capitalised title: dated, checked against what it may be instead (a
    process or organisation name, a standing body), and split when it coordinates two."""
    listed = _listed(w)
    if listed is not None:
        return listed
    para, doc, text, dates, kind = w.para, w.para.doc, w.para.text, w.para.dates, w.kind
    if any(max(0, min(end, e) - max(start, s)) >= 0.8 * (end - start)
           for s, e in para.process_spans + para.name_spans("organization")) and not _has_ordinal(doc, start):
        # the title is a process or organisation name: "Conferencia Regional sobre Migración",
        # "the International Labour Conference"; with an ordinal it is one of its sessions:
        # "XIII Inter-American Conference of Ministers of Labor"
        return BLOCKED
    s_tok = doc.char_span(start, start + 1, alignment_mode="expand").start
    when = year_before_title(doc, s_tok) or title_dating(TitleSite(text, dates, end, start, w.others))
    if when.year is None and is_title_line(text):
        when = closing_year(text, end) or when
    if when.year is None:
        when = run_in_heading_year(text, start, end) or when
    if when.year is None and para.document.year is not None and s_tok > 0 and _has_ordinal(doc, start) \
            and doc[s_tok - 1].norm_ in THIS_SESSION:
        # 'en aproximación de esta VIII Reunión de la CRM', 'at this Fifth Ministerial Conference':
        # the session the document is written for, in the year of its date
        when = Dating(para.document.year, rule_id="year.this_session")
    needs_date = bool(when.year is None and (kind not in TITLED_WITHOUT_DATE or _standing_body(title))
                      and not _has_ordinal(doc, start))
    if _holds_its_meetings(text, end) and (needs_date or _standing_body(title)):
        return BLOCKED  # "the Inter-American Conference of Ministers of Labor (IACML), which held its 15th meeting"
    if needs_date and not is_title_line(text):
        return BLOCKED  # "the OAS General Assembly" is a body; "the Fourth Summit of the Americas" an instance
    place = place_after(text, end, dates)
    spans = [(0, end - start)]  # the title's parts, as offsets from start
    if rule == "event.titled.capitalised":  # title is text[start:end]
        at_end = PLACE_AT_END.search(title)
        country_after = text[end:end + 2] == ", " and any(s == end + 2 for s, _ in para.name_spans("country"))
        city = _city_at_end(title) if country_after else None
        if at_end and country_after:
            # "the Ibero-American Meeting on Migration and Development in Madrid, Spain":
            # where, not part of the title
            title, place = title[:at_end.start()], Located(at_end.group(1), "location.title_end")
        elif city:  # "… Meeting of the Colombo Process Colombo, Sri Lanka": a dateline run into the title
            title, place = title[:-len(city)].rstrip(), Located(city, "location.title_dateline")
        spans = coordinated_titles(title, w.span.text)
    if when.rule_id == "year.list_item_date":
        # the item's later sentences up to its date are this event's: 'IOM conducted training on …'
        end = max(end, next((d.end for d in dates if d.start >= end), end))
    return Found(tuple(EventMention(kind, title if len(spans) == 1 else title[a:b], start + a, start + b, when, place,
                                    rule, needs_date) for a, b in spans), (start, end))


def _city_at_end(title: str) -> str | None:
    """The known city (not a country) that the last one or two words of a title are, when
    three words or more stay ('… of the Colombo Process Colombo')."""
    words = title.split()
    for n in (2, 1):
        tail = " ".join(words[-n:])
        if len(words) - n >= 3 and known_city(tail) == tail:
            return tail
    return None


# What a kind word is made into, in the order tried: the first step that answers (a Found,
# with mentions or none) decides; None passes the kind word to the next.
TRIGGER_STEPS = (
    ("event.blocker.process_name", _in_a_process_name),
    ("event.titled.appositive", _appositive),
    ("event.blockers", _blocked),  # patterns/event_blockers.jsonl
    ("event.titled.entitled", _entitled),
    ("event.titled.colon", _colon),
    ("event.list_quoted", _quoted_list),
    ("event.distributed", _distributed),
    ("event.titled.quoted", _quoted),
    ("event.titled.capitalised", _capitalised),
    ("event.list_item", _listed),
    ("event.dated", _dated),
)


def event_mentions(para: ParagraphContext) -> list[EventMention]:
    """Event mentions of one paragraph. Process and organisation names are not events
    ("Conferencia Regional sobre Migración", "United Nations Conference on Trade and
    Development"), countries hold no meetings of their own, and a body a paragraph only
    refers to is named in full from where the document names it.

    Kind words are read left to right; a kind word inside what an earlier one was made
    into is part of it ('the Seminar on Training and Workshops' is one title)."""
    from spacy.util import filter_spans

    doc = para.doc
    triggers = filter_spans(list(doc.spans.get("event_kinds", [])))
    found: list[Found] = []
    heading = _item_heading(doc, triggers, para.dates)
    if heading:
        found.append(Found((heading,), (heading.start, heading.end)))
    for trigger in triggers:
        if any(f.span and f.span[0] <= trigger.start_char < f.span[1] for f in found):
            continue
        word = KindWord(para, trigger, tuple(_trigger_spans(triggers, trigger)))
        found.append(next(f for _, step in TRIGGER_STEPS if (f := step(word)) is not None))
    mentions = [m for f in found for m in f.mentions] + _process_sessions(para, triggers)
    mentions += [m for m in timeline_mentions(para) if not any(f.span and f.span[0] <= m.start < f.span[1]
                                                               for f in found)]
    mentions = merge_mentions(sorted((c for m in mentions for c in coordinated_sessions(m)), key=lambda m: m.start))
    # kind words that name no event of their own: "… included workshops, radio broadcasts …"
    loose = [t for t in triggers if not any(m.start <= t.start_char < m.end for m in mentions)
             and not blocker_of(doc, t)]
    return [_with_title_rules(doc, dated_by_held_sentence(para.text, dated_by_previous_sentence(para.text, m, loose,
                                                                                                  para.dates)))
            for m in mentions]


def _with_title_rules(doc: Doc, mention: EventMention) -> EventMention:
    """The mention with the title grammar's ids noted where its title starts and ends."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    rules = title_rules_at(doc, span.start, span.end) if span is not None else ()
    return replace(mention, title_rules=rules) if rules else mention


# '<numbered session> and the <numbered session> of <body>': two sessions that share the body
COORDINATED_SESSION = re.compile(r"\s+(?:and|y|e)\s+(?:the\s+|la\s+|el\s+)?(?=\S+\s)")
SESSION_COMPLEMENT = re.compile(r"\s+(?:of\s+the|of|de\s+la|del|de)\s+[A-ZÁÉÍÓÚÑ]")


def coordinated_sessions(mention: EventMention) -> list[EventMention]:
    """'the 2nd Expert Meeting and the 3rd Ministerial Meeting of the Bali
    Process' is two sessions of the Bali Process, each named in full; one title otherwise
    ('the Seminar on Training and Workshops', 'Fourth Conference of Ministers and Heads')."""
    title = mention.title
    if not title.split() or not is_ordinal(title.split()[0]):
        return [mention]
    for joint in COORDINATED_SESSION.finditer(title):
        second = title[joint.end():]
        if not is_ordinal(second.split()[0]) or SESSION_COMPLEMENT.search(title, 0, joint.start()):
            continue
        complement = SESSION_COMPLEMENT.search(second)
        if complement is None:
            return [mention]
        shared = second[complement.start():]
        first = replace(mention, title=title[:joint.start()] + shared, end=mention.start + joint.start())
        return [first, replace(mention, title=second, start=mention.start + joint.end())]
    return [mention]


# A timeline: numbered sessions of a process one after another, each with its place and year
# ('IV RCM in Panama City (1999); V RCM in San Salvador (2000); … VII in Antigua,
# Guatemala (2002)', 'II RCM – 1997 – Panama City'); an item without the acronym is the
# previous one's process
_SESSION_NUMBER = r"(?P<number>\b(?:[IVXL]{1,7}|\d{1,2}(?:st|nd|rd|th|ª|º|°)?))"
_TIMELINE_PLACE = rf"(?P<place>{PLACE_NAME}(?:,\s*{PLACE_NAME})?)"
TIMELINE_ITEMS = tuple(map(first_char_lookahead, (  # tried on every paragraph: a look-ahead skips most positions
    re.compile(_SESSION_NUMBER + r"\s+(?:(?P<acronym>[A-Z][A-Za-z+]{1,9})\s+)?(?:in|en)\s+" + _TIMELINE_PLACE
               + r"\s*\(\s*(?P<year>(?:19|20)\d{2})\s*\)"),
    re.compile(_SESSION_NUMBER + r"\s+(?P<acronym>[A-Z][A-Za-z+]{1,9})\s*[–—-]\s*(?P<year>(?:19|20)\d{2})\s*[–—-]\s*"
               + _TIMELINE_PLACE),
    # a table row, year first, the place in its last cell: '2008 | VIII CSM | 17-19 sept. | Montevideo, Uruguay'
    re.compile(r"^[ \t]*(?P<year>(?:19|20)\d{2})[ \t]*(?:[|\t]|\s[–—-]\s)[ \t]*" + _SESSION_NUMBER
               + r"\s+(?P<acronym>[A-Z][A-Za-z+]{1,9})\b[^\n]*(?:[|\t]|\s[–—-]\s)[ \t]*" + _TIMELINE_PLACE + r"[ \t]*$",
               re.MULTILINE),
)))
TIMELINE_GAP = re.compile(r"\s*(?:[;,]|\n|\s(?:and|y)\s)\s*(?:(?:and|y)\s+)?")
MIN_TIMELINE_ITEMS = 3


def timeline_mentions(para: ParagraphContext) -> list[EventMention]:
    """The sessions of a timeline in a paragraph: runs of at least MIN_TIMELINE_ITEMS items
    next to each other, the first naming a process by its acronym."""
    text = para.text
    acronyms = _acronyms(para)
    for pattern in TIMELINE_ITEMS:
        runs: list[list[re.Match]] = []
        for m in pattern.finditer(text):
            if runs and TIMELINE_GAP.fullmatch(text[runs[-1][-1].end():m.start()]):
                runs[-1].append(m)
            else:
                runs.append([m])
        out = [mention for run in runs for _, mention in _timeline_run([(para, m) for m in run], acronyms)]
        if out:
            return out
    return []


def timeline_line_mentions(paragraphs) -> list[tuple[ParagraphContext, EventMention]]:
    """The sessions of a timeline written one per line ('I CSM – 2000 – Buenos Aires', 'II CSM –
    2001 – Santiago', …; '2008 | VIII CSM | 17-19 sept. | Montevideo, Uruguay'), a run going on
    across paragraphs, with the paragraph each is in."""
    acronyms = {a: pid for para in paragraphs for a, pid in _acronyms(para).items()}
    out: list[tuple[ParagraphContext, EventMention]] = []
    run: list[tuple[ParagraphContext, re.Match]] = []
    lines = [(para, m.start(), m.end()) for para in paragraphs for m in re.finditer(r"[^\n]+", para.text)]
    for para, start, end in lines + [(None, 0, 0)]:
        # a run goes on from line to line across paragraphs: a table's rows may be split into several
        text = para.text if para is not None else ""
        lead = start + len(text[start:end]) - len(text[start:end].lstrip())
        item = next((m for pattern in TIMELINE_ITEMS
                     if (m := pattern.fullmatch(text, lead, start + len(text[start:end].rstrip())))), None)
        if item is not None:
            run.append((para, item))
            continue
        out += _timeline_run(run, acronyms)
        run = []
    return out


def _acronyms(para: ParagraphContext) -> dict[str, str]:
    return {para.text[m.start:m.end]: m.process_id for m in para.registry_mentions}


def _timeline_run(run: list[tuple[ParagraphContext, re.Match]], acronyms: dict[str, str]) \
        -> list[tuple[ParagraphContext, EventMention]]:
    """One event per item of a run long enough whose first item names a process."""
    if len(run) < MIN_TIMELINE_ITEMS or run[0][1].group("acronym") not in acronyms:
        return []
    out, acronym = [], run[0][1].group("acronym")
    for para, m in run:
        acronym = m.group("acronym") if m.group("acronym") in acronyms else acronym
        out.append((para, EventMention(_session_kind(acronyms[acronym]), f"{m.group('number')} {acronym}",
                                       m.start(), m.end(), Dating(int(m.group("year")), None, None, None,
                                                                  "year.timeline"),
                                       located(known_place(m.group("place")), "location.timeline"),
                                       "event.timeline")))
    return out


@lru_cache(maxsize=256)
def _session_kind(process_id: str) -> str:
    """What a numbered session of a process is: a conference of a 'Conference', else a meeting."""
    from extractors.process_registry import registry

    name = next((p.get("name_en") or "" for p in registry() if p["process_id"] == process_id), "")
    return "conference" if re.search(r"\bConference\b", name) else "meeting"


HELD_BEFORE_NAME = re.compile(r"\b(?:se\s+celebr[oó]|se\s+realiz[oó]|se\s+llev[oó]\s+a\s+cabo|tuvo\s+lugar|"
                              r"was\s+held|took\s+place|convened)\s+(?:la|el|the)\s+$", re.I)
HELD_AFTER_NAME = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:which\s+was\s+|que\s+(?:se\s+)?)?" + HELD_VERB.pattern,
                             re.I)


def _process_sessions(para: ParagraphContext, triggers) -> list[EventMention]:
    """An ordinal before a process's full name names one of its sessions: 'the Third South
    American Conference on Migration in Quito', 'the first 5+5 Dialogue on Migration in the
    Western Mediterranean'."""
    doc, dates, text, out = para.doc, para.dates, para.text, []
    for s, e in para.process_spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        inside = [t for t in triggers if s <= t.start_char < e]
        if span is None or len(span) < (2 if inside else 3) or span.start == 0:
            continue
        ordinal = doc[span.start - 1]
        paren = re.match(r"\s*\([^()]{0,60}\)", text[e:])
        dated_in_parens = paren is not None and any(e <= d.start and d.end <= e + paren.end() for d in dates)
        if inside and (HELD_AFTER_NAME.match(text[e:e + HELD_AFTER_NAME_REACH]) or dated_in_parens):
            # "the Bali Ministerial Conference on People Smuggling, … (Bali Conference), convened
            # on 26 to 28 February 2002", "the Labour Migration Ministerial Consultations for
            # Countries of Origin in Asia (1 to 2 April 2003, Colombo)": a process's founding
            # meeting, dated
            when = title_dating(TitleSite(text, dates, e))
            if when.date_start is not None:
                # 'la Tercera Conferencia Regional sobre Migración, celebrada los días …':
                # with an ordinal before it, one numbered session
                first_char = ordinal.idx if is_session_ordinal(ordinal) else s
                title = text[first_char:e]
                out.append(EventMention(inside[-1].label_, title[0].upper() + title[1:], first_char, e, when,
                                        place_after(text, e, dates), "event.process_session"))
                # "convened on 26 to 28 February 2002 and on 28 to 30 April 2003 respectively":
                # one meeting per date
                first = next(d for d in dates if d.date_start == when.date_start and d.start >= e)
                for d in dates_joined_to(text, first, dates):
                    out.append(EventMention(inside[-1].label_, text[s:e], s, e, dating_of(d, "year.joined_date"),
                                            None, "event.process_session"))
            continue
        if inside and HELD_BEFORE_NAME.search(text, 0, s):
            # "El 2 de octubre de 2008 tuvo lugar la Conferencia Sudamericana sobre Migraciones
            # en Montevideo": a held-verb before the name, a date in its sentence
            when = title_dating(TitleSite(text, dates, e, s))
            if when.date_start is not None:
                out.append(EventMention(inside[-1].label_, text[s:e], s, e, when, place_after(text, e, dates),
                                        "event.process_session"))
                continue
        if inside and year_before_title(doc, span.start) is not None:
            # "The 1996 CIS Conference in Geneva adopted a Programme of Action"
            out.append(EventMention(inside[-1].label_, text[s:e], s, e, year_before_title(doc, span.start),
                                    place_after(text, e, dates), "event.process_session"))
            continue
        if not is_session_ordinal(ordinal) or ordinal.text.isdigit():
            continue  # a bare number counts or numbers a slide: '12 RCM member countries', '1 Comisión …'
        kind = inside[-1].label_ if inside else "meeting"
        when = title_dating(TitleSite(text, dates, e, ordinal.idx))
        title = text[ordinal.idx:e]
        out.append(EventMention(kind, title[0].upper() + title[1:], ordinal.idx, e, when,
                                place_after(text, e, dates), "event.process_session"))
    return out


def _trigger_spans(triggers, current) -> list[tuple[int, int]]:
    return [(t.start_char, t.end_char) for t in triggers if t is not current]


def _has_ordinal(doc: Doc, start_char: int) -> bool:
    span = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    return span is not None and bool(INSTANCE_ORDINAL.match(doc[span.start].text))


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
                    kept[kept.index(titled)] = replace(titled, when=m.when, location=titled.location or m.location)
                continue
        kept.append(m)
    return kept


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
    colon = text.find(":", trigger.end_char, trigger.end_char + ITEM_COLON_REACH)
    if colon < 0 or re.search(r"[.;]\s", text[trigger.end_char:colon]) or len(text[trigger.start_char:colon].split()) < 3:
        return None  # "Capacitación coordinada:" names a topic, not an event
    if any(_is_plural(t) for t in triggers if t.start_char < colon):
        return None  # "Training workshops:" heads a list
    date = date_after_held_verb(text, dates, colon, len(text))
    if date is None and trigger.label_ not in TITLED_WITHOUT_DATE:
        return None
    return EventMention(trigger.label_, text[trigger.start_char:colon].strip(), trigger.start_char, colon,
                        dating_of(date, "year.held_verb") if date else UNDATED, None, "event.item_heading")


def _titled_plural(doc: Doc, trigger: Span) -> bool:
    """'the Labour Migration Ministerial Consultations for Countries of Origin in Asia (1 to 2
    April 2003, Colombo)': a plural kind word inside a dated title names one event."""
    s, e = title_span(doc, trigger)
    return s < trigger.start and e > trigger.end and bool(YEAR_IN_PARENS.match(doc_text(doc)[doc[e - 1].idx + len(doc[e - 1]):]))


def _is_plural(trigger: Span) -> bool:
    """'Conferences', 'Talleres': a plural kind word names no single event by itself."""
    return fold(trigger.text) in plural_kind_words()


def _dated_mention(para: ParagraphContext, trigger: Span, kind: str,
                   other_events: list[tuple[int, int]] = ()) -> EventMention | None:
    """An untitled kind word with a date in its sentence: 'la reunión del GRCM, realizada del
    29-31 de octubre de 2002 en Antigua', 'In February 2002, IOM conducted a round table for
    the officials of Kokshetau oblast'. The title is the kind word with what names or
    describes it, or with the body it belongs to ('its 15th meeting', 'una reunión de esta Red
    de Funcionarios de Enlace'); a bare kind word names nothing and is dropped."""
    doc, dates, text = para.doc, para.dates, para.text
    start_tok = premodifier_start(doc, trigger.start)
    owner = _owning_body(para, trigger, start_tok)
    if owner is not None:
        end_tok, body_title = owner
        start, end = doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
        title, rule = text[start:trigger.end_char] + body_title, "event.dated.body"
    else:
        end_tok = complement_end(doc, trigger.end)
        if end_tok == trigger.end:
            end_tok = descriptive_end(doc, trigger.end)
        inside_kinds = kind_tokens(doc)[0]
        if all(i in inside_kinds for i in range(start_tok, end_tok)):
            return None  # "la reunión", "a training seminar": kind words name nothing
        if span_blocker(doc, start_tok, end_tok, "event.dated"):
            return None  # "la reunión de esta red": an event named before
        start, end = doc[start_tok].idx, doc[end_tok - 1].idx + len(doc[end_tok - 1])
        title, rule = text[start:end], "event.dated"
    sentence_end = _sentence_end(text, end)
    date = next((d for d in dates if end <= d.start <= min(end + DATED_TITLE_REACH, sentence_end)), None)
    year_rule = "year.date_after"
    if date is None:
        # 'The first meeting of the Core Group was prepared and chaired by the Labour Ministry …
        # and met in Prague on 14 March 2013', 'un taller sobre …, dedicado a …, realizado
        # en julio': farther, but right after a held verb; not for a meeting that only sets the
        # time ('Since the ECLAC session in Uruguay, activities have taken place …, held in …')
        date = None if TIME_REFERENCE_BEFORE.search(text, max(0, start - TIME_REFERENCE_REACH), start) else next(
            (d for d in dates if end <= d.start <= min(end + HELD_AFTER_REACH, sentence_end)
             and HELD_VERB.search(text, max(end, d.start - HELD_DATE_GAP), d.start)
             and not any(end <= s < d.start for s, _ in other_events)), None)
        year_rule = "year.held_verb"
    if date is None:
        date = earlier_date(text, dates, _sentence_start(text, start), start, other_events)
        year_rule = "year.earlier_in_sentence"
    title = title[0].upper() + title[1:]
    if date is None and not _is_plural(trigger) and (placed := PLACE_AND_YEAR_IN_PARENS.match(text, end)):
        # 'the first ministerial conference in Berlin (1991)', 'a third ministerial conference
        # was held in Prague (1997)': its place, then its year in parentheses
        where = located(placed.group(1) and known_place(placed.group(1)), "location.place_year_parens")
        return EventMention(kind, title, start, end, Dating(int(placed.group(2)), rule_id="year.place_parens"),
                            where or place_after(text, end, dates), rule)
    if date is None:
        # "the second Western Mediterranean meeting was organized in Morocco in 2003": a bare
        # year after a held-verb
        held = HELD_VERB.search(text, end, min(sentence_end, end + HELD_VERB_REACH))
        year = held and bare_year_after(text, held.end(), sentence_end, reach=50, prepositions="en|in")
        if not year:
            return None
        return EventMention(kind, title, start, end, Dating(year, rule_id="year.bare_after_held_verb"),
                            place_after(text, end, dates), rule)
    return EventMention(kind, title, start, end, dating_of(date, year_rule), place_after(text, end, dates), rule)


# a meeting named to say when something else happened ('Since the ECLAC session …, …')
TIME_REFERENCE_BEFORE = re.compile(r"\b(?:since|after|following|before|until|desde|tras|despu[eé]s\s+de|antes\s+de|"
                                   r"hasta)\s+(?:the\s+|la\s+|el\s+|los\s+|las\s+)?$", re.I)
# after an untitled session: a verb or two, 'in'/'en' and a place, then its year in parentheses
PLACE_AND_YEAR_IN_PARENS = re.compile(
    rf",?\s+(?:(?:[^\W\d_]+\s+){{0,2}}(?:in|en)\s+({PLACE_NAME})(?:,\s*{PLACE_NAME})?\s*)?\(\s*((?:19|20)\d{{2}})\s*\)")
HELD_DATE_GAP = 40  # characters from a held verb to the date it introduces ('met in Prague on 14 …')
POSSESSIVES = frozenset("its their su sus".split())
# Demonstratives that point at a body by its name ("esta Red de Funcionarios de Enlace"), with
# the article they stand for.
NAMING_DEMONSTRATIVES = {"this": "the", "that": "the", "said": "the", "este": "el", "ese": "el", "dicho": "el",
                         "esta": "la", "esa": "la", "dicha": "la"}  # (English always links with "of the")


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
    if k + 1 < len(doc) and doc[k].norm_ in NAMING_DEMONSTRATIVES and is_title_word(doc[k + 1]) \
            and not doc[k + 1].like_num:
        owner_start, owner_end = k + 1, complement_end(doc, k + 2)
        article = "the" if english else NAMING_DEMONSTRATIVES[doc[k].norm_]
        mention_end = owner_end
    elif start_tok > 0 and doc[start_tok - 1].norm_ in POSSESSIVES:
        found = name_before(doc, start_tok - 1)
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
    reference = doc[owner_start:min(len(doc), owner_start + OWNER_TOKENS)].text
    owner = fuller_name(para.document.text, para.start + doc[owner_start].idx, owner, reference)
    if english:
        link = f" of {article} " if article else " of "
    else:
        link = {"el": " del ", None: " de "}.get(article, f" de {article} ")
    return mention_end, link + owner


LIST_INTRODUCER = re.compile(r"^,?\s+(?:including|such as|among them|incluyendo|entre ell[oa]s|como)\b:?", re.I)


def _list_start(text: str, pos: int) -> int | None:
    """Where the items of a list introduced by a kind word begin: after a colon soon after it
    ('Seminarios/Talleres …: …'), or after 'including'/'such as' right after it ('meetings,
    including International Cooperation … (December 1997, Manila); …')."""
    colon = text.find(":", pos, pos + LIST_START_REACH)
    if colon >= 0:
        return colon + 1
    m = LIST_INTRODUCER.match(text[pos:pos + LIST_INTRODUCER_CHARS])
    return pos + m.end() if m else None


def _list_after(text: str, pos: int) -> bool:
    """A kind word that introduces a list: a colon (or 'including') soon after, then items
    closing with a year in parentheses: '(1998)', '(December 1997, Manila)'."""
    start = _list_start(text, pos)
    return start is not None and bool(re.search(r"\([^()]{0,40}\b(?:19|20)\d{2}\b[^()]{0,40}\)", text[start:start + LIST_YEARS_REACH]))


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
        location = located(known_place(where.group(1)), "location.item_parens") if where else None
        start = m.start(1) + m.group(1).find(raw)
        item_kind = kind
        first = fold(raw.split()[0])
        for rule in kind_rules():
            if first in [fold(w) for w in rule.get("es", []) + rule.get("en", [])]:
                item_kind = rule["kind"]
        when = Dating(year, inside.date_start if inside else None, inside.date_end if inside else None,
                      inside.precision if inside else None, "year.item_parens" if year else None)
        items.append(EventMention(item_kind, raw, start, start + len(raw), when, location, "event.list_item"))
    return items
