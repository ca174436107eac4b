"""Corpus-level outputs written after every run: cross-document process profiles and
members, the Frictionless data package, the run manifest and the review pages."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import PIPELINE_VERSION
from pipeline.storage import write_atomic, write_table
from pipeline.tables import CORPUS_TABLES, PROCESS_MEMBERS, PROCESS_PROFILES, TABLES, Table

if TYPE_CHECKING:  # pandas is imported where profiles are built: an unchanged re-run does not need it
    import pandas as pd

FRICTIONLESS_TYPES = {"string": "string", "int": "integer", "float": "number", "bool": "boolean"}


CORPUS_OUTPUT_FILES = ("datapackage.json", "run_manifest.json", "review/index.html") + tuple(
    f"{name}.{ext}" for name in CORPUS_TABLES for ext in ("parquet", "csv"))


def write_corpus_outputs(out_dir: Path, clean_dir: Path, summary, tables_rewritten: bool = True) -> None:
    """Called by the runner once the per-document tables are written. When the run tables were
    not rewritten (an unchanged re-run), everything derived from them still holds: only the
    manifest's facts about this run are renewed."""
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

    # only the tables the profiles are made of (not corrections, pages or paragraphs, the
    # large ones): the review pages read each document's rows on their own
    tables = load(out_dir, tables=PROFILE_INPUTS)
    members = process_members(tables)
    write_table(PROCESS_MEMBERS, members.to_dict("records"), out_dir)
    write_table(PROCESS_PROFILES, process_profiles(tables, members).to_dict("records"), out_dir)
    write_atomic(out_dir / "datapackage.json", json.dumps(datapackage(), indent=2, ensure_ascii=False))
    write_atomic(out_dir / "run_manifest.json",
                 json.dumps(run_manifest(tables["documents"], table_counts(out_dir), summary), indent=2,
                            ensure_ascii=False))
    try:
        from pipeline.review import write_review_pages
    except ImportError:  # the review pages are optional output
        return
    write_review_pages(out_dir, clean_dir)


def _joined(values) -> str | None:
    values = [v for v in dict.fromkeys(values) if isinstance(v, str) and v]
    return "; ".join(values) or None


def process_members(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    m = tables.get("memberships", pd.DataFrame())
    columns = PROCESS_MEMBERS.column_names
    if m.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (pid, mid, role), group in m.groupby(["process_id", "member_id", "role"], sort=True):
        docs = sorted(group["doc_id"].unique())
        rows.append({"process_id": pid, "member_id": mid, "member_type": group["member_type"].iloc[0],
                     "member_name": group["member_name"].iloc[0], "role": role, "n_documents": len(docs),
                     "doc_ids": "; ".join(docs)})
    out = pd.DataFrame(rows)
    roles = out.groupby(["process_id", "member_id"])["role"].transform("nunique")
    out["role_conflict"] = roles > 1
    return out[columns]


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
        years += [int(d[:4]) for d in documents.loc[docs, "doc_date"].dropna()]
        when = [d if isinstance(d, str) else None for d in evs["date_start"]]
        when = [w or (str(int(y)) if pd.notna(y) else None) for w, y in zip(when, evs["year"])]
        when = sorted(w for w in when if w)
        mine = members[members["process_id"] == pid]
        info = processes.loc[pid] if pid in processes.index else {}
        rows.append({
            "process_id": pid, "name_en": info.get("name_en"), "name_es": info.get("name_es"),
            "source": info.get("source", "discovered"), "n_documents": len(docs), "n_mentions": len(group),
            "doc_ids": "; ".join(docs), "first_year_seen": min(years) if years else None,
            "last_year_seen": max(years) if years else None,
            "members": _joined(mine[mine["role"] == "member"]["member_id"]),
            "observers": _joined(mine[mine["role"] == "observer"]["member_id"]),
            "membership_sources": _joined(f"{r.member_id}={r.doc_ids.replace('; ', ',')}" for r in mine.itertuples()),
            "n_events": len(evs), "earliest_event": when[0] if when else None,
            "latest_event": when[-1] if when else None,
        })
    return pd.DataFrame(rows, columns=PROCESS_PROFILES.column_names)


def datapackage(tables: dict[str, Table] = TABLES) -> dict:
    """A Frictionless Data Package describing every CSV table, from the same declarations."""
    resources = []
    for table in tables.values():
        resources.append({
            "name": table.name, "path": f"{table.name}.csv", "format": "csv", "encoding": "utf-8",
            "mediatype": "text/csv", "description": table.description,
            "schema": {
                "fields": [{"name": c.name, "type": FRICTIONLESS_TYPES[c.dtype], "description": c.meaning,
                            "constraints": {"required": not c.nullable}} for c in table.columns],
                "missingValues": [""],
            },
        })
    return {"profile": "tabular-data-package", "name": "rcp-pipeline-output", "version": PIPELINE_VERSION,
            "resources": resources}


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
        "documents": {"processed": summary.processed, "reused": summary.reused, "failed": len(summary.errors)},
        "warnings": [f"{doc_id}: {reason}" for doc_id, reason in sorted(summary.errors.items())],
    }


__all__ = ["write_corpus_outputs", "process_members", "process_profiles", "datapackage", "run_manifest",
           "CORPUS_TABLES"]
