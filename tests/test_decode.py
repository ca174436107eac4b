import pytest

from pipeline.errors import NotText
from pipeline.sources.decode import FTFY_INERT, bytes_to_text, fix_unicode_lines, html_to_text, markup_edits, rewrite_chain


def clean(text: str) -> str:
    return rewrite_chain(text, fix_unicode_lines, markup_edits).text


def test_utf8_and_cp1252_are_decoded():
    assert bytes_to_text("Migración".encode("utf-8"))[0] == "Migración"
    text, encoding = bytes_to_text("Migración – Perú".encode("cp1252"))
    assert text == "Migración – Perú" and encoding == "cp1252"


def test_utf8_bom_and_crlf():
    assert bytes_to_text(b"\xef\xbb\xbfLinea 1\r\nLinea 2")[0] == "Linea 1\nLinea 2"


@pytest.mark.parametrize("data", [b"", b"   \n ", bytes(range(256))])
def test_empty_and_binary_are_not_text(data):
    with pytest.raises(NotText):
        bytes_to_text(data)


def test_mojibake_is_fixed_and_curly_quotes_kept():
    mojibake = "Conferencia Regional sobre MigraciÃ³n"
    assert clean(mojibake) == "Conferencia Regional sobre Migración"
    assert clean("el término “migrantes”") == "el término “migrantes”"


def test_nfc_not_nfkc():
    assert clean("Resolución Nº 923") == "Resolución Nº 923"
    assert clean("Migracio\u0301n") == "Migración"


def test_markdown_and_html_markup_removed():
    source = "## ANNEX\n\n**MC/INF/266**\n*Manila Process* and ***Bali Process***<sup>2</sup>\n---\n<ul><li>uno</li><li>dos</li></ul>\n"
    out = clean(source)
    assert "ANNEX" in out and "#" not in out
    assert "MC/INF/266" in out and "*" not in out
    assert "Manila Process and Bali Process\n" in out
    assert "2" not in out.replace("MC/INF/266", "")
    assert "• uno" in out and "• dos" in out
    assert "<" not in out


def test_tab_separated_rows_stay_rows():
    source = "Process\tParticipants\nRCM\tBelize, Canada\n"
    assert clean(source) == source


def test_markup_edits_map_back_to_source():
    source = "**Original: inglés  \n10 de noviembre de 2003**"
    rewrite = rewrite_chain(source, fix_unicode_lines, markup_edits)
    assert rewrite.text == "Original: inglés\n10 de noviembre de 2003"
    for i, ch in enumerate(rewrite.text):
        assert source[rewrite.origin[i]] == ch
    assert {e.rule for e in rewrite.edits} == {"md_bold", "md_line_break"}


def test_html_block_text():
    out = html_to_text("<html><head><style>x{}</style></head><body><h1>Title</h1><p>One &amp; two</p>"
                       "<ul><li>a</li><li>b</li></ul><table><tr><td>RCM</td><td>Belize</td></tr></table></body></html>")
    assert out.splitlines()[0] == "Title"
    assert "One & two" in out and "• a" in out and "RCM\tBelize" in out and "x{}" not in out


def test_entities_are_decoded_once_and_only_in_html():
    """Issue 31: '&amp;lt;script&amp;gt;' in a text file became '<script>' and '&lt;b&gt;' was
    deleted as markup. A text file keeps what its author typed; HTML is decoded by its parser once."""
    text = "Taller &amp;lt;script&amp;gt; y &lt;b&gt;negrita&lt;/b&gt;\n"
    assert clean(text) == text
    assert html_to_text("<p>Taller &amp;lt;script&amp;gt; y &lt;b&gt;</p>") == "Taller &lt;script&gt; y <b>\n"


def test_bidi_controls_are_removed_as_logged_edits():
    source = "Seminario \u202eoidalaS\u202c sobre retorno\n"
    rewrite = rewrite_chain(source, fix_unicode_lines, markup_edits)
    assert rewrite.text == "Seminario oidalaS sobre retorno\n"
    assert [(source[e.start:e.end], e.rule) for e in rewrite.edits] == [("\u202e", "bidi_control"), ("\u202c", "bidi_control")]


def test_plain_ascii_lines_skip_ftfy_and_lines_with_controls_do_not():
    """Issue 33: a line of printable ASCII and tabs is left alone without asking ftfy (it
    changes none); a line with a control character or a terminal escape still goes to ftfy."""
    from ftfy import fix_text

    assert fix_unicode_lines("The Colombo Process\tmet in 2003.\nIt & others (a/b) 'met'.\n") == []
    for line in ("Terminal \x1b[31mred\x1b[0m text", "A null\x00 byte", "Caf\u00c3\u00a9 mojibake"):
        edits = fix_unicode_lines(line + "\n")
        assert len(edits) == 1 and edits[0].replacement == fix_text(line, normalization="NFC", unescape_html=False,
                                                                    uncurl_quotes=False)


def test_lines_of_ftfy_inert_characters_are_what_ftfy_leaves_alone():
    """fix_unicode_lines skips a line of printable ASCII and FTFY_INERT without asking ftfy
    (issue 33): in no string of one to three such characters does ftfy's mojibake heuristic
    see damage, and fix_text changes none of them nor random lines of them. Mojibake made
    of the same letters' neighbours is still fixed."""
    import itertools
    import random
    import string

    from ftfy import fix_text
    from ftfy.badness import is_bad

    ascii_part = [c for c in string.printable if c not in "\r\n\x0b\x0c"]
    inert = list(FTFY_INERT)
    for n in (1, 2):
        for chars in itertools.product(inert + ascii_part, repeat=n):
            text = "".join(chars)
            assert not is_bad(text) and fix_text(text, normalization="NFC", unescape_html=False,
                                                    uncurl_quotes=False) == text, text
    for chars in itertools.product(inert + list("aZ .1'\"-"), repeat=3):
        text = "".join(chars)
        assert not is_bad(text), text
    rng = random.Random(33)
    for _ in range(3000):
        text = "".join(rng.choices(inert + ascii_part, k=rng.randint(4, 40)))
        assert fix_text(text, normalization="NFC", unescape_html=False, uncurl_quotes=False) == text, text
    edits = fix_unicode_lines("la migraciÃ³n y los niÃ±os\nla migración y los niños")
    assert [(e.start, e.replacement) for e in edits] == [(0, "la migración y los niños")]
