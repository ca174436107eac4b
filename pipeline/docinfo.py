"""Cover facts of a report: its symbol, date and original language."""
from __future__ import annotations

import re

from extractors.dates import load_grammar
from extractors.text import fold

LANGUAGE_NAMES = {
    "ingles": "en", "english": "en", "espanol": "es", "spanish": "es", "frances": "fr", "french": "fr",
    "francais": "fr", "anglais": "en", "espagnol": "es", "portugues": "pt", "portuguese": "pt", "arabe": "ar",
    "arabic": "ar", "ruso": "ru", "russian": "ru", "chino": "zh", "chinese": "zh",
}
SYMBOL_LINE = re.compile(r"^\s*([A-Z]{1,6}(?:/[A-Z0-9][A-Za-z0-9.()-]{0,15}){1,5})\s*$", re.M)
ORIGINAL_LINE = re.compile(r"\bOriginal\s*:\s*([^\W\d_]+)", re.I)
COVER_DATE = re.compile(
    r"\b(\d{1,2})\s+(?:de\s+)?([^\W\d_]+)\s+(?:de|del)?\s*(\d{4})\b"          # 10 de noviembre de 2003 / 10 November 2003
    r"|\b([^\W\d_]+)\s+(\d{1,2}),\s*(\d{4})\b",                             # November 10, 2003
    re.I,
)


def cover_symbol(text: str, head_lines: int = 12) -> str | None:
    """A document symbol standing alone on a line near the top ('MC/INF/266')."""
    head = "\n".join(text.splitlines()[:head_lines])
    match = SYMBOL_LINE.search(head)
    return match.group(1) if match else None


def original_language(text: str, head_chars: int = 1500) -> str | None:
    match = ORIGINAL_LINE.search(text[:head_chars])
    return LANGUAGE_NAMES.get(fold(match.group(1))) if match else None


def cover_date(text: str, head_lines: int = 12) -> str | None:
    """A full calendar date standing on its own line near the top (optionally after an
    'Original: …' note), as ISO (day precision). Dates inside sentences are not cover dates."""
    lines = []
    for line in text.splitlines()[:head_lines]:
        line = ORIGINAL_LINE.sub("", line).strip(" *,.")
        if len(line) <= 40:
            lines.append(line)
    for match in COVER_DATE.finditer("\n".join(lines)):
        if match.group(1):
            day, month, year = match.group(1), match.group(2), match.group(3)
        else:
            month, day, year = match.group(4), match.group(5), match.group(6)
        number = load_grammar().months.get(fold(month))  # the date grammar's month lexicon
        if number and 1 <= int(day) <= 31:
            return f"{int(year):04d}-{number:02d}-{int(day):02d}"
    return None
