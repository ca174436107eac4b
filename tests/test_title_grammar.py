"""The title grammar (patterns/title_grammar.jsonl, issue 29): every record's examples give
the title it names with the record's id among the steps taken; its counterexamples give the
title they name without it. A start or end record's id is what stopped the title on that
side; a part record's id is among the parts the title took in."""
import pytest

from extractors.context import document_context
from extractors.event_titles import (TITLE_GRAMMAR, complement_end_traced, descriptive_end, premodifier_start_traced,
                                     title_rules_at)
from tests.test_extractors import paragraphs_of


def _title(example: dict) -> tuple[str, set[str]]:
    """The title around the example's kind word and the ids of the steps that made it."""
    text = example["text"]
    doc = document_context("t", text, paragraphs_of(text, example["lang"]), lambda _: 1).paragraphs[0].doc
    kind = next(s for s in doc.spans["event_kinds"] if s.text == example["kind_word"])
    start, start_rule, parts = premodifier_start_traced(doc, kind.start)
    if example.get("descriptive"):
        end = descriptive_end(doc, kind.end)
        ids = set(title_rules_at(doc, start, end)) | {start_rule}
    else:
        end, end_rule, after = complement_end_traced(doc, kind.end, named=start < kind.start)
        ids = {start_rule, end_rule, *after}
    return doc[start:end].text, ids | set(parts)


def _cases(field):
    return [pytest.param(r, e, id=f"{r['id']}:{n}") for r in TITLE_GRAMMAR.values() for n, e in enumerate(r[field])]


def test_every_record_has_an_example_and_a_description():
    assert all(r["examples"] and r["description"] and r["kind"] in ("start", "part", "end")
               for r in TITLE_GRAMMAR.values())


@pytest.mark.parametrize("record, example", _cases("examples"))
def test_grammar_record_makes_its_example(record, example):
    title, ids = _title(example)
    assert (title, record["id"] in ids) == (example["title"], True), ids


@pytest.mark.parametrize("record, example", _cases("counterexamples"))
def test_grammar_record_stays_out_of_its_counterexample(record, example):
    title, ids = _title(example)
    assert (title, record["id"] in ids) == (example["title"], False), ids
