"""The quality verdict of a page or document text."""
import pytest

from pipeline.text.quality import quality_verdict, text_quality

SPANISH = ("La Conferencia Regional sobre Migración celebró su reunión anual en la ciudad de Panamá, "
           "con la participación de los países miembros y de los organismos observadores invitados.")
ENGLISH = ("The Regional Conference on Migration held its annual meeting in Panama City with the member "
           "countries and the observer organisations that were invited to attend.")


@pytest.mark.parametrize("text, ocr, confidence, quality, reason", [
    (SPANISH, False, None, "ok", None),
    (ENGLISH, True, 91.0, "ok", None),
    ("Dummy PDF file", False, None, "ok", None),                      # short: too little to judge
    ("", True, None, "low", "empty after OCR"),
    ("", False, None, "ok", None),                                    # an empty text layer page is not OCR's failure
    ("区域移民会议在巴拿马城举行年度会议，成员国和观察员组织出席了会议。" * 3, False, None, "low", "script not supported"),
    (ENGLISH, True, 37.0, "low", "garbled OCR"),                      # a Chinese scan read as Latin capitals
    ("Indiscussingworklifebalancethefocusis " * 3 + ENGLISH, False, None, "low", "glued words"),
    ("xqzt vbrk lmnp qwrt zxcv bnmq wrtp sdfg hjkl zxcq " * 3, True, 80.0, "low", "garbled text"),
])
def test_quality_verdict(text, ocr, confidence, quality, reason):
    got, why = quality_verdict(text_quality(text), ocr, confidence)
    assert got == quality
    assert (why is None) if reason is None else why.startswith(reason)
