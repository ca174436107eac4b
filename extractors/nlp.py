"""spaCy pieces the rule extractors share: where their data and patterns live, the component
that folds token norms, phrase patterns on folded norms, a Doc's text built once. The
pipeline itself (blank Spanish/English models with span rulers whose patterns are data) is
built in extractors.context, above the modules whose patterns it loads."""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.fold import fold
from pipeline.output.tables import mention_span

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


def as_phrase_patterns(nlp: Language, patterns: list[dict]) -> list[dict]:
    """Span ruler patterns with each plain sequence of folded norms written as a phrase,
    which the ruler's PhraseMatcher (``phrase_matcher_attr="NORM"``) finds far faster than
    its Matcher walks token patterns. A sequence becomes a phrase only when the phrase
    tokenises back to exactly those norms, so the two find the same spans."""
    out = []
    for entry in patterns:
        tokens = entry["pattern"]
        if isinstance(tokens, list) and tokens and all(set(t) == {"NORM"} and isinstance(t["NORM"], str) for t in tokens):
            phrase = " ".join(t["NORM"] for t in tokens)
            if phrase_to_pattern(nlp, phrase) == tokens:
                entry = {**entry, "pattern": phrase}
        out.append(entry)
    return out


def with_first_span(spans, start: int, end: int) -> list[str]:
    """A row's mentions with its own (char_start-char_end) first, each once."""
    first = mention_span(start, end)
    return [first, *dict.fromkeys(s for s in spans if s != first)]
