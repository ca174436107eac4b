"""Reviewer decisions: a CSV the researcher edits, applied every time the tables are written.

One line per decision. A decision names its row by the document's sha256 and the row's
natural key (never by row ids or rule ids, which change when the rules do):

    document,table,key,action,change,reviewer,note
    3f1c…e2,memberships,process_id=rcm; member_id=BLZ; role=member,set,role=observer,ana,p. 4

- ``accept``: the row is right (a candidate under the confidence threshold joins its table)
- ``reject``: the row leaves its table, kept in ``rejected_rows`` with the decision
- ``set``: ``change`` holds field=value pairs; the row gets them with ``source=reviewer``
  (a candidate joins its table)
- ``add``: a row the rules missed, made of the key and ``change``, with ``rule_id=reviewer``

Every decision is listed in ``review_decisions`` with what became of it: a decision whose
row no longer exists is reported there and in the run's warnings, never dropped.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.nlp.fold import fold
from pipeline.output.tables import TABLES, Table, review_columns

DECISION_COLUMNS = ("document", "table", "key", "action", "change", "reviewer", "note")
ACTIONS = ("accept", "reject", "set", "add")
DECISIONS_FILE = Path("review") / "decisions.csv"  # inside the output folder, unless --decisions says otherwise


@dataclass(frozen=True, slots=True)
class DecidedTable:
    """A table decisions apply to: its natural key, the table of its candidates under the
    confidence threshold (or None), the prefix of the ids of rows a reviewer adds, and the
    key fields matched loosely when no row matches exactly (a title the rules now write a
    little differently; a date whose offset moved)."""

    name: str
    key: tuple[str, ...]
    candidates: str | None
    id_column: str
    added_id: str
    loose: str


DECIDED_TABLES = {t.name: t for t in (
    DecidedTable("memberships", ("process_id", "member_id", "role"), "membership_candidates", "membership_id", "mr", ""),
    DecidedTable("events", ("title", "year"), "event_candidates", "event_id", "er", "title"),
    DecidedTable("dates", ("text", "char_start"), None, "date_id", "dr", "char_start"),
)}
# every table a decided row may be in → its DecidedTable (a candidate's is the table it would join)
ROW_TABLES = {name: d for d in DECIDED_TABLES.values() for name in (d.name, d.candidates) if name}
# a row no reviewer has touched: the review columns at their declared defaults
UNREVIEWED = {column.name: column.default for column in review_columns()}
REVIEWER = "reviewer"  # rule_id of an added row; source of a row a reviewer changed
DEFAULT_TITLE_SIMILARITY = 90   # rapidfuzz ratio of folded titles for a loose match
DEFAULT_OFFSET_SLACK = 2_000    # characters a date's offset may move between runs (repair changed)
PAIR_SEPARATOR = re.compile(r";\s*(?=[a-z_]+=)")
PROTECTED = {"doc_id", "source", "decision"}  # fields no decision sets


@dataclass(frozen=True, slots=True)
class Decision:
    line: int
    document: str
    table: str
    key: tuple[tuple[str, str], ...]
    action: str
    change: tuple[tuple[str, str], ...]
    reviewer: str
    note: str

    @property
    def key_text(self) -> str:
        return pairs_to_text(self.key)

    @property
    def change_text(self) -> str:
        return pairs_to_text(self.change)


def as_rules_rows(tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The extractors' rows of the decided tables as no reviewer has touched them yet."""
    return tables | {name: [row | UNREVIEWED for row in tables[name]] for name in ROW_TABLES if name in tables}


def text_to_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """'process_id=rcm; member_id=BLZ' → (('process_id', 'rcm'), ('member_id', 'BLZ')). A
    value may hold ';' and '=' (a title): only '; name=' starts the next pair."""
    pairs = []
    for part in PAIR_SEPARATOR.split(text.strip()):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"{part!r} is not field=value")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def pairs_to_text(pairs) -> str:
    return "; ".join(f"{name}={value}" for name, value in pairs)


def key_value(value) -> str:
    """A row's value as a key writes it: missing as '', 2004.0 as '2004'."""
    if value is None or value != value or str(value) in ("<NA>", "NaT"):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_key(table: str, row: dict) -> str:
    """The row's natural key as the decisions file writes it."""
    return pairs_to_text((name, key_value(row.get(name))) for name in DECIDED_TABLES[table].key)


def decision_lines(document: str, table: str, row: dict, actions: list[tuple[str, str]]) -> list[str]:
    """The CSV lines a reviewer pastes into the decisions file, one per (action, change) on
    one row (reviewer and note left empty): a review page offers a membership's every line
    (accept, reject, each other role), its key worked out once."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="")
    key = row_key(table, row)
    lines = []
    for action, change in actions:
        out.seek(0)
        out.truncate()
        writer.writerow([document, table, key, action, change, "", ""])
        lines.append(out.getvalue())
    return lines


@dataclass(frozen=True, slots=True)
class DecisionFile:
    """The decisions a run applies: the file's decisions, report rows for its lines that are
    not decisions, and a digest of its bytes (the tables are written again when it changes)."""

    path: Path | None = None
    decisions: tuple[Decision, ...] = ()
    problems: tuple[dict, ...] = ()
    digest: str = ""


def read_decision_file(path: Path) -> DecisionFile:
    """The decisions file at ``path`` (none when it does not exist); ValueError when its header
    is not the decisions header."""
    import hashlib

    if not path.is_file():
        return DecisionFile(path)
    decisions, problems = read_decisions(path)
    if not decisions and not problems:  # the header alone (as a run writes it): no decisions
        return DecisionFile(path)
    # of what the lines say, not the bytes: the tables are written again when a decision changes
    said = json.dumps([[list(d.key), list(d.change), d.line, d.document, d.table, d.action, d.reviewer, d.note]
                       for d in decisions] + list(problems), ensure_ascii=False, sort_keys=True)
    return DecisionFile(path, tuple(decisions), tuple(problems), hashlib.sha256(said.encode()).hexdigest())


def decisions_header() -> str:
    """The first line of a new decisions file."""
    return ",".join(DECISION_COLUMNS) + "\n"


def read_decisions(path: Path) -> tuple[list[Decision], list[dict]]:
    """The file's decisions, and a report row for each line that is not one (unknown action
    or table, a key without the table's fields, a line without a document)."""
    decisions, problems = [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("document", "table", "key", "action") if c not in (reader.fieldnames or ())]
        if missing:
            raise ValueError(f"{path}: the header needs the columns {', '.join(DECISION_COLUMNS)} (missing {', '.join(missing)})")
        for line, record in enumerate(reader, start=2):
            values = {c: (record.get(c) or "").strip() for c in DECISION_COLUMNS}
            if not any(values.values()) or values["document"].startswith("#"):
                continue
            why = _invalid(values)
            if why:
                problems.append(_report_row(line, values, "invalid", [], why))
                continue
            decisions.append(Decision(line, values["document"], values["table"], text_to_pairs(values["key"]),
                                      values["action"], text_to_pairs(values["change"]), values["reviewer"], values["note"]))
    return decisions, problems


def _invalid(values: dict) -> str:
    if values["action"] not in ACTIONS:
        return f"action must be one of {', '.join(ACTIONS)}"
    if values["table"] not in DECIDED_TABLES:
        return f"table must be one of {', '.join(DECIDED_TABLES)}"
    if not values["document"]:
        return "no document (the sha256 of the source file, or its doc_id)"
    try:
        key, change = text_to_pairs(values["key"]), text_to_pairs(values["change"])
    except ValueError as exc:
        return str(exc)
    needed = DECIDED_TABLES[values["table"]].key
    if sorted(name for name, _ in key) != sorted(needed):
        return f"the key of {values['table']} is {'; '.join(f'{n}=…' for n in needed)}"
    if values["action"] == "set" and not change:
        return "set needs a change: field=value"
    columns = set(TABLES[values["table"]].column_names)
    unknown = [name for name, _ in change if name not in columns or name in PROTECTED]
    if unknown:
        return f"{', '.join(unknown)}: not a field a decision can set in {values['table']}"
    return ""


def _report_row(line: int, values: dict, status: str, row_ids: list[str], detail: str,
                doc_id: str | None = None) -> dict:
    return {"line": line, "document": values["document"], "doc_id": doc_id, "table": values["table"],
            "key": values["key"], "action": values["action"], "change": values.get("change") or None,
            "reviewer": values.get("reviewer") or None, "note": values.get("note") or None,
            "status": status, "row_ids": row_ids or None, "detail": detail or None}


def _decision_values(decision: Decision) -> dict:
    return {"document": decision.document, "table": decision.table, "key": decision.key_text,
            "action": decision.action, "change": decision.change_text, "reviewer": decision.reviewer, "note": decision.note}


def document_ids(documents: list[dict]) -> dict[str, str]:
    """What a decision may name a document by → its doc_id: the sha256 (or a prefix of at
    least 12 hex digits, resolved later) and the doc_id itself."""
    ids = {}
    for doc in documents:
        ids[str(doc["doc_id"])] = doc["doc_id"]
        if isinstance(doc.get("sha256"), str) and doc["sha256"]:
            ids[doc["sha256"].lower()] = doc["doc_id"]
    return ids


def _resolve_document(name: str, ids: dict[str, str]) -> str | None:
    if name in ids:
        return ids[name]
    lowered = name.lower()
    if len(lowered) >= 12 and re.fullmatch(r"[0-9a-f]+", lowered):
        found = {doc for sha, doc in ids.items() if len(sha) == 64 and sha.startswith(lowered)}
        if len(found) == 1:
            return found.pop()
    return None


def decisions_by_document(decisions: list[Decision], documents: list[dict]) -> tuple[dict[str, list[Decision]], list[dict]]:
    """The decisions per doc_id of this run's documents, and a report row for each decision
    naming no document of the run."""
    ids = document_ids(documents)
    by_doc: dict[str, list[Decision]] = {}
    report = []
    for decision in decisions:
        doc_id = _resolve_document(decision.document, ids)
        if doc_id is None:
            report.append(_report_row(decision.line, _decision_values(decision), "no_document", [],
                                      "no document of this run has this sha256 or doc_id"))
        else:
            by_doc.setdefault(doc_id, []).append(decision)
    return by_doc, report


def apply_decisions(tables: dict[str, list[dict]], doc_id: str,
                    decisions: list[Decision] = ()) -> tuple[dict[str, list[dict]], list[dict], list[dict]]:
    """One document's tables with its decisions applied in file order: (tables, rejected
    rows, a report row per decision). The rows come with their ``source`` and
    ``decision`` (``as_rules_rows``; an earlier version's, from their declared defaults)."""
    tables = dict(tables) | {name: [dict(row) for row in tables.get(name, [])] for name in ROW_TABLES}
    rejected, report = [], []
    for decision in decisions:
        decided = DECIDED_TABLES[decision.table]
        matches, how = _matching_rows(tables, decided, doc_id, dict(decision.key))
        if decision.action == "add":
            status, detail, ids = _add(tables, decided, doc_id, decision, matches)
        elif not matches:
            status, detail, ids = "no_row", "no row of the document has this key (the rules no longer find it?)", []
        else:
            status, detail, ids = _apply(tables, decided, decision, matches, rejected, doc_id)
            if how == "loose":
                detail = "; ".join(filter(None, [detail, f"matched loosely on {decided.loose}"]))
        report.append(_report_row(decision.line, _decision_values(decision), status, ids, detail, doc_id))
    return tables, rejected, report


def _matching_rows(tables: dict, decided: DecidedTable, doc_id: str, key: dict) -> tuple[list[tuple[str, dict]], str]:
    """(table name, row) of the document's rows whose key is the decision's: exactly, else
    loosely (one best row)."""
    rows = [(name, row) for name in (decided.name, decided.candidates) if name
            for row in tables.get(name, []) if row["doc_id"] == doc_id]
    exact = [(name, row) for name, row in rows
             if all(fold(key_value(row.get(f))).casefold() == fold(key[f]).casefold() for f in decided.key)]
    if exact or not decided.loose:
        return exact, "exact"
    fixed = [f for f in decided.key if f != decided.loose]
    same = [(name, row) for name, row in rows
            if all(fold(key_value(row.get(f))).casefold() == fold(key[f]).casefold() for f in fixed)]
    if decided.loose == "title":
        from rapidfuzz import fuzz

        scored = [(fuzz.ratio(fold(key_value(row.get("title"))).casefold(), fold(key["title"]).casefold()), name, row)
                  for name, row in same]
        scored = [s for s in scored if s[0] >= DEFAULT_TITLE_SIMILARITY]
    else:  # an offset: the nearest within the slack
        try:
            wanted = int(key[decided.loose])
        except ValueError:
            return [], "exact"
        scored = [(-abs(int(row[decided.loose]) - wanted), name, row) for name, row in same
                  if key_value(row.get(decided.loose)) and abs(int(row[decided.loose]) - wanted) <= DEFAULT_OFFSET_SLACK]
    if not scored:
        return [], "exact"
    best = max(scored, key=lambda s: s[0])
    return [(best[1], best[2])], "loose"


def _apply(tables: dict, decided: DecidedTable, decision: Decision, matches: list[tuple[str, dict]],
           rejected: list[dict], doc_id: str) -> tuple[str, str, list[str]]:
    table = TABLES[decided.name]
    for name, row in matches:
        if decision.action == "reject":
            tables[name].remove(row)
            rejected.append({"table": name, "doc_id": doc_id, "row_id": row.get(decided.id_column),
                             "row_key": row_key(decided.name, row),
                             "line": decision.line, "reviewer": decision.reviewer or None, "note": decision.note or None,
                             "row": json.dumps(_jsonable(row), ensure_ascii=False, sort_keys=True)})
            continue
        if decision.action == "set":
            try:
                row.update({field: column_value(table, field, value) for field, value in decision.change})
            except ValueError as exc:
                return "invalid", str(exc), []
            row["source"] = REVIEWER
        row["decision"] = decision.action
        if name != decided.name:  # a candidate the reviewer accepted or corrected joins its table
            tables[name].remove(row)
            tables[decided.name].append(row)
    return "applied", "", [str(row.get(decided.id_column)) for _, row in matches]


def _add(tables: dict, decided: DecidedTable, doc_id: str, decision: Decision,
         matches: list[tuple[str, dict]]) -> tuple[str, str, list[str]]:
    if matches:
        return ("row_exists", "the rules find this row now: nothing added (accept it instead)",
                [str(row.get(decided.id_column)) for _, row in matches])
    table = TABLES[decided.name]
    given = dict(decision.key) | dict(decision.change)
    try:
        row = {field: column_value(table, field, value) for field, value in given.items()}
    except ValueError as exc:
        return "invalid", str(exc), []
    existing = [r for name in (decided.name, decided.candidates) if name for r in tables.get(name, [])
                if r["doc_id"] == doc_id and str(r.get(decided.id_column, "")).startswith(decided.added_id)]
    row |= {"doc_id": doc_id, decided.id_column: f"{decided.added_id}{len(existing) + 1:04d}",
            "rule_id": REVIEWER, "source": REVIEWER, "decision": "add"}
    documents = tables.get("documents") or [{}]
    defaults = added_defaults(decided.name, row, decision.note, documents[0].get("language"))
    row = {name: value for name, value in (defaults | row).items() if name in table.column_names}
    missing = [c.name for c in table.columns if not c.nullable and key_value(row.get(c.name)) == ""]
    if missing:
        return "invalid", f"add needs {', '.join(missing)} (in change: field=value)", []
    tables[decided.name].append(row)
    return "applied", "", [row[decided.id_column]]


def added_defaults(table: str, row: dict, note: str, language: str | None = None) -> dict:
    """What an added row holds when the decision does not say: the membership's type from
    its id (three capitals: a country's ISO code), its name as the id, a stated basis; an
    event's title as written, the document's language; the reviewer's note as the
    evidence; full confidence."""
    defaults: dict = {"evidence": note or "added by a reviewer", "evidence_ids": [REVIEWER], "confidence": 1.0,
                      "lang": language}
    if table == "memberships":
        member = str(row.get("member_id") or "")
        defaults |= {"member_type": "country" if re.fullmatch(r"[A-Z]{3}", member) else "organization",
                     "member_name": member, "basis": "stated", "n_mentions": 0}
    elif table == "events":
        defaults |= {"title_as_written": row.get("title")}
    return defaults


def column_value(table: Table, field: str, text: str):
    """A decision's text as the column's type; ValueError when it is not one."""
    column = table.column(field)
    if text == "":
        if not column.nullable:
            raise ValueError(f"{field} cannot be empty")
        return None
    if column.dtype == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{field}={text}: not a whole number") from None
    if column.dtype == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{field}={text}: not a number") from None
    if column.dtype == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{field}={text}: true or false")
        return text.lower() == "true"
    if column.dtype == "category" and text not in column.categories:
        raise ValueError(f"{field}={text}: one of {', '.join(column.categories)}")
    if column.dtype == "list":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _jsonable(row: dict) -> dict:
    out = {}
    for name, value in row.items():
        if hasattr(value, "tolist"):
            value = value.tolist()
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[name] = None if key_value(value) == "" and not isinstance(value, list) else value
    return out
