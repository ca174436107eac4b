"""The output as a corpus that grows: which files a run was given, which document ids they
get, and which documents of earlier runs stay in the tables.

An output folder remembers its documents in ``.cache/corpus.json`` (doc_id, source path as
given, resolved path, sha256). A run over some inputs then:

- **merges** (default): the inputs are added or updated, every other document stays;
- **prunes** (``--prune``): as merge, but a document whose source file is gone, or lies
  under one of the input folders without being found there any more, is dropped;
- **replaces** (``--replace``): only the inputs remain.

Pure functions over frozen records; the runner does the reading and writing.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest import relative_path_to_doc_id, unique_doc_id

INDEX_NAME = "corpus.json"
MODES = ("merge", "prune", "replace")


@dataclass(frozen=True, slots=True)
class Found:
    """A file a run was given: itself, or found under a folder it was given (its root)."""

    root: Path
    path: Path

    @property
    def resolved(self) -> str:
        return resolved_key(self.path)


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    doc_id: str
    source_path: str   # as given to the run that added it
    resolved: str      # absolute, links resolved: what identifies the source across runs
    sha256: str


@dataclass(frozen=True, slots=True)
class CorpusPlan:
    """What the output holds after this run, and what happened to each document."""

    entries: tuple[CorpusEntry, ...]       # the whole corpus, sorted by doc_id
    given: tuple[str, ...]                 # doc_ids of this run's inputs
    kept: tuple[str, ...]                  # doc_ids of earlier documents that stay
    pruned: tuple[CorpusEntry, ...]        # earlier documents dropped
    duplicate_of: dict[str, str]           # doc_id → doc_id of the document with the same bytes


def resolved_key(path: Path | str) -> str:
    return str(Path(os.path.abspath(path)).resolve())


def discover(inputs: tuple[Path, ...], exclude: tuple[Path, ...] = ()) -> list[Found]:
    """Files named, and files under folders named, in order: hidden files and folders, and
    anything under ``exclude`` (the run's own output folders), are skipped; each file once."""
    skip = [Path(resolved_key(p)) for p in exclude]
    found: dict[str, Found] = {}
    for item in inputs:
        if item.is_dir():
            candidates = sorted(p for p in item.rglob("*") if p.is_file()
                                and not any(part.startswith(".") for part in p.relative_to(item).parts))
            root = item
        else:
            candidates, root = [item], item.parent
        for path in candidates:
            entry = Found(root, path)
            if any(Path(entry.resolved).is_relative_to(s) for s in skip):
                continue
            found.setdefault(entry.resolved, entry)
    return list(found.values())


def assign_doc_ids(found: list[Found], sha256: dict[str, str], known: dict[str, str]) -> dict[str, str]:
    """resolved path → doc_id. A source already in the output keeps its id; a new one gets
    the id of its path below its root, made unique with a content hash when taken."""
    ids: dict[str, str] = {}
    taken = set(known.values())
    for item in found:
        if item.resolved in known:
            ids[item.resolved] = known[item.resolved]
            continue
        base = relative_path_to_doc_id(item.path.relative_to(item.root))
        ids[item.resolved] = doc_id = unique_doc_id(base, sha256[item.resolved], taken)
        taken.add(doc_id)
    return ids


def plan_corpus(previous: list[CorpusEntry], current: list[CorpusEntry], mode: str,
                input_dirs: tuple[Path, ...] = ()) -> CorpusPlan:
    """Which documents the output holds after a run given ``current``. Of two or more
    documents with identical bytes, the first keeps the rows (one already in the output,
    else the first input) and the others are marked duplicates of it."""
    if mode not in MODES:
        raise ValueError(f"mode is one of {MODES}")
    given = {e.resolved for e in current}
    dirs = [Path(resolved_key(d)) for d in input_dirs]
    kept, pruned = [], []
    for entry in previous:
        if entry.resolved in given:
            continue
        gone = not Path(entry.resolved).exists() or any(Path(entry.resolved).is_relative_to(d) for d in dirs)
        if mode == "replace" or mode == "prune" and gone:
            pruned.append(entry)
        else:
            kept.append(entry)
    first_with: dict[str, str] = {}
    duplicate_of = {}
    for entry in [*kept, *current]:  # earlier documents first: an existing document keeps its rows
        primary = first_with.setdefault(entry.sha256, entry.doc_id)
        if primary != entry.doc_id:
            duplicate_of[entry.doc_id] = primary
    entries = tuple(sorted([*kept, *current], key=lambda e: e.doc_id))
    return CorpusPlan(entries, tuple(e.doc_id for e in current), tuple(e.doc_id for e in kept), tuple(pruned),
                      duplicate_of)


def read_index(out_dir: Path) -> list[CorpusEntry]:
    """The documents of the output folder as its last run left them (none for a new folder)."""
    try:
        raw = json.loads((Path(out_dir) / ".cache" / INDEX_NAME).read_text(encoding="utf-8"))
        return [CorpusEntry(**e) for e in raw["documents"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def index_json(entries: tuple[CorpusEntry, ...]) -> str:
    return json.dumps({"documents": [{"doc_id": e.doc_id, "source_path": e.source_path, "resolved": e.resolved,
                                      "sha256": e.sha256} for e in entries]}, indent=1, ensure_ascii=False)


def document_files(out_dir: Path, clean_dir: Path, doc_id: str) -> list[Path]:
    """Every file the pipeline keeps for one document (review pages are pruned with the index)."""
    return [Path(clean_dir) / f"{doc_id}.txt", Path(clean_dir) / "source" / f"{doc_id}.txt",
            Path(clean_dir) / "offsets" / f"{doc_id}.json", Path(out_dir) / ".cache" / f"{doc_id}.json"]
