"""Corpus-level outputs written after every run: cross-document process profiles and
members, the Frictionless data package, the run manifest and the review pages."""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import PIPELINE_VERSION
from pipeline.output.storage import write_atomic, write_table
from pipeline.output.tables import CORPUS_TABLES, EVENT_CATALOG, EVENTS, MEMBERSHIP_PANEL, PROCESS_MEMBERS, PROCESS_PROFILES, TABLES, Table, is_missing, type_note, value_to_date

if TYPE_CHECKING:  # pandas is imported where profiles are built: an unchanged re-run does not need it
    import pandas as pd

# how each declared dtype reads in the CSV: lists are joined strings, categories strings with an enum
FRICTIONLESS_TYPES = {"string": "string", "int": "integer", "float": "number", "bool": "boolean", "date": "date",
                      "list": "string", "category": "string"}


CORPUS_OUTPUT_FILES = ("datapackage.json", "run_manifest.json", "review/index.html") + tuple(
    f"{name}.{ext}" for name in CORPUS_TABLES for ext in ("parquet", "csv"))


def write_corpus_tables(tables_dir: Path) -> None:
    """The corpus tables, from the run tables in ``tables_dir`` and into it: process
    members and profiles, the membership panel, the event catalog (and ``events`` again,
    each row with its catalog_id). Read are only the tables they are made of (not
    corrections, pages or paragraphs, the large ones)."""
    from pipeline import load

    tables = load(tables_dir, tables=PROFILE_INPUTS)
    members = process_members(tables)
    write_table(PROCESS_MEMBERS, members.to_dict("records"), tables_dir)
    write_table(PROCESS_PROFILES, process_profiles(tables, members).to_dict("records"), tables_dir)
    write_table(MEMBERSHIP_PANEL, membership_panel(tables).to_dict("records"), tables_dir)
    catalog, events = event_catalog(tables["events"])
    write_table(EVENT_CATALOG, catalog.to_dict("records"), tables_dir)
    write_table(EVENTS, events.to_dict("records"), tables_dir)


def write_corpus_outputs(out_dir: Path, clean_dir: Path, summary, tables_rewritten: bool = True, map_=map) -> None:
    """Called by the runner once the tables are in ``out_dir``: the data package, the run
    manifest and the review pages. When the run tables were not rewritten (an unchanged
    re-run), everything derived from them still holds: only the manifest's facts about this
    run are renewed."""
    manifest_path = out_dir / "run_manifest.json"
    if not tables_rewritten and all((out_dir / name).exists() for name in CORPUS_OUTPUT_FILES):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if manifest is not None and manifest.get("pipeline_version") == PIPELINE_VERSION:
            manifest.update(run_facts(summary))
            write_atomic(manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False))
            return
    from pipeline import load

    if not tables_rewritten:
        # the run tables were kept, the outputs derived from them are not current: the corpus
        # tables are made again in place (a rewrite made them with the run tables, in its
        # stage; making them again because the review index or manifest did not exist yet
        # did the corpus tables twice in every first run)
        write_corpus_tables(out_dir)
    tables = load(out_dir, tables=["documents"])
    write_datapackage(out_dir)
    write_atomic(out_dir / "run_manifest.json",
                 json.dumps(run_manifest(tables["documents"], table_counts(out_dir), summary), indent=2,
                            ensure_ascii=False))
    try:
        from pipeline.output.review import write_review_pages
    except ImportError:  # the review pages are optional output
        return
    write_review_pages(out_dir, clean_dir, map_=map_)  # map_: how the pages are run (executors.output_map)


def _unique(values) -> list[str] | None:
    values = [v for v in dict.fromkeys(values) if isinstance(v, str) and v]
    return values or None


def process_members(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    m = tables.get("memberships", pd.DataFrame())
    columns = PROCESS_MEMBERS.column_names
    if m.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (pid, mid, role), group in m.groupby(["process_id", "member_id", "role"], sort=True, observed=True):
        docs = sorted(group["doc_id"].unique())
        rows.append({"process_id": pid, "member_id": mid, "member_type": group["member_type"].iloc[0],
                     "member_name": group["member_name"].iloc[0], "role": role, "n_documents": len(docs),
                     "doc_ids": docs})
    out = pd.DataFrame(rows)
    roles = out.groupby(["process_id", "member_id"])["role"].transform("nunique")
    out["role_conflict"] = roles > 1
    return out[columns]


CATALOG_TITLE_SIMILARITY = 90  # title_similarity of two titles of one event without a number


def event_catalog(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per real-world event, and the events table with each row's catalog_id.
    Numbered sessions of a process key on (process, kind, number); other events on kind,
    year and a similar title (undated ones only on an equal title)."""
    import pandas as pd

    from pipeline.nlp.titles import normalise_title, title_similarity

    if events.empty:
        return pd.DataFrame(columns=EVENT_CATALOG.column_names), events
    groups: dict[str, list[int]] = {}
    # (kind, year) → [(key, folded title)] in order of first appearance: an event is compared
    # with the earlier titles of its kind and year only (one list of all made the catalog
    # quadratic in the corpus's events)
    loose: dict[tuple[str, object], list[tuple[str, str]]] = {}
    ids = []
    for i, e in enumerate(events.itertuples()):
        kind, year, number = str(e.kind), (None if pd.isna(e.year) else int(e.year)), e.session_number
        if isinstance(e.process_id, str) and not pd.isna(number):
            key = f"{e.process_id}-{kind}-{int(number)}"
        else:
            title = normalise_title(e.title)
            bucket = loose.setdefault((kind, year), [])
            key = next((k for k, t in bucket if t == title or year is not None and
                        title_similarity(t, title) >= CATALOG_TITLE_SIMILARITY), None)
            if key is None:
                key = f"{year or 'undated'}-{kind}-{'-'.join(title.split()[:8])}"[:90]
                bucket.append((key, title))
        groups.setdefault(key, []).append(i)
        ids.append(key)
    columns = {c: events[c].tolist() for c in ("title", "date_start", "date_end", "year", "process_id", "kind",
                                               "session_number", "location", "doc_id")}
    rows = []
    for key, members in groups.items():
        value = lambda column: [columns[column][i] for i in members]  # noqa: E731
        doc_ids = value("doc_id")
        starts = [d for d in value("date_start") if not is_missing(d)]
        ends = [d for d in value("date_end") if not is_missing(d)]
        years = [int(y) for y in value("year") if not is_missing(y)]
        rows.append({"catalog_id": key, "process_id": next((p for p in value("process_id") if isinstance(p, str)), None),
                     "kind": value("kind")[0],
                     "session_number": next((int(n) for n in value("session_number") if not is_missing(n)), None),
                     "title": _most_said_title(events, members, value("title")), "year": min(years) if years else None,
                     "date_start": min(starts) if starts else None, "date_end": max(ends) if ends else None,
                     "location": next((loc for loc in value("location") if isinstance(loc, str)), None),
                     "n_documents": len(set(doc_ids)), "doc_ids": sorted(set(doc_ids))})
    catalog = pd.DataFrame(rows, columns=EVENT_CATALOG.column_names).sort_values(["year", "catalog_id"], na_position="last")
    return catalog.reset_index(drop=True), events.assign(catalog_id=ids)


def _most_said_title(events: pd.DataFrame, members: list[int], titles: list) -> object:
    """The title a catalog entry's rows give most often, the longest of those; counted in
    Python, with pandas' value_counts (whose order decides) only for a tie it would break."""
    counts = Counter(t for t in titles if not is_missing(t))
    top = max(counts.values())
    longest = max(len(t) for t, n in counts.items() if n == top)
    finalists = [t for t, n in counts.items() if n == top and len(t) == longest]
    if len(finalists) == 1:
        return finalists[0]
    counted = events.iloc[members]["title"].value_counts()
    return max(counted[counted == counted.max()].index, key=len)


STATUS_RANK = {"member": 0, "observer": 1, "participant": 2}  # the strongest status first


def membership_panel(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """process × member × year: the strongest status stated that year, the documents, and
    the first statement of that status as evidence."""
    import pandas as pd

    m = tables.get("memberships", pd.DataFrame())
    columns = MEMBERSHIP_PANEL.column_names
    if m.empty:
        return pd.DataFrame(columns=columns)
    m = m[m["year"].notna()].assign(_rank=lambda d: d["role"].astype(str).map(STATUS_RANK))
    if m.empty:
        return pd.DataFrame(columns=columns)
    keys = ["process_id", "member_id", "year"]
    # one sort, not one per group (a per-group sort took a second on the seed corpus)
    first = m.sort_values(keys + ["_rank", "doc_id", "char_start"], kind="stable").drop_duplicates(keys)
    documents = m.groupby(keys, sort=False, observed=True)["doc_id"].agg(lambda ids: sorted(set(ids)))
    first = first.join(documents.rename("doc_ids"), on=keys)
    rows = [{"process_id": r.process_id, "member_id": r.member_id, "member_type": r.member_type, "year": int(r.year),
             "status": r.role, "n_documents": len(r.doc_ids), "doc_ids": r.doc_ids, "evidence_doc_id": r.doc_id,
             "evidence_char_start": None if is_missing(r.char_start) else int(r.char_start),
             "evidence_rule_id": r.rule_id}
            for r in first.itertuples(index=False)]
    return pd.DataFrame(rows, columns=columns)


def process_profiles(tables: dict[str, pd.DataFrame], members: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    processes = tables["processes"].set_index("process_id")
    mentions = tables.get("process_mentions", pd.DataFrame(columns=["doc_id", "process_id"]))
    events = tables.get("events", pd.DataFrame(columns=["process_id", "year", "date_start"]))
    documents = tables["documents"].set_index("doc_id")
    rows = []
    for pid, group in mentions.groupby("process_id", sort=True):
        docs = sorted(group["doc_id"].unique())
        evs = events[events["process_id"] == pid]
        years = [int(y) for y in evs["year"].dropna()]
        years += [value_to_date(d).year for d in documents.loc[docs, "doc_date"].dropna()]
        # an event's interval: its dates, else its whole year
        starts = [value_to_date(d) or (value_to_date(str(int(y))) if pd.notna(y) else None)
                  for d, y in zip(evs["date_start"], evs["year"])]
        ends = [value_to_date(d, "end") or (value_to_date(str(int(y)), "end") if pd.notna(y) else None)
                for d, y in zip(evs.get("date_end", evs["date_start"]), evs["year"])]
        starts, ends = sorted(d for d in starts if d), sorted(d for d in ends if d)
        mine = members[members["process_id"] == pid]
        info = processes.loc[pid] if pid in processes.index else {}
        rows.append({
            "process_id": pid, "name_en": info.get("name_en"), "name_es": info.get("name_es"),
            "source": info.get("source", "discovered"), "n_documents": len(docs), "n_mentions": len(group),
            "doc_ids": docs, "first_year_seen": min(years) if years else None,
            "last_year_seen": max(years) if years else None,
            "members": _unique(mine[mine["role"] == "member"]["member_id"]),
            "observers": _unique(mine[mine["role"] == "observer"]["member_id"]),
            "membership_sources": _unique(f"{r.member_id}={','.join(r.doc_ids)}" for r in mine.itertuples()),
            "n_events": len(evs), "earliest_event": starts[0] if starts else None,
            "latest_event": ends[-1] if ends else None,
        })
    return pd.DataFrame(rows, columns=PROCESS_PROFILES.column_names)


def datapackage(out_dir: Path | None = None, tables: dict[str, Table] = TABLES) -> dict:
    """A Frictionless (tabular) Data Package describing the CSV tables, from the same
    declarations: with ``out_dir``, only the tables whose CSV is there (and only the foreign
    keys between them)."""
    present = {name: t for name, t in tables.items() if out_dir is None or (Path(out_dir) / f"{name}.csv").exists()}
    return {"profile": "tabular-data-package", "name": "rcp-pipeline-output", "version": PIPELINE_VERSION,
            "resources": [table_resource(t, set(present)) for t in present.values()]}


def table_resource(table: Table, present: set[str]) -> dict:
    schema: dict = {"fields": [field_descriptor(c) for c in table.columns], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    keys = [{"fields": list(here), "reference": {"resource": other, "fields": list(there)}}
            for here, other, there in table.foreign_keys if other in present]
    if keys:
        schema["foreignKeys"] = keys
    return {"name": table.name, "path": f"{table.name}.csv", "profile": "tabular-data-resource", "format": "csv",
            "encoding": "utf-8", "mediatype": "text/csv", "description": table.description, "schema": schema}


def field_descriptor(column) -> dict:
    constraints: dict = {"required": not column.nullable}
    if column.categories:
        constraints["enum"] = list(column.categories)
    description = f"{column.meaning} {type_note(column)}".strip()
    return {"name": column.name, "type": FRICTIONLESS_TYPES[column.dtype], "description": description,
            "constraints": constraints}


def write_datapackage(out_dir: Path) -> None:
    write_atomic(Path(out_dir) / "datapackage.json", json.dumps(datapackage(out_dir), indent=2, ensure_ascii=False))


PROFILE_INPUTS = ("documents", "processes", "process_mentions", "memberships", "events")


def table_counts(out_dir: Path) -> dict[str, int]:
    """Rows per table written, from the Parquet footers (no table is read)."""
    import pyarrow.parquet as pq

    counts = {}
    for name in TABLES:
        path = out_dir / f"{name}.parquet"
        if path.exists():
            counts[name] = pq.ParquetFile(path).metadata.num_rows
    return counts


def run_manifest(documents: pd.DataFrame, counts: dict[str, int], summary) -> dict:
    return {
        "pipeline_version": PIPELINE_VERSION,
        "inputs": [{"doc_id": r.doc_id, "source_path": r.source_path, "sha256": r.sha256, "status": r.status}
                   for r in documents.itertuples()],
        "counts": counts,
        **run_facts(summary),
    }


def run_facts(summary) -> dict:
    """The part of the manifest that describes this run rather than its tables."""
    return {
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(summary.seconds, 3),
        "documents": {"given": summary.documents, "processed": summary.processed, "reused": summary.reused,
                      "duplicates": summary.duplicates, "failed": len(summary.errors)},
        # what this run did to the corpus in the output folder (doc_ids)
        "corpus": {"added": summary.added, "updated": summary.updated, "unchanged": summary.unchanged,
                   "kept": summary.kept, "pruned": summary.pruned},
        "warnings": [f"{doc_id}: {reason}" for doc_id, reason in sorted(summary.errors.items())] + summary.warnings,
    }


__all__ = ["write_corpus_outputs", "write_corpus_tables", "process_members", "process_profiles", "membership_panel", "datapackage", "run_manifest",
           "CORPUS_TABLES"]
