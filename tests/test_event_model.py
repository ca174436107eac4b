"""The event model (issue 29): evidence ids of an event row, the shipped weights, the split
between events and event_candidates, and the training's labels and cross-validation."""
import pytest

from extractors import extract_document
from extractors.event_model import event_evidence, load_model, EVENT_MODEL_PATH
from pipeline.evaluate.score import Counts
from pipeline.evaluate.train import EventGoldSet, Example, event_cross_validated, held_out_confidences
from tests.test_extractors import paragraphs_of

TEXT = ("La VII Conferencia Regional sobre Migración se celebró en Antigua, Guatemala, del 20 al 22 de mayo "
        "de 2002. Con la participación de Belice y Canadá, la Conferencia aprobó su plan de acción.")


def row(**fields) -> dict:
    base = {"title": "Seminario sobre Migración y Salud", "rule_id": "event.titled.capitalised",
            "year_rule_id": "year.parens", "date_precision": "year", "location": None, "kind": "seminar",
            "process_id": "rcm", "session_number": None}
    return base | fields


def test_the_evidence_names_the_rules_and_the_title_shape():
    ids = event_evidence(row(), 5)
    assert {"event.titled.capitalised", "year.parens", "precision.year", "location.none", "kind.seminar",
            "title.words4_8"} <= set(ids)
    assert "title.ends_function_word" not in ids and "process.none" not in ids


def test_a_cut_undated_title_has_the_evidence_of_one():
    ids = event_evidence(row(title="Meeting of the", year_rule_id=None, date_precision=None, process_id=None,
                             session_number=4), 30)
    assert {"title.ends_function_word", "year.none", "precision.none", "process.none", "title.numbered",
            "document.many_events"} <= set(ids)


def test_the_shipped_model_lowers_undated_rows():
    model = load_model(EVENT_MODEL_PATH)
    assert model["weights"] and model["weights"]["year.none"] < 0


def test_rows_under_the_threshold_go_to_event_candidates():
    paragraphs = paragraphs_of(TEXT, "es")
    kept = extract_document("t", TEXT, paragraphs, lambda _: 1, 2002, min_event_confidence=0.0)
    held = extract_document("t", TEXT, paragraphs, lambda _: 1, 2002, min_event_confidence=1.01)
    assert [e["title"] for e in kept["events"]] == ["VII Conferencia Regional sobre Migración"]
    assert kept["event_candidates"] == [] and held["events"] == []
    assert [e["event_id"] for e in held["event_candidates"]] == [e["event_id"] for e in kept["events"]]
    event = kept["events"][0]
    assert 0.0 < event["confidence"] < 1.0 and "event.process_session" in event["evidence_ids"]
    # a participant keeps its session when the session is held for review
    sessions = {m["member_id"]: m["event_id"] for m in held["memberships"] + held["membership_candidates"]}
    assert sessions.get("BLZ") == held["event_candidates"][0]["event_id"]


def test_cross_validation_keeps_the_rows_over_the_threshold_and_pairs_them_like_evaluate():
    gold = EventGoldSet("s", (), {f"d{i}": [{"title": "Taller sobre Trata de Personas", "year": 2010}]
                                  for i in range(6)})
    rows, examples = {}, []
    for i in range(6):
        rows[("s", f"d{i}")] = [{"event_id": "e001", "title": "Taller sobre Trata de Personas", "year": 2010},
                                {"event_id": "e002", "title": "Meeting of the", "year": None}]
        examples += [Example("s", f"d{i}", ("e001",), ("good",), True), Example("s", f"d{i}", ("e002",), ("bad",), False)]
    held_out = held_out_confidences(examples)
    assert event_cross_validated([gold], rows, held_out, 0.0)["s"] == Counts(6, 6, 0)
    assert event_cross_validated([gold], rows, held_out, 0.5)["pooled"] == Counts(6, 0, 0)
    assert held_out[("s", "d0")][("e002",)] < 0.5 < held_out[("s", "d0")][("e001",)]
