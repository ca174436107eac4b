"""Caches of what a document's own texts give (its paragraphs, lines, windows), kept for
one document.

The stages and extractors ask the same question of the same paragraph many times (its
fold, its sentence starts, its function words, the evidence in a window), so the answers
are cached. A cache keyed by a text, not a word, must not outlive the document: another
document only hits it when it repeats the text, which real reports seldom do and the
benchmark's copies of the seed always do (kept across documents, these caches made the
benchmark's text run 12% faster than a corpus of distinct reports would be, issue 33).
``start_document`` empties them; the document stage calls it first. Word-keyed caches
(word frequencies, folds of words) stay process-wide: every report shares a vocabulary.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, TypeVar

F = TypeVar("F", bound=Callable)

_PER_DOCUMENT: list = []


def per_document(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` emptied by ``start_document``: for a pure function of
    a document's texts."""
    def wrap(function: F) -> F:
        cached = lru_cache(maxsize=maxsize)(function)
        _PER_DOCUMENT.append(cached)
        return cached  # type: ignore[return-value]
    return wrap


def start_document() -> None:
    """Forget the answers cached for the previous document's texts."""
    for cached in _PER_DOCUMENT:
        cached.cache_clear()
