"""Every membership rule of extractors/patterns/membership_rules.jsonl against its own
examples and counterexamples, through the rule layer (the cue rules' rows, which the
membership model then takes as evidence): an example must give rows with the rule's id and
exactly the members it names; a counterexample no row with that id. Blockers: their
examples give no rule row at all, their counterexamples some."""
import re

import pytest

from extractors.memberships import load_grammar, rule_entries
from extractors.context import document_context
from extractors.membership_rows import document_membership_rows
from tests.test_extractors import paragraphs_of

ENTRIES = rule_entries()
RULES = [e for e in ENTRIES if e["kind"] in ("rule", "heading")]
BLOCKERS = [e for e in ENTRIES if e["kind"] == "blocker"]
ROLES_AFTER = [e for e in ENTRIES if e["kind"] == "role_after"]
LINES = [e for e in ENTRIES if e["kind"] == "line"]


def rows_of(text: str, lang: str) -> list[dict]:
    """The cue rules' membership rows of a text (before the model decides)."""
    return document_membership_rows(document_context("t", text, paragraphs_of(text, lang), lambda _: 1, 2003))


def test_rule_rows_are_well_formed():
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids))
    for e in RULES + BLOCKERS + ROLES_AFTER + LINES + [e for e in ENTRIES if e["kind"] == "subheading"]:
        assert e["examples"] and e["counterexamples"] and e["description"], e["id"]
    for e in RULES:
        assert e["role"] in ("member", "observer", "participant") and e["lang"] in ("es", "en"), e["id"]
        assert e["basis"] in ("stated", "participation", "signatory", "founding", "table"), e["id"]
    grammar = load_grammar()  # every pattern expands and compiles
    assert len(grammar.cues) + len(grammar.headings) == len(RULES) and len(grammar.blockers) == len(BLOCKERS)
    assert len(grammar.roles_after) == len(ROLES_AFTER) and len(grammar.lines) == len(LINES) and grammar.numbers["eleven"] == grammar.numbers["once"] == 11
    # every rule of both languages exists for each statement class
    stems = {re.sub(r"\.(es|en)\.", ".", e["id"]).split(".")[0] for e in RULES}
    for stem in stems:
        langs = {e["lang"] for e in RULES if e["id"].startswith(stem + ".")}
        assert langs == {"es", "en"}, (stem, langs)


@pytest.mark.parametrize("rule, example", [(r, ex) for r in RULES for ex in r["examples"]],
                         ids=lambda v: v["id"] if isinstance(v, dict) and "id" in v else "")
def test_rule_finds_its_examples(rule, example):
    rows = [r for r in rows_of(example["text"], rule["lang"]) if r["rule_id"] == rule["id"]]
    assert sorted(r["member_id"] for r in rows) == sorted(example["members"]), rows
    assert {r["role"] for r in rows} == {rule["role"]} and {r["basis"] for r in rows} == {rule["basis"]}


@pytest.mark.parametrize("rule, counterexample", [(r, ex) for r in RULES for ex in r["counterexamples"]],
                         ids=lambda v: v["id"] if isinstance(v, dict) and "id" in v else "")
def test_rule_ignores_its_counterexamples(rule, counterexample):
    rows = [r for r in rows_of(counterexample["text"], rule["lang"]) if r["rule_id"] == rule["id"]]
    assert rows == []


@pytest.mark.parametrize("blocker", BLOCKERS, ids=lambda b: b["id"])
def test_blocker_examples_and_counterexamples(blocker):
    for example in blocker["examples"]:
        assert rows_of(example["text"], example.get("lang", "en")) == [], example
    for counterexample in blocker["counterexamples"]:
        assert rows_of(counterexample["text"], counterexample.get("lang", "en")), counterexample


@pytest.mark.parametrize("entry", ROLES_AFTER, ids=lambda e: e["id"])
def test_a_role_after_a_list_changes_its_role(entry):
    for example in entry["examples"]:
        rows = [r for r in rows_of(example["text"], example["lang"]) if r["rule_id"].endswith("+" + entry["id"])]
        assert sorted(r["member_id"] for r in rows) == sorted(example["members"])
        assert {r["role"] for r in rows} == {entry["role"]}
    for counterexample in entry["counterexamples"]:
        rows = rows_of(counterexample["text"], counterexample["lang"])
        assert rows and not any(r["role"] == entry["role"] for r in rows)


@pytest.mark.parametrize("entry", LINES, ids=lambda e: e["id"])
def test_a_line_of_a_composition_table_states_its_role(entry):
    for example in entry["examples"]:
        rows = [r for r in rows_of(example["text"], example["lang"]) if r["rule_id"] == entry["id"]]
        assert sorted(r["member_id"] for r in rows) == sorted(example["members"])
        assert {r["role"] for r in rows} == {entry["role"]}
    for counterexample in entry["counterexamples"]:
        assert rows_of(counterexample["text"], counterexample["lang"]) == []


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e["kind"] == "subheading"], ids=lambda e: e["id"])
def test_a_subheading_keeps_a_headed_list_open(entry):
    for example in entry["examples"]:
        assert sorted(r["member_id"] for r in rows_of(example["text"], example["lang"])) == sorted(example["members"])
    for counterexample in entry["counterexamples"]:
        assert rows_of(counterexample["text"], counterexample["lang"]) == []
