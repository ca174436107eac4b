"""Clean text → paragraphs and nested sections, each with a language."""
from __future__ import annotations

import re
from dataclasses import dataclass


from pipeline.sources.decode import NOTE_LINE
from pipeline.text.language import LanguageSettings, assign_languages
from pipeline.nlp.titles import is_all_caps
from pipeline.records import Document

ANNEX = re.compile(r"^(?:ANEXO|ANNEX|ANNEXE|APPENDIX|AP[ÉE]NDICE|Anexo|Annex|Appendix|Ap[ée]ndice)\b[^.]{0,80}$")
ROMAN_HEADING = re.compile(r"^[IVX]{1,5}\.\s+\S.{0,100}$")
ROMAN_ALONE = re.compile(r"^[IVX]{1,5}\.$")
LETTER_HEADING = re.compile(r"^[A-H]\.\s+\S.{0,100}$")
NUMBERED_PARAGRAPH = re.compile(r"^\d{1,3}\.\s")


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    kind: str          # text, heading, list, table, footnote
    level: int = 0     # heading level (1 annex, 2 chapter, 3 subheading)


def is_table_row(line: str) -> bool:
    """A tab between two cells; a tab that only indents a paragraph does not make a table."""
    return "\t" in line.strip()


def heading_level(line: str, next_line: str, hinted: bool) -> int | None:
    s = line.strip()
    if not s or is_table_row(s) or len(s) > 140:
        return None
    if ANNEX.match(s):
        return 1
    if ROMAN_HEADING.match(s) or ROMAN_ALONE.match(s):
        return 2
    if NUMBERED_PARAGRAPH.match(s) or s.startswith("•"):
        return None
    if "/" in s and any(ch.isdigit() for ch in s):
        return None  # a document symbol, not a heading
    if hinted or is_all_caps(s, min_letters=4):
        return 2
    if LETTER_HEADING.match(s):
        return 3
    words = s.split()
    if (len(s) <= 80 and len(words) <= 10 and s[0].isupper() and s[-1] not in ".,;"
            and (len(next_line.strip()) > 100 or next_line.strip().startswith("•"))):
        return 3
    return None


def split_paragraphs(text: str, heading_hints: set[int]) -> list[Paragraph]:
    """Lines → paragraphs: headings alone, a run of tab rows is one table, a run of bullet
    items is one list, any other line (repair has reflowed paragraphs onto one line) is one."""
    lines, starts, cursor = text.split("\n"), [], 0
    for line in lines:
        starts.append(cursor)
        cursor += len(line) + 1
    paragraphs: list[Paragraph] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start, end = starts[i], starts[i] + len(line)
        nxt = next((ln for ln in lines[i + 1:i + 3] if ln.strip()), "")
        if is_table_row(line):
            j = i
            while j + 1 < len(lines) and is_table_row(lines[j + 1]):
                j += 1
            paragraphs.append(Paragraph(start, starts[j] + len(lines[j]), "table"))
            i = j + 1
            continue
        if line.lstrip().startswith("•"):
            j = i
            while True:
                k = j + 1
                while k < len(lines) and not lines[k].strip() and k - j <= 2:
                    k += 1
                if k < len(lines) and lines[k].lstrip().startswith("•"):
                    j = k
                else:
                    break
            paragraphs.append(Paragraph(start, starts[j] + len(lines[j]), "list"))
            i = j + 1
            continue
        if NOTE_LINE.match(line):
            paragraphs.append(Paragraph(start, end, "footnote"))
            i += 1
            continue
        level = heading_level(line, nxt, start in heading_hints)
        if level is not None:
            if ROMAN_ALONE.match(line.strip()) and nxt and i + 1 < len(lines) and lines[i + 1].strip():
                # "I." on its own line, its title on the next: one heading
                end = starts[i + 1] + len(lines[i + 1])
                i += 1
            paragraphs.append(Paragraph(start, end, "heading", level))
        else:
            paragraphs.append(Paragraph(start, end, "text"))
        i += 1
    return paragraphs


def heading_hints(document: Document) -> set[int]:
    """Clean offsets of line starts that the source marked as headings (Markdown '#')."""
    hints = set()
    for edit in document.edits:
        if edit.rule == "md_heading" and edit.applied:
            clean = int(document.origin.searchsorted(edit.end, side="left"))
            hints.add(document.text.rfind("\n", 0, clean) + 1)
    return hints


def document_structure(document: Document, settings: LanguageSettings = LanguageSettings()):
    """(paragraph rows, section rows, main language) for one document."""
    text = document.text
    paragraphs = split_paragraphs(text, heading_hints(document))
    langs = assign_languages([text[p.start:p.end] for p in paragraphs], settings)
    sections: list[dict] = []
    stack: list[dict] = []
    front = None
    para_rows = []
    for n, (p, (lang, score, source)) in enumerate(zip(paragraphs, langs)):
        if p.kind == "heading":
            while stack and stack[-1]["level"] >= p.level:
                stack.pop()
            section = {
                "doc_id": document.doc_id, "section_id": f"s{len(sections) + 1:03d}",
                "parent": stack[-1]["section_id"] if stack else None,
                "heading": " ".join(text[p.start:p.end].split()), "level": p.level,
                "char_start": p.start, "char_end": p.end, "_chars": {},
            }
            sections.append(section)
            stack.append(section)
        current = stack[-1] if stack else None
        if current is None:
            if front is None:
                front = {"doc_id": document.doc_id, "section_id": "s000", "parent": None, "heading": None,
                         "level": 0, "char_start": p.start, "char_end": p.end, "_chars": {}}
            current = front
        current["char_end"] = p.end
        for ancestor in stack[:-1]:
            ancestor["char_end"] = max(ancestor["char_end"], p.end)
        weight = p.end - p.start
        current["_chars"][lang] = current["_chars"].get(lang, 0) + weight
        para_rows.append({
            "doc_id": document.doc_id, "paragraph_id": f"p{n + 1:04d}", "section_id": current["section_id"],
            "kind": p.kind, "lang": lang, "lang_score": score, "lang_source": source,
            "page": document.page_of(p.start), "char_start": p.start, "char_end": p.end,
        })
    all_sections = ([front] if front else []) + sections
    annexes = _annex_subtrees(all_sections)
    totals: dict[str, int] = {}
    body: dict[str, int] = {}
    for s in all_sections:
        chars = s.pop("_chars")
        for lang, n in chars.items():
            totals[lang] = totals.get(lang, 0) + n
            if s["section_id"] not in annexes:
                body[lang] = body.get(lang, 0) + n
        total = sum(chars.values())
        best = max(chars, key=chars.get) if chars else None
        s["lang"] = best
        s["lang_score"] = round(chars[best] / total, 4) if best else None
        s["page_start"] = document.page_of(s["char_start"])
        s["page_end"] = document.page_of(max(s["char_start"], s["char_end"] - 1))
    # the main language is the body's: annexes are often in another language
    counts = body or totals
    main = max(counts, key=counts.get) if counts else None
    return para_rows, all_sections, main


def _annex_subtrees(sections: list[dict]) -> set[str]:
    """section_ids of annex sections (level 1) and everything nested in them."""
    annex = {s["section_id"] for s in sections if s["level"] == 1}
    changed = True
    while changed:
        changed = False
        for s in sections:
            if s["parent"] in annex and s["section_id"] not in annex:
                annex.add(s["section_id"])
                changed = True
    return annex
