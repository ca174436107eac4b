"""Text tools the extractors share: the accent fold that keeps offsets, the sentence
splitter, and the grammar loader that builds rule patterns from reusable pieces (the
shape of patterns/date_rules.jsonl, also used by patterns/membership_rules.jsonl)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([a-z0-9]+))?\}")


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


def _fold(text: str) -> str:
    if text.isascii():  # no accent, no compatibility form: casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
                                 .translate(_LETTERS))


# the capitalised words a place's name may be ('Santiago de Chile', 'Trinidad and Tobago'): the
# regex piece of every pattern that captures a place for extractors.places.known_place to check
PLACE_NAME = r"[A-ZÁÉÍÓÚÑ][\w\-’']+(?:\s+(?:de\s+|del\s+|and\s+|y\s+)?[A-ZÁÉÍÓÚÑ][\w\-’']+){0,3}"


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


def fold_lower_keeping_offsets(text: str) -> str:
    """``fold_keeping_offsets`` in lower case (a character whose lower case is longer, such
    as 'İ', is kept as it is, so the length never changes)."""
    return text.lower() if text.isascii() else text.translate(_LOWER_FOLDS)


# The one sentence splitter. A period ends a sentence unless it closes an abbreviation
# ('Dr.', 'U.S.', 'No.') or an initial ('J. Smith'), but a label letter does end one
# ('Annex A.'); a line break always ends one (list items and headings stand on their own
# lines).
ABBREVIATIONS = frozenset(
    "dr dra mr mrs ms sr sra srta lic ing prof st no nos art arts vol ed eds gen amb embajador approx "
    "u.s u.k e.g i.e cf op inc ltd co corp dept ud uds vd vds".split())
LABEL_WORDS = frozenset(fold(w) for w in (
    "annex anexo appendix apéndice section sección part parte group grupo table cuadro figure figura "
    "phase fase level nivel item punto plan option opción category categoría").split())
SENTENCE_END = re.compile(r"[.;!?](?=\s+[A-ZÁÉÍÓÚÑ“\"(•]|\s*$)|\n")
SENTENCE_START = re.compile(r"[.;!?]\s+(?=[A-ZÁÉÍÓÚÑ“\"(•])|\n")


def ends_sentence(text: str, stop: int) -> bool:
    """Whether the punctuation at ``stop`` closes a sentence."""
    if text[stop] != ".":
        return True
    word = re.search(r"(?:(\w+)\s+)?([\w.]+)$", text[max(0, stop - 24):stop])
    if word is None:
        return True
    if word.group(2).lower() in ABBREVIATIONS:
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word.group(2)) and re.match(r"\s*[(a-z]", text[stop + 1:stop + 4]):
        return False  # 'Washington, D.C. (marzo de 2000)': an initialism, the sentence goes on
    # an initial ("J. Smith"), but not a label ("Annex A.", "Grupo B.")
    return not (re.fullmatch(r"[A-Z]", word.group(2)) and fold(word.group(1) or "") not in LABEL_WORDS)


def sentence_end(text: str, pos: int) -> int:
    """Offset of the punctuation (or line break) that ends the sentence at ``pos``."""
    for m in SENTENCE_END.finditer(text, pos):
        if ends_sentence(text, m.start()):
            return m.start()
    return len(text)


def sentence_start(text: str, pos: int) -> int:
    # one character past pos, so the look-ahead of a break just before pos sees the capital
    # at pos ('… Singapore. France, …': the sentence at 'France' starts there)
    starts = [m.end() for m in SENTENCE_START.finditer(text, 0, min(len(text), pos + 1))
              if m.end() <= pos and ends_sentence(text, m.start())]
    return starts[-1] if starts else 0


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``, its closing punctuation included."""
    end = sentence_end(text, pos)
    return sentence_start(text, pos), min(len(text), end + 1)


# The one title-line test: a heading or an event's title line ('3rd Ministerial Conference',
# 'Seminar on Return, Readmission and Reintegration') is one short line that does not end
# as a sentence does; its first word is capitalised because it belongs to the title.
DEFAULT_TITLE_LINE_CHARS = 120
CLOSING_PUNCTUATION = (".", ";", ":", ",")  # what a sentence or an introducer ends with, not a title


def is_title_line(text: str, max_chars: int = DEFAULT_TITLE_LINE_CHARS) -> bool:
    """Whether ``text`` (a paragraph or line) is one title line: 'IX CONFERENCIA
    SUDAMERICANA SOBRE MIGRACIONES' is; 'The Conference met in Quito.' is not."""
    line = text.strip()
    return bool(line) and len(line) <= max_chars and "\n" not in line and not line.endswith(CLOSING_PUNCTUATION)


def normalise_title(title: str | None) -> str:
    """A title as titles are compared: folded, its words joined by single spaces."""
    return " ".join(re.findall(r"\w+", fold(title or "")))


def expand_pieces(pattern: str, pieces: dict[str, str]) -> str:
    """Replace ``{piece}`` / ``{piece:group}`` by the piece's regex; the piece's ``(?P<@>``
    becomes the named group, or a plain group when no name is asked for. Pieces may use
    other pieces."""
    def sub(m: re.Match[str]) -> str:
        body = expand_pieces(pieces[m.group(1)], pieces)
        return body.replace("(?P<@>", f"(?P<{m.group(2)}>" if m.group(2) else "(?:")
    return _PLACEHOLDER.sub(sub, pattern)
