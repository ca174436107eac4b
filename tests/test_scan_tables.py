"""Ruled tables in page images, on drawn pages: a grid, a framed paragraph, a page border."""
import pytest
from PIL import Image, ImageDraw

from pipeline.records import Word
from pipeline.sources.scan_tables import image_to_rules, rules_to_grids, words_into_grids


def _page(draw_table=True, frame=False, border=False):
    image = Image.new("L", (1600, 2200), 255)
    pen = ImageDraw.Draw(image)
    if draw_table:  # 3 columns, a header and 3 rows; the last row's first two cells merged
        for y in (300, 360, 480, 600, 720):
            pen.line((200, y, 1400, y), fill=0, width=3)
        for x in (200, 1400):
            pen.line((x, 300, x, 720), fill=0, width=3)
        for x in (600, 1000):
            pen.line((x, 300, x, 600), fill=0, width=3)
        pen.line((1000, 600, 1000, 720), fill=0, width=3)
    if frame:  # a box around a paragraph: two rules, two sides
        pen.rectangle((200, 1000, 1400, 1200), outline=0, width=3)
    if border:
        pen.rectangle((5, 5, 1594, 2194), outline=0, width=6)
    for x in range(220, 1380, 14):  # a line of text: strokes far shorter than any rule
        pen.line((x, 1500, x, 1530), fill=0, width=4)
    return image


def _word(text, x, y):
    return Word(text, x, x + 12 * len(text), y, y + 30)


def test_a_ruled_grid_is_a_table_and_its_words_go_to_their_cells():
    image = _page()
    grids = rules_to_grids(*image_to_rules(image), *image.size)
    assert len(grids) == 1 and len(grids[0].rows) == 5
    words = [_word("Process", 220, 315), _word("Members", 620, 315), _word("Topics", 1020, 315),
             _word("Bali", 220, 380), _word("Process", 280, 380), _word("(2002)", 220, 420),
             _word("Australia,", 620, 380), _word("Indonesia", 620, 420), _word("Smuggling", 1020, 380),
             _word("|", 598, 500),  # a rule read as a character
             _word("Colombo", 220, 500), _word("Nepal", 620, 500), _word("Labour", 1020, 500),
             _word("All", 220, 640), _word("members", 640, 640), _word("Mixed", 1020, 640),
             _word("Below", 220, 1500)]
    rest, rows = words_into_grids(words, grids)
    assert [w.text for w in rest] == ["Below"]
    assert [r.text for r in rows] == ["Process\tMembers\tTopics",
                                      "Bali Process (2002)\tAustralia, Indonesia\tSmuggling",
                                      "Colombo\tNepal\tLabour",
                                      "All members\t\tMixed"]  # the merged cell in its first column
    assert all(r.table_row for r in rows)


def test_a_framed_paragraph_and_a_page_border_are_no_tables():
    image = _page(draw_table=False, frame=True, border=True)
    assert rules_to_grids(*image_to_rules(image), *image.size) == []
    # nor is a grid whose rows each hold one cell's words
    image = _page()
    grids = rules_to_grids(*image_to_rules(image), *image.size)
    words = [_word("A", 220, 380), _word("paragraph", 220, 500)]
    rest, rows = words_into_grids(words, grids)
    assert rows == [] and [w.text for w in rest] == ["A", "paragraph"]


def _scanned(image, profile, page_index=0):
    """The drawn page as the profile's scanner gives it back, then turned upright as OCR
    turns it (the residual skew of the 0.25° search steps stays)."""
    from pipeline.evaluate.scans import SCAN_PROFILES, page_image_to_scan
    from pipeline.sources.ocr import OcrSettings, deskewed

    scanned = page_image_to_scan(image, SCAN_PROFILES[profile] if isinstance(profile, str) else profile, page_index)
    upright, _ = deskewed(scanned, OcrSettings())
    return upright.convert("L")


def _thin_table_page():
    """The grid of ``_page`` drawn with hairlines (1 px, as a Word table's 0.5-pt border at
    200 dpi), under three lines of serif-like text whose baselines run long."""
    image = Image.new("L", (1600, 2200), 255)
    pen = ImageDraw.Draw(image)
    for y in (300, 360, 480, 600, 720):
        pen.line((200, y, 1400, y), fill=0, width=1)
    for x in (200, 600, 1000, 1400):
        pen.line((x, 300, x, 720), fill=0, width=1)
    for top in (1500, 1540, 1580):  # letters standing on a continuous baseline, like serifs
        for x in range(220, 1380, 14):
            pen.line((x, top, x, top + 22), fill=0, width=3)
        pen.line((220, top + 22, 1380, top + 22), fill=0, width=2)
    return image


@pytest.mark.parametrize("page_index", [0, 1])  # turned one way, then the other
def test_a_ruled_grid_is_found_through_an_office_scanner(page_index):
    """bug: an office scanner's scan of MC/INF/266 (pages turned 0.4-0.6°, sensor noise, a
    0.5-px blur, JPEG 70) gave 0 of the annex's 241 memberships: its hairlines turn mid-grey
    and broken, and long runs of pixels darker than a fixed grey level found no rules."""
    image = _scanned(_thin_table_page(), "office", page_index)
    grids = rules_to_grids(*image_to_rules(image), *image.size)
    assert len(grids) == 1 and len(grids[0].rows) == 5
    assert all(len(columns) == 4 for columns in grids[0].columns)


def test_a_grid_is_found_through_heavy_noise_and_blur():
    from dataclasses import replace

    from pipeline.evaluate.scans import SCAN_PROFILES

    rough = replace(SCAN_PROFILES["office"], noise_sigma=45.0, blur_px=1.0)
    image = _scanned(_thin_table_page(), rough)
    grids = rules_to_grids(*image_to_rules(image), *image.size)
    assert [len(g.rows) for g in grids] == [5]


def test_a_line_that_crosses_one_rule_is_no_row_of_a_table():
    # counterexample: an underline in a cell, or letters on a continuous baseline (serifs
    # read through blur), make long thin dark rows; touching one column rule and not the
    # next, they are no row rule and add no row to the table (a clean page of MC/INF/266
    # read at a lighter ink level had 18 rows instead of 10)
    image = _thin_table_page()
    pen = ImageDraw.Draw(image)
    pen.line((600, 420, 900, 420), fill=0, width=2)  # a cell's underlined words, touching its column's rule
    grids = rules_to_grids(*image_to_rules(image), *image.size)
    assert [len(g.rows) for g in grids] == [5]


def test_a_junction_of_rules_read_as_a_letter_is_no_word():
    """bug: on an office scan of MC/INF/266, OCR read the 'T' where a column rule meets the
    table's top rule as a word of the header ('T Main Areas of Interest'); the next page's
    repeated header then differed from the first page's and the annex row cut by the page
    break lost its last members (Tanzania, Zambia, Zimbabwe)."""
    image = _page()
    grids = rules_to_grids(*image_to_rules(image), *image.size)
    words = [_word("Process", 220, 315), _word("Members", 620, 315), _word("Topics", 1020, 315),
             Word("T", 996, 1004, 296, 318),  # on the rule at x=1000
             _word("Bali", 220, 380), _word("UN", 620, 380), _word("Smuggling", 1020, 380)]
    rest, rows = words_into_grids(words, grids)
    assert [r.text for r in rows] == ["Process\tMembers\tTopics", "Bali\tUN\tSmuggling"]  # a short word in a cell stays
