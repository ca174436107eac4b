"""The word tables the stages and extractors share: the project's languages, their function
words, and the small closed classes rules test tokens against (in folded form)."""
from __future__ import annotations

import re

from pipeline.nlp.caches import per_document

LANGUAGES = ("es", "en")                 # the languages the rules read
LANGUAGE_VALUES = (*LANGUAGES, "other")  # a paragraph's or document's language

SPANISH_FUNCTION_WORDS = frozenset(
    "de la que el en y los del se las por un para con una su al lo como más o pero sus le ha "
    "sin sobre este entre cuando también fue había muy hasta desde está son dos han así esta "
    "estos ser es otros durante según mediante cual donde tanto ante".split())
ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in is that for it as was with be by on not this are or from at which but "
    "have an they has had were been their its also into these such other than who will would "
    "should may can held including under between".split())

DEFINITE_ARTICLES = ("the", "el", "la", "los", "las")  # in this order: aliases are built article by article
DETERMINERS = frozenset((*DEFINITE_ARTICLES, *"a an un una este esta this these estos estas".split()))
COORDINATORS = frozenset("and y e".split())  # join the last two items of a list
DISJUNCTIONS = frozenset("or o u".split())
TOPIC_LINKS = frozenset("on for of about sobre para de del acerca".split())  # 'Workshop on …', 'Taller sobre …'


LETTER_RUN = re.compile(r"[^\W\d_]+")


@per_document(maxsize=1024)  # language guesses and the repair both count a paragraph's words
def function_word_counts(text: str) -> tuple[int, int]:
    """(Spanish, English) function words among the words of ``text``."""
    tokens = LETTER_RUN.findall(text.lower())
    return sum(map(SPANISH_FUNCTION_WORDS.__contains__, tokens)), sum(map(ENGLISH_FUNCTION_WORDS.__contains__, tokens))


def guess_language(text: str) -> str:
    """'es', 'en' or '' from function words: a cheap, deterministic per-paragraph guess."""
    return language_of_counts(*function_word_counts(text))


def language_of_counts(es: int, en: int) -> str:
    """guess_language's verdict from (Spanish, English) function-word counts."""
    if es == en:
        return ""
    return "es" if es > en else "en"
