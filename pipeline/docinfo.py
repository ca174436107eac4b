"""Cover facts of a report: its symbol, date and original language."""
from __future__ import annotations

import re
import unicodedata

MONTHS = {
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
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


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


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
        number = MONTHS.get(fold(month))
        if number and 1 <= int(day) <= 31:
            return f"{int(year):04d}-{number:02d}-{int(day):02d}"
    return None
