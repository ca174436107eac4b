"""Offset-preserving text rewriting.

Every change the pipeline makes to a text (markup stripping, furniture removal,
later OCR repair) is an :class:`Edit`. Applying edits yields the new text and an
*origin* array: ``origin[i]`` is the offset in the old text that character ``i``
of the new text came from (``origin[len(new)]`` is ``len(old)``). Origins compose
by indexing, so a chain of rewrites still maps every clean character back to the
source text and page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # numpy is imported where origins are made: an unchanged re-run never needs it
    import numpy as np


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``old[start:end]`` with ``replacement``; ``step``/``rule`` say why."""

    start: int
    end: int
    replacement: str
    step: str
    rule: str = ""
    score: float = 1.0
    applied: bool = True


@dataclass(frozen=True, slots=True)
class Rewrite:
    """The result of applying edits: new text, its origin array, the edits applied."""

    text: str
    origin: np.ndarray
    edits: tuple[Edit, ...]


def identity_origin(text: str) -> np.ndarray:
    import numpy as np

    return np.arange(len(text) + 1, dtype=np.int64)


def apply_edits(text: str, edits: Iterable[Edit]) -> Rewrite:
    """Apply non-overlapping edits (suggestions with ``applied=False`` are kept, not applied).

    Replacement characters map to the start of the span they replace, so a
    clean offset inside a rewritten word points at that word in the source.
    """
    import numpy as np

    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    applied = [e for e in ordered if e.applied]
    pieces: list[str] = []
    origin_parts: list[np.ndarray] = []
    cursor = 0
    for edit in applied:
        if edit.start < cursor:
            raise ValueError(f"overlapping edits at {edit.start}: {edit}")
        pieces.append(text[cursor:edit.start])
        origin_parts.append(np.arange(cursor, edit.start, dtype=np.int64))
        pieces.append(edit.replacement)
        origin_parts.append(np.full(len(edit.replacement), edit.start, dtype=np.int64))
        cursor = edit.end
    pieces.append(text[cursor:])
    origin_parts.append(np.arange(cursor, len(text) + 1, dtype=np.int64))
    return Rewrite("".join(pieces), np.concatenate(origin_parts), tuple(ordered))


def regex_edits(text: str, pattern: re.Pattern[str], replacement, step: str, rule: str) -> list[Edit]:
    """One edit per match; ``replacement`` is a string template or a match → str function."""
    edits = []
    for match in pattern.finditer(text):
        new = replacement(match) if callable(replacement) else match.expand(replacement)
        if new != match.group(0):
            edits.append(Edit(match.start(), match.end(), new, step, rule))
    return edits


def compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """Origin of a rewrite of a rewrite: ``inner`` maps new→mid, ``outer`` maps mid→old."""
    return outer[inner]


def runs_of(origin: np.ndarray) -> list[tuple[int, int, int]]:
    """Compact form of an origin array: (clean_start, source_start, length) runs of +1 steps."""
    import numpy as np

    if len(origin) == 0:
        return []
    breaks = np.flatnonzero(np.diff(origin) != 1) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(origin)]))
    return [(int(s), int(origin[s]), int(e - s)) for s, e in zip(starts, ends)]


def origin_from_runs(runs: list[tuple[int, int, int]]) -> np.ndarray:
    import numpy as np

    parts = [np.arange(src, src + n, dtype=np.int64) for _, src, n in runs]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
