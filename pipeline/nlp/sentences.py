"""The one sentence splitter."""
from __future__ import annotations

import re
from bisect import bisect_right

from pipeline.nlp.caches import per_document

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
WORDS_BEFORE_STOP = re.compile(r"(?:(\w+)\s+)?([\w.]+)$")
INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
PROSE_AFTER = re.compile(r"\s*[(a-z]")
CAPITAL = re.compile(r"[A-Z]")


def ends_sentence(text: str, stop: int) -> bool:
    """Whether the punctuation at ``stop`` closes a sentence."""
    if text[stop] != ".":
        return True
    word = WORDS_BEFORE_STOP.search(text[max(0, stop - 24):stop])
    if word is None:
        return True
    if word.group(2).lower() in ABBREVIATIONS:
        return False
    if INITIALISM.fullmatch(word.group(2)) and PROSE_AFTER.match(text[stop + 1:stop + 4]):
        return False  # 'Washington, D.C. (marzo de 2000)': an initialism, the sentence goes on
    # an initial ("J. Smith"), but not a label ("Annex A.", "Grupo B.")
    return not (CAPITAL.fullmatch(word.group(2)) and fold(word.group(1) or "") not in LABEL_WORDS)


def sentence_end(text: str, pos: int) -> int:
    """Offset of the punctuation (or line break) that ends the sentence at ``pos``."""
    for m in SENTENCE_END.finditer(text, pos):
        if ends_sentence(text, m.start()):
            return m.start()
    return len(text)


def sentence_start(text: str, pos: int) -> int:
    """Offset where the sentence at ``pos`` starts: past the last break at or before ``pos``
    ('… Singapore. France, …': the sentence at 'France' starts there)."""
    starts = sentence_starts(text)
    i = bisect_right(starts, pos)
    return starts[i - 1] if i else 0


@per_document(maxsize=256)
def sentence_starts(text: str) -> tuple[int, ...]:
    """Every offset a sentence of ``text`` starts at after a break, in order: found once
    per text, as the extractors ask for the start of many sentences of one paragraph. A
    break is found alike in the whole text and in the text up to the capital it needs, so
    at a word this is the scan up to the word (tested); inside the white space of a break
    that holds a line break, the sentence is the one after the whole break."""
    return tuple(m.end() for m in SENTENCE_START.finditer(text) if ends_sentence(text, m.start()))


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos``, its closing punctuation included."""
    end = sentence_end(text, pos)
    return sentence_start(text, pos), min(len(text), end + 1)
