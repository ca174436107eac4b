"""Files on disk: atomic writes, table files, per-document result cache."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.tables import TABLES, Table, arrow_schema, data_dictionary, frame_to_declared, rows_to_frame

CACHE_DIR = ".cache"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temp file in the same folder, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(table: Table, rows: list[dict], out_dir: Path) -> pd.DataFrame:
    """Validate rows against the declaration, then write <name>.parquet and <name>.csv."""
    frame = rows_to_frame(table, rows)
    arrow = pa.Table.from_pandas(frame, schema=arrow_schema(table), preserve_index=False)
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink)
    write_atomic(out_dir / f"{table.name}.parquet", sink.getvalue().to_pybytes())
    write_atomic(out_dir / f"{table.name}.csv", frame.to_csv(index=False, lineterminator="\n"))
    return frame


def write_data_dictionary(out_dir: Path) -> None:
    write_atomic(out_dir / "README.md", data_dictionary(TABLES))


def read_tables(out_dir: Path) -> dict[str, pd.DataFrame]:
    tables = {}
    for name, table in TABLES.items():
        parquet, csv = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
        if parquet.exists():
            frame = pq.read_table(parquet).to_pandas()
        elif csv.exists():
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])
            for col in table.columns:
                if col.dtype == "bool":
                    frame[col.name] = frame[col.name].map({"True": True, "False": False, "true": True, "false": False})
        else:
            continue
        tables[name] = frame_to_declared(table, frame)
    return tables


def cache_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / CACHE_DIR / f"{doc_id}.json"


def read_cached(out_dir: Path, doc_id: str, sha256: str, version: str, clean_dir: Path) -> dict | None:
    """A previous result for these exact bytes and pipeline version, if its clean text is still there."""
    path = cache_path(out_dir, doc_id)
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if cached.get("sha256") != sha256 or cached.get("pipeline_version") != version:
        return None
    if cached["tables"]["documents"][0]["status"] == "ok" and not (clean_dir / f"{doc_id}.txt").exists():
        return None
    return cached


def write_cached(out_dir: Path, doc_id: str, sha256: str, version: str, tables: dict, origin_runs) -> None:
    payload = {"sha256": sha256, "pipeline_version": version, "tables": tables, "origin_runs": origin_runs}
    write_atomic(cache_path(out_dir, doc_id), json.dumps(payload, ensure_ascii=False))
