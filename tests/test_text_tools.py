"""The text tools every extractor shares: the title-line test and the document context."""
import dataclasses

import pytest

from extractors.context import document_context
from pipeline.nlp.titles import is_title_line
from tests.test_extractors import paragraphs_of

TITLE_LINES = [
    "Seminar on Return, Readmission and Reintegration",
    "IX CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES",
    "3rd Ministerial Conference",
    "Taller Regional sobre Protección de Niñas, Niños y Adolescentes Migrantes",
    "  Reunión Preparatoria de la Octava Conferencia  ",
]
NOT_TITLE_LINES = [
    "The Conference met in Quito.",                        # a sentence
    "Los países miembros de la Conferencia son:",          # an introducer
    "Third Ministerial Conference\nDate: 12 May 2005",     # two lines: a title over a field line
    "La Conferencia Regional sobre Migración, que reúne a once países de América del Norte, Central y "
    "el Caribe, celebró su reunión viceministerial en Panamá",  # too long for a title
    "   ",
]


@pytest.mark.parametrize("line", TITLE_LINES)
def test_a_title_line(line):
    assert is_title_line(line)


@pytest.mark.parametrize("line", NOT_TITLE_LINES)
def test_not_a_title_line(line):
    assert not is_title_line(line)


def _context(text, lang="en", year=None):
    return document_context("t", text, paragraphs_of(text, lang), lambda _: 1, year)


def test_the_context_knows_the_documents_process_and_finds_each_paragraphs_facts_once():
    text = ("The Puebla Process met in May 2004.\n\n"
            "The Regional Conference on Migration adopted a plan of action.\n\n"
            "Mexico and Canada took part in the Puebla Process meeting of 12 June.")
    context = _context(text, year=2004)
    assert context.main_process == context.sole_process == context.dominant_process == "rcm"
    first, _, last = context.paragraphs
    assert [m.process_id for m in first.mentions] == ["rcm"]
    assert first.dates[0].date_start == "2004-05"
    # a date without its year takes the last year stated above it
    assert last.dates[0].date_start == "2004-06-12"
    assert {n.text for n in last.names} >= {"Mexico", "Canada"}
    assert last.start == text.index("Mexico") and last.document is context
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.year = 2005


def test_two_processes_named_alike_leave_the_document_without_a_process_of_its_own():
    text = ("The Puebla Process met in May 2004.\n\n"
            "The Bali Process met in April 2004.\n\n"
            "Ministers agreed to meet again.")
    context = _context(text)
    assert context.sole_process is None and context.dominant_process is None
    assert context.main_process in ("rcm", "bali_process")


@pytest.mark.parametrize("text, pos, sentence", [
    # bug: the period of an initialism before a parenthesis ended the sentence, so the date
    # in the parenthesis no longer dated the meeting
    ("La reunión se llevó a cabo en Washington, D.C. (marzo de 2000). Luego",
     0, "La reunión se llevó a cabo en Washington, D.C. (marzo de 2000)."),
    ("The office moved to Washington, D.C. The Conference met later.", 0, "The office moved to Washington, D.C."),
])
def test_an_initialism_ends_a_sentence_only_before_a_new_one(text, pos, sentence):
    from pipeline.nlp.sentences import sentence_bounds

    start, end = sentence_bounds(text, pos)
    assert text[start:end] == sentence


def test_sentence_start_is_the_scan_up_to_the_position():
    """sentence_start looks its answer up in the starts found once per text (issue 33): at
    every word of the seed reports' paragraphs it is what a scan of the text up to the
    word gives (the look-ahead seeing one character past it, as before)."""
    import re

    from pipeline.nlp.sentences import SENTENCE_START, ends_sentence, sentence_start
    from tests.conftest import RAW

    def scanned(text, pos):
        starts = [m.end() for m in SENTENCE_START.finditer(text, 0, min(len(text), pos + 1))
                  if m.end() <= pos and ends_sentence(text, m.start())]
        return starts[-1] if starts else 0

    checked = 0
    for path in sorted(RAW.glob("*.txt")):
        for paragraph in path.read_text(encoding="utf-8").split("\n\n")[:40]:
            for m in re.finditer(r"\w+", paragraph):
                assert sentence_start(paragraph, m.start()) == scanned(paragraph, m.start())
                checked += sentence_start(paragraph, m.start()) > 0
    assert checked > 1000


def test_a_degree_sign_ordinal_numbers_a_session():
    # bug: '10°' was split into '10' and '°', so 'la 10° Conferencia …' had no ordinal
    from extractors import extract_document

    text = "La 10° Conferencia Regional sobre Migración se llevó a cabo en Vancouver en abril de 2005."
    rows = extract_document("t", text, paragraphs_of(text, "es"), lambda _: 1, None)["events"]
    assert [(r["session_number"], r["year"]) for r in rows] == [(10, 2005)]


def test_plain_word_frequencies_are_wordfreqs_own():
    """repair looks a plain word's frequency up in wordfreq's list instead of through its
    tokenizer: the same Zipf figure for known words, near misses and unknown ones."""
    from wordfreq import get_frequency_dict, zipf_frequency

    from pipeline.nlp.lexicon import PLAIN_WORD, plain_word_zipf

    for lang in ("es", "en"):
        words = [w for w in get_frequency_dict(lang, "best") if PLAIN_WORD.fullmatch(w)][::97]
        assert len(words) > 1000
        for word in words + [w + "q" for w in words[:500]] + ["migracion", "migración", "nifios", "zzqq"]:
            assert plain_word_zipf(word, lang) == zipf_frequency(word, lang), (lang, word)


def test_phrase_patterns_find_what_the_token_patterns_found():
    """The rulers' plain norm sequences run as phrases (PhraseMatcher on NORM, issue 33):
    on the seed reports they find the very spans, labels and ids the token patterns found."""
    import spacy

    from extractors import events, processes
    from extractors.nlp import as_phrase_patterns
    from tests.conftest import RAW

    paragraphs = [p for path in sorted(RAW.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")
                  if p.strip()]

    def spans(as_phrases: bool, lang: str):
        nlp = spacy.blank(lang)
        nlp.add_pipe("norm_folding")
        for key, patterns in (("processes", processes.patterns(nlp)), ("event_kinds", events.patterns(nlp, lang))):
            config = {"spans_key": key, "phrase_matcher_attr": "NORM"} if as_phrases else {"spans_key": key}
            ruler = nlp.add_pipe("span_ruler", name=key, config=config)
            ruler.add_patterns(as_phrase_patterns(nlp, patterns) if as_phrases else patterns)
            if as_phrases:
                assert sum(isinstance(p["pattern"], str) for p in ruler.patterns) > 0.8 * len(patterns)
        return [[(k, s.start, s.end, s.label_, s.id_) for k in ("processes", "event_kinds") for s in doc.spans[k]]
                for doc in nlp.pipe(paragraphs)]

    for lang in ("es", "en"):
        found = spans(False, lang)
        assert sum(map(len, found)) > 100
        assert spans(True, lang) == found


def test_rule_spans_give_the_spans_the_span_ruler_gave():
    """The rule patterns run in extractors.nlp.RuleSpans, not spaCy's span ruler (issue 33):
    phrases in a PhraseMatcher over NORM, exact ORTH sequences (acronyms: 'CRM', 'IGAD RCP')
    in one over ORTH, the others ('<Title> Process') in a Matcher opened by the values they
    need. The pipeline's span groups are the ones span rulers holding the same patterns
    give, on the seed reports and on sentences where each gated pattern matches."""
    from extractors import events, processes
    from extractors.context import pipeline_for
    from extractors.nlp import as_phrase_patterns, is_orth_sequence
    from tests.conftest import RAW

    paragraphs = [p for path in sorted(RAW.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")
                  if p.strip()] + ["La CRM, el IGAD RCP y MIDSA; la crm no.", "IGAD-RCP and the RCM met.",
                                   "El Proceso de Quito y el Diálogo sobre Migración para el Desarrollo.",
                                   "The Almaty Process, the Migration Dialogue for Southern Africa and the "
                                   "Intergovernmental Asia-Pacific Regional Consultations on Refugees met.", "", "—"]
    keys = ("processes", "event_kinds")
    for lang in ("es", "en"):
        fast = pipeline_for(lang)
        assert [f"spans_{key}" for key in keys] == fast.pipe_names[1:]
        reference = pipeline_for.__wrapped__(lang)
        for key, patterns in (("processes", processes.patterns(reference)), ("event_kinds", events.patterns(reference, lang))):
            reference.remove_pipe(f"spans_{key}")
            ruler = reference.add_pipe("span_ruler", name=f"ruler_{key}",
                                       config={"spans_key": key, "validate": True, "phrase_matcher_attr": "NORM"})
            patterns = as_phrase_patterns(reference, patterns)
            ruler.add_patterns(patterns)
            if key == "processes":
                assert sum(is_orth_sequence(p["pattern"]) for p in patterns) >= 20
                assert sum(isinstance(p["pattern"], list) and not is_orth_sequence(p["pattern"]) for p in patterns) >= 5

        def spans(nlp):
            docs = [nlp(p) for p in paragraphs]
            return [[(key, s.start, s.end, s.label_, s.id_) for key in keys for s in doc.spans[key]] for doc in docs]

        found = spans(reference)
        assert sum(map(len, found)) > 100
        assert sum(s[3] == "DISCOVERED" for doc in found for s in doc) >= 4
        assert spans(fast) == found


def test_the_fold_of_a_long_text_is_the_fold_of_its_characters_marks_dropped():
    """issue 33: long texts drop their combining marks with one translate table; the fold is
    still casefold, NFKD, every combining mark dropped, the plain-letter table, NFC, over the
    Latin, Greek and Cyrillic blocks, compatibility forms and stacked marks."""
    import unicodedata

    from pipeline.nlp.fold import _LETTERS, fold

    def reference(text: str) -> str:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        return unicodedata.normalize("NFC", kept.translate(_LETTERS))

    text = "".join(chr(c) for c in range(0xA0, 0x530)) + " Øresund Nº ﬁ İstanbul ǅ ẞ e\u0301\u0323x Migración"
    assert len(text) > 40 and fold(text) == reference(text)
    assert fold("Conferencia Regional sobre Migración, Niños y Señoras — Øresund") == \
        "conferencia regional sobre migracion, ninos y senoras — oresund"
