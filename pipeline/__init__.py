"""Regional consultative processes on migration: reports → tidy tables."""
from __future__ import annotations

import hashlib
from pathlib import Path

__version__ = "0.1.0"


def _code_fingerprint() -> str:
    """Hash of the pipeline's code and rule data: a result is reused only if both match."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in ("pipeline", "extractors"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".jsonl", ".json", ".toml") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


PIPELINE_VERSION = f"{__version__}+{_code_fingerprint()}"


def load(out_dir="output", tables=None):
    """The output tables as DataFrames with their declared dtypes (Parquet, else CSV);
    ``tables``: only these (names), e.g. ``load("output", tables=["events"])``."""
    from pipeline.output.storage import read_tables

    return read_tables(Path(out_dir), names=tables)
