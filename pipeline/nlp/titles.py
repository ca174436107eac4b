"""Lines and titles as the stages and extractors see them: the one title-line test, headings
in capitals, table rows flattened to text, and the form titles are compared in."""
from __future__ import annotations

import re

from pipeline.nlp.fold import fold


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


def title_similarity(a: str | None, b: str | None) -> float:
    """0–100: how alike two titles are, their words compared as sets (rapidfuzz's
    token_set_ratio of the normalised titles), so a title cut short or given in full
    ('Workshop on X' vs 'Workshop on X: Concepts and Data') still matches. Each use sets its
    own threshold: merging mentions of one event, the event catalog, scoring against gold."""
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(normalise_title(a), normalise_title(b))


def is_all_caps(text: str, min_letters: int = 1) -> bool:
    """Every letter upper case, and at least ``min_letters`` of them: a heading in capitals
    ('IX CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES')."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= min_letters and all(ch.isupper() for ch in letters)


BAR_CELLS = re.compile(r"\S[ \t]+\|[ \t]+\S")  # a table row flattened to text: 'Fecha | Actividad | Lugar'


def is_table_line(line: str) -> bool:
    """A table row as text: cells set off by tabs or by bars."""
    return "\t" in line or bool(BAR_CELLS.search(line))
