"""Every output table, declared once.

The Parquet schema, the CSV column order, validation before writing and the data
dictionary (output/README.md) are all derived from these declarations.
"""
from __future__ import annotations

import calendar
import datetime as dt
import operator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.errors import TableError
from pipeline.nlp.words import LANGUAGE_VALUES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# pandas and pyarrow are imported where tables are built or written, not here: the
# declarations are also read by an unchanged re-run, which should start in well under a second
DTYPES = ("string", "int", "float", "bool", "date", "list", "category")
SCALAR_DTYPES = {  # declaration dtype → (pandas dtype, arrow type alias)
    "string": ("string", "string"),
    "int": ("Int64", "int64"),
    "float": ("Float64", "float64"),
    "bool": ("boolean", "bool"),
}
DEFAULT_LIST_SEPARATOR = "; "  # how a list column is joined in the CSV


@dataclass(frozen=True, slots=True)
class Column:
    """One column. ``dtype`` is string, int, float, bool, or:

    - ``date``: a calendar day (Parquet date32). Values may be given as ISO strings at any
      precision ("2002-10"); ``bound`` says which end of that interval the column holds
      ("start": 2002-10-01, "end": 2002-10-31), so a month or year keeps its whole extent.
    - ``list``: a list of strings (Parquet list<string>; CSV: joined by ``separator``).
    - ``category``: one of ``categories`` (dictionary-encoded in Parquet, a pandas
      categorical with exactly these categories when loaded); any other value is refused.
    """

    name: str
    dtype: str
    meaning: str
    example: str = ""
    nullable: bool = False
    categories: tuple[str, ...] = ()
    separator: str = DEFAULT_LIST_SEPARATOR
    bound: str = "start"
    default: object = None  # the value of rows written before the column existed (pipeline.output.storage.conform_cached)

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name}: unknown dtype {self.dtype!r}")
        if (self.dtype == "category") != bool(self.categories):
            raise ValueError(f"column {self.name}: categories go with dtype category, and only with it")
        if self.bound not in ("start", "end"):
            raise ValueError(f"column {self.name}: bound is start or end")


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    # (columns here, referenced table, its columns): doc_id → documents, process_id → processes
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# the values of the enumerated columns
PRECISIONS = ("day", "month", "year")
STATUSES = ("ok", "error", "duplicate", "skipped")
PAGE_METHODS = ("text", "ocr", "plain")
QUALITIES = ("ok", "low")
PARAGRAPH_KINDS = ("text", "heading", "list", "table", "footnote")
LANG_SOURCES = ("detected", "neighbour", "smoothed")
PROCESS_SOURCES = ("registry", "discovered")
SOURCES = ("rules", "reviewer")
MEMBER_TYPES = ("country", "organization")
ROLES = ("member", "observer", "participant")
BASES = ("stated", "participation", "signatory", "founding", "table", "list")
# every kind of extractors/patterns/event_kinds.jsonl (tests/test_tables.py checks it)
EVENT_KINDS = ("workshop", "seminar", "conference", "meeting", "course", "forum", "panel", "round_table",
               "consultation", "summit", "training", "campaign", "symposium")

DOC_KEY = (("doc_id",), "documents", ("doc_id",))
PROCESS_KEY = (("process_id",), "processes", ("process_id",))


def lang_column(meaning: str = "Language of the paragraph.", nullable: bool = False) -> Column:
    return Column("lang", "category", meaning, "es", nullable=nullable, categories=LANGUAGE_VALUES)


def date_columns(what: str, nullable: bool, precision: str) -> tuple[Column, Column, Column]:
    """The interval a date expression names, as two days, plus its ISO form for display."""
    return (
        Column("date_start", "date", f"First day of the {what} (a month's first day, a year's 1 January when "
               f"that is its {precision}).", "2002-10-29", nullable=nullable),
        Column("date_end", "date", f"Last day of the {what} (a month's last day, a year's 31 December when that "
               f"is its {precision}; = date_start's day for a single day).", "2002-10-31", nullable=nullable,
               bound="end"),
        Column("date_iso", "string", f"The {what} in ISO 8601 at its {precision}: '2002-10-29', '2002-10', "
               "or a range 'start/end' ('2002-10-29/2002-10-31').", "2002-10-29/2002-10-31", nullable=nullable),
    )


def process_id_column() -> Column:
    return Column("process_id", "string", "processes.process_id.", "rcm")


def member_columns() -> tuple[Column, Column]:
    return (Column("member_id", "string", "ISO3 code or organisation id.", "BLZ"),
            Column("member_type", "category", "country or organization.", "country", categories=MEMBER_TYPES))


def doc_id_column() -> Column:
    return Column("doc_id", "string", "Document id (documents.doc_id).", "mc-inf-266_2003_regional-dialogues_es-en")


def clean_span_columns(what: str, nullable: bool = False) -> tuple[Column, Column]:
    empty = "; empty for a row a reviewer added" if nullable else ""
    return (Column("char_start", "int", f"Start offset of the {what} in corpus/clean/<doc_id>.txt{empty}.", "1520",
                   nullable=nullable),
            Column("char_end", "int", f"End offset (exclusive) of the {what} in the clean text{empty}.", "1561",
                   nullable=nullable))


def mention_span(start: int, end: int) -> str:
    """One place of a row's ``mention_spans``: 'start-end' offsets in the clean text."""
    return f"{start}-{end}"


def span_bounds(span) -> tuple[int, int] | None:
    """(start, end) of a ``mention_span``; None when it is not one."""
    start, _, end = str(span).partition("-")
    return (int(start), int(end)) if start.isdigit() and end.isdigit() else None


def review_columns() -> tuple[Column, Column]:
    """Where a decided row stands with the reviewer (pipeline/output/decisions.py)."""
    return (Column("source", "category", "rules: the row is as the rules found it; reviewer: a reviewer's decision added it or set a field (review_decisions says which).", "rules", categories=SOURCES, default="rules"),
            Column("decision", "category", "The reviewer's decision on the row (review/decisions.csv): accept, set or add; empty when none.", "accept", nullable=True, categories=("accept", "set", "add")))


def rule_column() -> Column:
    return Column("rule_id", "string", "Id of the rule that produced the row (extractors/patterns/*.jsonl, extractors/data/*.jsonl).", "process.rcm.name_es")


DOCUMENTS = Table(
    "documents",
    "One row per input document: where it came from and how ingestion went.",
    (
        Column("doc_id", "string", "Document id, unique in the output: the path below the input folder it was found in, without extension, folders joined by '-', letters transliterated to ASCII; a short hash of the content is appended when two sources would get the same id.", "2002-informe"),
        Column("source_path", "string", "Path of the source file as given to the pipeline.", "corpus/raw/mc-inf-266_2003_regional-dialogues_es-en.txt"),
        Column("sha256", "string", "SHA-256 of the source file's bytes.", "3f1c…"),
        Column("format", "string", "Input format: txt, md, html, pdf, image, or the unsupported extension.", "pdf"),
        Column("n_pages", "int", "Pages in the document (1 for text files; 0 when unreadable).", "13"),
        Column("n_ocr_pages", "int", "Pages whose text came from OCR.", "13"),
        Column("n_chars", "int", "Characters in the clean text (corpus/clean/<doc_id>.txt).", "52310"),
        Column("language", "category", "Main language of the body (ISO 639-1: es, en, or other), by characters of its paragraphs.", "es", nullable=True, categories=LANGUAGE_VALUES),
        Column("original_language", "string", "Language the report was written in, from an 'Original: inglés' line (ISO 639-1).", "en", nullable=True),
        Column("symbol", "string", "Document symbol standing alone near the top of the first page.", "MC/INF/266", nullable=True),
        Column("doc_date", "date", "Cover date near the top (a full calendar date).", "2003-11-10", nullable=True),
        Column("status", "category", "ok; error when the document could not be processed (or read: a FIFO, a dangling link, a link loop); duplicate when its bytes are those of another document (duplicate_of), whose rows stand for both; skipped when the run did not read it by policy (a link under an input folder to a file outside them, without --follow-links; a link to a folder). error says why.", "ok", categories=STATUSES),
        Column("duplicate_of", "string", "With status duplicate: the doc_id of the document with the same bytes that was processed.", "2002-informe", nullable=True),
        Column("error", "string", "Why the document failed or was skipped, in one line; empty when status is ok.", "encrypted PDF: it needs a password to open", nullable=True),
        Column("quality", "category", "low when the clean text is not usable Spanish or English text (pipeline/text/quality.py: a script other than Latin, glued words, garbled OCR, nothing read); empty for error and duplicate rows.", "ok", nullable=True, categories=QUALITIES),
        Column("quality_reason", "string", "Why quality is low, with the measured share.", "script not supported (cjk: 96% of the letters)", nullable=True),
        Column("pipeline_version", "string", "Version of the pipeline that produced the row (package version + code hash).", "0.1.0+1a2b3c4d"),
    ),
    primary_key=("doc_id",),
)

PAGES = Table(
    "pages",
    "One row per page: how its text was obtained and where it sits in the clean text.",
    (
        doc_id_column(),
        Column("page", "int", "Page number, 1-based.", "3"),
        Column("method", "category", "text (PDF text layer), ocr (tesseract on the page image) or plain (text file).", "ocr", categories=PAGE_METHODS),
        Column("n_chars", "int", "Characters of this page in the clean text.", "4102"),
        Column("ocr_confidence", "float", "Mean tesseract word confidence (0-100); empty unless method is ocr.", "91.3", nullable=True),
        Column("skew_degrees", "float", "Degrees the page image was turned (counter-clockwise) to make its lines level before OCR; 0 when it was level enough; empty unless method is ocr.", "-1.25", nullable=True),
        Column("ocr_dpi", "float", "Resolution tesseract read the page at: a PDF page rendered at OcrSettings.dpi (200), an image at its own resolution; a scan under 150 dpi (an image, or a PDF page that is one) is read at its own resolution and upscaled to 200, and smoothed when its paper is noisy (a 100-dpi archive scan: tesseract misreads letters a few pixels high); empty unless method is ocr.", "200", nullable=True),
        Column("quality", "category", "low when the page's clean text is not usable Spanish or English text (as documents.quality).", "ok", categories=QUALITIES),
        Column("quality_reason", "string", "Why quality is low, with the measured share.", "empty after OCR", nullable=True),
        Column("char_start", "int", "Start offset of the page in corpus/clean/<doc_id>.txt.", "0"),
        Column("char_end", "int", "End offset (exclusive) of the page in the clean text.", "4102"),
        Column("removed_furniture", "list", "Running headers/footers and page numbers removed from this page.", "MC/INF/259 | - 3 -", nullable=True, separator=" | "),
    ),
    primary_key=("doc_id", "page"),
    foreign_keys=(DOC_KEY,),
)

CORRECTIONS = Table(
    "corrections",
    "Every edit made between the source text and the clean text (the audit trail).",
    (
        doc_id_column(),
        Column("edit_id", "int", "Number of the edit within the document, 1-based, in the order the repair chain logged it.", "17"),
        Column("page", "int", "Page of the edited source text.", "1"),
        Column("char_start", "int", "Start offset of the edited span in the source text (corpus/clean/source/<doc_id>.txt).", "120"),
        Column("char_end", "int", "End offset (exclusive) in the source text.", "129"),
        Column("before", "string", "Source text of the span.", "**MC/INF/266**", nullable=True),
        Column("after", "string", "What replaced it (empty for a removal).", "", nullable=True),
        Column("step", "string", "Repair step: unicode, markup, furniture, page_join (a sentence cut by a page break), table, ...", "markup"),
        Column("rule", "string", "Rule or candidate detail within the step.", "md_bold", nullable=True),
        Column("score", "float", "Confidence of the edit (1.0 for deterministic rules).", "1.0"),
        Column("applied", "bool", "True when the edit is in the clean text; false for logged suggestions.", "true"),
    ),
    primary_key=("doc_id", "edit_id"),
    foreign_keys=(DOC_KEY,),
)

SECTIONS = Table(
    "sections",
    "Headed sections of each document (front matter before the first heading is s000), nested by level.",
    (
        doc_id_column(),
        Column("section_id", "string", "Section id, unique within the document (s000 = front matter).", "s007"),
        Column("parent", "string", "section_id of the enclosing section (e.g. the annex of a region heading).", "s006", nullable=True),
        Column("heading", "string", "Heading text as in the clean text; empty for the front matter.", "ANNEX I", nullable=True),
        Column("level", "int", "1 annex, 2 chapter (roman numeral, all caps, Markdown heading), 3 subheading; 0 front matter.", "1"),
        lang_column("Majority language of the section's paragraphs, by characters.", nullable=True),
        Column("lang_score", "float", "Share of the section's characters in that language.", "0.97", nullable=True),
        Column("page_start", "int", "Page of the heading.", "5"),
        Column("page_end", "int", "Page of the section's last character.", "9"),
        Column("char_start", "int", "Start offset in the clean text.", "20500"),
        Column("char_end", "int", "End offset (exclusive) in the clean text.", "30110"),
    ),
    primary_key=("doc_id", "section_id"),
    foreign_keys=(DOC_KEY,),
)

PARAGRAPHS = Table(
    "paragraphs",
    "Paragraphs of each document: headings, text paragraphs, whole lists, whole tables and footnotes, with their language.",
    (
        doc_id_column(),
        Column("paragraph_id", "string", "Paragraph id, unique within the document, in reading order.", "p0042"),
        Column("section_id", "string", "Section the paragraph belongs to (sections.section_id).", "s004"),
        Column("kind", "category", "text, heading, list, table, or footnote (a note, its text opening with its number as '[n] ', out of the body's flow).", "text", categories=PARAGRAPH_KINDS),
        lang_column("es, en or other (French, Portuguese passages)."),
        Column("lang_score", "float", "Confidence of the language verdict (0 when taken from a neighbour).", "0.93"),
        Column("lang_source", "category", "detected; neighbour (too short or names only: taken from the paragraph before); smoothed (weak verdict overruled by agreeing neighbours).", "detected", categories=LANG_SOURCES),
        Column("page", "int", "Page where the paragraph starts.", "3"),
        Column("char_start", "int", "Start offset in the clean text.", "10233"),
        Column("char_end", "int", "End offset (exclusive) in the clean text.", "10790"),
    ),
    primary_key=("doc_id", "paragraph_id"),
    foreign_keys=(DOC_KEY, (("doc_id", "section_id"), "sections", ("doc_id", "section_id"))),
)

TABLE_METHODS = ("ruled", "text")

DOCUMENT_TABLES = Table(
    "tables",
    "Tables of each document (a ruled table of a PDF page, or a run of tab-separated rows of a text input), one row per table; its rows are the paragraph of kind table, one line per row, cells separated by tabs.",
    (
        doc_id_column(),
        Column("table_id", "string", "Table id, unique within the document, in reading order.", "t02"),
        Column("paragraph_id", "string", "The paragraph holding the table's rows (paragraphs.paragraph_id, kind table).", "p0187"),
        Column("method", "category", "ruled (found by its ruling lines on a text-layer PDF page, each cell read in its box) or text (tab-separated rows of a text input).", "ruled", categories=TABLE_METHODS),
        Column("page", "int", "Page where the table starts.", "11"),
        Column("page_end", "int", "Page where it ends (a table that runs over a page break is one table: its repeated header row dropped, a row cut by the break rejoined).", "13"),
        Column("n_rows", "int", "Rows, the header row included once.", "16"),
        Column("n_cols", "int", "Columns (cells of its widest row).", "3"),
        Column("x0", "float", "Left edge of the table's box on its first page, in PDF points from the page's left; empty unless method is ruled.", "70.9", nullable=True),
        Column("top", "float", "Top edge of that box, in points from the page's top.", "131.8", nullable=True),
        Column("x1", "float", "Right edge of that box.", "524.4", nullable=True),
        Column("bottom", "float", "Bottom edge of that box.", "770.2", nullable=True),
        *clean_span_columns("table"),
    ),
    primary_key=("doc_id", "table_id"),
    foreign_keys=(DOC_KEY, (("doc_id", "paragraph_id"), "paragraphs", ("doc_id", "paragraph_id"))),
)

PROCESSES = Table(
    "processes",
    "Regional consultative processes and comparable inter-state dialogues: the registry (extractors/data/processes.jsonl) plus processes discovered in the corpus.",
    (
        Column("process_id", "string", "Stable process id (registry) or discovered.<slug>.", "rcm"),
        Column("name_en", "string", "English name (for discovered processes: the name as found).", "Regional Conference on Migration", nullable=True),
        Column("name_es", "string", "Spanish name.", "Conferencia Regional sobre Migración", nullable=True),
        Column("acronyms", "list", "Acronyms in English and Spanish.", "RCM; CRM", nullable=True),
        Column("aliases", "list", "Other names.", "Puebla Process; Proceso de Puebla", nullable=True),
        Column("region", "string", "Region the process covers.", "North and Central America", nullable=True),
        Column("founded_year", "int", "Year the process was established.", "1996", nullable=True),
        Column("source", "category", "registry or discovered.", "registry", categories=PROCESS_SOURCES),
    ),
    primary_key=("process_id",),
)

PROCESS_MENTIONS = Table(
    "process_mentions",
    "Every mention of a process in the corpus.",
    (
        doc_id_column(),
        Column("mention_id", "string", "Mention id, unique within the document, in text order.", "m0007"),
        Column("process_id", "string", "processes.process_id.", "rcm"),
        Column("text", "string", "The mention as written.", "Proceso de Puebla"),
        Column("page", "int", "Page of the mention.", "2"),
        Column("section_id", "string", "sections.section_id of the mention.", "s003"),
        *clean_span_columns("mention"),
        lang_column(),
        rule_column(),
    ),
    primary_key=("doc_id", "mention_id"),
    foreign_keys=(DOC_KEY, PROCESS_KEY),
)

def membership_columns() -> tuple[Column, ...]:
    """The columns of memberships and membership_candidates (one declaration for both)."""
    return (
        doc_id_column(),
        Column("membership_id", "string", "Row id, unique within the document, in text order.", "mb0003"),
        Column("process_id", "string", "processes.process_id: the process the statement's sentence names, else its paragraph's or section's, else the document's main process.", "rcm"),
        Column("member_type", "category", "country or organization.", "country", categories=MEMBER_TYPES),
        Column("member_id", "string", "ISO 3166-1 alpha-3 code (historical codes such as SCG included) or an organisation id (extractors/data/organizations.jsonl).", "BLZ"),
        Column("member_name", "string", "The name as written.", "Belice"),
        Column("role", "category", "member, observer, or participant (took part in a session of the process itself: 'con la participación de', 'reunidos en la Quinta Conferencia').", "member", categories=ROLES),
        Column("basis", "category", "What the statement is: stated (a member or observer list or predicate), participation (in a session), signatory (signed its declaration), founding (founded it), table (a members column of a table), list (a list of names no cue rule read, kept by the model's confidence).", "stated", categories=BASES),
        Column("year", "int", "Year the statement holds for: the session's year for a participant; for a signatory, founder or joiner the one year its sentence states; else the document's cover year.", "2004", nullable=True),
        Column("event_id", "string", "For a participant: events.event_id of the session, when it is extracted (event_candidates.event_id when the event model held the session for review).", "e003", nullable=True),
        Column("note", "string", "A count the text states that differs from the names found ('the heading states 15, 4 names listed'); never filled in.", "the heading states 15, 4 names listed", nullable=True),
        Column("page", "int", "Page of the first statement; empty for a row a reviewer added.", "1", nullable=True),
        *clean_span_columns("member's name (first statement)", nullable=True),
        Column("evidence", "string", "The sentence or table row stating it (first statement, shortened).", "Los países miembros son: Belice, Canadá, …"),
        rule_column(),
        Column("confidence", "float", "How sure the membership model is (0-1): a logistic regression over the row's evidence ids, weights in extractors/data/membership_model.json (make train). Rows under --min-confidence (default 0.6, the best pooled leave-one-document-out F1) are in membership_candidates instead.", "0.93"),
        Column("evidence_ids", "list", "Every piece of evidence that fired for the row's best candidate (extractors/patterns/membership_evidence.jsonl ids with their window, list shape, scope the process came from, the cue rule's basis).", "cue.member.before | list.size6 | scope.sentence", separator=" | "),
        Column("n_mentions", "int", "Statements of the same membership in the document.", "2"),
        Column("mention_spans", "list", "Where the document states it: each statement's name as 'start-end' offsets in the clean text, the first being char_start-char_end, each place once; empty for a row a reviewer added.", "402-408; 1530-1536", nullable=True),
        *review_columns(),
    )


def model_decided_table(name: str, description: str, columns: tuple[Column, ...], row_id: str) -> Table:
    """A table a model splits in two (memberships / membership_candidates, events /
    event_candidates): the same columns and keys for both halves."""
    # no foreign key on memberships' (doc_id, event_id): Table Schema rejects a composite key
    # with an empty part, and most rows have no session
    return Table(name, description, columns, primary_key=("doc_id", row_id), foreign_keys=(DOC_KEY, PROCESS_KEY))


MEMBERSHIPS = model_decided_table(
    "memberships",
    "Stated members, observers and participants of processes, one row per (document, process, member, role) whose confidence is at least --min-confidence.",
    membership_columns(), "membership_id")
MEMBERSHIP_CANDIDATES = model_decided_table(
    "membership_candidates",
    "Membership rows the model scored under --min-confidence: kept for review, not counted as memberships (ids mc0001, ...).",
    membership_columns(), "membership_id")

def event_columns() -> tuple[Column, ...]:
    """The columns of events and event_candidates (one declaration for both)."""
    return (
        doc_id_column(),
        Column("event_id", "string", "Event id, unique within the document across events and event_candidates.", "e004"),
        Column("kind", "category", "Kind of event.", "seminar", categories=EVENT_KINDS),
        Column("title", "string", "Title, or the kind word and what names it for an untitled dated meeting; a title written in capitals is given in title case.", "Seminario sobre Migración y Salud"),
        Column("title_as_written", "string", "The title as the text writes it.", "SEMINARIO SOBRE MIGRACIÓN Y SALUD"),
        Column("session_number", "int", "Number of a numbered session, from any notation: Roman numerals ('VI Conferencia'), ordinal words in Spanish and English ('Sexta', 'Sixth'), '6th', '1ª', '1°'.", "6", nullable=True),
        Column("catalog_id", "string", "event_catalog.catalog_id: the real-world event this row is one mention of, across the corpus.", "rcm-conference-7", nullable=True),
        Column("year", "int", "Year of the event when stated.", "2004", nullable=True),
        *date_columns("event's dates when stated", nullable=True, precision="date_precision"),
        Column("date_precision", "category", "day, month or year.", "day", nullable=True, categories=PRECISIONS),
        Column("location", "string", "Place as written (usually a city).", "Antigua", nullable=True),
        Column("location_rule_id", "string", "Id of the rule that read the place (location.*: after the title, in parentheses, after a held verb, elsewhere in the sentence, …); every place is a gazetteer name (extractors/places.py); empty without a location.", "location.held_in", nullable=True),
        Column("process_id", "string", "Process the sentence, paragraph or section ties the event to.", "rcm", nullable=True),
        lang_column(),
        Column("page", "int", "Page of the first mention; empty for a row a reviewer added.", "3", nullable=True),
        *clean_span_columns("first mention", nullable=True),
        Column("evidence", "string", "Text around the first mention.", "…Seminario sobre Migración y Salud (2004)…"),
        Column("rule_id", "string", "Id of the title step that found the event (extractors/patterns/event_rules.jsonl: event.titled.*, event.dated, event.list_item, …).", "event.titled.capitalised"),
        Column("year_rule_id", "string", "Id of the dating strategy that gave the year (extractors/patterns/event_rules.jsonl: year.*); empty when the event has no year.", "year.parens", nullable=True),
        Column("confidence", "float", "How sure the event model is (0-1): a logistic regression over the row's evidence ids, weights in extractors/data/event_model.json (make train). Rows under --min-event-confidence are in event_candidates instead.", "0.91"),
        Column("evidence_ids", "list", "The evidence the confidence rests on (extractors/event_model.py): the title rule, the dating strategy, date precision, place and process found, the title's shape, the document's number of events.", "event.titled.capitalised | year.parens | precision.day", separator=" | "),
        Column("mention_spans", "list", "Where the document mentions it with the same title and year: 'start-end' offsets in the clean text, the first being char_start-char_end, each place once; empty for a row a reviewer added.", "798-838; 2210-2250", nullable=True),
        *review_columns(),
    )


EVENTS = model_decided_table(
    "events",
    "Workshops, seminars, conferences, meetings and other events, one row per distinct event per document whose confidence is at least --min-event-confidence.",
    event_columns(), "event_id")
EVENT_CANDIDATES = model_decided_table(
    "event_candidates",
    "Event rows the model scored under --min-event-confidence: kept for review, not counted as events (their ids continue the document's event ids).",
    event_columns(), "event_id")

DATES = Table(
    "dates",
    "Every calendar date or date range with at least month precision.",
    (
        doc_id_column(),
        Column("date_id", "string", "Date id, unique within the document, in text order.", "d0012"),
        Column("text", "string", "The date expression as written.", "29-31 de octubre de 2002"),
        *date_columns("date or range", nullable=False, precision="precision"),
        Column("precision", "category", "day, month or year.", "day", categories=PRECISIONS),
        Column("is_range", "bool", "True for a range.", "true"),
        Column("page", "int", "Page of the date.", "1"),
        Column("section_id", "string", "sections.section_id.", "s001"),
        *clean_span_columns("date"),
        lang_column(),
        rule_column(),
        *review_columns(),
    ),
    primary_key=("doc_id", "date_id"),
    foreign_keys=(DOC_KEY,),
)

def reviewer_columns() -> tuple[Column, Column]:
    return (Column("reviewer", "string", "Who decided.", "ana", nullable=True),
            Column("note", "string", "The reviewer's note.", "p. 4 lists it among the observers", nullable=True))


DECIDED_TABLE_NAMES = ("memberships", "membership_candidates", "events", "event_candidates", "dates")
DECISION_STATUSES = ("applied", "no_row", "no_document", "row_exists", "invalid")

REJECTED_ROWS = Table(
    "rejected_rows",
    "Rows a reviewer rejected in the decisions file (review/decisions.csv): out of their tables, kept here with the decision.",
    (
        Column("table", "category", "The table the row left.", "memberships", categories=DECIDED_TABLE_NAMES),
        doc_id_column(),
        Column("row_id", "string", "The row's id in that table (membership_id, event_id or date_id) in this run.", "mb0003"),
        Column("row_key", "string", "The row's natural key, as the decisions file names it.", "process_id=rcm; member_id=BLZ; role=member"),
        Column("line", "int", "Line of the decision in the decisions file.", "4"),
        *reviewer_columns(),
        Column("row", "string", "The whole row as the rules made it, as JSON.", '{"member_id": "BLZ", …}'),
    ),
    primary_key=("table", "doc_id", "row_id"),
    foreign_keys=(DOC_KEY,),
)

REVIEW_DECISIONS = Table(
    "review_decisions",
    "Every decision of the decisions file (review/decisions.csv, or --decisions) and what became of it in this run.",
    (
        Column("line", "int", "Line in the decisions file (the header is line 1).", "4"),
        Column("document", "string", "The document as the decision names it: the source file's sha256 (or its first 12+ hex digits), or a doc_id.", "3f1c…"),
        Column("doc_id", "string", "The document of this run it names; empty when none.", "crm-ppt-report_2002-2003_es", nullable=True),
        Column("table", "string", "memberships, events or dates.", "memberships"),
        Column("key", "string", "The row's natural key: memberships process_id, member_id, role; events title, year; dates text, char_start.", "process_id=rcm; member_id=BLZ; role=member"),
        Column("action", "string", "accept, reject, set (the fields in change) or add (a row made of key and change).", "set"),
        Column("change", "string", "field=value pairs for set and add, joined by '; '.", "role=observer", nullable=True),
        *reviewer_columns(),
        Column("status", "category", "applied; no_row (no row of the document has the key: the rules no longer find it); no_document (no document of the run has that sha256 or doc_id); row_exists (an add whose row the rules now find); invalid (see detail).", "applied", categories=DECISION_STATUSES),
        Column("row_ids", "list", "Ids of the rows the decision changed (membership_id, event_id or date_id; for an add, the new row's; for row_exists, the rows the rules found).", "mb0003", nullable=True),
        Column("detail", "string", "Why a decision was not applied, or how its row was matched ('matched loosely on title').", "no row of the document has this key", nullable=True),
    ),
    primary_key=("line",),
)

PROCESS_PROFILES = Table(
    "process_profiles",
    "One row per process seen in the corpus: how often, when, with which members and events (cross-document).",
    (
        Column("process_id", "string", "processes.process_id.", "rcm"),
        Column("name_en", "string", "English name.", "Regional Conference on Migration", nullable=True),
        Column("name_es", "string", "Spanish name.", "Conferencia Regional sobre Migración", nullable=True),
        Column("source", "category", "registry or discovered.", "registry", categories=PROCESS_SOURCES),
        Column("n_documents", "int", "Documents that mention the process.", "5"),
        Column("n_mentions", "int", "Mentions across the corpus.", "98"),
        Column("doc_ids", "list", "Documents that mention it.", "crm-ppt-report_2002-2003_es; …"),
        Column("first_year_seen", "int", "Earliest year among its events and the cover dates of documents mentioning it.", "1996", nullable=True),
        Column("last_year_seen", "int", "Latest such year.", "2008", nullable=True),
        Column("members", "list", "Member ids (ISO3 or organisation).", "BLZ; CAN; CRI", nullable=True),
        Column("observers", "list", "Observer ids.", "ARG; COL; iom", nullable=True),
        Column("membership_sources", "list", "Each member/observer with the documents stating it: 'BLZ=doc1,doc2'.", "BLZ=crm-puebla-brochure_2004_ocr_es", nullable=True),
        Column("n_events", "int", "Distinct events tied to the process (per document).", "12"),
        Column("earliest_event", "date", "First day of the earliest event (its date, else 1 January of its year).", "1996-03-01", nullable=True),
        Column("latest_event", "date", "Last day of the latest event (its date, else 31 December of its year).", "2004-12-31", nullable=True, bound="end"),
    ),
    primary_key=("process_id",),
    foreign_keys=(PROCESS_KEY,),
)

PROCESS_MEMBERS = Table(
    "process_members",
    "Long form of stated memberships across the corpus: one row per (process, member, role); conflicting roles keep both rows.",
    (
        process_id_column(),
        *member_columns(),
        Column("member_name", "string", "Name as first written.", "Belice"),
        Column("role", "category", "member, observer or participant.", "member", categories=ROLES),
        Column("n_documents", "int", "Documents stating it.", "3"),
        Column("doc_ids", "list", "Those documents.", "crm-puebla-brochure_2004_ocr_es; oas-migration-programs-summary_2008_en"),
        Column("role_conflict", "bool", "True when another document states the other role for the same process and member.", "false"),
    ),
    primary_key=("process_id", "member_id", "role"),
    foreign_keys=(PROCESS_KEY,),
)

EVENT_CATALOG = Table(
    "event_catalog",
    "One row per real-world event across the corpus: numbered sessions are one event per (process, kind, session number); other events per kind, year and similar title.",
    (
        Column("catalog_id", "string", "Id of the event: '<process>-<kind>-<number>' for a numbered session, else '<year>-<kind>-<title words>'.", "rcm-conference-7"),
        Column("process_id", "string", "processes.process_id, when a document ties the event to a process.", "rcm", nullable=True),
        Column("kind", "category", "Kind of event.", "conference", categories=EVENT_KINDS),
        Column("session_number", "int", "Number of the session, for numbered sessions.", "7", nullable=True),
        Column("title", "string", "The title most documents give it (the longest among equals).", "VII Conferencia Regional sobre Migración"),
        Column("year", "int", "Year of the event when a document states it.", "2002", nullable=True),
        Column("date_start", "date", "Earliest first day any document gives it.", "2002-05-01", nullable=True),
        Column("date_end", "date", "Latest last day any document gives it.", "2002-05-31", nullable=True, bound="end"),
        Column("location", "string", "Place as first written.", "Antigua", nullable=True),
        Column("n_documents", "int", "Documents that mention it.", "2"),
        Column("doc_ids", "list", "Those documents.", "crm-ppt-report_2002-2003_es"),
    ),
    primary_key=("catalog_id",),
    foreign_keys=(PROCESS_KEY,),
)

MEMBERSHIP_PANEL = Table(
    "membership_panel",
    "Process × member × year across the corpus (the shape of the Correlates of War IGO state-year data): the strongest status any document states for that year (member > observer > participant), with the evidence behind the cell. Memberships without a year (no session year and no cover date) are left out.",
    (
        process_id_column(),
        *member_columns(),
        Column("year", "int", "The year the statements hold for (memberships.year).", "2004"),
        Column("status", "category", "The strongest role stated for that year: member, else observer, else participant.", "member", categories=ROLES),
        Column("n_documents", "int", "Documents stating any role for that process, member and year.", "2"),
        Column("doc_ids", "list", "Those documents.", "crm-puebla-brochure_2004_ocr_es"),
        Column("evidence_doc_id", "string", "Document of the first statement of that status (by doc_id, then offset).", "crm-puebla-brochure_2004_ocr_es"),
        Column("evidence_char_start", "int", "Its offset in that document's clean text; empty for a membership a reviewer added.", "2215", nullable=True),
        Column("evidence_rule_id", "string", "The rule that found it.", "member.es.noun_be"),
    ),
    primary_key=("process_id", "member_id", "year"),
    foreign_keys=(PROCESS_KEY,),
)

EVALUATION = Table(
    "evaluation",
    "Scores of the last `make evaluate` against tests/gold/ and the real development set (long format: pivot on metric).",
    (
        Column("set", "category", "seed (the corpus against tests/gold/), realdev (../shared/realdev), realdev2 (../shared/realdev2) or dev_pdfs (the PDFs of tests/gold/dev_pdfs.toml against their text's gold).", "seed", categories=("seed", "realdev", "realdev2", "dev_pdfs")),
        Column("scope", "string", "document (one gold document), input_kind (text, text-layer pdf, ocr) or micro (all).", "micro"),
        Column("name", "string", "The doc_id, input kind, or 'all'.", "all"),
        Column("type", "string", "What is scored: processes, memberships, events, events_title_only, event_locations (the places of matched events), dates, document, repair, language.", "dates"),
        Column("metric", "string", "tp, fp, fn, precision, recall, f1; for repair: wer_raw, wer_clean, fixed_share, false_edit_rate, ...; for language: accuracy.", "f1"),
        Column("value", "float", "The figure; empty when undefined (e.g. precision with nothing predicted).", "0.93", nullable=True),
    ),
    primary_key=("set", "scope", "name", "type", "metric"),
)

RUN_TABLES: dict[str, Table] = {t.name: t for t in (
    DOCUMENTS, PAGES, CORRECTIONS, SECTIONS, PARAGRAPHS, DOCUMENT_TABLES, PROCESSES, PROCESS_MENTIONS, MEMBERSHIPS,
    MEMBERSHIP_CANDIDATES, EVENTS, EVENT_CANDIDATES, DATES, REJECTED_ROWS, REVIEW_DECISIONS)}
EXTRACTED_TABLES = ("processes", "process_mentions", "memberships", "membership_candidates", "events",
                    "event_candidates", "dates")
CORPUS_TABLES: dict[str, Table] = {t.name: t for t in (PROCESS_PROFILES, PROCESS_MEMBERS, MEMBERSHIP_PANEL,
                                                       EVENT_CATALOG)}
TABLES: dict[str, Table] = RUN_TABLES | CORPUS_TABLES | {EVALUATION.name: EVALUATION}


def arrow_type(column: Column) -> pa.DataType:
    import pyarrow as pa

    if column.dtype == "date":
        return pa.date32()
    if column.dtype == "list":
        return pa.list_(pa.string())
    if column.dtype == "category":
        return pa.dictionary(pa.int32(), pa.string())
    return pa.type_for_alias(SCALAR_DTYPES[column.dtype][1])


def arrow_schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c), nullable=c.nullable) for c in table.columns])


def pandas_dtype(column: Column):
    """The dtype ``load()`` gives the column: pandas' nullable scalars, a categorical with the
    declared categories, and Arrow-backed date32 and list<string>."""
    import pandas as pd

    if column.dtype in ("date", "list"):
        return pd.ArrowDtype(arrow_type(column))
    if column.dtype == "category":
        return pd.CategoricalDtype(list(column.categories))
    # resolved, not the alias: pandas finds 'string' equal to the NaN-valued 'str' of a CSV read too
    return pd.api.types.pandas_dtype(SCALAR_DTYPES[column.dtype][0])


def rows_to_frame(table: Table, rows: list[dict]) -> pd.DataFrame:
    """Rows → DataFrame with the declared columns, order and dtypes, as ``load`` reads them
    back once written; raises TableError on missing or unknown columns, nulls in
    non-nullable columns, or uncastable values."""
    return frame_to_declared(table, arrow_to_frame(columns_to_arrow(table, rows_to_columns(table, rows))))


def arrow_to_frame(arrow: pa.Table) -> pd.DataFrame:
    """An Arrow table as a DataFrame in the dtypes ``load`` declares, converted by Arrow:
    text, ints, floats and booleans as pandas' nullable dtypes, dates and lists Arrow-backed
    (a list read from Parquet, which names its items 'element', as list<item: string>).
    Converting them value by value afterwards was most of reading the tables (issue 33)."""
    import pandas as pd
    import pyarrow as pa

    listed = pa.list_(pa.string())
    for i, field in enumerate(arrow.schema):
        if pa.types.is_list(field.type) and pa.types.is_string(field.type.value_type) and field.type != listed:
            arrow = arrow.set_column(i, field.with_type(listed), arrow.column(i).cast(listed))
    nullable = {pa.type_for_alias(arrow): pd.api.types.pandas_dtype(dtype) for dtype, arrow in SCALAR_DTYPES.values()}

    def declared(arrow_type):
        if pa.types.is_date32(arrow_type) or pa.types.is_list(arrow_type):
            return pd.ArrowDtype(arrow_type)
        return nullable.get(arrow_type)

    return arrow.to_pandas(types_mapper=declared)


def rows_to_columns(table: Table, rows: list[dict]) -> dict[str, list]:
    """Rows → each declared column's values as the declaration has them (a missing key is
    None; dates as days at the column's bound, lists of strings, categories checked); raises
    TableError as ``rows_to_frame`` does. What both the Parquet and the CSV writer start from,
    without a DataFrame between (issue 33: pandas took most of writing the tables)."""
    names = table.column_names
    known = set(names)
    unknown = {key for row in rows for key in row if key not in known}
    if unknown:
        raise TableError(f"{table.name}: undeclared columns {sorted(unknown)}")
    if not rows:
        given = [[] for _ in names]
    elif len(names) == 1:
        given = [[row.get(names[0]) for row in rows]]
    else:
        try:  # the rows' values column by column in one pass (rows usually have every column)
            given = list(zip(*map(operator.itemgetter(*names), rows)))
        except KeyError:  # a row without some column: None there
            given = [[row.get(name) for row in rows] for name in names]
    columns = {}
    for col, values in zip(table.columns, given):
        try:
            values = declared_values(col, list(values))
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise TableError(f"{table.name}.{col.name}: values are not {col.dtype} ({exc})") from exc
        if not col.nullable and None in values:
            bad = sum(v is None for v in values)
            raise TableError(f"{table.name}.{col.name}: {bad} empty value(s) in a non-nullable column")
        columns[col.name] = values
    return columns


# the Python types a column's values may already all have (None aside): they are taken as
# they are, the rest converted one by one (_DECLARED_VALUE)
_TAKEN_AS_GIVEN = {"string": {str}, "int": {int}, "bool": {bool}, "float": {float}, "category": {str},
                   "list": {list}, "date": {dt.date}}


def declared_values(column: Column, values: list) -> list:
    """A column's values as its declaration has them (``_DECLARED_VALUE`` each), taken as
    they are when their types already are the declared ones: converting every value one by
    one was most of writing the tables."""
    dtype = column.dtype
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= _TAKEN_AS_GIVEN[dtype]:
        if dtype == "float":
            return [None if v != v else v for v in values]  # NaN: an empty cell
        if ((dtype != "category" or set(values) - {None} <= set(column.categories))
                and (dtype != "list" or all(type(item) is str for v in values if v for item in v))):
            return values
    elif dtype == "date" and kinds == {str}:  # ISO texts: each distinct one read once
        days = {text: value_to_date(text, column.bound) for text in set(values) - {None}}
        return [None if v is None else days[v] for v in values]
    convert = _DECLARED_VALUE[dtype]  # (a value outside the categories is refused here)
    return [convert(column, v) for v in values]


def _declared_string(column: Column, value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return None if is_missing(value) else str(value)


def _declared_int(column: Column, value) -> int | None:
    if value is None:
        return None
    if isinstance(value, (bool, str)):
        return int(value)  # text as int() reads it (" 3", not "3.0"), as pandas did
    if is_missing(value):
        return None
    if isinstance(value, float) or hasattr(value, "is_integer"):
        if not float(value).is_integer():
            raise TypeError(f"{value!r} is not a whole number")
    return int(value)


def _declared_float(column: Column, value) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        return float(value)  # as pandas did: "1e3", and "nan" a NaN, not an empty cell
    return None if is_missing(value) else float(value)


def _declared_bool(column: Column, value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise TypeError(f"{value!r} is text")
    if is_missing(value):
        return None
    if value not in (0, 1):  # True, False, 0 and 1 (and their numpy kin)
        raise TypeError(f"{value!r} is not a truth value")
    return bool(value)


def _declared_category(column: Column, value) -> str | None:
    value = _declared_string(column, value)
    if value is not None and value not in column.categories:
        raise ValueError(f"[{value!r}] not among {list(column.categories)}")
    return value


_DECLARED_VALUE = {
    "string": _declared_string, "int": _declared_int, "float": _declared_float, "bool": _declared_bool,
    "category": _declared_category,
    "date": lambda column, value: value_to_date(value, column.bound),
    "list": lambda column, value: value_to_list(value, column.separator),
}


def columns_to_arrow(table: Table, columns: dict[str, list]) -> pa.Table:
    """``rows_to_columns``' values as an Arrow table of the declared schema (a category as
    indices into its declared categories, as a pandas categorical of them was written)."""
    import pyarrow as pa

    arrays = []
    for col in table.columns:
        values = columns[col.name]
        if col.dtype == "category":
            index = {c: i for i, c in enumerate(col.categories)}
            arrays.append(pa.DictionaryArray.from_arrays(
                pa.array([None if v is None else index[v] for v in values], pa.int32()),
                pa.array(col.categories, pa.string())))
        else:
            try:
                arrays.append(pa.array(values, arrow_type(col)))
            except (TypeError, ValueError, ArithmeticError) as exc:  # an int beyond 64 bits
                raise TableError(f"{table.name}.{col.name}: values are not {col.dtype} ({exc})") from exc
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))


def columns_to_csv_rows(table: Table, columns: dict[str, list]) -> list[tuple]:
    """What the CSV holds of ``rows_to_columns``' values, row by row: lists joined by their
    column's separator, dates as ISO days, text made safe for spreadsheets (``csv_safe``;
    Parquet keeps the true value); None an empty cell."""
    cells = []
    for col in table.columns:
        values = columns[col.name]
        if col.dtype == "list":
            values = [None if v is None else csv_safe(col.separator.join(v)) for v in values]
        elif col.dtype == "date":
            values = [None if v is None else v.isoformat() for v in values]
        elif col.dtype == "string":
            values = csv_safe_texts(values)
        cells.append(values)
    return list(zip(*cells))


def frame_to_declared(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise TableError(f"{table.name}: missing columns {missing}")
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        try:
            out[col.name] = series_to_declared(col, frame[col.name])
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise TableError(f"{table.name}.{col.name}: values are not {col.dtype} ({exc})") from exc
        if not col.nullable and out[col.name].isna().any():
            bad = int(out[col.name].isna().sum())
            raise TableError(f"{table.name}.{col.name}: {bad} empty value(s) in a non-nullable column")
    return out.reset_index(drop=True)


def series_to_declared(column: Column, series: pd.Series) -> pd.Series:
    import pandas as pd

    dtype = pandas_dtype(column)
    if column.dtype != "category" and series.dtype == dtype:
        return series
    if column.dtype == "date":
        values = [value_to_date(v, column.bound) for v in series]
        return pd.Series(values, index=series.index, dtype=dtype)
    if column.dtype == "list":
        values = [value_to_list(v, column.separator) for v in series]
        return pd.Series(values, index=series.index, dtype=dtype)
    if column.dtype == "category":
        if (isinstance(series.dtype, pd.CategoricalDtype) and not series.dtype.ordered
                and series.dtype.categories.dtype == dtype.categories.dtype
                and list(series.dtype.categories) == list(column.categories)):
            # as written: the declared categories in their order (compared as lists: pandas
            # finds two unordered categorical dtypes equal whatever the order of their categories)
            return series
        present = set(series.dropna().astype(str))
        unknown = present - set(column.categories)
        if unknown:
            raise ValueError(f"{sorted(unknown)[:5]} not among {list(column.categories)}")
        return series.astype("string").astype(dtype)
    return series.astype(dtype)


def is_missing(value) -> bool:
    """None, NaN, pd.NA or NaT (not a list, whose truth pandas cannot tell)."""
    import pandas as pd

    return not isinstance(value, (list, tuple)) and not hasattr(value, "__array__") and bool(pd.isna(value))


def value_to_date(value, bound: str = "start") -> dt.date | None:
    """A date from a date, a timestamp or an ISO string at day, month or year precision; for
    a month or year, its first day (bound start) or last day (bound end)."""
    if value is None or isinstance(value, str) and not value.strip() or not isinstance(value, str) and is_missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    return iso_to_interval(str(value))[0 if bound == "start" else 1]


def iso_to_interval(text: str) -> tuple[dt.date, dt.date]:
    """'2002-10-29' → (that day, that day); '2002-10' → (1 Oct, 31 Oct); '2002' → (1 Jan, 31 Dec)."""
    parts = [int(p) for p in text.strip()[:10].split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day
    if len(parts) == 2:
        year, month = parts
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31)
    raise ValueError(f"not an ISO date: {text!r}")


def iso_at_precision(day, precision: str | None) -> str | None:
    """The ISO form of a day cut to its precision (day, month, year): the inverse of
    ``iso_to_interval`` for either bound."""
    day = value_to_date(day)
    if day is None:
        return None
    text = day.isoformat()
    return {"year": text[:4], "month": text[:7]}.get(precision or "day", text)


def value_to_list(value, separator: str = DEFAULT_LIST_SEPARATOR) -> list[str] | None:
    if value is None or isinstance(value, str) and not value:
        return None
    if isinstance(value, str):  # as joined in a CSV
        return value.split(separator)
    if not isinstance(value, (list, tuple)) and not hasattr(value, "__array__") and is_missing(value):
        return None
    return [str(v) for v in value]


# A text cell a spreadsheet would run as a formula ('=HYPERLINK(…)' in a report's line, a
# file named '+cmd.txt'): the CSV gets it with a leading apostrophe (OWASP's advice for CSV
# injection), as does a cell that starts with an apostrophe, so reading drops exactly one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_safe(value):
    """A text cell as the CSV holds it: ``'`` before one that a spreadsheet would evaluate."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def csv_safe_texts(values: list) -> list:
    """``csv_safe`` of each of a column's texts (or None) in one comprehension: a call per
    cell was a twelfth of writing the tables."""
    return [v if v is None or not v.startswith(FORMULA_START) else "'" + v for v in values]


def csv_unsafe(value):
    """The text cell a CSV cell stands for (``csv_safe`` undone)."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def type_note(column: Column) -> str:
    """How the data dictionary explains a column's type beyond its name."""
    if column.dtype == "category":
        return "Values: " + ", ".join(f"`{c}`" for c in column.categories) + "."
    if column.dtype == "list":
        return f"In the CSV the items are joined by `{column.separator}`."
    if column.dtype == "date":
        return "Parquet date32; in the CSV YYYY-MM-DD."
    return ""


def data_dictionary(tables: dict[str, Table] = TABLES) -> str:
    """The Markdown data dictionary written to output/README.md."""
    lines = [
        "# Output tables",
        "",
        "Generated by the pipeline from its table declarations (pipeline/output/tables.py); do not edit.",
        "Each table is written as `<name>.parquet` (typed) and `<name>.csv` (UTF-8, same columns).",
        "In the CSV a text cell that starts with = + - @ a tab, a carriage return or an apostrophe",
        "has an apostrophe put before it, so a spreadsheet shows it as text instead of running it",
        "as a formula; `load()` and the Parquet files give the true value.",
        "Load them with `from pipeline import load; tables = load('output')`: dates come as",
        "`date32[pyarrow]`, lists as `list<string>[pyarrow]`, enumerations as categoricals with",
        "the categories listed here, whichever of the two files is read.",
        "",
    ]
    for table in tables.values():
        lines += [f"## {table.name}", "", table.description, ""]
        if table.primary_key:
            lines += [f"Primary key: {', '.join(table.primary_key)}.", ""]
        lines += ["| column | type | nullable | meaning | example |", "|---|---|---|---|---|"]
        for c in table.columns:
            meaning = f"{c.meaning} {type_note(c)}".strip()
            lines.append(f"| {c.name} | {c.dtype} | {'yes' if c.nullable else 'no'} | {meaning} | {c.example} |")
        lines.append("")
    return "\n".join(lines)
