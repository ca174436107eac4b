"""spaCy pipelines for the rule extractors: blank Spanish/English models (no statistical
model can be downloaded here), a component that folds token norms, and span rulers whose
patterns are data (JSONL with stable ids)."""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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


def fold(text: str) -> str:
    """Lower case without accents: the form patterns and text are matched in."""
    return _fold_word(text) if len(text) <= 40 else _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    # cached for words only: fold runs on every token, and a report repeats its words
    return _fold(word)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


@Language.component("norm_folding")
def norm_folding(doc: Doc) -> Doc:
    # Placed before the rulers, so NORM patterns see "migracion" for "Migración"/"MIGRACIÓN".
    for token in doc:
        token.norm_ = fold(token.text)
    return doc


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def phrase_to_pattern(nlp: Language, phrase: str) -> list[dict]:
    """A phrase → token pattern on folded norms, tokenised by the language's own tokenizer."""
    return [{"NORM": fold(token.text)} for token in nlp.make_doc(phrase)]


@lru_cache(maxsize=4)
def pipeline_for(lang: str) -> Language:
    """The rule pipeline of one language ('es' or 'en'); built once per process."""
    from extractors import events, processes

    nlp = spacy.blank(lang if lang in ("es", "en") else "en")
    nlp.add_pipe("norm_folding")
    for key, patterns in (
        ("processes", processes.patterns(nlp)),
        ("event_kinds", events.patterns(nlp, lang)),
    ):
        ruler = nlp.add_pipe("span_ruler", name=f"ruler_{key}", config={"spans_key": key, "validate": True})
        ruler.add_patterns(patterns)
    return nlp
