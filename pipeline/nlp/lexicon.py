"""Word knowledge for text repair: wordfreq's Spanish and English frequency lists plus the
names in the project's registries (countries from pycountry, organisations, processes).

wordfreq is used because it ships large, curated frequency lists for both languages in a
pip package (no system dictionaries to install), and frequencies — not mere membership —
are what lets repair pick between candidates and state a margin.
"""
from __future__ import annotations

import gettext
import re
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.rule_files import read_records

DATA = Path(__file__).resolve().parents[2] / "extractors" / "data"
NAME_ZIPF = 4.0  # a word of a registry name counts as a common word

@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str) -> float:
    """Zipf frequency (0 = unknown, 3 = once per million words, 6 = very common)."""
    from wordfreq import zipf_frequency

    lower = word.lower()
    base = zipf_frequency(lower, lang)
    if lower in registry_words():
        return max(base, NAME_ZIPF)
    return base


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
