"""Footnotes and reference marks of text-layer pages: the rules on made-up pages, with a
counterexample each (the Word PDF of MC/INF/266 is the golden test in test_ingest_pdf)."""
from pipeline.sources.decode import markup_edits, rewrite_chain
from pipeline.text.assemble import footnote_edits, footnotes_text, sentence_across_pages_edits
from pipeline.sources.layout import LayoutSettings, mark_footnotes, note_number, words_to_page
from pipeline.sources.pdf import attach_reference_marks, mark_superscripts
from pipeline.records import Line, PageMethod, Word, Zone
from pipeline.text.sections import split_paragraphs
from pipeline.textedit import apply_edits


def _char(text, x0, top, size=11.5, italic=False):
    return {"text": text, "x0": x0, "x1": x0 + 0.5 * size, "top": top, "bottom": top + size,
            "size": size, "italic": italic, "sup": False}


def test_a_small_raised_digit_is_a_reference_mark_and_a_body_digit_is_not():
    word = [_char(ch, 100 + 6 * i, 400) for i, ch in enumerate("migratorias")]
    mark = _char("1", 166, 398, size=6.7)          # raised: its baseline 3.6 pt above the line's
    year = [_char(ch, 200 + 6 * i, 400) for i, ch in enumerate("2003")]
    small_on_line = _char("2", 180, 404.8, size=6.7)  # small but on the baseline: a subscript-like size change
    chars = word + [mark] + year + [small_on_line]
    mark_superscripts(chars)
    assert [ch["text"] for ch in chars if ch["sup"]] == ["1"]


def test_a_mark_is_attached_to_the_word_it_follows_and_what_touches_it_is_glued_back():
    words = [{"text": "migratorias", "x0": 100, "x1": 166, "top": 400, "bottom": 411.5, "sup": False},
             {"text": "1", "x0": 166, "x1": 169.4, "top": 398, "bottom": 404.7, "sup": True},
             {"text": ",", "x0": 169.5, "x1": 172, "top": 400, "bottom": 411.5, "sup": False},
             {"text": "la", "x0": 176, "x1": 186, "top": 400, "bottom": 411.5, "sup": False}]
    assert [w["text"] for w in attach_reference_marks(words, 0.15)] == ["migratorias<sup>1</sup>,", "la"]
    # a note's own number opens its line: it goes on the word after it
    opening = [{"text": "2", "x0": 70, "x1": 73.4, "top": 700, "bottom": 706.7, "sup": True},
               {"text": "Tras", "x0": 73.5, "x1": 95, "top": 701, "bottom": 710, "sup": False}]
    assert [w["text"] for w in attach_reference_marks(opening, 0.15)] == ["<sup>2</sup>Tras"]


def test_note_numbers_open_notes_and_page_numbers_do_not():
    assert note_number("1 La Constitución de la OIM, en su Artículo 1.1") == "1"
    assert note_number("<sup>12</sup>See the Bali Process web site.") == "12"
    assert note_number("* Observer since 2004.") == "*"
    assert note_number("3 de 13") is None
    assert note_number("12. The Conference met in Lima.") is None  # a numbered paragraph


def _line(text, top, size=11.5, zone=Zone.BODY):
    return Line(text, 70, 520, top, top + size, zone=zone)


def _page_lines(note_size=9.0):
    body = [_line(f"Body line {n} of the report, long enough to be a line of text.", 100 + 14 * n) for n in range(20)]
    notes = [_line("1 See the declaration of the Conference, adopted in 2002 by the", 700, note_size),
             _line("Member States present.", 711, note_size),
             _line("2 Observers: Colombia, Ecuador and Jamaica attend the meetings.", 722, note_size)]
    footer = [_line("MC/INF/266 - Page 3", 805, 9.0, Zone.FOOTER)]
    return body + notes + footer


def test_small_numbered_lines_under_a_separator_rule_are_footnotes():
    lines = mark_footnotes(_page_lines(), [696.0], LayoutSettings())
    zones = [ln.zone for ln in lines]
    assert zones.count(Zone.FOOTNOTE) == 3 and zones[-1] is Zone.FOOTER  # the running footer stays
    notes = [ln for ln in lines if ln.zone is Zone.FOOTNOTE]
    assert [ln.paragraph_break_before for ln in notes] == [True, False, True]
    assert footnotes_text(notes) == ("[1] See the declaration of the Conference, adopted in 2002 by the\n"
                                     "Member States present.\n\n[2] Observers: Colombia, Ecuador and Jamaica "
                                     "attend the meetings.")


def test_numbered_lines_in_the_bodys_size_are_not_footnotes():
    # counterexample: a numbered paragraph at the foot of the page, set like the body
    assert all(ln.zone is not Zone.FOOTNOTE for ln in mark_footnotes(_page_lines(note_size=11.5), [696.0],
                                                                      LayoutSettings()))
    # without a separator rule the notes must be clearly smaller (scans): 9 of 11.5 pt is
    assert sum(ln.zone is Zone.FOOTNOTE for ln in mark_footnotes(_page_lines(), [], LayoutSettings())) == 3
    assert not any(ln.zone is Zone.FOOTNOTE for ln in mark_footnotes(_page_lines(note_size=10.5), [],
                                                                      LayoutSettings()))


def _words(text, top, size=11.5, x0=70.0):
    out, x = [], x0
    for w in text.split():
        out.append(Word(w, x, x + 5 * len(w), top, top + size))
        x += 5 * len(w) + 3
    return out


def test_a_sentence_cut_by_the_notes_reads_on_and_the_notes_follow_its_paragraph():
    first = [w for n in range(12) for w in _words(f"Line {n} of the body of the first page of the report", 100 + 14 * n)]
    first += _words("and the Ministers then met again in Bali to agree on the", 268)
    first += _words("1 The Bali Process web site, opened in 2003 by the", 700, 9.0)
    first += _words("co-chairs of the Process.", 711, 9.0)
    second = _words("regional cooperation framework, which the members", 100)
    second += [w for n in range(12) for w in _words(f"Line {n} of the second page, a new paragraph here.", 130 + 14 * n)]
    settings = LayoutSettings()
    pages = [words_to_page(first, 1, PageMethod.TEXT, 595, 842, settings, separators=[696.0]),
             words_to_page(second, 2, PageMethod.TEXT, 595, 842, settings)]
    text = pages[0].text + "\n\n" + pages[1].text
    spans = [(0, len(pages[0].text)), (len(pages[0].text) + 2, len(text))]
    joins = sentence_across_pages_edits(pages, [set(), set()], spans)
    assert len(joins) == 1
    edits = sorted([j for _, _, j in joins] + footnote_edits(pages, spans, joins), key=lambda e: (e.start, e.end))
    clean = apply_edits(text, edits).text
    paragraphs = clean.split("\n\n")
    cut = next(p for p in paragraphs if "agree on the" in p)
    assert "agree on the\nregional cooperation framework" in cut
    assert paragraphs[paragraphs.index(cut) + 1].startswith("[1] The Bali Process web site")


def test_notes_from_text_inputs_open_with_their_number_and_are_footnote_paragraphs():
    source = ("4. The Conference met in Lima<sup>1</sup>, and agreed.\n\n"
              "<sup>1</sup> The Lima Declaration of 1999.\n")
    clean = rewrite_chain(source, markup_edits).text
    assert clean == "4. The Conference met in Lima, and agreed.\n\n[1] The Lima Declaration of 1999.\n"
    kinds = [p.kind for p in split_paragraphs(clean, set())]
    assert kinds == ["text", "footnote"]
    # counterexample: a bracketed number inside a line is a citation, not a note
    assert [p.kind for p in split_paragraphs("As agreed [1] in Lima.\n", set())] == ["text"]


def test_italic_words_are_written_as_emphasis_and_running_heads_as_plain_text():
    words = _words("la OIM apoya la Conferencia sobre la CEI desde 1996", 300)
    words = [Word(w.text, w.x0, w.x1, w.top, w.bottom, italic=4 <= i <= 7) for i, w in enumerate(words)]
    header = [Word("Informe", 70, 110, 20, 31, italic=True)]
    page = words_to_page(words + header, 1, PageMethod.TEXT, 595, 842, LayoutSettings())
    assert "la OIM apoya la *Conferencia sobre la CEI* desde 1996" in page.text
    assert page.lines[0].zone is Zone.HEADER and page.lines[0].text == "Informe"
    clean = rewrite_chain(page.text, lambda t: markup_edits(t, ("md_italic",))).text
    assert "apoya la Conferencia sobre la CEI desde" in clean
