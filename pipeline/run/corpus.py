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
import stat
from dataclasses import dataclass
from pathlib import Path

from pipeline.sources.files import relative_path_to_doc_id, unique_doc_id

INDEX_NAME = "corpus.json"
MODES = ("merge", "prune", "replace")
# A folder holding one of these is a run's output or clean-text folder: never read as input
OUTPUT_MARKER = ".migration-pipeline-output"
OUTPUT_MARKERS = (OUTPUT_MARKER, "run_manifest.json", f".cache/{INDEX_NAME}")


@dataclass(frozen=True, slots=True)
class Found:
    """A file a run was given: itself, or found under a folder it was given (its root).
    ``problem`` says why it is not read (it gets a row with that reason and no other):
    ``skipped`` by the link policy, else it cannot be read (a FIFO, a dangling link, …)."""

    root: Path
    path: Path
    problem: str | None = None
    skipped: bool = False

    @property
    def resolved(self) -> str:
        # a path that is not read is not resolved: a link loop cannot be, and the target of
        # a link that leaves the input is not this run's business
        return os.path.abspath(self.path) if self.problem else resolved_key(self.path)


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


def discover(inputs: tuple[Path, ...], exclude: tuple[Path, ...] = (), follow_links: bool = False) -> list[Found]:
    """Files named, and entries under folders named, in order; each file once. Skipped
    without a row: hidden files and folders, anything under ``exclude`` (the run's own output
    folders) and folders an earlier run wrote into (OUTPUT_MARKERS). Found with a problem (a
    row that says why, nothing read): a link under a folder whose target lies outside every
    folder named (unless ``follow_links``; a file named itself is read wherever it points), a
    link to a folder, a dangling link, a link loop, and anything that is not a regular file
    (a FIFO would block the run in open())."""
    skip = [Path(resolved_key(p)) for p in exclude]
    roots = [Path(resolved_key(item)) for item in inputs if item.is_dir()]
    found: dict[str, Found] = {}
    for item in inputs:
        if item.is_dir():
            candidates, root = _entries_under(item), item
        else:
            candidates, root = [item], item.parent
        for path in candidates:
            problem, skipped = path_problem(path, roots, follow_links=follow_links or path is item)
            entry = Found(root, path, problem, skipped)
            if any(Path(entry.resolved).is_relative_to(s) for s in skip):
                continue
            found.setdefault(entry.resolved, entry)
    return list(found.values())


def mark_output_folders(*folders: Path) -> None:
    """Leave the marker that keeps later runs from reading these folders as input (best
    effort: an output folder also has its manifest and .cache)."""
    for folder in folders:
        try:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / OUTPUT_MARKER).touch(exist_ok=True)
        except OSError:
            pass


def is_output_folder(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in OUTPUT_MARKERS)


def _entries_under(folder: Path) -> list[Path]:
    """Every entry that is not a folder under folder, sorted; folders are not walked through
    links (a linked folder is an entry), hidden ones and earlier runs' output folders not at all."""
    out = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        top_path = Path(top)
        walked = []
        for name in sorted(dirs):
            path = top_path / name
            if name.startswith("."):
                continue
            if path.is_symlink():
                out.append(path)
            elif not is_output_folder(path):
                walked.append(name)
        dirs[:] = walked
        out += [top_path / name for name in files if not name.startswith(".")]
    return sorted(out)


def path_problem(path: Path, roots: list[Path], follow_links: bool) -> tuple[str | None, bool]:
    """(why the file is not read, whether by the link policy) or (None, False) for a regular
    file to read. Only metadata is looked at: nothing is opened."""
    try:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            try:
                target = path.resolve(strict=True)
            except RuntimeError:
                return "a link loop: not read", False
            except FileNotFoundError:
                return f"a link whose target does not exist ({os.readlink(path)}): not read", False
            if target.is_dir():
                return "a link to a folder: not walked (give the folder itself)", True
            if not follow_links and not any(target.is_relative_to(r) for r in roots):
                return f"a link to a file outside the input folders ({target}): not read without --follow-links", True
            mode = target.stat().st_mode
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "a link loop: not read", False
        return f"cannot read the file: {exc.strerror or type(exc).__name__}", False
    if not stat.S_ISREG(mode):
        return f"not a regular file ({_file_kind(mode)}): not read", False
    return None, False


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"


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
        if not entry.sha256:
            continue  # unreadable or not read: an error row of its own, never one file's duplicate
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
