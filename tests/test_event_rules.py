"""Every event rule's examples and counterexamples: title steps and dating strategies
(patterns/event_rules.jsonl) must reach the row as its rule_id / year_rule_id; blockers
(patterns/event_blockers.jsonl) must stop the kind word they name, and only that one."""
import pytest

from extractors.context import document_context
from extractors.event_dating import TITLE_DATING
from extractors.events import TRIGGER_STEPS, blocker_of, blockers
from extractors.nlp import PATTERNS
from pipeline.nlp.rule_files import read_records
from extractors import extract_document
from tests.test_extractors import found_events, paragraphs_of

RULES = read_records(PATTERNS / "event_rules.jsonl")
TITLE_RULES = [r for r in RULES if r["kind"] == "title"]
DATING_RULES = [r for r in RULES if r["kind"] == "dating"]
# ids the paragraph-level and document-level code gives besides the ordered steps
OTHER_TITLE_IDS = {"event.item_heading", "event.dated.body", "event.process_session"}
STEP_IDS = {rule_id for rule_id, _ in TRIGGER_STEPS} - {"event.blocker.process_name", "event.blockers"}


def _events(example: dict) -> list[dict]:
    text = example["text"]
    return found_events(extract_document("t", text, paragraphs_of(text, example["lang"]), lambda _: 1,
                                         example.get("doc_year")))


def _cases(rules, field):
    return [pytest.param(r, e, id=f"{r['id']}:{n}") for r in rules for n, e in enumerate(r[field])]


def test_every_rule_has_a_row_with_an_example():
    assert {r["id"] for r in TITLE_RULES} == STEP_IDS | OTHER_TITLE_IDS
    assert {rule_id for rule_id, _ in TITLE_DATING} <= {r["id"] for r in DATING_RULES}
    assert len({r["id"] for r in RULES}) == len(RULES)
    assert all(r["examples"] and r["description"] for r in RULES)


@pytest.mark.parametrize("rule, example", _cases(TITLE_RULES, "examples"))
def test_title_rule_finds_its_example(rule, example):
    rows = [e for e in _events(example) if e["rule_id"] == rule["id"]]
    assert rows, _events(example)
    if "title" in example:
        assert example["title"] in [e["title"] for e in rows]
    if "year" in example:
        assert example["year"] in [e["year"] for e in rows]


@pytest.mark.parametrize("rule, example", _cases(TITLE_RULES, "counterexamples"))
def test_title_rule_ignores_its_counterexample(rule, example):
    """No row of the rule; with a title given, no row of the rule with that title (the rule
    may find a shorter one: 'Seminar on Asylum' of 'a Seminar on Asylum, Canada and Mexico …')."""
    titles = [e["title"] for e in _events(example) if e["rule_id"] == rule["id"]]
    assert (example["title"] not in titles) if "title" in example else not titles


@pytest.mark.parametrize("rule, example", _cases(DATING_RULES, "examples"))
def test_dating_rule_dates_its_example(rule, example):
    rows = [e for e in _events(example) if e["year_rule_id"] == rule["id"]]
    assert [e["year"] for e in rows][:1] == [example["year"]], _events(example)


@pytest.mark.parametrize("rule, example", _cases(DATING_RULES, "counterexamples"))
def test_dating_rule_ignores_its_counterexample(rule, example):
    assert not [e for e in _events(example) if e["year_rule_id"] == rule["id"]]


def _kind_word(example: dict):
    text = example["text"]
    para = document_context("t", text, paragraphs_of(text, example["lang"]), lambda _: 1).paragraphs[0]
    word = next(s for s in para.doc.spans["event_kinds"] if s.text.split()[0] == example["word"])
    return para, word


BLOCKER_CASES = [pytest.param(b, e, True, id=f"{b.id}:{n}") for b in blockers() for n, e in enumerate(b.examples)] + [
    pytest.param(b, e, False, id=f"{b.id}:not{n}") for b in blockers() for n, e in enumerate(b.counterexamples)]


@pytest.mark.parametrize("blocker, example, blocked", BLOCKER_CASES)
def test_blocker_stops_its_examples_only(blocker, example, blocked):
    para, word = _kind_word(example)
    at_word = [e for e in _events(example) if e["char_start"] <= para.start + word.start_char < e["char_end"]]
    if blocker.inside:  # a blocker of one title step's mentions: the example's mention is stopped
        assert bool(at_word) is not blocked, at_word
        return
    assert (blocker_of(para.doc, word) == blocker.id) is blocked
    if blocked:  # and no event row starts at that kind word
        assert not at_word


def test_every_blocker_has_examples_and_counterexamples():
    assert all(b.examples and b.counterexamples for b in blockers())


TITLE_PATTERNS = [r for r in read_records(PATTERNS / "event_blockers.jsonl") if r["kind"] == "title_pattern"]


@pytest.mark.parametrize("row", TITLE_PATTERNS, ids=lambda r: r["id"])
def test_title_patterns_match_their_examples_only(row):
    from extractors.events import title_patterns

    pattern = title_patterns()[row["id"]]
    hit = (lambda t: pattern.search(t)) if row["use"] == "search" else (lambda t: pattern.match(t))
    assert all(hit(t) for t in row["examples"]) and not any(hit(t) for t in row["counterexamples"])


def test_a_standing_body_is_no_event_and_its_session_is():
    text = ("The Conference of African Ministers of Finance adopted a statement. "
            "The Fifth Conference of African Ministers of Finance met in Addis Ababa in May 2005.")
    titles = [e["title"] for e in _events({"lang": "en", "text": text})]
    assert titles == ["Fifth Conference of African Ministers of Finance"]
