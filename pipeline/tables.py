"""Every output table, declared once.

The Parquet schema, the CSV column order, validation before writing and the data
dictionary (output/README.md) are all derived from these declarations.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# pandas and pyarrow are imported where tables are built or written, not here: the
# declarations are also read by an unchanged re-run, which should start in well under a second
DTYPES = {  # declaration dtype → (pandas dtype, arrow type alias)
    "string": ("string", "string"),
    "int": ("Int64", "int64"),
    "float": ("Float64", "float64"),
    "bool": ("boolean", "bool"),
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    dtype: str
    meaning: str
    example: str = ""
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


class TableError(ValueError):
    """A table's rows violate its declaration."""


def doc_id_column() -> Column:
    return Column("doc_id", "string", "Document id (documents.doc_id).", "mc-inf-266_2003_regional-dialogues_es-en")


def clean_span_columns(what: str) -> tuple[Column, Column]:
    return (Column("char_start", "int", f"Start offset of the {what} in corpus/clean/<doc_id>.txt.", "1520"),
            Column("char_end", "int", f"End offset (exclusive) of the {what} in the clean text.", "1561"))


def rule_column() -> Column:
    return Column("rule_id", "string", "Id of the rule that produced the row (extractors/patterns/*.jsonl, extractors/data/*.jsonl).", "process.rcm.name_es")


DOCUMENTS = Table(
    "documents",
    "One row per input document: where it came from and how ingestion went.",
    (
        Column("doc_id", "string", "Stable document id: the file name without extension (unique in the corpus).", "mc-inf-266_2003_regional-dialogues_es-en"),
        Column("source_path", "string", "Path of the source file as given to the pipeline.", "corpus/raw/mc-inf-266_2003_regional-dialogues_es-en.txt"),
        Column("sha256", "string", "SHA-256 of the source file's bytes.", "3f1c…"),
        Column("format", "string", "Input format: txt, md, html, pdf, image, or the unsupported extension.", "pdf"),
        Column("n_pages", "int", "Pages in the document (1 for text files; 0 when unreadable).", "13"),
        Column("n_ocr_pages", "int", "Pages whose text came from OCR.", "13"),
        Column("n_chars", "int", "Characters in the clean text (corpus/clean/<doc_id>.txt).", "52310"),
        Column("language", "string", "Main language of the body (ISO 639-1: es, en, or other), by characters of its paragraphs.", "es", nullable=True),
        Column("original_language", "string", "Language the report was written in, from an 'Original: inglés' line (ISO 639-1).", "en", nullable=True),
        Column("symbol", "string", "Document symbol standing alone near the top of the first page.", "MC/INF/266", nullable=True),
        Column("doc_date", "string", "Cover date near the top, ISO 8601 (YYYY-MM-DD).", "2003-11-10", nullable=True),
        Column("status", "string", "ok, or error when the document could not be processed.", "ok"),
        Column("error", "string", "Why the document failed, in one line; empty when status is ok.", "encrypted PDF: it needs a password to open", nullable=True),
        Column("pipeline_version", "string", "Version of the pipeline that produced the row (package version + code hash).", "0.1.0+1a2b3c4d"),
    ),
)

PAGES = Table(
    "pages",
    "One row per page: how its text was obtained and where it sits in the clean text.",
    (
        doc_id_column(),
        Column("page", "int", "Page number, 1-based.", "3"),
        Column("method", "string", "text (PDF text layer), ocr (tesseract on the page image) or plain (text file).", "ocr"),
        Column("n_chars", "int", "Characters of this page in the clean text.", "4102"),
        Column("ocr_confidence", "float", "Mean tesseract word confidence (0-100); empty unless method is ocr.", "91.3", nullable=True),
        Column("char_start", "int", "Start offset of the page in corpus/clean/<doc_id>.txt.", "0"),
        Column("char_end", "int", "End offset (exclusive) of the page in the clean text.", "4102"),
        Column("removed_furniture", "string", "Running headers/footers and page numbers removed from this page, joined by ' | '.", "MC/INF/259 | - 3 -", nullable=True),
    ),
)

CORRECTIONS = Table(
    "corrections",
    "Every edit made between the source text and the clean text (the audit trail).",
    (
        doc_id_column(),
        Column("page", "int", "Page of the edited source text.", "1"),
        Column("char_start", "int", "Start offset of the edited span in the source text (corpus/clean/source/<doc_id>.txt).", "120"),
        Column("char_end", "int", "End offset (exclusive) in the source text.", "129"),
        Column("before", "string", "Source text of the span.", "**MC/INF/266**", nullable=True),
        Column("after", "string", "What replaced it (empty for a removal).", "", nullable=True),
        Column("step", "string", "Repair step: unicode, markup, furniture, ...", "markup"),
        Column("rule", "string", "Rule or candidate detail within the step.", "md_bold", nullable=True),
        Column("score", "float", "Confidence of the edit (1.0 for deterministic rules).", "1.0"),
        Column("applied", "bool", "True when the edit is in the clean text; false for logged suggestions.", "true"),
    ),
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
        Column("lang", "string", "Majority language of the section's paragraphs, by characters.", "en", nullable=True),
        Column("lang_score", "float", "Share of the section's characters in that language.", "0.97", nullable=True),
        Column("page_start", "int", "Page of the heading.", "5"),
        Column("page_end", "int", "Page of the section's last character.", "9"),
        Column("char_start", "int", "Start offset in the clean text.", "20500"),
        Column("char_end", "int", "End offset (exclusive) in the clean text.", "30110"),
    ),
)

PARAGRAPHS = Table(
    "paragraphs",
    "Paragraphs of each document: headings, text paragraphs, whole lists and whole tables, with their language.",
    (
        doc_id_column(),
        Column("paragraph_id", "string", "Paragraph id, unique within the document, in reading order.", "p0042"),
        Column("section_id", "string", "Section the paragraph belongs to (sections.section_id).", "s004"),
        Column("kind", "string", "text, heading, list or table.", "text"),
        Column("lang", "string", "es, en or other (French, Portuguese passages).", "es"),
        Column("lang_score", "float", "Confidence of the language verdict (0 when taken from a neighbour).", "0.93"),
        Column("lang_source", "string", "detected; neighbour (too short or names only: taken from the paragraph before); smoothed (weak verdict overruled by agreeing neighbours).", "detected"),
        Column("page", "int", "Page where the paragraph starts.", "3"),
        Column("char_start", "int", "Start offset in the clean text.", "10233"),
        Column("char_end", "int", "End offset (exclusive) in the clean text.", "10790"),
    ),
)

PROCESSES = Table(
    "processes",
    "Regional consultative processes and comparable inter-state dialogues: the registry (extractors/data/processes.jsonl) plus processes discovered in the corpus.",
    (
        Column("process_id", "string", "Stable process id (registry) or discovered.<slug>.", "rcm"),
        Column("name_en", "string", "English name (for discovered processes: the name as found).", "Regional Conference on Migration", nullable=True),
        Column("name_es", "string", "Spanish name.", "Conferencia Regional sobre Migración", nullable=True),
        Column("acronyms", "string", "Acronyms in English and Spanish, '; '-separated.", "RCM; CRM", nullable=True),
        Column("aliases", "string", "Other names, '; '-separated.", "Puebla Process; Proceso de Puebla", nullable=True),
        Column("region", "string", "Region the process covers.", "North and Central America", nullable=True),
        Column("founded_year", "int", "Year the process was established.", "1996", nullable=True),
        Column("source", "string", "registry or discovered.", "registry"),
    ),
)

PROCESS_MENTIONS = Table(
    "process_mentions",
    "Every mention of a process in the corpus.",
    (
        doc_id_column(),
        Column("process_id", "string", "processes.process_id.", "rcm"),
        Column("text", "string", "The mention as written.", "Proceso de Puebla"),
        Column("page", "int", "Page of the mention.", "2"),
        Column("section_id", "string", "sections.section_id of the mention.", "s003"),
        *clean_span_columns("mention"),
        Column("lang", "string", "Language of the paragraph.", "es"),
        rule_column(),
    ),
)

MEMBERSHIPS = Table(
    "memberships",
    "Stated members and observers of processes, one row per (document, process, member, role).",
    (
        doc_id_column(),
        Column("process_id", "string", "processes.process_id.", "rcm"),
        Column("member_type", "string", "country or organization.", "country"),
        Column("member_id", "string", "ISO 3166-1 alpha-3 code (historical codes such as SCG included) or an organisation id (extractors/data/organizations.jsonl).", "BLZ"),
        Column("member_name", "string", "The name as written.", "Belice"),
        Column("role", "string", "member or observer.", "member"),
        Column("page", "int", "Page of the first statement.", "1"),
        *clean_span_columns("member's name (first statement)"),
        Column("evidence", "string", "The sentence or table row stating it (first statement, shortened).", "Los países miembros son: Belice, Canadá, …"),
        rule_column(),
        Column("n_mentions", "int", "Statements of the same membership in the document.", "2"),
    ),
)

EVENTS = Table(
    "events",
    "Workshops, seminars, conferences, meetings and other events, one row per distinct event per document.",
    (
        doc_id_column(),
        Column("event_id", "string", "Event id, unique within the document.", "e004"),
        Column("kind", "string", "workshop, seminar, conference, meeting, course, forum, panel, round_table, consultation, summit, training, campaign, symposium.", "seminar"),
        Column("title", "string", "Title, or the kind word and what names it for an untitled dated meeting.", "Seminario sobre Migración y Salud"),
        Column("year", "int", "Year of the event when stated.", "2004", nullable=True),
        Column("date_start", "string", "Start date, ISO at its precision.", "2002-10-29", nullable=True),
        Column("date_end", "string", "End date, ISO at its precision.", "2002-10-31", nullable=True),
        Column("date_precision", "string", "day, month or year.", "day", nullable=True),
        Column("location", "string", "Place as written (usually a city).", "Antigua", nullable=True),
        Column("process_id", "string", "Process the sentence, paragraph or section ties the event to.", "rcm", nullable=True),
        Column("lang", "string", "Language of the paragraph.", "es"),
        Column("page", "int", "Page of the first mention.", "3"),
        *clean_span_columns("first mention"),
        Column("evidence", "string", "Text around the first mention.", "…Seminario sobre Migración y Salud (2004)…"),
        rule_column(),
    ),
)

DATES = Table(
    "dates",
    "Every calendar date or date range with at least month precision.",
    (
        doc_id_column(),
        Column("text", "string", "The date expression as written.", "29-31 de octubre de 2002"),
        Column("date_start", "string", "ISO start at its precision.", "2002-10-29"),
        Column("date_end", "string", "ISO end at its precision (= start unless a range).", "2002-10-31"),
        Column("precision", "string", "day, month or year.", "day"),
        Column("is_range", "bool", "True for a range.", "true"),
        Column("page", "int", "Page of the date.", "1"),
        Column("section_id", "string", "sections.section_id.", "s001"),
        *clean_span_columns("date"),
        Column("lang", "string", "Language of the paragraph.", "es"),
        rule_column(),
    ),
)

PROCESS_PROFILES = Table(
    "process_profiles",
    "One row per process seen in the corpus: how often, when, with which members and events (cross-document).",
    (
        Column("process_id", "string", "processes.process_id.", "rcm"),
        Column("name_en", "string", "English name.", "Regional Conference on Migration", nullable=True),
        Column("name_es", "string", "Spanish name.", "Conferencia Regional sobre Migración", nullable=True),
        Column("source", "string", "registry or discovered.", "registry"),
        Column("n_documents", "int", "Documents that mention the process.", "5"),
        Column("n_mentions", "int", "Mentions across the corpus.", "98"),
        Column("doc_ids", "string", "Documents that mention it, '; '-separated.", "crm-ppt-report_2002-2003_es; …"),
        Column("first_year_seen", "int", "Earliest year among its events and the cover dates of documents mentioning it.", "1996", nullable=True),
        Column("last_year_seen", "int", "Latest such year.", "2008", nullable=True),
        Column("members", "string", "Member ids (ISO3 or organisation), '; '-separated.", "BLZ; CAN; CRI", nullable=True),
        Column("observers", "string", "Observer ids, '; '-separated.", "ARG; COL; iom", nullable=True),
        Column("membership_sources", "string", "Each member/observer with the documents stating it: 'BLZ=doc1,doc2; …'.", "BLZ=crm-puebla-brochure_2004_ocr_es", nullable=True),
        Column("n_events", "int", "Distinct events tied to the process (per document).", "12"),
        Column("earliest_event", "string", "Earliest event date or year (ISO).", "1996-03", nullable=True),
        Column("latest_event", "string", "Latest event date or year (ISO).", "2004", nullable=True),
    ),
)

PROCESS_MEMBERS = Table(
    "process_members",
    "Long form of stated memberships across the corpus: one row per (process, member, role); conflicting roles keep both rows.",
    (
        Column("process_id", "string", "processes.process_id.", "rcm"),
        Column("member_id", "string", "ISO3 code or organisation id.", "BLZ"),
        Column("member_type", "string", "country or organization.", "country"),
        Column("member_name", "string", "Name as first written.", "Belice"),
        Column("role", "string", "member or observer.", "member"),
        Column("n_documents", "int", "Documents stating it.", "3"),
        Column("doc_ids", "string", "Those documents, '; '-separated.", "crm-puebla-brochure_2004_ocr_es; oas-migration-programs-summary_2008_en"),
        Column("role_conflict", "bool", "True when another document states the other role for the same process and member.", "false"),
    ),
)

EVALUATION = Table(
    "evaluation",
    "Scores of the last `make evaluate` against tests/gold/ (long format: pivot on metric).",
    (
        Column("scope", "string", "document (one gold document), input_kind (text, text-layer pdf, ocr) or micro (all).", "micro"),
        Column("name", "string", "The doc_id, input kind, or 'all'.", "all"),
        Column("type", "string", "What is scored: processes, memberships, events, events_title_only, dates, document, repair, language.", "dates"),
        Column("metric", "string", "tp, fp, fn, precision, recall, f1; for repair: wer_raw, wer_clean, fixed_share, false_edit_rate, ...; for language: accuracy.", "f1"),
        Column("value", "float", "The figure; empty when undefined (e.g. precision with nothing predicted).", "0.93", nullable=True),
    ),
)

RUN_TABLES: dict[str, Table] = {t.name: t for t in (
    DOCUMENTS, PAGES, CORRECTIONS, SECTIONS, PARAGRAPHS, PROCESSES, PROCESS_MENTIONS, MEMBERSHIPS, EVENTS, DATES)}
EXTRACTED_TABLES = ("processes", "process_mentions", "memberships", "events", "dates")
CORPUS_TABLES: dict[str, Table] = {t.name: t for t in (PROCESS_PROFILES, PROCESS_MEMBERS)}
TABLES: dict[str, Table] = RUN_TABLES | CORPUS_TABLES | {EVALUATION.name: EVALUATION}


def arrow_schema(table: Table) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(c.name, pa.type_for_alias(DTYPES[c.dtype][1]), nullable=c.nullable)
                      for c in table.columns])


def rows_to_frame(table: Table, rows: list[dict]) -> pd.DataFrame:
    """Rows → DataFrame with the declared columns, order and dtypes; raises TableError on
    missing or unknown columns, nulls in non-nullable columns, or uncastable values."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=table.column_names) if rows else pd.DataFrame(columns=table.column_names)
    unknown = set().union(*(r.keys() for r in rows)) - set(table.column_names) if rows else set()
    if unknown:
        raise TableError(f"{table.name}: undeclared columns {sorted(unknown)}")
    return frame_to_declared(table, frame)


def frame_to_declared(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise TableError(f"{table.name}: missing columns {missing}")
    out = pd.DataFrame(index=frame.index)
    for col in table.columns:
        try:
            out[col.name] = frame[col.name].astype(DTYPES[col.dtype][0])
        except (TypeError, ValueError) as exc:
            raise TableError(f"{table.name}.{col.name}: values are not {col.dtype} ({exc})") from exc
        if not col.nullable and out[col.name].isna().any():
            bad = int(out[col.name].isna().sum())
            raise TableError(f"{table.name}.{col.name}: {bad} empty value(s) in a non-nullable column")
    return out.reset_index(drop=True)


def data_dictionary(tables: dict[str, Table] = TABLES) -> str:
    """The Markdown data dictionary written to output/README.md."""
    lines = [
        "# Output tables",
        "",
        "Generated by the pipeline from its table declarations (pipeline/tables.py); do not edit.",
        "Each table is written as `<name>.parquet` (typed) and `<name>.csv` (UTF-8, same columns).",
        "Load them with `from pipeline import load; tables = load('output')`.",
        "",
    ]
    for table in tables.values():
        lines += [f"## {table.name}", "", table.description, "",
                  "| column | type | nullable | meaning | example |", "|---|---|---|---|---|"]
        for c in table.columns:
            lines.append(f"| {c.name} | {c.dtype} | {'yes' if c.nullable else 'no'} | {c.meaning} | {c.example} |")
        lines.append("")
    return "\n".join(lines)
