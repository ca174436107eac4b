"""Literal gates (pipeline.nlp.literals): the strings a pattern cannot match without, and
the check that a gate never hides a match of the rule patterns it guards."""
import re

import pytest

from extractors.memberships import RULES_PATH, load_grammar
from pipeline.nlp.fold import fold
from pipeline.nlp.literals import gated, required_literals
from pipeline.nlp.rule_files import read_records


@pytest.mark.parametrize("pattern, expected", [
    (r"\bmiembros?\s+(?:plenos|de)\b", {"miembro"}),            # the longest run of literals
    (r"\b(?:member|participating)\s+states?\b", {"member", "participating"}),  # one of a branch
    (r"(?:observers?|observadores)", {"observ"}),  # the parser factors out the common prefix
    (r"(?:fue\s+)?integrad[oa]s?\s+por", {"integrad"}),         # an optional group requires nothing
    (r"(?:miembros)+\s+plenos", {"miembros"}),                  # a repeat at least once requires its body
])
def test_required_literals(pattern, expected):
    assert required_literals(re.compile(pattern)) == expected


@pytest.mark.parametrize("pattern", [
    r"(?:miembros)?\s*\d+",   # nothing but an optional literal
    r"[a-z]+\s+y",             # a literal shorter than DEFAULT_MIN_LITERAL
    r"(?:member|\w+)\s+\d",   # a branch one of whose arms requires nothing
    r"(?:ſeptiembre|enero)",   # with IGNORECASE (below): a literal beyond ASCII
])
def test_no_literal_required(pattern):
    flags = re.IGNORECASE if "ſ" in pattern else 0
    assert required_literals(re.compile(pattern, flags)) is None


def test_a_pattern_ignoring_case_is_gated_on_ascii_texts_only():
    """Ignoring case, 'Miembro' and 'MIEMBRO' match 'miembro' (the gate reads an ASCII text
    in lower case), and re matches 's' to 'ſ' and 'k' to 'K' (Kelvin): a text beyond ASCII
    is never gated."""
    pattern = gated(r"\bmiembro|setiembre\b", re.IGNORECASE)
    assert pattern.literals == {"miembro", "setiembre"}
    assert pattern.search("Los MIEMBROS") and pattern.search("en Setiembre")
    assert pattern.search("ſetiembre") and pattern.may_match("ſetiembre")
    assert not pattern.may_match("los observadores") and pattern.search("los observadores") is None
    assert pattern.may_match("los observadores – ") and pattern.search("los observadores – ") is None


def test_case_insensitive_parts_require_nothing():
    """'Miembro' matches '(?i:miembro)' (and 'ſ' matches 's' under IGNORECASE): a gate on
    its lower-case literals could hide a match, so only the case-sensitive rest counts."""
    assert required_literals(re.compile(r"(?i:miembro)s\s+plenos")) == {"plenos"}
    assert required_literals(re.compile(r"(?:member|\w+)\s+states")) == {"states"}


def test_gated_pattern_answers_as_the_pattern():
    pattern = gated(r"\bmiembros?\s+(?P<kind>plenos|asociados)\b")
    assert pattern.search("los estados miembros plenos").group("kind") == "plenos"
    assert pattern.search("sin nada que ver") is None
    assert list(pattern.finditer("observadores y asociados")) == []
    assert pattern.match("miembro asociados", 0) is not None
    assert pattern.groupindex == {"kind": 1}


def test_membership_gates_never_hide_a_match():
    """Every cue, heading, blocker and line pattern of the membership grammar, on every
    example and counterexample of the rule file (folded, as the extractors see them) and on
    the sentences joined into one text: where the pattern matches, its gate lets it."""
    grammar = load_grammar()
    patterns = [r.pattern for r in (*grammar.cues, *grammar.headings, *grammar.roles_after, *grammar.lines)]
    patterns += [b.pattern for b in grammar.blockers] + list(grammar.subheadings)
    texts = [fold(t if isinstance(t, str) else t["text"]).lower() for record in read_records(RULES_PATH)
             for t in (*(record.get("examples") or ()), *(record.get("counterexamples") or ()))]
    texts.append(" ".join(texts))
    checked = 0
    for pattern in patterns:
        for text in texts:
            if pattern.regex.search(text):
                checked += 1
                assert pattern.may_match(text), (pattern.pattern[:80], text[:80])
                assert pattern.search(text) is not None
    assert checked > 100  # the examples do exercise the patterns
    assert sum(p.literals is not None for p in patterns) >= len(grammar.cues)
