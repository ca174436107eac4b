"""The one accent fold, and its forms that keep a text's offsets."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from pipeline.nlp.caches import per_document


# letters that carry no combining mark to drop but are the same letter to a reader
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"})


def fold(text: str) -> str:
    """The one accent fold: lower case (casefold), compatibility forms and accents removed,
    a few letters spelt plain ('Migración' → 'migracion', 'Nº' → 'no', 'Øresund' →
    'oresund'). Patterns and text are compared in this form."""
    return _fold_word(text) if len(text) <= 40 else _fold(text)


@lru_cache(maxsize=1 << 16)
def _fold_word(word: str) -> str:
    # cached for words only: fold runs on every token, and a report repeats its words
    return _fold(word)


class _CombiningMarks(dict):
    """code point → '' for a combining mark, else the character: a ``str.translate`` table
    that drops the marks in one C-level pass (a generator over the characters of every
    long text took 2% of a report's time), filled as characters are first seen."""

    def __missing__(self, code: int) -> str:
        character = chr(code)
        self[code] = kept = "" if unicodedata.combining(character) else character
        return kept


_WITHOUT_COMBINING_MARKS = _CombiningMarks()


def _fold(text: str) -> str:
    if text.isascii():  # no accent, no compatibility form: casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", decomposed.translate(_WITHOUT_COMBINING_MARKS).translate(_LETTERS))


def fold_each(texts) -> set[str]:
    """fold for many one-off strings (a gazetteer's names), past the word cache, which they
    would only flush."""
    return {_fold(text) for text in texts}


def strip_accents(text: str) -> str:
    """Accents removed, case kept ('Migración' → 'Migracion')."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


class _CharFolds(dict):
    """code point → its one-character fold, computed the first time a character is seen (a
    ``str.translate`` table: folding a text is then one C-level pass)."""

    def __init__(self, lower: bool):
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFD", chr(code))[0]
        if self.lower:
            low = folded.lower()
            folded = low if len(low) == 1 else folded
        self[code] = folded
        return folded


_FOLDS, _LOWER_FOLDS = _CharFolds(lower=False), _CharFolds(lower=True)


def fold_keeping_offsets(text: str) -> str:
    """Accent-folded copy of ``text`` with the same length (one char per char), so offsets
    found on the folded text are offsets into the original."""
    return text if text.isascii() else text.translate(_FOLDS)


# the extractors fold the same paragraph (or a slice of it) for rule after rule: a
# report's paragraph came here five times on average, each a full translate
DEFAULT_FOLDED_TEXTS_CACHED = 1024


@per_document(maxsize=DEFAULT_FOLDED_TEXTS_CACHED)
def fold_lower_keeping_offsets(text: str) -> str:
    """``fold_keeping_offsets`` in lower case (a character whose lower case is longer, such
    as 'İ', is kept as it is, so the length never changes)."""
    return text.lower() if text.isascii() else text.translate(_LOWER_FOLDS)
