"""What the extractors know about one document, built once and frozen.

``document_context`` parses every paragraph and finds in it what more than one rule
family reads (process mentions, names, dates); the document-level facts (its main
process, its cover year, its section headings) come from those. Extractors take a
``ParagraphContext`` (one paragraph, with its document behind it) instead of the text, the
paragraph's offset and lists of spans threaded one by one.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.dates import DateMention, find_dates, last_stated_year, relative_dates, reporting_period
from extractors.names import NameMention, find_names
from extractors import events, processes
from extractors.nlp import as_phrase_patterns, doc_text, paragraph_doc
from extractors.processes import ProcessMention, names_in, process_mentions

DOMINANT_SHARE = 0.8  # share of the process mentions that makes a process the document's own
DOMINANT_MIN = 3      # and how many mentions it needs to speak for unnamed statements
PERIOD_REACH = 3000   # chars from the start where a report states the period it covers


DEFAULT_MAX_PARAGRAPH_CHARS = 50_000_000


@lru_cache(maxsize=4)
def pipeline_for(lang: str) -> Language:
    """The rule pipeline of one language ('es' or 'en'); built once per process."""
    nlp = spacy.blank(lang if lang in ("es", "en") else "en")
    # max_length guards the memory of a parser or NER, which this pipeline has none of: a
    # paragraph of a million characters (one unbroken line) is tokenized, not refused
    nlp.max_length = DEFAULT_MAX_PARAGRAPH_CHARS
    # '10°', '3º' are ordinals ('la 10° Conferencia'), one token as '1ª' and '4th' are; the
    # tokenizer would split the sign off as a unit
    for n in range(1, 200):
        for sign in "°º":
            nlp.tokenizer.add_special_case(f"{n}{sign}", [{"ORTH": f"{n}{sign}"}])
    nlp.add_pipe("norm_folding")
    for key, patterns in (
        ("processes", processes.patterns(nlp)),
        ("event_kinds", events.patterns(nlp, lang)),
    ):
        nlp.add_pipe("rule_spans", name=f"spans_{key}", config={"spans_key": key}).add_patterns(
            as_phrase_patterns(nlp, patterns))
    return nlp


@dataclass(frozen=True)
class ParagraphContext:
    """One paragraph as the extractors see it. Offsets of ``mentions``, ``names`` and
    ``dates`` are in ``text``; ``start`` turns them into offsets of the document."""
    index: int
    start: int                 # where the paragraph starts in the document text
    end: int
    text: str
    lang: str                  # the paragraph's language as detected ('es', 'en', 'und', …)
    kind: str                  # paragraph kind of pipeline.text.sections: heading, list, table, text
    section_id: str
    doc: Doc
    mentions: tuple[ProcessMention, ...]
    names: tuple[NameMention, ...]
    dates: tuple[DateMention, ...]
    document: DocumentContext = field(repr=False, compare=False)

    @property
    def process_spans(self) -> list[tuple[int, int]]:
        return [(m.start, m.end) for m in self.mentions]

    def name_spans(self, kind: str) -> list[tuple[int, int]]:
        return [(n.start, n.end) for n in self.names if n.kind == kind]

    @property
    def registry_mentions(self) -> list[ProcessMention]:
        """Mentions of processes the registry knows (not discovered ones)."""
        return [m for m in self.mentions if not m.process_id.startswith("discovered.")]


@dataclass(frozen=True)
class DocumentContext:
    doc_id: str
    text: str
    page_of: Callable[[int], int]
    year: int | None                     # the year of the document's cover date
    paragraphs: tuple[ParagraphContext, ...] = ()
    main_process: str | None = None      # the registry process named most often
    # the main process when it holds DOMINANT_SHARE of the mentions: statements naming no
    # process belong to it; ``dominant_process`` also needs DOMINANT_MIN mentions (a short
    # page is about its sole process, a long report needs more than a passing name)
    sole_process: str | None = None
    dominant_process: str | None = None

    @cached_property
    def section_headings(self) -> dict[str, str]:
        """section_id → the text of its heading paragraph."""
        return {p.section_id: p.text for p in self.paragraphs if p.kind == "heading"}

    @cached_property
    def _section_first_process(self) -> list[str | None]:
        # per paragraph: the process first named in its section up to and including it
        first: dict[str, str] = {}
        out = []
        for p in self.paragraphs:
            if p.mentions:
                first.setdefault(p.section_id, p.mentions[0].process_id)
            out.append(first.get(p.section_id))
        return out

    def section_process(self, para: ParagraphContext) -> str | None:
        """The process first named in the paragraph's section, up to the paragraph."""
        return self._section_first_process[para.index]


def document_context(doc_id: str, text: str, paragraphs: list[dict], page_of: Callable[[int], int],
                     year: int | None = None, doc_date: str | None = None) -> DocumentContext:
    """Parse the paragraphs (``pipeline.text.sections`` rows: char_start, char_end, lang, kind,
    section_id) and find their process mentions, names and dates. Dates are read in order:
    a date without a year takes the last year stated above it, and the period a report
    covers (stated near its start) dates what follows."""
    docs = [paragraph_doc(pipeline_for(_rule_language(p["lang"])), text[p["char_start"]:p["char_end"]])
            for p in paragraphs]
    named = set().union(*(names_in(d) for d in docs)) if docs else set()
    context = DocumentContext(doc_id, text, page_of, year)
    built = []
    year_context, period = year, None
    for index, (para, doc) in enumerate(zip(paragraphs, docs)):
        ptext, lang = doc_text(doc), para["lang"]
        dates = find_dates(ptext, lang if lang in ("es", "en") else None, year_context, period, year)
        if lang in ("es", "en"):
            dates = with_other_language_dates(dates, ptext, "en" if lang == "es" else "es")
        dates = with_relative_dates(dates, relative_dates(ptext, lang if lang in ("es", "en") else None,
                                                          doc_date or (str(year) if year else None)))
        if period is None and para["char_start"] < PERIOD_REACH:
            period = reporting_period(ptext, dates)
        year_context = last_stated_year(ptext) or year_context
        built.append(ParagraphContext(
            index, para["char_start"], para["char_end"], ptext, lang, para["kind"], para["section_id"], doc,
            tuple(process_mentions(doc, named)), tuple(find_names(ptext)), tuple(dates), context))
    counts = Counter(m.process_id for p in built for m in p.registry_mentions)
    main = counts.most_common(1)[0][0] if counts else None
    sole = main if counts and counts[main] >= DOMINANT_SHARE * sum(counts.values()) else None
    dominant = sole if sole and counts[sole] >= DOMINANT_MIN else None
    # the paragraphs point at the context they belong to, so it is completed in place once
    # (the one write to a frozen record, before anyone reads it)
    for name, value in (("paragraphs", tuple(built)), ("main_process", main), ("sole_process", sole),
                        ("dominant_process", dominant)):
        object.__setattr__(context, name, value)
    return context


def _rule_language(lang: str) -> str:
    return lang if lang in ("es", "en") else "en"


def with_relative_dates(dates: list, relative: list) -> list:
    """The paragraph's dates with those said relative to the document's date ('ayer', 'el año
    pasado') that overlap none found."""
    extra = [d for d in relative if not any(d.start < x.end and x.start < d.end for x in dates)]
    return sorted(dates + extra, key=lambda d: d.start) if extra else dates


def with_other_language_dates(dates: list, text: str, other: str) -> list:
    """A paragraph in one language may carry a date in the other ('17 November 2005' in the
    header of a Spanish paper): the other language's dates are added when they state their
    own year and overlap none found."""
    extra = [d for d in find_dates(text, other, only_if_year=True) if "yearless" not in d.rule_id
             and not any(d.start < x.end and x.start < d.end for x in dates)]
    return sorted(dates + extra, key=lambda d: d.start) if extra else dates
