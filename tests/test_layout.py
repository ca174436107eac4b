from pipeline.sources.layout import LayoutSettings, find_gutter, reading_order, words_to_lines
from pipeline.records import Line, Word

S = LayoutSettings()


def column_lines(x0, x1, n, top=100.0):
    return [Line(f"{x0}-{i}", x0, x1, top + 14 * i, top + 14 * i + 10) for i in range(n)]


def test_two_columns_are_read_left_then_right():
    left, right = column_lines(50, 280, 10), column_lines(310, 540, 10)
    ordered = reading_order(left + right, 595, S)
    assert [ln.text for ln in ordered] == [ln.text for ln in left + right]


def test_full_width_title_cuts_bands():
    title = [Line("TITLE", 50, 540, 60, 70)]
    top_l, top_r = column_lines(50, 280, 6, 100), column_lines(310, 540, 6, 100)
    mid = [Line("ANNEX", 50, 540, 200, 210)]
    low_l, low_r = column_lines(50, 280, 6, 220), column_lines(310, 540, 6, 220)
    ordered = [ln.text for ln in reading_order(title + top_l + top_r + mid + low_l + low_r, 595, S)]
    expected = [ln.text for ln in title + top_l + top_r + mid + low_l + low_r]
    assert ordered == expected


def test_single_column_has_no_gutter():
    lines = [Line(str(i), 50, 540 - (i % 3) * 40, 100 + 14 * i, 110 + 14 * i) for i in range(30)]
    assert find_gutter(lines, 595, S) is None


def test_words_on_one_baseline_split_at_the_gutter():
    words = [Word("left", 50, 80, 100, 110), Word("col", 85, 100, 100.5, 110.5),
             Word("right", 320, 350, 100.2, 110.2)]
    lines = words_to_lines(words, S)
    assert sorted(ln.text for ln in lines) == ["left col", "right"]


def _column_words(x0, x1, rows, top=100.0):
    """Justified lines of words of varied widths filling x0..x1, one per baseline."""
    out = []
    for r in range(rows):
        x, k = x0, r
        while x < x1 - 8:
            w = 14 + (k * 7) % 19
            out.append(Word(f"w{x0:.0f}.{r}", x, min(x + w, x1), top + 10 * r, top + 10 * r + 7))
            x += w + 3
            k += 1
    return out


def test_three_tight_columns_are_read_column_by_column():
    """bug: a register's three columns, 10 pt apart (less than the 1.6 line heights that
    split a line), were read line by line across the columns ('Go to proposal, explain
    the reason for any https://…')."""
    words = _column_words(40, 200, 20) + _column_words(211, 371, 20) + _column_words(382, 542, 20)
    lines = words_to_lines(words, S)
    assert all(ln.x1 - ln.x0 < 170 for ln in lines)  # no line runs across a gutter
    ordered = [ln.text.split()[0].split(".")[0] for ln in reading_order(lines, 595, S)]
    assert ordered == ["w40"] * 20 + ["w211"] * 20 + ["w382"] * 20


def test_one_column_of_justified_text_has_no_word_gutter():
    # counterexample: word gaps land anywhere in justified text; no strip is empty on most lines
    lines = words_to_lines(_column_words(40, 540, 30), S)
    assert len(lines) == 30 and find_gutter(lines, 595, S) is None


def _ocr_line(texts_and_x, key, top=357.0, height=28.0):
    """OCR words of one tesseract line (same line_key), each (text, x0, x1)."""
    return [Word(text, x0, x1, top, top + height, line_key=key) for text, x0, x1 in texts_and_x]


def test_an_ocr_bullet_stays_with_its_item():
    """bug: on an office scan, tesseract read each '•' as '+' on a box smaller and lower
    than its line's words; split off by the bullet's indent it sorted after its line's
    text, and each item broke in two ('… Upper Austria on' / '+' / '"Language and
    Racism" …'), losing the item's event."""
    words = _ocr_line([("(iii)", 309, 355), ("Workshop:", 369, 505), ("IOM", 522, 580)], (3, 1, 1), height=23)
    bullet = Word("+", 260, 270, 364, 372, line_key=(3, 1, 1))
    lines = words_to_lines([bullet] + words, S)
    assert [ln.text for ln in lines] == ["+ (iii) Workshop: IOM"]
    # counterexample: a word, not a mark, across a wide gap is another column's
    far = Word("Annex", 40, 120, 357, 385, line_key=(3, 1, 1))
    assert len(words_to_lines([far] + words, S)) == 2


def test_an_ocr_line_is_not_split_at_a_sentence_gap():
    """bug: a justified OCR line ('Santiago, Chile, in November 2007.  The event was held
    with the cooperation of') was split at the two spaces after '2007.' (52 px where its
    words are 27 apart, over 1.6 word heights); the halves sorted as two columns and the
    sentence with the 17th Summit's year was cut."""
    xs = [("Santiago,", 210, 326), ("Chile,", 354, 429), ("in", 457, 480), ("November", 508, 642),
          ("2007.", 668, 738), ("The", 790, 840), ("event", 867, 940), ("was", 967, 1020), ("held", 1047, 1100)]
    lines = words_to_lines(_ocr_line(xs, (2, 1, 9), height=23), S)
    assert [ln.text for ln in lines] == ["Santiago, Chile, in November 2007. The event was held"]
    # counterexample: tesseract's line across a real gutter (many word gaps wide) is split
    xs = [("left", 100, 180), ("column", 207, 330), ("ends", 357, 430), ("right", 700, 780), ("column", 807, 930)]
    assert len(words_to_lines(_ocr_line(xs, (2, 1, 3), height=23), S)) == 2


def _line(text, top, height=10.0, x0=72.0, x1=540.0):
    return Line(text, x0, x1, top, top + height)


def test_a_running_head_apart_from_the_body_is_the_header_zone():
    from pipeline.records import Zone
    from pipeline.sources.layout import assign_zones

    lines = [_line("Regional Conference on Migration", 24, 9), _line("Body text starts here", 72), _line("and runs on", 85)]
    zones = [ln.zone for ln in assign_zones(lines, 792, LayoutSettings())]
    assert zones == [Zone.HEADER, Zone.BODY, Zone.BODY]


def test_lines_in_the_margin_band_that_run_on_into_the_body_are_body():
    # bug: a paragraph starting inside the top band lost its first lines as a running head
    from pipeline.records import Zone
    from pipeline.sources.layout import assign_zones

    lines = [_line("The movie opens with", 30), _line("a news report", 43), _line("advertising the way", 56),
             _line("of life", 69), _line("- 3 -", 770, 8, 290, 320)]
    zones = [ln.zone for ln in assign_zones(lines, 792, LayoutSettings())]
    assert zones == [Zone.BODY] * 4 + [Zone.FOOTER]
