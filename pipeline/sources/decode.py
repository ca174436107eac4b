"""Bytes of a text or markup file → text, with every markup removal recorded as an edit."""
from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser


from pipeline.errors import NotText
from pipeline.textedit import Edit, Rewrite, apply_edits, compose, regex_edits


def bytes_to_text(data: bytes) -> tuple[str, str]:
    """Decode: UTF-8 (with or without BOM), else cp1252, else latin-1. Returns (text, encoding)."""
    if not data.strip():
        raise NotText("empty file: no text")
    sample = data[:65536]
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotText("binary data, not a text file (contains NUL bytes)")
    for encoding in ("utf-8-sig", "utf-16") if sample.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            text = None
    if text is None:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, encoding = data.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 0.01 * min(len(text), 65536):
        raise NotText("binary data, not a text file (too many control characters)")
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


# Bidirectional embedding, override and isolate controls: invisible, they reorder what a
# reader sees ('‮txt.exe' shows as 'exe.txt'); a report's text never needs them
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


# Characters of Spanish, Portuguese and French text that ftfy leaves alone in any line made
# of them and printable ASCII: in no string of up to three such characters does ftfy's
# mojibake heuristic see damage, and fix_text changes none of up to six (tests/test_decode.py
# checks both). Upper-case À-Ñ, 'ª', 'º', '¿', '¡', quotation marks and 'Ù' are not among
# them: next to other characters they read as mojibake ('Ã³', 'Ù…').
FTFY_INERT = "°·ÒÓÔÕÚÛàáâãçèéêëìíîïñòóôõùúûü–—’…"
NOT_FTFY_INERT = re.compile(f"[^\t\x20-\x7e{FTFY_INERT}]")


def fix_unicode_lines(text: str) -> list[Edit]:
    """ftfy per line (mojibake, ligatures), NFC; one edit per changed line. HTML entities are
    left as written: an HTML input's were decoded once by its parser, and in a text file
    '&lt;b&gt;' is what the author typed. Bidi controls are removed, one logged edit each."""
    from ftfy import fix_text  # here: an unchanged re-run imports this module, not ftfy

    edits = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group(0)
        if not NOT_FTFY_INERT.search(line):
            continue  # printable ASCII, tabs and letters ftfy leaves alone: nothing it would change
        fixed = fix_text(line, normalization="NFC", unescape_html=False, uncurl_quotes=False)
        if BIDI_CONTROLS.search(fixed) and fixed == line:
            edits += [Edit(match.start() + m.start(), match.start() + m.end(), "", "unicode", "bidi_control")
                      for m in BIDI_CONTROLS.finditer(line)]
        elif fixed != line:
            edits.append(Edit(match.start(), match.end(), BIDI_CONTROLS.sub("", fixed), "unicode",
                              "ftfy+bidi_control" if BIDI_CONTROLS.search(fixed) else "ftfy"))
    return edits


# How a footnote stands in clean text, from any input: its own paragraph opening with its
# number in brackets ('[3] The text of footnote 3.'); .docx notes, text inputs'
# '<sup>3</sup>' at a line start and the notes at a PDF page's foot are all written so.
NOTE_LINE = re.compile(r"^[ \t]*\[(?:\d{1,3}|[*†‡])\][ \t]")


SUP_MARK = re.compile(r"<sup>[^<]{0,12}</sup>", re.I)  # a reference mark: '<sup>3</sup>'
MD_ITALIC = re.compile(r"(?<![\w*])\*{1,3}(?=[^\s*])([^*\n]{1,1000}?)(?<=[^\s*])\*{1,3}(?![\w*])")


# Markup some sources carry around plain text. Ordered: footnote markers go first so
# their digits are not left behind; emphasis markers last.
MARKUP_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # a footnote's own number at the start of its line is kept as '[n] ', as .docx notes are
    ("sup_note_number", re.compile(r"^<sup>(\d{1,3}|[*†‡])</sup>[ \t]*", re.I | re.M), r"[\1] "),
    ("sup_footnote", SUP_MARK, ""),
    ("list_item", re.compile(r"^[ \t]*<li>[ \t]*", re.I | re.M), "• "),
    ("inline_list_item", re.compile(r"<li>[ \t]*", re.I), "\n• "),
    ("block_tag", re.compile(r"</?(?:ul|ol|li|p|div|br|span|b|i|u|em|strong|sup|sub|font)\b[^>]*>", re.I), ""),
    ("md_heading", re.compile(r"^#{1,6}[ \t]+", re.M), ""),
    ("md_rule", re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.M), ""),
    ("md_bold_italic", re.compile(r"\*\*\*"), ""),
    ("md_bold", re.compile(r"\*\*|__(?=\S)|(?<=\S)__"), ""),
    ("md_italic", MD_ITALIC, r"\1"),
    ("md_line_break", re.compile(r"[ \t]{2,}$", re.M), ""),
)


@lru_cache(maxsize=1)
def scanning_markup_rules() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    """MARKUP_RULES as they run over whole texts: with a look-ahead on their first
    characters, which skips most positions at once. Made when first needed, not when an
    unchanged re-run imports this module."""
    from pipeline.nlp.literals import first_char_lookahead

    return tuple((rule, first_char_lookahead(pattern), replacement) for rule, pattern, replacement in MARKUP_RULES)


# what the page layout writes into a PDF's or image's text: reference marks and italics
LAYOUT_MARKUP = ("sup_note_number", "sup_footnote", "md_italic")


def markup_edits(text: str, rules: tuple[str, ...] | None = None) -> list[Edit]:
    """Edits removing markup (all of ``MARKUP_RULES``, or those named in ``rules``);
    non-overlapping by construction (each rule sees the rest)."""
    taken: list[tuple[int, int]] = []
    edits: list[Edit] = []
    for rule, pattern, replacement in scanning_markup_rules():
        if rules is not None and rule not in rules:
            continue
        for edit in regex_edits(text, pattern, replacement, "markup", rule):
            if rule == "md_italic":
                # keep the inner text as-is: remove only the two asterisks
                inner_start, inner_end = edit.start + 1, edit.end - 1
                candidates = [Edit(edit.start, inner_start, "", "markup", rule),
                              Edit(inner_end, edit.end, "", "markup", rule)]
            else:
                candidates = [edit]
            for cand in candidates:
                if not any(cand.start < e and s < cand.end or (cand.start == cand.end == s) for s, e in taken):
                    taken.append((cand.start, cand.end))
                    edits.append(cand)
    return edits


def rewrite_chain(text: str, *steps) -> Rewrite:
    """Run str → edits steps one after another, composing their origin maps."""
    origin = None
    all_edits: list[Edit] = []
    current = text
    for step in steps:
        rewrite = apply_edits(current, step(current))
        all_edits += _edits_in_source(rewrite.edits, origin, len(text))
        origin = rewrite.origin if origin is None else compose(origin, rewrite.origin)
        current = rewrite.text
    if origin is None:
        from pipeline.textedit import identity_origin

        origin = identity_origin(text)
    return Rewrite(current, origin, tuple(all_edits))


def _edits_in_source(edits, origin, source_len: int) -> list[Edit]:
    """Re-express edits made on an intermediate text in source-text offsets."""
    if origin is None:
        return list(edits)
    out = []
    for e in edits:
        start = int(origin[e.start])
        end = int(origin[e.end]) if e.end > e.start else start
        # an edit ending at a position whose origin jumped back keeps at least its start
        out.append(Edit(start, max(end, start), e.replacement, e.step, e.rule, e.score, e.applied))
    return out


class _BlockText(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
              "section", "article", "header", "footer", "blockquote", "pre", "title"}
    SKIP = {"script", "style", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag not in ("br", "li", "tr") else "\n")
            if tag == "li":
                self.parts.append("• ")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(markup: str) -> str:
    """HTML → plain text with block structure (paragraphs, list items, table rows with tabs)."""
    parser = _BlockText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"  # the parser decoded the entities (convert_charrefs): once, not twice
