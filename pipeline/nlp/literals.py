"""The literal strings a regular expression cannot match without, to skip it on texts that
have none of them.

Most rule patterns are tried on every paragraph and match in a few: a cue needs 'miembro' or
'member', a date rule a month name. Finding that no such word is in a paragraph is a few
substring searches in C, where running the pattern costs a scan with backtracking from every
position (a fifth of the extractors' time went to patterns that found nothing, issue 33). A
gate never changes what a pattern finds: it answers False only when no match can exist.

The same parse gives the characters a match can start with (``first_char_lookahead``): a
pattern opening with optional words and look-behinds (an optional 'desde' or 'entre', then a
day number) is tried in full at every position, where a look-ahead on its first characters
fails at once.
"""
from __future__ import annotations

import re

try:  # the parser behind re.compile: private, so a Python that moves it gets no gates, not errors
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    sre_parse = None

DEFAULT_MIN_LITERAL = 2  # a gate on single characters (',', 'a') would pass nearly every text

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _best(options: list[frozenset[str]]) -> frozenset[str] | None:
    """Of several requirements a match meets all of, the most selective: longest shortest
    literal, then fewest literals."""
    usable = [o for o in options if o and min(map(len, o)) >= DEFAULT_MIN_LITERAL]
    if not usable:
        return None
    return max(usable, key=lambda o: (min(map(len, o)), -len(o)))


def _required(items) -> frozenset[str] | None:
    """A set of strings one of which every match of the parsed sequence ``items`` contains,
    or None when none is known."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        close_run()
        if name == "SUBPATTERN":
            _group, add_flags, _del_flags, sub = av
            if add_flags & re.IGNORECASE:
                continue
            found = _required(sub)
        elif name == "BRANCH":
            branches = [_required(sub) for sub in av[1]]
            found = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif name in _REPEATS:
            low, _high, sub = av
            found = _required(sub) if low >= 1 else None
        elif name == "ATOMIC_GROUP":
            found = _required(av)
        else:  # character classes, anchors, lookarounds, back-references: no literal known
            found = None
        if found is not None:
            options.append(found)
    close_run()
    return _best(options)


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which is in every text ``pattern`` matches in; None when the pattern
    may match without any (or cannot be parsed here). For a pattern that ignores case: the
    literals in lower case, one of which every ASCII text it matches in holds in lower case
    (None unless they are all ASCII: re matches 's' to 'ſ' and 'k' to 'K' ignoring case)."""
    if sre_parse is None or not isinstance(pattern.pattern, str):
        return None
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    except Exception:  # noqa: BLE001 - a pattern re compiled but this parser refuses: no gate
        return None
    literals = _required(list(parsed))
    if literals is None or not ignore_case:
        return literals
    return frozenset(map(str.lower, literals)) if all(map(str.isascii, literals)) else None


class GatedPattern:
    """A compiled pattern whose ``search``, ``finditer`` and ``findall`` first check its
    literal gate against the whole text (a match inside pos..endpos is a match in the text).
    ``match`` and ``fullmatch`` try one position, where the gate would cost more than it saves."""

    __slots__ = ("regex", "literals", "ignore_case")

    def __init__(self, regex: re.Pattern[str]) -> None:
        self.regex = first_char_lookahead(regex)  # once the gate opens, the scan is faster too
        self.literals = required_literals(regex)
        self.ignore_case = bool(regex.flags & re.IGNORECASE)

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in ``text`` (a pattern that
        ignores case: checked on ASCII texts only, whose lower case is exact)."""
        if self.literals is None:
            return True
        if self.ignore_case:
            if not text.isascii():
                return True
            text = text.lower()
        for literal in self.literals:  # a loop, not any(genexpr): asked per pattern per paragraph
            if literal in text:
                return True
        return False

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    @property
    def flags(self) -> int:
        return self.regex.flags

    @property
    def groupindex(self):
        return self.regex.groupindex

    def search(self, text: str, *span) -> re.Match[str] | None:
        return self.regex.search(text, *span) if self.may_match(text) else None

    def finditer(self, text: str, *span):
        return self.regex.finditer(text, *span) if self.may_match(text) else iter(())

    def findall(self, text: str, *span) -> list:
        return self.regex.findall(text, *span) if self.may_match(text) else []

    def match(self, text: str, *span) -> re.Match[str] | None:
        return self.regex.match(text, *span)

    def fullmatch(self, text: str, *span) -> re.Match[str] | None:
        return self.regex.fullmatch(text, *span)

    def __repr__(self) -> str:
        return f"GatedPattern({self.regex!r}, literals={sorted(self.literals or ())})"


class LiteralScan:
    """The gates of a family of patterns (a rule file's) answered together: one pass of an
    Aho-Corasick automaton over a text finds every literal of every pattern in it, where
    ``may_match`` searched the text once per literal per pattern (the membership evidence
    windows: 240 literals, 22 patterns, a third of their time in those searches, issue 33).
    ``open(text)[i]`` is true exactly when ``patterns[i].may_match(text)`` is."""

    def __init__(self, patterns) -> None:
        self.patterns = tuple(patterns)
        # a pattern without literals is always open; one ignoring case is open on a text
        # that is not ASCII (GatedPattern.may_match gates those on ASCII texts only)
        self.always = bytearray(p.literals is None or "" in p.literals for p in self.patterns)
        self.not_ascii = bytearray(p.ignore_case for p in self.patterns)
        self.exact = _automaton({i: p.literals for i, p in enumerate(self.patterns) if not p.ignore_case})
        self.lower = _automaton({i: p.literals for i, p in enumerate(self.patterns) if p.ignore_case})

    def open(self, text: str) -> bytearray:
        """Per pattern, 1 or 0: 0 only when it cannot match anywhere in ``text``."""
        opened = bytearray(self.always)
        if self.exact is not None:
            for indexes in {v for _, v in self.exact.iter(text)}:
                for i in indexes:
                    opened[i] = 1
        if self.lower is not None:
            if not text.isascii():
                return bytearray(a | b for a, b in zip(opened, self.not_ascii))
            for indexes in {v for _, v in self.lower.iter(text.lower())}:
                for i in indexes:
                    opened[i] = 1
        return opened


def _automaton(literals_of: dict[int, frozenset[str] | None]):
    """An Aho-Corasick automaton whose every literal gives the patterns (indexes) it opens."""
    import ahocorasick

    opens: dict[str, list[int]] = {}
    for i, literals in literals_of.items():
        for literal in literals or ():
            if literal:
                opens.setdefault(literal, []).append(i)
    if not opens:
        return None
    automaton = ahocorasick.Automaton()
    for literal, indexes in sorted(opens.items()):
        automaton.add_word(literal, tuple(indexes))
    automaton.make_automaton()
    return automaton


def gated(pattern: str | re.Pattern[str], flags: int = 0) -> GatedPattern:
    """``re.compile`` with a literal gate (see the module docstring)."""
    return GatedPattern(pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags))


# one character class item of the parser → its text in a class
_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def _char(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _class_items(items) -> list[str] | None:
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(_char(av))
        elif name == "RANGE":
            out.append(f"{_char(av[0])}-{_char(av[1])}")
        elif name == "CATEGORY" and str(av) in _CATEGORIES:
            out.append(_CATEGORIES[str(av)])
        else:  # a negated class, a category the map lacks: unknown
            return None
    return out


def _first(items) -> tuple[list[str] | None, bool]:
    """(class items one of which every non-empty match of the parsed sequence starts with,
    or None when unknown; whether the sequence can match the empty string)."""
    found: list[str] = []
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: the first character comes after it
        if name == "LITERAL":
            return found + [_char(av)], False
        if name == "IN":
            more = _class_items(av)
            return (None, False) if more is None else (found + more, False)
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags & ~re.IGNORECASE:
                # flags added inside: '(?i:a)' starts with 'A' too, which a class outside
                # would miss. Case turned off is fine: the class, ignoring case, finds more.
                return None, False
            more, nullable = _first(sub)
        elif name == "BRANCH":
            parts = [_first(sub) for sub in av[1]]
            if any(p[0] is None for p in parts):
                return None, False
            more, nullable = [i for p in parts for i in p[0]], any(p[1] for p in parts)
        elif name in _REPEATS:
            low, _high, sub = av
            more, nullable = _first(sub)
            nullable = nullable or low == 0
        elif name == "ATOMIC_GROUP":
            more, nullable = _first(av)
        else:  # any character, a back-reference, a conditional: unknown
            return None, False
        if more is None:
            return None, False
        found += more
        if not nullable:
            return found, False
    return found, True


def _fails_fast(items) -> bool:
    """Whether re already rejects a position at once: the pattern opens (after anchors such
    as '^' or '\\b') with a character or a class, which it checks first or searches for;
    a look-ahead there only adds its own cost (measured on the markup rules)."""
    for op, av in items:
        name = str(op)
        if name == "AT":
            continue
        if name in _REPEATS:  # '#{1,6}', '[ \\t]*': a repeated character or class
            body = list(av[2])
            return len(body) == 1 and str(body[0][0]) in ("LITERAL", "IN")
        return name in ("LITERAL", "IN")
    return False


def first_char_lookahead(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` with a look-ahead on the characters its matches can start with put in
    front: the same matches (a match's first character is one of them, and the look-ahead
    consumes nothing), found without trying the whole pattern at every other position.
    The pattern itself when they are unknown, when it can match the empty string, or
    when it opens with a character or class (re rejects a position at once there)."""
    if (sre_parse is None or not isinstance(pattern.pattern, str) or GLOBAL_FLAGS.match(pattern.pattern)
            or pattern.flags & re.VERBOSE):
        return pattern  # (global flags must stay first; a comment would swallow the closing parenthesis)
    try:
        parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
        first, nullable = _first(parsed)
    except Exception:  # noqa: BLE001 - a pattern re compiled but this parser refuses: unchanged
        return pattern
    if first is None or nullable or not first or _fails_fast(parsed):
        return pattern
    return re.compile(f"(?=[{''.join(dict.fromkeys(first))}])(?:{pattern.pattern})", pattern.flags)
