"""Files on disk: atomic writes, table files, per-document result cache."""
from __future__ import annotations

import csv
import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import OutputBusy, TableError
from pipeline.output.tables import (TABLES, Table, arrow_schema, arrow_to_frame, columns_to_arrow, columns_to_csv_rows,
                             csv_unsafe, data_dictionary, declared_values, frame_to_declared, rows_to_columns)

if TYPE_CHECKING:
    import pandas as pd

CACHE_DIR = ".cache"


def _process_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask


# files are created as open() would create them (0666 less the umask); mkstemp alone gives 0600
FILE_MODE = 0o666 & ~_process_umask()


@contextmanager
def output_lock(out_dir: Path):
    """Hold ``out_dir`` for one run: a second run into the same folder stops at once with
    OutputBusy (two runs deleted each other's review pages, both exiting 0). Under the lock,
    temporaries a killed run left behind ('.events.csv.1234.tmp') are removed."""
    import fcntl

    lock_path = Path(out_dir) / CACHE_DIR / "run.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise OutputBusy(f"another run ({holder}) is writing into {out_dir}: wait for it, "
                             "or give another --out") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        # this folder's own files only: a nested output (output/realdev) has its own lock
        for folder in (Path(out_dir), Path(out_dir) / CACHE_DIR, Path(out_dir) / "review"):
            for stale in folder.glob(".*.tmp"):
                stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def staging_folder(out_dir: Path) -> Path:
    """An empty folder inside ``out_dir``'s cache where a run writes its tables before
    ``switch_in`` (what an interrupted run left there is thrown away)."""
    import shutil

    stage = Path(out_dir) / CACHE_DIR / "staging"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def switch_in(stage: Path, out_dir: Path) -> None:
    """Move every file of ``stage`` into ``out_dir`` by renames (same file system: each is
    atomic, and all of them take milliseconds), then remove the stage."""
    for path in sorted(stage.iterdir()):
        os.replace(path, Path(out_dir) / path.name)
    stage.rmdir()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write to a temp file in the same folder, then rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def preload_table_libraries() -> None:
    """Import pandas and pyarrow's Parquet writer here before the output jobs start: a local
    process pool's workers fork from this process at their first job and share them instead
    of importing them each (half a second a worker, issue 33), and the corpus tables need
    them in this process anyway."""
    import pandas  # noqa: F401
    import pyarrow.parquet  # noqa: F401


def write_table(table: Table, rows: list[dict], out_dir: Path) -> None:
    """Validate rows against the declaration, then write <name>.parquet and <name>.csv."""
    with TableWriter(table, out_dir) as writer:
        writer.write(rows)


class TableWriter:
    """Writes one declared table in chunks (a document's rows at a time), so a run never
    holds a whole table in memory: rows are validated against the declaration as they
    come, buffered up to ``chunk_rows``, then appended to <name>.parquet as a row group and
    to <name>.csv. Both files appear under their names only when the writer closes without
    error; on an error the previous files stay as they were."""

    def __init__(self, table: Table, out_dir: Path, chunk_rows: int = 50_000) -> None:
        self.table, self.chunk_rows = table, chunk_rows
        self.paths = {ext: Path(out_dir) / f"{table.name}.{ext}" for ext in ("parquet", "csv")}
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        self.tmp = {ext: path.with_name(f".{path.name}.{os.getpid()}.tmp") for ext, path in self.paths.items()}
        self.rows: list[dict] = []
        self.schema = arrow_schema(table)
        self.parquet = None
        self.csv = None

    def __enter__(self) -> "TableWriter":
        import pyarrow.parquet as pq

        try:
            self.parquet = pq.ParquetWriter(self.tmp["parquet"], self.schema)
            self.csv = open(self.tmp["csv"], "w", encoding="utf-8", newline="")
            self.csv.write(",".join(self.table.column_names) + "\n")
            self.csv_writer = csv.writer(self.csv, lineterminator="\n")
        except BaseException:
            self._close(keep=False)
            raise
        return self

    def write(self, rows: list[dict]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.chunk_rows:
            self._flush()

    def _flush(self) -> None:
        if not self.rows:
            return
        columns = rows_to_columns(self.table, self.rows)
        self.rows = []
        self.parquet.write_table(columns_to_arrow(self.table, columns))
        self.csv_writer.writerows(columns_to_csv_rows(self.table, columns))

    def __exit__(self, exc_type, exc, tb) -> None:
        keep = exc_type is None
        try:
            if keep:
                self._flush()
        except BaseException:
            keep = False
            raise
        finally:
            self._close(keep)

    def _close(self, keep: bool) -> None:
        for handle in (self.parquet, self.csv):
            if handle is not None:
                handle.close()
        if keep:
            for ext, path in self.paths.items():
                os.replace(self.tmp[ext], path)
        for tmp in self.tmp.values():
            tmp.unlink(missing_ok=True)


def write_data_dictionary(out_dir: Path) -> None:
    write_atomic(out_dir / "README.md", data_dictionary(TABLES))


def read_tables(out_dir: Path, names=None) -> dict[str, pd.DataFrame]:
    """The tables of ``out_dir`` (those in ``names``, else all) with their declared dtypes."""
    import pandas as pd
    import pyarrow.parquet as pq

    tables = {}
    for name, table in TABLES.items():
        if names is not None and name not in names:
            continue
        parquet, csv = out_dir / f"{name}.parquet", out_dir / f"{name}.csv"
        if parquet.exists():
            frame = arrow_to_frame(pq.read_table(parquet))
        elif csv.exists():
            frame = pd.read_csv(csv, dtype=str, keep_default_na=False, na_values=[""])
            for col in table.columns:
                if col.dtype in ("string", "list"):
                    frame[col.name] = frame[col.name].map(csv_unsafe)
            for col in table.columns:
                if col.dtype == "bool":
                    frame[col.name] = frame[col.name].map({"True": True, "False": False, "true": True, "false": False})
        else:
            continue
        tables[name] = frame_to_declared(table, frame)
    return tables


def cache_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / CACHE_DIR / f"{doc_id}.json"


# A run's per-document files (clean text, source text, offsets, cached result) are written
# here and moved into place right after its tables are switched in: an interrupt before that
# leaves the previous run's tables, clean texts and cache, which agree with each other
STAGED_CLEAN = ".staging"
STAGED_RESULTS = "staged-results"


def staged_clean_dir(clean_dir: Path) -> Path:
    return Path(clean_dir) / STAGED_CLEAN


def staged_cache_path(out_dir: Path, doc_id: str) -> Path:
    return Path(out_dir) / CACHE_DIR / STAGED_RESULTS / f"{doc_id}.json"


def discard_staged_documents(clean_dir: Path, out_dir: Path) -> None:
    """What an interrupted run staged and never switched in."""
    import shutil

    shutil.rmtree(staged_clean_dir(clean_dir), ignore_errors=True)
    shutil.rmtree(Path(out_dir) / CACHE_DIR / STAGED_RESULTS, ignore_errors=True)


def commit_staged_documents(clean_dir: Path, out_dir: Path) -> None:
    """Move the staged per-document files into place (renames on one file system)."""
    import shutil

    for staged, target in ((staged_clean_dir(clean_dir), Path(clean_dir)),
                           (Path(out_dir) / CACHE_DIR / STAGED_RESULTS, Path(out_dir) / CACHE_DIR)):
        if not staged.is_dir():
            continue
        for path in sorted(p for p in staged.rglob("*") if p.is_file() and not p.name.startswith(".")):
            destination = target / path.relative_to(staged)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, destination)
        shutil.rmtree(staged, ignore_errors=True)


def read_cached(out_dir: Path, doc_id: str, sha256: str, version: str, clean_dir: Path) -> dict | None:
    """A previous result for these exact bytes and pipeline version, if its clean text is still there."""
    path = cache_path(out_dir, doc_id)
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if cached.get("sha256") != sha256 or cached.get("pipeline_version") != version:
        return None
    if cached["tables"]["documents"][0]["status"] == "duplicate":  # decided afresh by every run
        return None
    if cached["tables"]["documents"][0]["status"] == "ok" and not (clean_dir / f"{doc_id}.txt").exists():
        return None
    return cached


def read_any_cached(out_dir: Path, doc_id: str) -> dict | None:
    """A document's cached result whatever its version (for a kept document whose source is gone)."""
    try:
        cached = json.loads(cache_path(out_dir, doc_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return cached if isinstance(cached.get("tables"), dict) and cached["tables"].get("documents") else None


def conformed_rows(table: Table, rows: list[dict]) -> list[dict]:
    """Rows with exactly the table's columns: unknown ones dropped, missing ones at their
    declared default (rows cached before the column existed)."""
    return [{c.name: row.get(c.name, c.default) for c in table.columns} for row in rows]


def conform_cached(tables: dict[str, list[dict]]) -> dict[str, list[dict]] | None:
    """Rows of an earlier pipeline version with today's columns (unknown ones dropped, new
    ones empty), or None when they cannot satisfy today's declarations."""
    from pipeline.output.tables import RUN_TABLES

    out = {}
    for name, table in RUN_TABLES.items():
        rows = conformed_rows(table, tables.get(name, []))
        try:
            rows_to_columns(table, rows)
        except TableError:
            return None
        out[name] = rows
    return out


def cached_tables(out_dir: Path, doc_id: str) -> dict[str, list[dict]]:
    """The table rows of a document's cached result, as written by its worker (this run's,
    still staged, else the one in place)."""
    staged = staged_cache_path(out_dir, doc_id)
    path = staged if staged.exists() else cache_path(out_dir, doc_id)
    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def document_tables(out_dir: Path, doc_id: str, names) -> dict[str, list[dict]]:
    """One document's rows of the tables ``names`` as its worker wrote them (today's
    columns; dates as the ISO text the rows hold, as days at their column's bound like the
    tables), read from the result cache. Not made into declared frames: that took a third of
    a small run's time, for pages that only print the values."""
    raw = cached_tables(out_dir, doc_id)
    tables = {name: conformed_rows(TABLES[name], raw.get(name, [])) for name in names}
    for name in names:
        rows = tables[name]
        for column in (c for c in TABLES[name].columns if c.dtype == "date"):
            days = declared_values(column, [row[column.name] for row in rows])  # as the table writer reads them
            for row, day in zip(rows, days):
                row[column.name] = day
    return tables


def write_cached(out_dir: Path, doc_id: str, sha256: str, version: str, tables: dict, origin_runs,
                 exit_code: int = 0) -> None:
    """Stage a document's result: it is moved into the cache with the run's tables."""
    payload = {"sha256": sha256, "pipeline_version": version, "tables": tables, "origin_runs": origin_runs,
               "exit_code": int(exit_code)}
    write_atomic(staged_cache_path(out_dir, doc_id), json.dumps(payload, ensure_ascii=False))
