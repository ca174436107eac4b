"""The registry of regional consultative processes (extractors/data/processes.jsonl) and its
rows of the processes table, readable without spaCy: the driver writes the processes table
from it, and an unchanged re-run must not pay spaCy's import for that."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipeline.nlp.rule_files import read_records

REGISTRY_PATH = Path(__file__).resolve().parent / "data" / "processes.jsonl"


@lru_cache(maxsize=1)
def registry() -> list[dict]:
    return read_records(REGISTRY_PATH)


def process_rows() -> list[dict]:
    """The registry as rows of the processes table."""
    rows = []
    for entry in registry():
        rows.append({
            "process_id": entry["process_id"], "name_en": entry["name_en"], "name_es": entry["name_es"],
            "acronyms": list(entry.get("acronyms", [])) or None,
            "aliases": list(entry.get("aliases", [])) or None,
            "region": entry.get("region"), "founded_year": entry.get("founded_year"), "source": "registry",
        })
    return rows
