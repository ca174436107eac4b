"""spaCy pipelines for the rule extractors: blank Spanish/English models (no statistical
model can be downloaded here), a component that folds token norms, and span rulers whose
patterns are data (JSONL with stable ids)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.text import fold

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PATTERNS = HERE / "patterns"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token again on each access, and the rules
    read a paragraph's text many times (a fifth of extraction time went to that)."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


@Language.component("norm_folding")
def norm_folding(doc: Doc) -> Doc:
    # Placed before the rulers, so NORM patterns see "migracion" for "Migración"/"MIGRACIÓN".
    for token in doc:
        token.norm_ = fold(token.text)
    return doc


def phrase_to_pattern(nlp: Language, phrase: str) -> list[dict]:
    """A phrase → token pattern on folded norms, tokenised by the language's own tokenizer."""
    return [{"NORM": fold(token.text)} for token in nlp.make_doc(phrase)]


DEFAULT_MAX_PARAGRAPH_CHARS = 50_000_000


@lru_cache(maxsize=4)
def pipeline_for(lang: str) -> Language:
    """The rule pipeline of one language ('es' or 'en'); built once per process."""
    from extractors import events, processes

    nlp = spacy.blank(lang if lang in ("es", "en") else "en")
    # max_length guards the memory of a parser or NER, which this pipeline has none of: a
    # paragraph of a million characters (one unbroken line) is tokenized, not refused
    nlp.max_length = DEFAULT_MAX_PARAGRAPH_CHARS
    # '10°', '3º' are ordinals ('la 10° Conferencia'), one token as '1ª' and '4th' are; the
    # tokenizer would split the sign off as a unit
    for n in range(1, 200):
        for sign in "°º":
            nlp.tokenizer.add_special_case(f"{n}{sign}", [{"ORTH": f"{n}{sign}"}])
    nlp.add_pipe("norm_folding")
    for key, patterns in (
        ("processes", processes.patterns(nlp)),
        ("event_kinds", events.patterns(nlp, lang)),
    ):
        ruler = nlp.add_pipe("span_ruler", name=f"ruler_{key}", config={"spans_key": key, "validate": True})
        ruler.add_patterns(patterns)
    return nlp
