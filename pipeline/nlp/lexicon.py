"""Word knowledge for text repair: wordfreq's Spanish and English frequency lists plus the
names in the project's registries (countries from pycountry, organisations, processes).

wordfreq is used because it ships large, curated frequency lists for both languages in a
pip package (no system dictionaries to install), and frequencies — not mere membership —
are what lets repair pick between candidates and state a margin.
"""
from __future__ import annotations

import gettext
import math
import re
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.rule_files import read_records

DATA = Path(__file__).resolve().parents[2] / "extractors" / "data"
NAME_ZIPF = 4.0  # a word of a registry name counts as a common word

# a word wordfreq reads as itself, one token: its frequency is one look-up in its list
PLAIN_WORD = re.compile(r"[a-zñáéíóúüàèìòùâêîôûç]+")


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency (0 = unknown, 3 = once per million words, 6 = very common)."""
    lower = word.lower()
    base = plain_word_zipf(lower, lang) if PLAIN_WORD.fullmatch(lower) else None
    if base is None:
        from wordfreq import zipf_frequency

        base = zipf_frequency(lower, lang)
    if lower in registry_words():
        return max(base, NAME_ZIPF)
    return base


@lru_cache(maxsize=4)
def frequencies(lang: str) -> dict[str, float]:
    """wordfreq's frequency list of a language (kept on disk per wordfreq version, which
    reads faster than wordfreq's own files, pipeline.nlp.derived)."""
    from pipeline.nlp.derived import derived

    def build() -> dict[str, float]:
        from wordfreq import get_frequency_dict

        return get_frequency_dict(lang, "best")

    return derived(f"wordfreq_{lang}", build, ("wordfreq",))


def plain_word_zipf(word: str, lang: str) -> float | None:
    """wordfreq's ``zipf_frequency`` of a lower-case word of plain letters, without its
    tokenizer (which took two thirds of repair's word judging; the same figure, checked in
    tests/test_text_tools.py); None for a language wordfreq has no list of."""
    try:
        freq = frequencies(lang).get(word)
    except (LookupError, ValueError):
        return None
    if not freq:
        return 0.0
    freq = max(freq, MIN_FREQUENCY)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)  # wordfreq's 3 significant digits
    return round(math.log(freq, 10) + 9, 2)


MIN_FREQUENCY = 1e-9  # Zipf 0: wordfreq's floor for zipf_frequency


@lru_cache(maxsize=1)
def registry_words() -> frozenset[str]:
    """Lower-cased words of country, organisation and process names (English and Spanish)."""
    names: list[str] = []
    import pycountry

    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names += [value, spanish.gettext(value)]
    for registry in ("processes.jsonl", "organizations.jsonl"):
        for entry in read_records(DATA / registry):
            names += [entry["name_en"], entry["name_es"], *entry["aliases"], *entry["acronyms"]]
    words = set()
    for name in names:
        words.update(w.lower() for w in re.findall(r"[^\W\d_]+", name) if len(w) > 2)
    return frozenset(words)


@lru_cache(maxsize=1)
def spanish_name_words() -> frozenset[str]:
    """Lower-cased words of Spanish country, organisation and process names ('canadá')."""
    import pycountry

    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"], fallback=True)
    names = [spanish.gettext(c.name) for c in pycountry.countries]
    for registry in ("processes.jsonl", "organizations.jsonl"):
        names += [entry["name_es"] for entry in read_records(DATA / registry)]
    return frozenset(w.lower() for name in names for w in re.findall(r"[^\W\d_]+", name) if len(w) > 2)


@lru_cache(maxsize=1)
def registry_acronyms() -> frozenset[str]:
    acronyms = set()
    for registry in ("processes.jsonl", "organizations.jsonl"):
        for entry in read_records(DATA / registry):
            acronyms.update(entry["acronyms"])
    return frozenset(acronyms)
