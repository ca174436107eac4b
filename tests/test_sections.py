"""Sections, paragraphs and per-paragraph language on hand-made Spanish/English text."""
import numpy as np

from pipeline.text.docinfo import cover_date, cover_symbol, original_language
from pipeline.text.language import LanguageSettings, assign_languages, guess_paragraph
from pipeline.records import Document, PageMethod, PageSpan, SourceFile
from pipeline.text.sections import document_structure, split_paragraphs
from pipeline.textedit import Edit

ES = ("La Conferencia Regional sobre Migración es un foro en el cual los países de la región discuten "
      "los temas migratorios de interés común y buscan la cooperación.")
EN = ("The Regional Conference on Migration is a forum in which the countries of the region discuss "
      "migration issues of common interest and seek cooperation.")

TEXT = f"""MC/INF/999
Original: inglés
10 de noviembre de 2003

I. INTRODUCCIÓN
1. {ES}
2. {ES}
• Belice
• Canadá
Antecedentes
{ES} {ES}
Anexo I
AMERICAS AND THE CARIBBEAN
{EN}
Process\tGovernment Participants
Puebla Process\tBelize, Canada, Costa Rica
Belize, Canada, Costa Rica
{EN}
"""


def make_document(text: str, edits=()) -> Document:
    source = SourceFile("x.txt", "x", "txt", "0" * 64, len(text))
    origin = np.arange(len(text) + 1)
    span = PageSpan(1, PageMethod.PLAIN, None, 0, len(text), 0, len(text))
    return Document(source, text, text, origin, (span,), tuple(edits))


def test_paragraph_kinds():
    paragraphs = split_paragraphs(TEXT, set())
    kinds = [(p.kind, TEXT[p.start:p.end].split("\n")[0][:20]) for p in paragraphs]
    assert ("heading", "I. INTRODUCCIÓN") in kinds
    assert ("text", "1. La Conferencia Re") in kinds          # numbered paragraphs stay paragraphs
    assert ("list", "• Belice") in kinds                      # a list stays whole
    assert ("table", "Process\tGovernment P") in kinds        # a table stays whole
    assert ("heading", "Antecedentes") in kinds               # title line before a body
    assert ("heading", "Anexo I") in kinds
    assert ("text", "MC/INF/999") in kinds                    # a symbol is not a heading
    lists = [p for p in paragraphs if p.kind == "list"]
    assert TEXT[lists[0].start:lists[0].end] == "• Belice\n• Canadá"


def test_sections_nest_region_under_annex_and_languages_switch():
    paragraphs, sections, main = document_structure(make_document(TEXT))
    by_heading = {s["heading"]: s for s in sections}
    annex = by_heading["Anexo I"]
    region = by_heading["AMERICAS AND THE CARIBBEAN"]
    assert annex["level"] == 1 and region["parent"] == annex["section_id"]
    assert by_heading["I. INTRODUCCIÓN"]["lang"] == "es" and region["lang"] == "en"
    assert main == "es"  # the body's language, not the (longer) annex's
    names_only = [p for p in paragraphs if TEXT[p["char_start"]:p["char_end"]] == "Belize, Canada, Costa Rica"][0]
    assert (names_only["lang"], names_only["lang_source"]) == ("en", "neighbour")


def test_markdown_heading_hint_makes_a_heading():
    text = "Intro line that is long enough to be a paragraph of body text for sure.\nOverview of processes\nMore text here."
    edit = Edit(72, 72, "", "markup", "md_heading")  # where '## ' was removed
    paragraphs, sections, _ = document_structure(make_document(text, [edit]))
    assert [s["heading"] for s in sections if s["heading"]] == ["Overview of processes"]


def test_short_and_name_only_strings_abstain():
    settings = LanguageSettings()
    assert guess_paragraph("Belice, Canada, Costa Rica", settings).lang is None
    assert guess_paragraph("Panama", settings).lang is None
    assert guess_paragraph("Anexo II", settings).lang == "es"
    assert guess_paragraph("AFRICA AND THE MIDDLE EAST", settings).lang == "en"
    assert guess_paragraph(ES, settings).lang == "es" and guess_paragraph(EN, settings).lang == "en"


def test_language_is_deterministic_for_both_detectors():
    texts = [ES, "Panama", EN, "Office des Tunisiens à l'Etranger, créé en 1988 pour les travailleurs migrants."]
    for detector in ("lingua", "langdetect"):
        settings = LanguageSettings(detector=detector)
        runs = [assign_languages(texts, settings) for _ in range(3)]
        assert runs[0] == runs[1] == runs[2]
        assert [r[0] for r in runs[0]] == ["es", "es", "en", "other"]


def test_weak_verdict_between_agreeing_neighbours_is_smoothed():
    settings = LanguageSettings(smooth_below=1.01)  # every verdict counts as weak here
    out = assign_languages([ES, EN, ES], settings)
    assert [o[0] for o in out] == ["es", "es", "es"] and out[1][2] == "smoothed"


def test_cover_facts():
    assert cover_symbol(TEXT) == "MC/INF/999"
    assert original_language(TEXT) == "en"
    assert cover_date(TEXT) == "2003-11-10"
    assert cover_date("Original: English\nMarch 13, 2008\n") == "2008-03-13"
    # a date inside the first sentence is not a cover date
    assert cover_date("I.\nIntroducción\nAl concluir la reunión, realizada del 29-31 de octubre de 2002 en Antigua") is None
