"""spaCy pieces the rule extractors share: where their data and patterns live, the component
that folds token norms, phrase patterns on folded norms, a Doc's text built once. The
pipeline itself (blank Spanish/English models whose rule patterns, data, RuleSpans finds) is
built in extractors.context, above the modules whose patterns it loads."""
from __future__ import annotations

from pathlib import Path

import numpy
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.nlp.fold import fold
from pipeline.output.tables import mention_span

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PATTERNS = HERE / "patterns"


def paragraph_doc(nlp: Language, text: str) -> Doc:
    """``nlp(text)`` holding its text for doc_text: spaCy's tokens keep the text whole, so
    joining them again is not needed."""
    doc = nlp(text)
    doc.user_data["text"] = text
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once: spaCy joins every token again on each access, and the rules
    read a paragraph's text many times (a fifth of extraction time went to that)."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


class NormFolding:
    """Each token's NORM set to its fold (pipeline.nlp.fold), so NORM patterns see
    "migracion" for "Migración"/"MIGRACIÓN". Placed before the rulers. The norms are set as
    one array from the token texts' hashes, each distinct text folded once per pipeline
    (setting ``token.norm_`` one by one was a twentieth of extraction, issue 33)."""

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        self.norm_of: dict[int, int] = {}  # ORTH hash → NORM hash, both in this vocabulary

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        orths, norm_of = doc.to_array(ORTH), self.norm_of
        norms = numpy.fromiter([norm_of[o] if o in norm_of else self._norm(o) for o in orths.tolist()],
                               dtype=orths.dtype, count=len(orths))
        doc.from_array([NORM], norms.reshape(-1, 1))
        return doc

    def _norm(self, orth: int) -> int:
        norm = self.norm_of.get(orth)
        if norm is None:
            norm = self.norm_of[orth] = self.strings.add(fold(self.strings[orth]))
        return norm


@Language.factory("norm_folding")
def make_norm_folding(nlp: Language, name: str) -> NormFolding:
    return NormFolding(nlp)


def phrase_to_pattern(nlp: Language, phrase: str) -> list[dict]:
    """A phrase → token pattern on folded norms, tokenised by the language's own tokenizer."""
    return [{"NORM": fold(token.text)} for token in nlp.make_doc(phrase)]


def as_phrase_patterns(nlp: Language, patterns: list[dict]) -> list[dict]:
    """Rule patterns with each plain sequence of folded norms written as a phrase, which a
    PhraseMatcher over NORM (RuleSpans', as a span ruler's) finds far faster than a Matcher
    walks token patterns. A sequence becomes a phrase only when the phrase
    tokenises back to exactly those norms, so the two find the same spans."""
    out = []
    for entry in patterns:
        tokens = entry["pattern"]
        if isinstance(tokens, list) and tokens and all(set(t) == {"NORM"} and isinstance(t["NORM"], str) for t in tokens):
            phrase = " ".join(t["NORM"] for t in tokens)
            if phrase_to_pattern(nlp, phrase) == tokens:
                entry = {**entry, "pattern": phrase}
        out.append(entry)
    return out


def is_orth_sequence(pattern) -> bool:
    """A token pattern of exact ORTH values only ([{"ORTH": "CRM"}]): what a PhraseMatcher
    over ORTH finds as well as a Matcher does."""
    return isinstance(pattern, list) and bool(pattern) and all(
        set(t) == {"ORTH"} and isinstance(t["ORTH"], str) for t in pattern)


def required_values(pattern: list[dict]) -> frozenset[tuple[str, str]]:
    """(attribute, value) pairs any match of a token pattern has among its tokens: the plain
    NORM and ORTH values of its tokens without an operator."""
    return frozenset((attr, token[attr]) for token in pattern if "OP" not in token
                     for attr in ("NORM", "ORTH") if isinstance(token.get(attr), str))


class RuleSpans:
    """A span ruler's work, done faster: the spans of every pattern, each once and sorted, in
    ``doc.spans[spans_key]`` (an empty group when there are none), as spaCy's span ruler
    (no filter) puts them there, without its per-call overhead (issue 33):

    - phrases (strings) by a PhraseMatcher over NORM, each phrase tokenised and its norms
      folded as the pipeline does (the ruler ran the components before it on its phrases);
    - exact ORTH sequences ([{"ORTH": "CRM"}]) by a PhraseMatcher over ORTH: the ruler's
      Matcher took 23 ms a 45 KB report for 24 one-token acronym patterns, this 0.3 ms;
    - other token patterns by a Matcher that runs on a paragraph only when it holds every
      plain NORM/ORTH value of one of them (required_values): five such patterns (a title
      word before 'Process'...) cost the ruler more than its 164 phrases.
    Placed after norm_folding."""

    def __init__(self, nlp: Language, spans_key: str) -> None:
        self.vocab = nlp.vocab
        self.key = spans_key
        self.make_doc = nlp.make_doc
        self.fold_norms = nlp.get_pipe("norm_folding")
        self.norm_phrases = PhraseMatcher(nlp.vocab, attr="NORM")
        self.orth_phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.gates: list[tuple[tuple[int, ...], tuple[int, ...]]] = []  # per token pattern: NORM, ORTH hashes
        self.labels: dict[int, tuple[str, str]] = {}

    def add_patterns(self, patterns: list[dict]) -> None:
        for entry in patterns:
            label, span_id, pattern = entry["label"], entry.get("id", ""), entry["pattern"]
            key = repr((label, span_id))  # as the span ruler names its match keys
            self.labels[self.vocab.strings.add(key)] = (label, span_id)
            if isinstance(pattern, str):
                self.norm_phrases.add(key, [self.fold_norms(self.make_doc(pattern))])
            elif is_orth_sequence(pattern):
                # the pattern's tokens as they are, not re-tokenised: [{"ORTH": "IGAD-RCP"}] is one token
                self.orth_phrases.add(key, [Doc(self.vocab, words=[t["ORTH"] for t in pattern])])
            else:
                self.matcher.add(key, [pattern])
                needs = required_values(pattern)
                self.gates.append(tuple(tuple(self.vocab.strings.add(v) for a, v in sorted(needs) if a == attr)
                                        for attr in ("NORM", "ORTH")))

    def _gate_open(self, doc: Doc) -> bool:
        if not self.gates:
            return False
        values = doc.to_array([NORM, ORTH])
        norms, orths = set(values[:, 0].tolist()), set(values[:, 1].tolist())
        return any(norms.issuperset(n) and orths.issuperset(o) for n, o in self.gates)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.norm_phrases(doc) + self.orth_phrases(doc)
        if self._gate_open(doc):
            matches += self.matcher(doc)
        labels = self.labels
        doc.spans[self.key] = sorted({Span(doc, start, end, label=labels[key][0], span_id=labels[key][1])
                                      for key, start, end in matches if start != end})
        return doc


@Language.factory("rule_spans", default_config={"spans_key": "sc"})
def make_rule_spans(nlp: Language, name: str, spans_key: str) -> RuleSpans:
    return RuleSpans(nlp, spans_key)


def with_first_span(spans, start: int, end: int) -> list[str]:
    """A row's mentions with its own (char_start-char_end) first, each once."""
    first = mention_span(start, end)
    return [first, *dict.fromkeys(s for s in spans if s != first)]
