"""Literal gates (pipeline.nlp.literals): the strings a pattern cannot match without, and
the check that a gate never hides a match of the rule patterns it guards."""
import re

import pytest

from extractors.memberships import RULES_PATH, load_grammar
from pipeline.nlp.fold import fold
from pipeline.nlp.literals import first_char_lookahead, gated, required_literals
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


def _without_lookahead(regex: re.Pattern) -> re.Pattern:
    """A pattern first_char_lookahead gave, as it was before."""
    if not regex.pattern.startswith("(?=["):
        return regex
    return re.compile(regex.pattern.split("])(?:", 1)[1][:-1], regex.flags)


def test_membership_gates_never_hide_a_match():
    """Every cue, heading, blocker and line pattern of the membership grammar, on every
    example and counterexample of the rule file (folded, as the extractors see them) and on
    the sentences joined into one text: where the pattern matches, its gate lets it, and
    its look-ahead on first characters changes none of its matches."""
    grammar = load_grammar()
    patterns = [r.pattern for r in (*grammar.cues, *grammar.headings, *grammar.roles_after, *grammar.lines)]
    patterns += [b.pattern for b in grammar.blockers] + list(grammar.subheadings)
    texts = [fold(t if isinstance(t, str) else t["text"]).lower() for record in read_records(RULES_PATH)
             for t in (*(record.get("examples") or ()), *(record.get("counterexamples") or ()))]
    texts.append(" ".join(texts))
    checked = 0
    for pattern in patterns:
        plain = _without_lookahead(pattern.regex)
        for text in texts:
            assert [m.span() for m in pattern.regex.finditer(text)] == [m.span() for m in plain.finditer(text)]
            if pattern.regex.search(text):
                checked += 1
                assert pattern.may_match(text), (pattern.pattern[:80], text[:80])
                assert pattern.search(text) is not None
    assert checked > 100  # the examples do exercise the patterns
    assert sum(p.literals is not None for p in patterns) >= len(grammar.cues)


@pytest.mark.parametrize("pattern, flags, lookahead", [
    (r"(?:desde\s+)?(?<!\w)\d+", 0, r"(?=[\u0064\d])"),        # an optional word, a look-behind, then digits
    (r"\bfoo|\d+", 0, r"(?=[\u0066\d])"),                          # the alternation stays whole behind it
    (r"(?-i:May)\s+\d", re.IGNORECASE, r"(?=[\u004d])"),          # case kept inside: the class ignoring it finds more
    (r"a?b*", 0, None),                                             # may match the empty string
    (r"(?i:ab)c", 0, None),                                          # case ignored inside only: 'A' would be missed
    (r".x|[^a]y", 0, None),                                          # any character, a negated class
    (r"(?i)abc", 0, None),                                           # global flags stay first
    (r"<li>[ \t]*", 0, None),                                        # re searches for a first character itself
    (r"^#{1,6}[ \t]+", re.MULTILINE, None),                          # and rejects a repeated one at once
])
def test_first_char_lookahead(pattern, flags, lookahead):
    compiled = re.compile(pattern, flags)
    found = first_char_lookahead(compiled)
    if lookahead is None:
        assert found is compiled
    else:
        assert found.pattern == f"{lookahead}(?:{pattern})" and found.flags == compiled.flags


def test_first_char_lookahead_finds_what_the_date_rules_find():
    """The date rules, the relative dates, the year and the timeline patterns run with a
    look-ahead on their first characters (issue 33): on the seed reports' paragraphs, the
    date rules' examples and those upper-cased, each finds exactly the matches (spans and
    groups) it finds without it."""
    from extractors.dates import RULES_PATH as DATE_RULES
    from extractors.dates import load_grammar as load_date_grammar
    from pipeline.nlp.fold import fold_keeping_offsets
    from tests.conftest import RAW

    examples = [x for r in read_records(DATE_RULES) for x in r.get("examples", []) if isinstance(x, str)]
    texts = [fold_keeping_offsets(t) for t in examples + [e.upper() for e in examples] + [
        p for path in sorted(RAW.glob("*.txt")) for p in path.read_text(encoding="utf-8").split("\n\n")]]
    from extractors.events import TIMELINE_ITEMS

    grammar = load_date_grammar()
    patterns = {r.id: r.regex for lang in ("es", "en") for r in grammar.rules_by_lang[lang][0]}
    patterns |= {e["id"]: regex for e, regex in grammar.relative} | {"year": grammar.year}
    patterns |= {f"timeline{n}": regex for n, regex in enumerate(TIMELINE_ITEMS)}
    assert sum(regex.pattern.startswith("(?=[") for regex in patterns.values()) >= 35
    matched = 0
    for name, regex in patterns.items():
        plain = _without_lookahead(regex)
        for text in texts:
            spans = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in regex.finditer(text)] == spans, (name, text[:60])
            matched += len(spans)
    assert matched > 300


def test_one_scan_opens_exactly_the_gates_each_pattern_opens():
    """LiteralScan (issue 33) answers a family's gates in one pass: on the membership
    grammar's and evidence file's examples, folded and not, in upper case, with accents, and
    on texts where one literal sits inside another ('membership' holds 'member'), its answer
    is each pattern's own may_match."""
    from extractors.member_candidates import evidence_rules
    from pipeline.nlp.literals import LiteralScan

    grammar = load_grammar()
    patterns = [r.pattern for r in (*grammar.cues, *grammar.headings, *grammar.lines)] + [
        r.pattern for r in evidence_rules()]
    patterns += [gated(r"\bmarzo\b", re.IGNORECASE), gated(r"[a-z]+ia"), gated(r"(?i)observ(?:er|ador)s?")]
    texts = [t if isinstance(t, str) else t["text"] for record in read_records(RULES_PATH)
             for t in (*(record.get("examples") or ()), *(record.get("counterexamples") or ()))]
    texts += [fold(t) for t in texts] + [t.upper() for t in texts[:40]]
    texts += ["", "membership", "MARZO de 2004", "Marzo, Perú", "observadores", "OBSERVER STATUS — Canadá"]
    scan = LiteralScan(patterns)
    opened = 0
    for text in texts:
        answers = scan.open(text)
        assert [bool(a) for a in answers] == [p.may_match(text) for p in patterns], text[:80]
        opened += sum(answers)
    assert 0 < opened < len(texts) * len(patterns)  # some gates open, some stay shut
