"""Text → a quality verdict: whether a page's (or document's) text is text a reader of
Spanish or English can use, so that garbled OCR, an unsupported script or glued words are
flagged (``quality=low`` with the reason) instead of passing as ``ok``."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from pipeline.nlp.caches import per_document
from pipeline.nlp.words import LETTER_RUN

DEFAULT_MIN_WORDS = 20                  # fewer words than this: too little to judge by shares
DEFAULT_MIN_DICTIONARY_SHARE = 0.5      # of the words of 3+ letters, known in Spanish or English
DEFAULT_MAX_FOREIGN_SCRIPT_SHARE = 0.3  # of the letters, outside the Latin script
DEFAULT_MAX_GLUED_SHARE = 0.02          # of the words, 25+ letters long ('Indiscussingwork…')
# tesseract's mean word confidence below which OCR read no script it knows: a Chinese page
# read as Spanish and English comes out as capitals ('ARRE AEREA RAEE') that look like words
DEFAULT_MIN_OCR_CONFIDENCE = 50.0
GLUED_LETTERS = 25


@dataclass(frozen=True, slots=True)
class TextQuality:
    n_words: int
    dictionary_share: float      # words of 3+ letters that wordfreq knows in es or en
    glued_share: float
    foreign_script_share: float
    main_foreign_script: str | None  # 'CJK', 'ARABIC', 'CYRILLIC', … when there is one


@per_document(maxsize=4)  # a one-page document's page is its whole text: its row and its page's ask
def text_quality(text: str) -> TextQuality:
    words = LETTER_RUN.findall(text)
    n_letters = sum(map(len, words))
    foreign = Counter(map(_script, BEYOND_LATIN.findall(" ".join(words))))
    n_foreign = sum(foreign.values())
    latin_words = Counter(w for w in words if len(w) >= 3 and (w.isascii() or not BEYOND_LATIN.search(w)))
    n_latin = latin_words.total()
    return TextQuality(
        len(words),
        # each distinct word looked up once (a look-up per occurrence was 2% of a text run)
        sum(n for w, n in latin_words.items() if _known(w)) / n_latin if n_latin else 0.0,
        sum(len(w) >= GLUED_LETTERS for w in words) / len(words) if words else 0.0,
        n_foreign / n_letters if n_letters else 0.0,
        foreign.most_common(1)[0][0] if foreign else None)


BEYOND_LATIN = re.compile(r"[^\x00-\u024f]")  # a character past Latin Extended-B


def quality_verdict(quality: TextQuality, ocr: bool = False, ocr_confidence: float | None = None
                    ) -> tuple[str, str | None]:
    """("ok", None) or ("low", reason)."""
    if quality.n_words == 0:
        return ("low", "empty after OCR") if ocr else ("ok", None)
    if ocr and ocr_confidence is not None and ocr_confidence < DEFAULT_MIN_OCR_CONFIDENCE:
        return "low", f"garbled OCR (mean word confidence {ocr_confidence:.0f})"
    if quality.foreign_script_share > DEFAULT_MAX_FOREIGN_SCRIPT_SHARE:
        return "low", f"script not supported ({quality.main_foreign_script.lower()}: " \
                      f"{quality.foreign_script_share:.0%} of the letters)"
    if quality.n_words < DEFAULT_MIN_WORDS:
        return "ok", None
    if quality.glued_share > DEFAULT_MAX_GLUED_SHARE:
        return "low", f"glued words ({quality.glued_share:.0%} of the words have {GLUED_LETTERS}+ letters)"
    if quality.dictionary_share < DEFAULT_MIN_DICTIONARY_SHARE:
        return "low", f"garbled text ({quality.dictionary_share:.0%} of the words are Spanish or English words)"
    return "ok", None


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split()[0]
    except ValueError:
        return "UNKNOWN"


def _known(word: str) -> bool:
    from pipeline.nlp.lexicon import zipf

    return zipf(word, "es") > 0 or zipf(word, "en") > 0
