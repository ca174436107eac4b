"""Titles of events: the words a title is made of, ordinals and session numbers, the token
range of a title around its kind word ('the Second Bali Ministerial Conference on People
Smuggling'), and title comparison across mentions and documents.

The title grammar's parts, the words that stop a title on its left and the closers that end
it on its right are records of patterns/title_grammar.jsonl (id, description, words, examples
and counterexamples). Each step that ends a title notes its id on the Doc
(``title_rules_at``); the ids reach the event row's ``evidence_ids``."""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from extractors.dates import month_names
from extractors.nlp import PATTERNS, doc_text
from pipeline.nlp.fold import fold
from pipeline.nlp.titles import is_title_line, title_similarity
from pipeline.nlp.rule_files import read_records
from pipeline.nlp.words import DETERMINERS, TOPIC_LINKS


TITLE_GRAMMAR = {r["id"]: r for r in read_records(PATTERNS / "title_grammar.jsonl")}


def grammar_words(rule_id: str) -> frozenset[str]:
    """The words of a title grammar record ('title.part.connector': de, of, the, …)."""
    return frozenset(TITLE_GRAMMAR[rule_id]["words"].split())


# Lower-case words that may sit inside a title ("Seminario sobre Migración y Salud").
CONNECTORS = grammar_words("title.part.connector")
# Words that point back to an event already named: "That meeting", "la reunión de esta red",
# "capacitación para esa misma fecha"; such a mention names no new event.
ANAPHORA = frozenset(fold(w) for w in (
    "that this these those such said same "
    "ese esa esos esas este esta estos estas dicho dicha dichos dichas mismo misma aquel aquella").split())
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
MONTH_WORDS = month_names()  # the date grammar's lexicon: a month ends a title


YEAR_TOKEN = re.compile(r"^(?:1[89]|20)\d{2}$")


def is_title_word(token) -> bool:
    if YEAR_TOKEN.match(token.text) or token.norm_ in MONTH_WORDS:
        return False  # a year or month ends a title: "(…) de 1996", "July 2002 Workshop"
    return (token.is_title or token.is_upper and len(token) > 1
            or bool(ORDINALS.match(token.text)) and not (token.is_alpha and token.is_lower)  # 'in the first quarter'
            or token.text.isdigit())


def is_ordinal(word: str) -> bool:
    """'Third', 'Segunda', '4th', 'VII', 'thirty-first', 'Fifteenth'."""
    return bool(ORDINALS.match(word) or INSTANCE_ORDINAL.match(word))


def is_premodifier(token) -> bool:
    """Words that may open a title before its kind word: 'Second Bali Ministerial Conference',
    '38th Regular Session', 'XIII Inter-American Conference'."""
    if is_ordinal(token.text):
        return True
    if token.norm_ in CONNECTORS:
        return False  # the "Y" of "TALLERES Y CAPACITACIÓN" joins, it does not name
    return ((token.is_title or token.is_upper and len(token) > 1)
            and not YEAR_TOKEN.match(token.text) and token.norm_ not in MONTH_WORDS and not token.like_num)


def title_span(doc: Doc, trigger: Span) -> tuple[int, int]:
    """Token range of a title around a capitalised kind word: pre-modifiers (ordinals,
    capitalised words) before it, capitalised words and connectors after it."""
    start = premodifier_start(doc, trigger.start)
    end = complement_end(doc, trigger.end, named=start < trigger.start)
    return start, end


# Words that, like an ordinal, single out one session of a series: "the next Ministerial Consultation"
NEXT_WORDS = frozenset(fold(w) for w in grammar_words("title.part.next_word"))
# Verbs of a headline that come before a title: 'Accra Hosts 3rd Regional Forum …'
HEADLINE_VERBS = frozenset(fold(w) for w in grammar_words("title.start.headline_verb"))


def note_title_rule(doc: Doc, side: str, index: int, rule_id: str) -> None:
    """Note on the Doc why a title starts ('start') or ends ('end') at token index: the
    first step to stop there names it."""
    doc.user_data.setdefault(f"title_{side}s", {}).setdefault(index, rule_id)


def title_rules_at(doc: Doc, start: int, end: int) -> tuple[str, ...]:
    """The grammar ids noted for a title spanning tokens [start, end): what stopped it on the
    left and what closed it on the right (either may be missing: a quoted title, a list item)."""
    return tuple(r for r in (doc.user_data.get("title_starts", {}).get(start),
                             doc.user_data.get("title_ends", {}).get(end)) if r)


def kind_tokens(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """(the token indexes inside the paragraph's kind words, the indexes where one ends),
    computed once per Doc: asked for each kind word, rebuilding them made a paragraph of
    thousands of kind words quadratic (a 0.5 MB line took 70 s)."""
    cached = doc.user_data.get("kind_tokens")
    if cached is None:
        spans = list(doc.spans.get("event_kinds", []))
        cached = (frozenset(i for t in spans for i in range(t.start, t.end)), frozenset(t.end for t in spans))
        doc.user_data["kind_tokens"] = cached
    return cached


def _acronym_in_title(doc: Doc, start: int) -> bool:
    """An acronym in parentheses between capitalised words of one title: '… Dialogue (ADD) Ministerial …'."""
    return (start > 3 and doc[start - 1].text == ")" and doc[start - 3].text == "("
            and ACRONYM_TOKEN.fullmatch(doc[start - 2].text) is not None and is_premodifier(doc[start - 4])
            and is_premodifier(doc[start]))


ACRONYM_TOKEN = re.compile(r"[A-Z][A-Z0-9&]{1,9}")


def premodifier_start(doc: Doc, start: int) -> int:
    """The first token of a title whose kind word starts at token start (see the
    title.start.* and title.part.* records of patterns/title_grammar.jsonl)."""
    start, rule_id, _ = premodifier_start_traced(doc, start)
    note_title_rule(doc, "start", start, rule_id)
    return start


def premodifier_start_traced(doc: Doc, start: int) -> tuple[int, str, list[str]]:
    """premodifier_start, with the id of what stopped the title and the ids of the parts it
    took in, in order (tests/test_title_grammar.py runs the records' examples on it)."""
    kind_start, parts = start, []
    while True:
        if start == 0:
            return start, "title.start.paragraph_start", parts
        if doc[start - 1].text in "().,;:" and not _acronym_in_title(doc, start):
            return start, "title.start.punctuation", parts
        prev = doc[start - 1]
        if prev.text == ")":
            start -= 3  # "the Seventh Abu Dhabi Dialogue (ADD) Ministerial Consultation": an acronym set in
            parts.append("title.part.acronym_parens")
            continue
        if start == kind_start and prev.is_lower and start in kind_tokens(doc)[1]:
            start -= 1  # "a training course", "un taller de capacitación"'s "training": one kind names another
            parts.append("title.part.kind_modifier")
            continue
        if (start == kind_start and prev.is_lower and prev.is_alpha and start > 1 and is_premodifier(doc[start - 2])
                and not doc[start - 2].is_sent_start and prev.norm_ not in CONNECTORS | DETERMINERS | ANAPHORA | STOP_WORDS
                and fold(doc[start - 2].text) not in DETERMINERS | ANAPHORA):
            start -= 1  # "the Caribbean regional seminar": one lower-case adjective after a name
            parts.append("title.part.lowercase_adjective")
            continue
        if (prev.is_lower and prev.is_alpha and start > 2 and doc[start - 2].text == "-"
                and not doc[start - 2].whitespace_ and not doc[start - 3].whitespace_
                and is_premodifier(doc[start - 3])):
            start -= 3  # "Ministerial-level MIDSA meeting", "High-level Dialogue": one hyphenated adjective
            parts.append("title.part.hyphenated_adjective")
            continue
        if prev.text in "-–" and (prev.whitespace_ or doc[start - 2].whitespace_ if start > 1 else True):
            return start, "title.start.spaced_dash", parts  # a label set off the name ("Report - Ninth Regional Conference")
        if prev.text == "-" and start > 1 and (is_premodifier(doc[start - 2]) or doc[start - 2].like_num
                                               and ORDINALS.match(doc[start].text)):
            start -= 2  # "Inter-American", "Ibero-American", "NINETY-FOURTH"
            parts.append("title.part.hyphen_compound")
            continue
        if prev.text in ("'", "’", "'s", "’s") and start > 1 and is_premodifier(doc[start - 2]):
            start -= 2  # "the Centre for Refugee Studies' Summer Course"
            parts.append("title.part.possessive")
            continue
        if (prev.norm_ in ("of", "for", "de", "del", "para") and start > 1 and is_premodifier(doc[start - 2])
                and not doc[start - 2].is_sent_start and start < kind_start):
            start -= 1  # "Centre for Refugee Studies' …": a name inside the pre-modifiers
            parts.append("title.part.name_link")
            continue
        if (prev.is_lower and prev.is_alpha and start - 1 > 0 and INSTANCE_ORDINAL.match(doc[start - 2].text)
                and fold(prev.text) not in CONNECTORS | DETERMINERS | ANAPHORA):
            start -= 1  # "its 110th regular session", "the 38th Regular Session"
            parts.append("title.part.ordinal_lowercase")
            continue
        if prev.norm_ in NEXT_WORDS and start - 1 > 0 and doc[start - 2].norm_ in DETERMINERS:
            start -= 1  # "the next Ministerial Consultation", "la próxima Reunión"
            parts.append("title.part.next_word")
            continue
        if fold(prev.text) in HEADLINE_VERBS:
            return start, "title.start.headline_verb", parts  # 'Accra Hosts 3rd Regional Forum …'
        if fold(prev.text) in DETERMINERS | ANAPHORA:
            return start, "title.start.determiner", parts
        if prev.text.isdigit() and is_ordinal(doc[start].text):
            return start, "title.start.number_before_ordinal", parts  # '7 Fifth … Conference': a note's or item's number
        if is_premodifier(prev):
            if prev.is_sent_start and not ORDINALS.match(prev.text) and not is_title_line(doc_text(doc)):
                return start, "title.start.sentence_start", parts
            start -= 1
            parts.append("title.part.ordinal" if is_ordinal(prev.text) else "title.part.capitalised")
            continue
        return start, "title.start.lowercase_word", parts


def _starts_a_date(doc: Doc, k: int) -> bool:
    """A day number followed by a month ('1 April', '15 de mayo'), or a connector before one."""
    if k < len(doc) and doc[k].norm_ in CONNECTORS:
        k += 1
    return k + 1 < len(doc) and doc[k].like_num and (doc[k + 1].norm_ in MONTH_WORDS or doc[k + 1].norm_ == "de"
                                                      and k + 2 < len(doc) and doc[k + 2].norm_ in MONTH_WORDS)


def complement_end(doc: Doc, end: int, named: bool = False) -> int:
    """Extend a title after its kind word through capitalised words and connectors (see the
    title.end.* and title.part.* records of patterns/title_grammar.jsonl)."""
    end, rule_id, _ = complement_end_traced(doc, end, named)
    note_title_rule(doc, "end", end, rule_id)
    return end


def complement_end_traced(doc: Doc, end: int, named: bool = False) -> tuple[int, str, list[str]]:
    """complement_end, with the id of what closed the title and the ids of the parts it took
    in, in order; connectors and dashes it ends on are given back. ``named``: words before
    the kind word already name the event ('XXV Reunión …', 'Senior Officials' Meeting'), so
    a place right after the kind word is where it met, not its name ('the Meeting in
    Budapest' is a name)."""
    first = end
    end, rule_id, parts = _complement_end(doc, end, named)
    while end > first and (doc[end - 1].norm_ in CONNECTORS or doc[end - 1].text in "-–/&"):
        end -= 1
    return end, rule_id, parts


def _complement_end(doc: Doc, end: int, named: bool = False) -> tuple[int, str, list[str]]:
    first, parts = end, []
    while True:
        if end >= len(doc):
            return end, "title.end.paragraph_end", parts
        tok = doc[end]
        if tok.text in ("(", ")", ",", ";", ".", ":", "”", "\"", "»") or tok.is_space:
            return end, "title.end.punctuation", parts
        if _starts_a_date(doc, end):
            return end, "title.end.date", parts  # "… Senior Officials' Meeting on 1 April": a day number opens the date
        if YEAR_TOKEN.match(tok.text) and end + 1 < len(doc) and doc[end + 1].is_title \
                and fold(doc[end + 1].text) in DETERMINERS | PRONOUNS:
            return end, "title.end.heading_run_in", parts  # "1. Youth Consultation 2008 The DEC is …"
        if YEAR_TOKEN.match(tok.text) or tok.norm_ in MONTH_WORDS:
            return end, "title.end.year_or_month", parts  # "(…) de 1996", "Workshop 2007 in Accra"
        if tok.text == "+" and end > first and not doc[end - 1].whitespace_ and not tok.whitespace_ \
                and doc[end - 1].like_num and end + 1 < len(doc) and doc[end + 1].like_num:
            end += 2  # 'Diálogo 5+5 sobre Migración': a number joined by '+' is one word of the name
            parts.append("title.part.joined_number")
        elif is_title_word(tok) or tok.text in "-–/&'’":
            end += 1
            parts.append("title.part.capitalised")
            if tok.text == "-" and not tok.whitespace_ and not doc[end - 2].whitespace_ and end < len(doc) \
                    and doc[end].is_alpha:
                end += 1  # 'Pre-departure', 'Follow-up': a hyphenated word is one word, whatever its case
                parts[-1] = "title.part.hyphenated_word"
        elif tok.norm_ in ("de", "of") and end + 1 < len(doc) and YEAR_TOKEN.match(doc[end + 1].text) \
                and _title_resumes(doc, end + 2):
            parts.append("title.part.year_in_name")
            end += 2  # "de la Convención de las Naciones Unidas de 1990 sobre la Protección de …":
            #           the year belongs to a name inside the title, not to the event
        elif tok.norm_ in CONNECTORS and (end - first >= 2 or named) and city_follows(doc, end):
            return end, "title.end.place_phrase", parts  # "… Meeting on Migration in Kampala" ("Meeting in Budapest" stays)
        elif tok.norm_ in CONNECTORS and end + 1 < len(doc) and (
                is_title_word(doc[end + 1]) or doc[end + 1].norm_ in CONNECTORS):
            end += 1
            parts.append("title.part.connector")
        elif tok.norm_ in CONNECTORS and end + 1 < len(doc) and (YEAR_TOKEN.match(doc[end + 1].text)
                                                                  or doc[end + 1].norm_ in MONTH_WORDS):
            return end, "title.end.year_or_month", parts  # "Conferencia … de 1996", "Meeting of May 2004"
        else:
            return end, "title.end.lowercase_word", parts


LOCATIVES = grammar_words("title.end.place_phrase")
# words after which a descriptor's complement is about something else: 'ahead of the summit'
CLOSERS = frozenset(fold(w) for w in grammar_words("title.end.closer_word"))


def city_follows(doc: Doc, k: int) -> bool:
    """Token k is 'in'/'en'/'at' and a known city (not a country: 'Workshop on Migration in
    Mexico' may be its topic) follows it, one to three capitalised words."""
    from extractors.places import known_city

    if doc[k].norm_ not in LOCATIVES:
        return False
    i = k + 2 if k + 1 < len(doc) and doc[k + 1].text in CITY_ARTICLES else k + 1  # 'en la Ciudad de México'
    words = []
    for tok in doc[i:i + 4]:
        if tok.is_title or tok.is_upper:
            words.append(tok.text)
        elif tok.norm_ in ("de", "del") and words:
            words.append(tok.text)  # 'Ciudad de Guatemala'
        else:
            break
    while words and words[-1].lower() in ("de", "del"):
        words.pop()
    if not words:
        return False
    place = known_city(" ".join(words))
    return bool(place) and words[0] == place.split()[0]


CITY_ARTICLES = frozenset(("la", "el", "the"))  # lower case before a city's name: 'en la Antigua Guatemala' ('The Hague' is the name)



def _title_resumes(doc: Doc, k: int) -> bool:
    """Connectors from token k on, then a title word: "… de 1990 sobre la Protección"."""
    if k >= len(doc) or doc[k].norm_ not in CONNECTORS:
        return False
    while k < len(doc) and doc[k].norm_ in CONNECTORS:
        k += 1
    return k < len(doc) and is_title_word(doc[k])


WORD = re.compile(r"[^\W\d_][\w\-’']*")


def title_case_share(text: str) -> float:
    """Share of the words of 4+ letters that are capitalised (0 without such words): a title
    ('A World in Motion and its Impact on Women') has most, a sentence few."""
    words = [w for w in WORD.findall(text) if len(w) >= 4]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def coordinated_titles(title: str, kind_word: str) -> list[tuple[int, int]]:
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


def is_session_ordinal(token) -> bool:
    """'Third', '4th', 'VII' before a process name; an upper-case word other than a Roman
    numeral is an acronym, not an ordinal."""
    if token.is_upper and len(token) > 1:
        return bool(re.fullmatch(r"[IVXL]+", token.text))
    return is_ordinal(token.text)


def similar_titles(a: str, b: str, threshold: float = 80) -> bool:
    """Titles of one event; titles numbered differently never are ('XIII Inter-American
    Conference of Ministers of Labor' and '18th Inter-American Conference')."""
    na, nb = ordinal_value(a), ordinal_value(b)
    if na is not None and nb is not None and na != nb:
        return False
    return title_similarity(a, b) >= threshold


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
    from pipeline.nlp.lexicon import registry_acronyms

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


STOP_WORDS = frozenset(fold(w) for w in grammar_words("title.end.verb_or_relative"))
# a Spanish adjective after a kind word that says what kind of meeting it was (lower case;
# not a participle: 'una reunión celebrada en …' is no title)
POSTNOMINAL_ADJECTIVE = re.compile(r"(?:[a-záéíóúñ]{3,}(?:ori[oa]|iv[oa]|ari[oa])|[a-záéíóúñ]*(?:[ée]cnic[oa]|ministerial|"
                                   r"regional|virtual))(?:s|es)?")


def _singled_out(doc: Doc, end: int) -> bool:
    """The kind word ending at token end has an article, a demonstrative or an ordinal before
    it ('una reunión técnica', 'la segunda reunión'), not a bare noun ('mecanismos de consulta
    regional' names a kind of thing, not one meeting)."""
    inside, k = kind_tokens(doc)[0], end - 1
    while k - 1 in inside:
        k -= 1
    return k > 0 and (fold(doc[k - 1].text) in DETERMINERS | ANAPHORA or is_ordinal(doc[k - 1].text))


def descriptive_end(doc: Doc, end: int, limit: int = 14) -> int:
    """'a round table for the officials of Kokshetau oblast', 'taller para desarrollar un plan
    de trabajo regional': a lower-case complement introduced by on/for/sobre/para/de, up to
    punctuation, a verb, or a date."""
    if end < len(doc) and POSTNOMINAL_ADJECTIVE.fullmatch(doc[end].text) and _singled_out(doc, end):
        # 'una reunión exploratoria', 'una reunión técnica'; 'un taller regional sobre niñez migrante'
        longer = descriptive_end(doc, end + 1, limit)
        if longer == end + 1:
            note_title_rule(doc, "end", end + 1, "title.part.postnominal_adjective")
        return longer
    if end >= len(doc) or doc[end].norm_ not in TOPIC_LINKS:
        return end
    k, rule_id = _descriptive_end(doc, end, limit)
    while k > end and (doc[k - 1].norm_ in CONNECTORS or doc[k - 1].norm_ in DETERMINERS):
        k -= 1
    if k - end < 2:
        return end
    note_title_rule(doc, "end", k, rule_id)
    return k


def _descriptive_end(doc: Doc, end: int, limit: int) -> tuple[int, str]:
    k = end
    while k < len(doc):
        if k - end >= limit:
            return k, "title.end.length_limit"
        tok = doc[k]
        if tok.is_punct or tok.is_space:
            return k, "title.end.punctuation"
        if tok.norm_ in STOP_WORDS:
            return k, "title.end.verb_or_relative"
        if tok.norm_ in MONTH_WORDS or tok.like_num or tok.norm_ in ("in", "en", "on", "el") and k + 1 < len(doc) and (
                doc[k + 1].norm_ in MONTH_WORDS or doc[k + 1].like_num):
            return k, "title.end.date"
        if fold(tok.text) in CLOSERS:
            return k, "title.end.closer_word"  # "… meeting on migration ahead of the summit"
        if city_follows(doc, k):
            return k, "title.end.place_phrase"  # "… meeting on migration in Kampala"
        k += 1
    return k, "title.end.paragraph_end"
PRONOUNS = frozenset(fold(w) for w in "it they this these that those he she we ella ellos ellas él este esta".split())


def name_before(doc: Doc, k: int, reach: int = 12) -> tuple[int, int] | None:
    """Token range of the nearest name before token k in its sentence: an acronym in
    parentheses ('(IACML)') or a capitalised name ('La Red de Funcionarios de Enlace celebró
    su reunión' → 'Red de Funcionarios de Enlace'; 'La Red de funcionarios de enlace recomendó
    … durante su reunión' → 'Red', completed later from the document)."""
    for j in range(k - 1, max(-1, k - 1 - reach), -1):
        tok = doc[j]
        if tok.text in ".;:!?":
            return None
        if not is_title_word(tok) or tok.like_num or tok.norm_ in MONTH_WORDS:
            continue
        if opens_sentence(doc, j) and (tok.norm_ in PRONOUNS | DETERMINERS | CONNECTORS or fold(tok.text) in CLOSERS):
            return None  # "It held its …", "The …", "During its 4th meeting …"
        if j > 0 and doc[j - 1].text == "(" and j + 1 < len(doc) and doc[j + 1].text == ")":
            return j, j + 1  # "… of Labor (IACML), which held its 15th meeting"
        start = j
        while start > 0:
            prev = doc[start - 1]
            if opens_sentence(doc, start - 1) and prev.norm_ in PRONOUNS | DETERMINERS:
                break
            if is_title_word(prev) or prev.text == "-":
                start -= 1
            elif prev.norm_ in CONNECTORS - DETERMINERS and start > 1 and is_title_word(doc[start - 2]) \
                    and not opens_sentence(doc, start - 2):
                start -= 1  # "Red de | Funcionarios de | Enlace"
            else:
                break
        return start, complement_end(doc, j + 1)
    return None


def opens_sentence(doc: Doc, i: int) -> bool:
    # the blank pipelines set no sentence boundaries: a token after closing punctuation
    return i == 0 or doc[i - 1].text in (".", ";", "!", "?", ":") or "\n" in doc[i - 1].whitespace_ + doc[i - 1].text


FULL_NAME_REACH = 20_000  # chars back where a body's full name is looked for (a few pages)
# The continuation of a capitalised name: "… de Funcionarios de Enlace para el Intercambio …"
NAME_TAIL = re.compile(r"(?:[ \t]+(?:(?:de|del|la|las|los|el|y|e|para|al|sobre|en|of|the|and|for|on|in|to)[ \t]+)*"
                       r"[A-ZÁÉÍÓÚÑ][\w\-’']*)*")


def fuller_name(text: str, before: int, owner: str, reference: str) -> str:
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


def coordinated_ordinals(doc: Doc, k: int) -> list[int]:
    """Token indices of the ordinals coordinated right before token k: 'la Primera, Segunda,
    Tercera y Cuarta Conferencias' → the four; 'the first and second meetings' → two; fewer
    than two → []."""
    found = []
    j = k - 1
    while j >= 0 and is_session_ordinal(doc[j]):
        found.insert(0, j)
        if j >= 1 and doc[j - 1].norm_ in (",", "y", "e", "and", "&"):
            j -= 2
            if j >= 0 and doc[j].text == "," and doc[j + 1].norm_ in ("y", "e", "and"):
                j -= 1  # 'First, Second, and Third'
        else:
            break
    return found if len(found) >= 2 else []


def singular_title(title: str, lang: str) -> str:
    """The title of one of the sessions a plural title names: 'Conferencias Sudamericanas
    sobre Migraciones' → 'Conferencia Sudamericana sobre Migraciones', 'Reuniones Regionales'
    → 'Reunión Regional', 'Ministerial Conferences' → 'Ministerial Conference', 'conferences
    of ministers …' → 'conference of ministers …'. Words up to the first joining word change
    (in English only the plural kind word)."""
    words = title.split(" ")
    for i, word in enumerate(words):
        folded = fold(word)
        if folded in CONNECTORS or not word.isalpha():
            break
        if lang == "es":
            words[i] = _spanish_singular(word)
        elif folded in plural_kind_words():
            words[i] = _english_singular(word)
    return " ".join(words)


def _spanish_singular(word: str) -> str:
    low = word.lower()
    if low.endswith("ones"):
        return word[:-4] + ("ÓN" if word.isupper() else "ón")  # reuniones → reunión
    if low.endswith("es") and len(low) > 4 and low[-3] in "lrnd":
        return word[:-2]  # regionales → regional
    return word[:-1] if low.endswith("s") and len(low) > 3 else word


def _english_singular(word: str) -> str:
    low = word.lower()
    if low.endswith("ies"):
        return word[:-3] + ("Y" if word.isupper() else "y")
    if low.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if low.endswith("s") else word


@lru_cache(maxsize=1)
def kind_rules() -> list[dict]:
    """The kinds of event and their words in both languages (patterns/event_kinds.jsonl)."""
    return read_records(PATTERNS / "event_kinds.jsonl")


@lru_cache(maxsize=1)
def plural_kind_words() -> frozenset[str]:
    words = {fold(w) for rule in kind_rules() for w in rule.get("es", []) + rule.get("en", [])}
    return frozenset(w for w in words if w.endswith("s") and (w[:-1] in words or w[:-2] in words))
