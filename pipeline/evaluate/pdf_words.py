"""How much of a text-layer PDF reaches the clean text, against ``pdftotext -layout``.

poppler's pdftotext reads nearly every text layer correctly, so its words are a fair
yardstick of what a page holds: the share of them the clean text has (word recall) and
the glued tokens (25 letters or more without a space: cell words run together) say
whether ingestion lost or merged text on layouts of other producers. Word order is not
compared (columns and tables are read in other orders by design). Running heads the
pipeline removes on purpose count as missing, so a page of dense furniture (a register's
seven-line footer) scores a little under 1.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.nlp.words import LETTER_RUN

DEFAULT_GLUED_LETTERS = 25  # a token of this many letters is words run together (Spanish and English words are shorter)
WORD = re.compile(r"[^\W_]+")


def pdftotext_text(pdf: Path, timeout_s: float = 120.0) -> str:
    """``pdftotext -layout`` of the file (poppler-utils must be installed)."""
    answer = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, timeout=timeout_s)
    return answer.stdout.decode("utf-8", errors="replace")


def text_to_words(text: str) -> Counter:
    """Words as a multiset, case and compatibility forms folded (pdftotext keeps the 'ﬃ'
    ligature that the clean text spells out)."""
    return Counter(w.lower() for w in WORD.findall(unicodedata.normalize("NFKC", text)))


def word_recall(reference: Counter, words: Counter) -> float | None:
    """The share of the reference's words (with multiplicity) that ``words`` holds. A word
    also counts when the text holds it reversed: pdftotext reads mirrored text backwards
    ('gnisitrevda'), which the pipeline turns the right way round. None: no reference words."""
    total = sum(reference.values())
    if not total:
        return None
    either = words + Counter({w[::-1]: n for w, n in words.items() if w[::-1] != w})
    return sum((reference & either).values()) / total


def glued_words(text: str, letters: int = DEFAULT_GLUED_LETTERS) -> int:
    return sum(1 for token in LETTER_RUN.findall(text) if len(token) >= letters)


@dataclass(frozen=True, slots=True)
class PdfWords:
    file: str
    reference_words: int
    recall: float | None
    glued: int
    glued_reference: int


def pdf_words(pdf: Path, clean_text: str) -> PdfWords:
    """The file's clean text against pdftotext's words."""
    reference = pdftotext_text(pdf)
    ref_words = text_to_words(reference)
    return PdfWords(pdf.name, sum(ref_words.values()), word_recall(ref_words, text_to_words(clean_text)),
                    glued_words(clean_text), glued_words(reference))


def folder_pdf_words(pdf_dir: Path, work_dir: Path) -> list[PdfWords] | None:
    """Every PDF of ``pdf_dir`` through the pipeline (cached in ``work_dir``), each scored
    against pdftotext; None when pdftotext is not installed."""
    from pipeline import load
    from pipeline.evaluate.score import extract_set

    if shutil.which("pdftotext") is None:
        return None
    out_dir, clean_dir = extract_set((pdf_dir,), work_dir)
    documents = load(out_dir, tables=["documents"])["documents"]
    doc_of = {Path(path).name: doc_id for path, doc_id in zip(documents["source_path"], documents["doc_id"])}
    rows = []
    for pdf in sorted(pdf_dir.glob("*.pdf")):
        clean = clean_dir / f"{doc_of.get(pdf.name, '')}.txt"
        rows.append(pdf_words(pdf, clean.read_text(encoding="utf-8") if clean.is_file() else ""))
    return rows


def render_pdf_words(rows: list[PdfWords]) -> str:
    import statistics

    lines = ["## Text-layer PDFs of other producers: clean text against pdftotext -layout", "",
             f"{'file':<44} {'words':>6} {'recall':>7} {'glued':>6} {'pdftotext glued':>16}"]
    for r in rows:
        recall = "n/a" if r.recall is None else f"{r.recall:.3f}"
        lines.append(f"{r.file[:44]:<44} {r.reference_words:>6} {recall:>7} {r.glued:>6} {r.glued_reference:>16}")
    scored = [r.recall for r in rows if r.recall is not None]
    if scored:
        lines += ["", f"median recall {statistics.median(scored):.3f} · lowest {min(scored):.3f} · "
                      f"glued {sum(r.glued for r in rows)} (pdftotext {sum(r.glued_reference for r in rows)}) · "
                      f"{len(scored)} files with words (n/a: pdftotext reads none, e.g. image-only or CJK)"]
    return "\n".join(lines)
