"""Pieces the extractors' rules are built from: the regex of a place's name, and the grammar
loader that builds rule patterns from reusable pieces (the shape of patterns/date_rules.jsonl,
also used by patterns/membership_rules.jsonl). The language kit they share (fold, sentence
splitter, title tests, rule files) is pipeline/nlp."""
from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([a-z0-9]+))?\}")


# the capitalised words a place's name may be ('Santiago de Chile', 'Trinidad and Tobago'): the
# regex piece of every pattern that captures a place for extractors.places.known_place to check
PLACE_NAME = r"[A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+|del\s+|and\s+|y\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,3}"


def expand_pieces(pattern: str, pieces: dict[str, str]) -> str:
    """Replace ``{piece}`` / ``{piece:group}`` by the piece's regex; the piece's ``(?P<@>``
    becomes the named group, or a plain group when no name is asked for. Pieces may use
    other pieces."""
    def sub(m: re.Match[str]) -> str:
        body = expand_pieces(pieces[m.group(1)], pieces)
        return body.replace("(?P<@>", f"(?P<{m.group(2)}>" if m.group(2) else "(?:")
    return _PLACEHOLDER.sub(sub, pattern)
