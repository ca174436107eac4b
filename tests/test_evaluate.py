"""The scorer itself, on hand-made cases, and the gold files' own consistency."""
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate.score import (Counts, describe_errors, match_locations, language_accuracy, load_gold, match_document_fields,
                               match_events, match_multisets, score_document, score_repair)

GOLD = Path(__file__).parent / "gold"
RAW = Path(__file__).parent.parent / "corpus" / "raw"

GOLD_DOC = {
    "doc_id": "d",
    "document": {"symbol": "MC/INF/266", "doc_date": "2003-11-10", "language": "es", "original_language": "en"},
    "processes": [{"process_id": "rcm"}, {"process_id": "sacm"}],
    "memberships": [{"process_id": "rcm", "member_id": "BLZ", "member_type": "country", "role": "member"},
                    {"process_id": "rcm", "member_id": "ARG", "member_type": "country", "role": "observer"}],
    "events": [{"kind": "workshop", "title": "Tráfico de Migrantes", "year": 1998},
               {"kind": "meeting", "title": "VII Reunión de la CRM", "year": 2002}],
    "dates": [{"date_start": "2002-10-29", "date_end": "2002-10-31"}, {"date_start": "2002-11", "date_end": "2003-05"}],
}


def perfect_tables(gold):
    return {
        "documents": pd.DataFrame([{"doc_id": "d", **gold["document"]}]),
        "process_mentions": pd.DataFrame([{"doc_id": "d", "process_id": p["process_id"]} for p in gold["processes"]] * 2),
        "memberships": pd.DataFrame([{"doc_id": "d", **m} for m in gold["memberships"]]),
        "events": pd.DataFrame([{"doc_id": "d", **e} for e in gold["events"]]),
        "dates": pd.DataFrame([{"doc_id": "d", **d} for d in gold["dates"]]),
    }


def test_perfect_prediction_scores_one():
    scores = score_document(GOLD_DOC, perfect_tables(GOLD_DOC))
    for etype, counts in scores.items():
        if etype == "event_locations" and not any(e.get("location") for e in GOLD_DOC["events"]):
            assert counts == Counts(0, 0, 0)  # no place in the gold: nothing scored
            continue
        assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0), etype


def test_missing_item_lowers_recall_only():
    tables = perfect_tables(GOLD_DOC)
    tables["memberships"] = tables["memberships"].iloc[:1]
    counts = score_document(GOLD_DOC, tables)["memberships"]
    assert counts.precision == 1.0 and counts.recall == 0.5


def test_extra_item_lowers_precision_only():
    tables = perfect_tables(GOLD_DOC)
    extra = pd.DataFrame([{"doc_id": "d", "date_start": "2003-02-13", "date_end": "2003-02-13"}])
    tables["dates"] = pd.concat([tables["dates"], extra])
    counts = score_document(GOLD_DOC, tables)["dates"]
    assert counts.recall == 1.0 and counts.precision == pytest.approx(2 / 3)


def test_role_must_match_for_memberships():
    tables = perfect_tables(GOLD_DOC)
    tables["memberships"].loc[1, "role"] = "member"
    assert score_document(GOLD_DOC, tables)["memberships"].tp == 1


def test_event_with_wrong_year_does_not_match_but_counts_title_only():
    predicted = [{"title": "Trafico de migrantes", "year": 1999}]
    assert match_events(GOLD_DOC["events"][:1], predicted) == Counts(0, 1, 1)
    assert match_events(GOLD_DOC["events"][:1], predicted, require_year=False) == Counts(1, 0, 0)


def test_event_titles_match_fuzzily_and_one_to_one():
    gold = [{"title": "Reunión del GRCM", "year": 2002}, {"title": "Reunión del GRCM", "year": 2002}]
    assert match_events(gold, [{"title": "reunion del GRCM", "year": 2002}]) == Counts(1, 0, 1)
    assert match_events(gold[:1], [{"title": "Seminario sobre Remesas", "year": 2002}]) == Counts(0, 1, 1)


def test_dates_are_a_multiset():
    assert match_multisets([("2002-10", "2002-10")] * 2, [("2002-10", "2002-10")]) == Counts(1, 0, 1)


def test_document_fields_exact():
    assert match_document_fields(GOLD_DOC["document"], {"symbol": "MC/INF/266", "language": "en"}) == Counts(1, 1, 3)


def test_nothing_predicted_is_zero_not_an_error():
    scores = score_document(GOLD_DOC, {})
    assert scores["processes"] == Counts(0, 0, 2) and scores["processes"].f1 == 0.0


def test_repair_score_counts_fixed_and_damaged_words():
    reference = "La Migración de Niños en Perú"
    raw = "La Migracién de Nifios en Perú"
    good = score_repair(raw, "La Migración de Niños en Perú", reference)
    assert (good.bag_errors_raw, good.bag_errors_clean, good.fixed_share, good.damaged) == (2, 0, 1.0, 0)
    bad = score_repair(raw, "La Migración de Nifios en Peru", reference)
    assert bad.damaged == 1 and bad.fixed_share == 0.0
    assert bad.false_edit_rate == pytest.approx(1 / 4)


def test_removing_a_surplus_header_is_not_damage():
    score = score_repair("MC/INF/259 texto MC/INF/259 más", "MC/INF/259 texto más", "MC/INF/259 texto más")
    assert score.damaged == 0 and score.bag_errors_clean == 0


def test_language_accuracy_uses_spans_in_order():
    gold = {"language_spans": [{"anchor": "INTRODUCCIÓN", "lang": "es"}, {"anchor": "ANNEX", "lang": "en"}]}
    clean = "INTRODUCCION\nTexto.\n\nANNEX\nText."
    paragraphs = [{"char_start": 0, "char_end": 12, "lang": "es"}, {"char_start": 13, "char_end": 19, "lang": "es"},
                  {"char_start": 21, "char_end": 26, "lang": "es"}]
    assert language_accuracy(gold, clean, paragraphs) == (2, 3)


# ---------------------------------------------------------------- the gold files themselves

def gold_files():
    return sorted(GOLD.glob("*.json"))


def registry_ids(name, key):
    path = Path(__file__).parent.parent / "extractors" / "data" / name
    return {json.loads(line)[key] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def test_every_corpus_document_has_gold():
    assert {p.stem for p in RAW.iterdir()} == {p.stem for p in gold_files()}


@pytest.mark.parametrize("path", gold_files(), ids=lambda p: p.stem)
def test_gold_file_is_consistent(path):
    import pycountry

    gold = load_gold(GOLD)[path.stem]
    processes, orgs = registry_ids("processes.jsonl", "process_id"), registry_ids("organizations.jsonl", "org_id")
    assert {p["process_id"] for p in gold["processes"]} <= processes
    for m in gold["memberships"]:
        assert m["process_id"] in processes and m["role"] in ("member", "observer")
        if m["member_type"] == "country":
            historical = {"SCG", "YUG", "CSK", "SUN", "ANT"}
            assert m["member_id"] in historical or pycountry.countries.get(alpha_3=m["member_id"]), m
        else:
            assert m["member_id"] in orgs, m
    for d in gold["dates"]:
        assert d["date_start"] <= d["date_end"] and d["precision"] in ("day", "month", "year")
    source = (RAW / f"{gold['doc_id'] if 'same_as' not in json.loads(path.read_text()) else json.loads(path.read_text())['same_as']}.txt")
    text = source.read_text(encoding="utf-8")
    for span in gold["language_spans"]:
        assert span["anchor"] in text or span["anchor"] in (GOLD / "reference" / source.name).read_text(encoding="utf-8")


def test_error_listing_names_what_was_missed_and_what_is_spurious():
    tables = perfect_tables(GOLD_DOC)
    tables["events"] = pd.DataFrame([
        {"doc_id": "d", "kind": "workshop", "title": "Tráfico de Migrantes", "year": 1998, "rule_id": "r1"},
        {"doc_id": "d", "kind": "meeting", "title": "VII Reunión de la CRM", "year": 2003, "rule_id": "r2",
         "year_rule_id": "year.date_after"},
        {"doc_id": "d", "kind": "seminar", "title": "Seminario sobre Remesas", "year": None, "rule_id": "r3"}])
    tables["dates"] = pd.DataFrame([{"doc_id": "d", "text": "octubre", "date_start": "2002-10", "date_end": "2002-10"},
                                    {"doc_id": "d", "text": "nov.-mayo", "date_start": "2002-11", "date_end": "2003-05"}])
    tables["memberships"] = tables["memberships"].iloc[:1]
    events = describe_errors(GOLD_DOC, tables, "events")
    # a missed event shows the row that has its title with the wrong year, and the rules behind it
    assert events == ["missed    meeting | 'VII Reunión de la CRM' | 2002  ≈ row meeting | 'VII Reunión de la CRM' | "
                      "2003  [r2 / year.date_after]",
                      "spurious  meeting | 'VII Reunión de la CRM' | 2003  [r2 / year.date_after]",
                      "spurious  seminar | 'Seminario sobre Remesas' | None  [r3 / no year]"]
    dates = describe_errors(GOLD_DOC, tables, "dates")
    assert [line.split()[:2] for line in dates] == [["missed", "2002-10-29/2002-10-31"], ["spurious", "2002-10/2002-10"]]
    assert describe_errors(GOLD_DOC, tables, "memberships") == ["missed    ('rcm', 'ARG', 'observer')"]
    assert describe_errors(GOLD_DOC, tables, "processes") == []


def test_the_dev_pdfs_are_scored_against_the_gold_of_their_text():
    from pipeline.evaluate.score import Evaluation, dev_pdf_texts, load_gold, pdf_comparison

    texts = dev_pdf_texts(GOLD)
    assert texts and set(texts.values()) <= set(load_gold(GOLD))
    evaluation = Evaluation()
    evaluation.add("document", "mc-inf-266_2003_regional-dialogues_es-en", "memberships", "f1", 0.998)
    evaluation.set_name = "dev_pdfs"
    evaluation.add("document", "mc-inf-266_word_textlayer", "memberships", "f1", 0.990)
    table = pdf_comparison(evaluation, {"mc-inf-266_word_textlayer": "mc-inf-266_2003_regional-dialogues_es-en"})
    assert table.splitlines()[-1].split() == ["mc-inf-266_word_textlayer", "memberships", "0.998", "0.990", "-0.008"]


def test_a_dev_scan_is_made_of_its_pdf_once(tmp_path):
    """`make evaluate` scores scans it makes of dev PDFs ([scans] of dev_pdfs.toml): each
    page in grey at 200 dpi, an image-only PDF, made again only when its PDF is newer."""
    import os

    import pypdfium2 as pdfium

    from pipeline.evaluate.scans import SCAN_PROFILES, made_scan
    from pipeline.evaluate.score import dev_pdf_scans, dev_pdf_texts
    from tests.fixtures.make_fixtures import two_column_pdf

    assert {source for source, _ in dev_pdf_scans(GOLD).values()} <= set(dev_pdf_texts(GOLD))
    assert {profile for _, profile in dev_pdf_scans(GOLD).values()} <= set(SCAN_PROFILES)
    pdf = tmp_path / "doc.pdf"
    two_column_pdf(pdf)
    scan = made_scan(pdf, tmp_path / "made" / "doc_scanned.pdf")
    document = pdfium.PdfDocument(str(scan))
    try:
        assert len(document) == 3 and not document[0].get_textpage().get_text_range().strip()  # no text layer
        width, _ = document[0].get_size()
        assert round(width) == 595  # A4 kept: the 200-dpi image is its page
    finally:
        document.close()
    first = scan.stat().st_mtime_ns
    made_scan(pdf, scan)
    assert scan.stat().st_mtime_ns == first  # kept
    os.utime(pdf, ns=(first + 10**9, first + 10**9))
    made_scan(pdf, scan)
    assert scan.stat().st_mtime_ns != first  # its PDF changed: made again


def test_location_of_matched_events_only():
    """A place is scored on events matched by title and year; one place naming the other is right."""
    gold = [{"title": "Fifth Ministerial Conference", "year": 2013, "location": "Istanbul"},
            {"title": "Sixth Regional Workshop on Return", "year": 2014, "location": "Victoria Falls, Zimbabwe"},
            {"title": "Seventh Regional Meeting on Labour", "year": 2015, "location": "Dakar"},
            {"title": "Unmatched Forum on Data", "year": 2016, "location": "Rome"}]
    predicted = [{"title": "Fifth Ministerial Conference", "year": 2013, "location": "Ankara"},
                 {"title": "Sixth Regional Workshop on Return", "year": 2014, "location": "Victoria Falls"},
                 {"title": "Seventh Regional Meeting on Labour", "year": 2015, "location": None}]
    assert match_locations(gold, predicted) == Counts(1, 1, 2)
