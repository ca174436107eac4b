"""The one validated options object of a run."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import BadOptions
from pipeline.run.corpus import MODES as CORPUS_MODES
from pipeline.sources.ocr import OCR_ENGINES
from pipeline.sources.pdf import TEXT_LAYER_READERS, PageSettings
from pipeline.run.stages import DocumentSettings
from pipeline.text.language import LANGUAGE_DETECTORS


EXECUTORS = ("process", "serial", "dask")

# what `evaluate --errors` can list, per document (pipeline.evaluate.score.describe_errors)
ERROR_TYPES = ("processes", "memberships", "events", "dates")


@dataclass(frozen=True, slots=True)
class RunOptions:
    inputs: tuple[Path, ...] = (Path("corpus/raw"),)
    out_dir: Path = Path("output")
    clean_dir: Path = Path("corpus/clean")
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    follow_links: bool = False     # read links under an input folder whose target lies outside every input folder
    quiet: bool = False
    executor: str = "process"
    scheduler: str | None = None   # dask scheduler address (tcp://host:8786); None: a local cluster
    doc_timeout: float = 900.0     # seconds one job of a document (a page, or its assembly) may run
    doc_budget: float = 3600.0     # seconds a document may take from its first page's start, all its pages together
    mode: str = "merge"            # merge, prune or replace: what happens to documents of earlier runs
    decisions: Path | None = None  # the reviewer decisions file; None: review/decisions.csv in out_dir
    page: PageSettings = field(default_factory=PageSettings)
    document: DocumentSettings = field(default_factory=DocumentSettings)

    @property
    def decisions_file(self) -> Path:
        from pipeline.output.decisions import DECISIONS_FILE

        return self.decisions if self.decisions is not None else self.out_dir / DECISIONS_FILE

    def validated(self) -> "RunOptions":
        if self.workers < 1:
            raise BadOptions(f"--workers must be at least 1 (got {self.workers})")
        if self.executor not in EXECUTORS:
            raise BadOptions(f"--executor must be one of {', '.join(EXECUTORS)} (got {self.executor})")
        if self.scheduler and self.executor != "dask":
            raise BadOptions("--scheduler needs --executor dask")
        if not self.doc_timeout > 0:
            raise BadOptions(f"--doc-timeout must be a positive number of seconds (got {self.doc_timeout})")
        if not self.doc_budget > 0:
            raise BadOptions(f"--doc-budget must be a positive number of seconds (got {self.doc_budget})")
        for path in self.inputs:
            if not path.exists():
                raise BadOptions(f"input not found: {path}")
        if self.page.text_layer not in TEXT_LAYER_READERS:
            raise BadOptions(f"unknown text layer reader {self.page.text_layer!r} (one of {', '.join(TEXT_LAYER_READERS)})")
        if self.page.ocr.engine not in OCR_ENGINES:
            raise BadOptions(f"unknown OCR engine {self.page.ocr.engine!r} (one of {', '.join(OCR_ENGINES)})")
        if self.document.language.detector not in LANGUAGE_DETECTORS:
            raise BadOptions(f"unknown language detector {self.document.language.detector!r}")
        if self.mode not in CORPUS_MODES:
            raise BadOptions(f"mode must be one of {', '.join(CORPUS_MODES)} (got {self.mode})")
        if self.decisions is not None and not self.decisions.is_file():
            raise BadOptions(f"--decisions {self.decisions}: no such file")
        if self.out_dir.resolve() == self.clean_dir.resolve():
            raise BadOptions("--out and --clean must be different folders")
        for flag, folder in (("--out", self.out_dir), ("--clean", self.clean_dir)):
            # the folder and the folders a run writes into inside it, where they exist already
            for target in (folder, *(folder / sub for sub in RUN_SUBFOLDERS[flag] if (folder / sub).exists())):
                if (why := unwritable(target)) is not None:
                    raise BadOptions(f"{flag} {folder}: {why}")  # said now, not after all the work
        return self


# folders a run writes into inside --out and --clean (pipeline.output.storage, pipeline.output.review)
RUN_SUBFOLDERS = {"--out": (".cache", "review"), "--clean": ("source", "offsets")}


def unwritable(folder: Path) -> str | None:
    """Why files cannot be written into ``folder`` (made if missing), or None."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None
