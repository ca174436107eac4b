"""Corpus-level outputs written after every run: cross-document process profiles, the
Frictionless data package, the run manifest and the review pages."""
from __future__ import annotations

from pathlib import Path


def write_corpus_outputs(out_dir: Path, clean_dir: Path, summary) -> None:
    """Called by the runner once the per-document tables are written."""
