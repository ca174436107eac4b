"""Text tools the extractors share: the accent fold that keeps offsets, the sentence
splitter, and the grammar loader that builds rule patterns from reusable pieces (the
shape of patterns/date_rules.jsonl, also used by patterns/membership_rules.jsonl)."""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([a-z0-9]+))?\}")


def fold_keeping_offsets(text: str) -> str:
    """Accent-folded copy of ``text`` with the same length (one char per char), so offsets
    found on the folded text are offsets into the original."""
    return "".join(unicodedata.normalize("NFD", ch)[0] for ch in text)


def fold_lower_keeping_offsets(text: str) -> str:
    """``fold_keeping_offsets`` in lower case (a character whose lower case is longer, such
    as 'İ', is kept as it is, so the length never changes)."""
    out = []
    for ch in fold_keeping_offsets(text):
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


# A period ends a sentence unless it closes an abbreviation or an initial: "Dr.", "U.S.",
# "No.", "p." (a capital letter alone before it, or a known short word).
ABBREVIATIONS = frozenset("dr dra sr sra srta mr mrs ms st no nos nº núm num art arts p pp vol ed eds etc "
                          "inc ltd co corp dept gen gov prof rev e.g i.e vs cf op cit fig".split())
_SENTENCE_END = re.compile(r"[.!?;](?=\s+[\"“(¿¡]?[A-ZÁÉÍÓÚÑ0-9])|[.!?](?=\s*$)|\n")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``: from after the previous sentence end to its own end (a
    line break also ends one, as list items and headings stand on their own lines)."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        if not _is_abbreviation(text, m.start()):
            start = m.end()
    end = len(text)
    for m in _SENTENCE_END.finditer(text, pos):
        if not _is_abbreviation(text, m.start()):
            end = m.end()
            break
    return start, end


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
    if not word:
        return False
    w = word.group(1)
    return (len(w) == 1 and w.isupper()) or w.lower().rstrip(".") in ABBREVIATIONS or bool(re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", w))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def expand_pieces(pattern: str, pieces: dict[str, str]) -> str:
    """Replace ``{piece}`` / ``{piece:group}`` by the piece's regex; the piece's ``(?P<@>``
    becomes the named group, or a plain group when no name is asked for. Pieces may use
    other pieces."""
    def sub(m: re.Match[str]) -> str:
        body = expand_pieces(pieces[m.group(1)], pieces)
        return body.replace("(?P<@>", f"(?P<{m.group(2)}>" if m.group(2) else "(?:")
    return _PLACEHOLDER.sub(sub, pattern)
