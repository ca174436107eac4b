"""Cover facts of a report: its symbol, date and original language."""
from __future__ import annotations

import re

from extractors.dates import find_dates, load_grammar
from extractors.text import PLACE_NAME
from pipeline.nlp.fold import fold

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


DEFAULT_DATELINE_HEAD = 800  # characters from the top read for a dateline or an update stamp
# what stamps a date as the document's own: an update or publication note, a weekday before it
DATE_STAMP_BEFORE = re.compile(
    r"(?:\b(?:actualizad[oa]|updated|last\s+updated|publicad[oa]|published|posted|fecha)\b(?:\s+(?:on|el))?\s*:?"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|"
    r"domingo)\b\s*,?)\s*$")
# a dateline's place, at a line's start, after a dash or after a title in capitals: 'DUBAI, ',
# 'MIGRACIONES Quito, Ecuador, ', '- Brasilia, Brasil –' (not 'held in Lima, ')
DATELINE_PLACE = re.compile(rf"(?:^|\n|[-–—|]\s*|[A-ZÁÉÍÓÚÑ]{{2,}}\s+)({PLACE_NAME})(?:\s*,\s*{PLACE_NAME})?\s*[,–—-]\s*$")


def document_date(text: str) -> str | None:
    """The document's own date: a cover date, else a dateline or an update stamp near the
    top, else a place and date closing the text (a speech's or a letter's last line)."""
    return cover_date(text) or dateline_date(text) or closing_dateline_date(text)


def document_year(text: str, doc_date: str | None) -> int | None:
    """The year of the document's date, else of a month and year in its masthead ('RCP
    BULLETIN | Issue No. 14 | April 2019'): what dates a year-less date and 'next year'."""
    return int(doc_date[:4]) if doc_date else masthead_year(text)


DEFAULT_CLOSING_LINES = 4  # non-empty lines at the end read for a closing place and date


def closing_dateline_date(text: str, tail_lines: int = DEFAULT_CLOSING_LINES) -> str | None:
    """A line of its own near the end that is a known place and a full date, as a speech or
    a declaration is signed off ('Ciudad de Guatemala, 14 de noviembre de 2019'), as ISO."""
    lines = [line.strip() for line in text.rstrip().splitlines() if line.strip()][-tail_lines:]
    # each line read as a dateline of its own: a known place opening it, then the date
    return next((date for line in reversed(lines) if len(line) <= CLOSING_LINE_CHARS
                 and (date := dateline_date(line, len(line)))), None)


CLOSING_LINE_CHARS = 90
MASTHEAD_LINES = 3


def masthead_year(text: str, head_lines: int = MASTHEAD_LINES) -> int | None:
    """The year of a month and year on one of the first lines, when the line is short or
    split by '|' like a masthead ('Boletín N.º 7 | marzo de 2012', 'April 2019')."""
    for line in [line for line in text.splitlines() if line.strip()][:head_lines]:
        for part in line.split("|") if "|" in line else [line]:
            if len(part.strip()) <= 40:  # the date grammar's dates with a month, not a range
                for date in find_dates(part):
                    if date.precision != "year" and not date.is_range:
                        return int(date.date_start[:4])
    return None


def dateline_date(text: str, head_chars: int = DEFAULT_DATELINE_HEAD) -> str | None:
    """The first full date near the top stamped as the document's: after a known place
    ('DUBAI, 9th February, 2024 (WAM)', 'Quito, Ecuador, 21 y 22 de Septiembre de 2009'),
    an update note ('Actualizado 21/04/2009') or a weekday ('WEDNESDAY, 23 MARCH 2016'),
    as ISO (its first day)."""
    from extractors.places import known_place  # (the gazetteer loads only when a document is processed)

    head = text[:head_chars]
    for date in find_dates(head):
        if date.precision != "day":
            continue
        before = head[max(0, date.start - 60):date.start]
        before = before if date.start > 60 else "\n" + before  # the text's start is a line's
        place = DATELINE_PLACE.search(before)
        if DATE_STAMP_BEFORE.search(fold(before)) or place and known_place(place.group(1)):
            return date.date_start
    return None


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
