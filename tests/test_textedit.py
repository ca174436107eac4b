import numpy as np

from pipeline.textedit import Edit, apply_edits, compose, origin_from_runs, runs_of


def test_apply_edits_maps_every_kept_character_to_its_source():
    text = "**Bold** and <sup>1</sup>plain"
    edits = [Edit(0, 2, "", "markup"), Edit(6, 8, "", "markup"), Edit(13, 25, "", "markup")]
    rewrite = apply_edits(text, edits)
    assert rewrite.text == "Bold and plain"
    for i, ch in enumerate(rewrite.text):
        assert text[rewrite.origin[i]] == ch
    assert rewrite.origin[-1] == len(text)


def test_replacement_characters_point_at_the_replaced_span():
    rewrite = apply_edits("Migracién x", [Edit(0, 9, "Migración", "ocr_confusion")])
    assert rewrite.text == "Migración x"
    assert list(rewrite.origin[:9]) == [0] * 9
    assert rewrite.origin[10] == 10


def test_suggestions_are_kept_but_not_applied():
    rewrite = apply_edits("Perd", [Edit(0, 4, "Perú", "ocr_confusion", applied=False)])
    assert rewrite.text == "Perd" and len(rewrite.edits) == 1


def test_overlapping_edits_are_refused():
    import pytest

    with pytest.raises(ValueError):
        apply_edits("abcdef", [Edit(0, 3, "", "x"), Edit(2, 4, "", "x")])


def test_composed_origins_reach_the_first_text():
    first = apply_edits("a--b--c", [Edit(1, 3, "", "s1")])        # "ab--c"
    second = apply_edits(first.text, [Edit(2, 4, "", "s2")])       # "abc"
    origin = compose(first.origin, second.origin)
    assert second.text == "abc"
    assert [int(origin[i]) for i in range(3)] == [0, 3, 6]


def test_runs_round_trip():
    origin = apply_edits("xx--yy--zz", [Edit(2, 4, "", "a"), Edit(6, 8, "", "a")]).origin
    assert np.array_equal(origin_from_runs(runs_of(origin)), origin)
