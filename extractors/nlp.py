"""spaCy pieces the rule extractors share: where their data and patterns live, the component
that folds token norms, phrase patterns on folded norms, a Doc's text built once. The
pipeline itself (blank Spanish/English models with span rulers whose patterns are data) is
built in extractors.context, above the modules whose patterns it loads."""
from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.fold import fold

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
