"""Regional consultative processes: registry names, aliases and acronyms, plus discovery of
processes the registry lacks ("Proceso de X", "X Process", "Migration Dialogue for …")."""
from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.nlp import PATTERNS, doc_text, phrase_to_pattern
from pipeline.nlp.fold import fold
from extractors.process_registry import registry
from pipeline.nlp.rule_files import read_records

MIGRATION_CONTEXT = re.compile(r"migra|refugi|refuge|asil|asylum|trata|traffick|smuggl|desplaz|displac")


def patterns(nlp: Language) -> list[dict]:
    """Span-ruler patterns: names and aliases on folded norms, acronyms case-sensitive,
    then the discovery patterns of patterns/process_discovery.jsonl."""
    out = []
    for entry in registry():
        pid = entry["process_id"]
        names = [("name_en", entry["name_en"]), ("name_es", entry["name_es"])]
        names += [("alias", alias) for alias in entry.get("aliases", [])]
        for kind, phrase in names:
            if phrase:
                out.append({"label": pid, "pattern": phrase_to_pattern(nlp, phrase), "id": f"process.{pid}.{kind}"})
        for acronym in entry.get("acronyms", []):
            tokens = [{"ORTH": tok.text} for tok in nlp.make_doc(acronym)]
            out.append({"label": pid, "pattern": tokens, "id": f"process.{pid}.acronym"})
    for rule in read_records(PATTERNS / "process_discovery.jsonl"):
        out.append({"label": "DISCOVERED", "pattern": rule["pattern"], "id": rule["id"]})
    return out


@dataclass(frozen=True, slots=True)
class ProcessMention:
    process_id: str
    start: int        # char offsets in the paragraph text
    end: int
    text: str
    rule_id: str
    discovered_name: str | None = None


def process_mentions(doc: Doc, known_in_document: set[str]) -> list[ProcessMention]:
    """Process mentions of one paragraph. An acronym alone counts only when the document
    names the same process in full, or the paragraph is about migration."""
    from spacy.util import filter_spans

    found = list(doc.spans.get("processes", []))
    registered = [s for s in found if s.label_ != "DISCOVERED"]
    # a discovery pattern never overrides the registry ("Puebla Process" is known)
    found = registered + [s for s in found if s.label_ == "DISCOVERED"
                          and not any(s.start < r.end and r.start < s.end for r in registered)]
    spans = filter_spans(found)
    migration_paragraph = bool(MIGRATION_CONTEXT.search(fold(doc_text(doc))))
    mentions = []
    for span in spans:
        rule_id = span.id_
        if span.label_ == "DISCOVERED":
            name = _discovered_name(span)
            if name:
                mentions.append(ProcessMention(f"discovered.{_slug(name)}", span.start_char, span.end_char,
                                               span.text, rule_id, name))
            continue
        if rule_id.endswith(".acronym") and not (span.label_ in known_in_document or migration_paragraph):
            continue
        mentions.append(ProcessMention(span.label_, span.start_char, span.end_char, span.text, rule_id))
    return mentions


def names_in(doc: Doc) -> set[str]:
    """Processes named in full (not by acronym) in a paragraph."""
    return {s.label_ for s in doc.spans.get("processes", [])
            if s.label_ != "DISCOVERED" and not s.id_.endswith(".acronym")}


def _discovered_name(span: Span) -> str | None:
    """Accept a discovery match only if its distinctive word is a proper name, not a common
    word ("Proceso de Convergencia" is a topic; "Proceso de Bamako" a process)."""
    from pipeline.nlp.lexicon import zipf

    proper = [t for t in span if t.is_title and t.norm_ not in {"proceso", "process", "dialogo", "dialogue",
                                                                "migration", "migracion", "conferencia",
                                                                "conference", "consultations", "consultas"}]
    if not proper:
        return None
    if any(max(zipf(t.text.lower(), "es"), zipf(t.text.lower(), "en")) >= 4.0 for t in proper[:1]):
        return None
    return " ".join(span.text.split())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")
