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
