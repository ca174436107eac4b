"""Spanish/English (and 'other') per paragraph: deterministic, abstaining on short strings.

lingua (restricted to Spanish, English, French and Portuguese) is combined with a
function-word score; langdetect, the alternative, is kept selectable so the two can be
compared on the gold spans (`detector="langdetect"`, seeded for repeatability).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from functools import lru_cache

from pipeline.nlp.words import ENGLISH_FUNCTION_WORDS, LANGUAGE_VALUES, SPANISH_FUNCTION_WORDS, function_word_counts



WORD_OF_LETTERS = re.compile(r"[^\W\d_]{2,}")


LANGUAGE_DETECTORS = ("lingua", "langdetect")


@dataclass(frozen=True, slots=True)
class LanguageSettings:
    detector: str = "lingua"       # one of LANGUAGE_DETECTORS
    min_letters: int = 25          # fewer letters than this: abstain
    min_words: int = 4
    detector_weight: float = 0.6   # the rest is the function-word share
    smooth_below: float = 0.75     # a verdict weaker than this yields to agreeing neighbours


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    lang: str | None      # None: abstained
    score: float          # confidence of the verdict, 0..1


@lru_cache(maxsize=1)
def _lingua():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        Language.SPANISH, Language.ENGLISH, Language.FRENCH, Language.PORTUGUESE).build()


def _detector_scores(text: str, detector: str) -> dict[str, float]:
    scores = {"es": 0.0, "en": 0.0, "other": 0.0}
    if detector == "langdetect":
        from langdetect import DetectorFactory, detect_langs
        from langdetect.lang_detect_exception import LangDetectException

        DetectorFactory.seed = 0
        try:
            for item in detect_langs(text):
                key = item.lang if item.lang in ("es", "en") else "other"
                scores[key] += item.prob
        except LangDetectException:
            pass
        return scores
    names = {"SPANISH": "es", "ENGLISH": "en"}
    for value in _lingua().compute_language_confidence_values(text):
        scores[names.get(value.language.name, "other")] += value.value
    return scores


def function_word_scores(text: str) -> dict[str, float]:
    es, en = function_word_counts(text)
    total = es + en
    if not total:
        return {"es": 0.0, "en": 0.0, "other": 0.0}
    return {"es": es / total, "en": en / total, "other": 0.0}


def lexicon_vote(text: str) -> str | None:
    """For short strings (headings): words common in one language and rare in the other."""
    from pipeline.nlp.lexicon import zipf

    es = en = 0
    for word in re.findall(r"[^\W\d_]{3,}|\b(?:y|e|o|de|en|and|of|the|to|in)\b", text.lower()):
        z_es, z_en = zipf(word, "es"), zipf(word, "en")
        if word in SPANISH_FUNCTION_WORDS and word not in ENGLISH_FUNCTION_WORDS or z_es >= 3 and z_en < 2:
            es += 1
        elif word in ENGLISH_FUNCTION_WORDS and word not in SPANISH_FUNCTION_WORDS or z_en >= 3 and z_es < 2:
            en += 1
    if es != en and max(es, en) >= 1 and min(es, en) == 0:
        return "es" if es > en else "en"
    return None


def guess_paragraph(text: str, settings: LanguageSettings) -> LanguageGuess:
    # counted up to the threshold only: whether there are that many is all that is asked
    letters = sum(1 for _ in islice(filter(str.isalpha, text), settings.min_letters))
    words = WORD_OF_LETTERS.findall(text)
    fw = function_word_scores(text)
    if letters < settings.min_letters or len(words) < settings.min_words:
        vote = lexicon_vote(text) if words and len(words) <= 12 and not _names_only(words) else None
        return LanguageGuess(vote, 0.5) if vote else LanguageGuess(None, 0.0)
    if not any(fw.values()):
        # no function word at all: a list of names, a title, a table of codes
        capitalised = sum(w[0].isupper() for w in words) / len(words)
        if capitalised > 0.6 or len(words) < 12:
            return LanguageGuess(None, 0.0)
    det = _detector_scores(text, settings.detector)
    w = settings.detector_weight if any(fw.values()) else 1.0
    combined = {lang: w * det[lang] + (1 - w) * fw[lang] for lang in LANGUAGE_VALUES}
    best = max(LANGUAGE_VALUES, key=lambda lang: combined[lang])
    return LanguageGuess(best, round(combined[best], 4))


def _names_only(words: list[str]) -> bool:
    """Every word capitalised and no function word: a list of names (countries, people)."""
    lowered = {w.lower() for w in words}
    return (all(w[0].isupper() for w in words) and not (lowered & (SPANISH_FUNCTION_WORDS | ENGLISH_FUNCTION_WORDS))
            and not any(w.isupper() for w in words))


def assign_languages(texts: list[str], settings: LanguageSettings, default: str = "es") -> list[tuple[str, float, str]]:
    """(lang, score, source) for a document's paragraphs in order. Abstentions are filled
    from the previous decided paragraph (the next one at the start); weak verdicts that
    disagree with two agreeing neighbours are smoothed to theirs."""
    guesses = [guess_paragraph(t, settings) for t in texts]
    decided = [i for i, g in enumerate(guesses) if g.lang]
    out: list[tuple[str, float, str]] = []
    for i, g in enumerate(guesses):
        if g.lang is None:
            prev = next((j for j in reversed(decided) if j < i), None)
            nxt = next((j for j in decided if j > i), None)
            source = prev if prev is not None else nxt
            lang = guesses[source].lang if source is not None else default
            out.append((lang, 0.0, "neighbour"))
            continue
        prev = next((j for j in reversed(decided) if j < i), None)
        nxt = next((j for j in decided if j > i), None)
        if (g.score < settings.smooth_below and prev is not None and nxt is not None
                and guesses[prev].lang == guesses[nxt].lang != g.lang):
            out.append((guesses[prev].lang, g.score, "smoothed"))
        else:
            out.append((g.lang, g.score, "detected"))
    return out
