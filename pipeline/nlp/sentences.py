"""The one sentence splitter."""
from __future__ import annotations

import re

from pipeline.nlp.fold import fold

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
