"""spaCy rule extractors (processes, dates, events, memberships) and their data.

``extract_document`` (extractors/document.py) is the stage function: clean text and its
paragraphs in, table rows out. The package imports it lazily, so that the light modules
(``extractors.dates``, ``extractors.places``) can be used without loading spaCy: an
unchanged re-run and ``--help`` start in well under a second.
"""
from __future__ import annotations

__all__ = ["extract_document", "process_rows"]


def __getattr__(name: str):
    if name in ("extract_document", "with_other_language_dates"):
        from extractors import document

        return getattr(document, name)
    if name == "process_rows":
        from extractors.process_registry import process_rows  # no spaCy: the driver writes the table

        return process_rows
    raise AttributeError(f"module 'extractors' has no attribute {name!r}")
