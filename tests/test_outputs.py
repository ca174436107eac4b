"""Corpus-level outputs: profiles, long-form members, data package, manifest, README example."""
import datetime as dt
import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.output.corpus_outputs import datapackage, process_members, process_profiles
from pipeline.output.tables import TABLES

ROOT = Path(__file__).resolve().parent.parent


def memberships(rows):
    cols = ["doc_id", "process_id", "member_type", "member_id", "member_name", "role"]
    return pd.DataFrame([dict(zip(cols, r)) for r in rows])


def test_conflicting_roles_keep_both_rows_with_sources():
    m = memberships([("d1", "rcm", "country", "ARG", "Argentina", "observer"),
                     ("d2", "rcm", "country", "ARG", "Argentina", "member"),
                     ("d2", "rcm", "country", "BLZ", "Belize", "member"),
                     ("d3", "rcm", "country", "BLZ", "Belice", "member")])
    out = process_members({"memberships": m}).set_index(["member_id", "role"])
    assert set(out.index) == {("ARG", "observer"), ("ARG", "member"), ("BLZ", "member")}
    assert out.loc[("ARG", "member"), "role_conflict"] and out.loc[("ARG", "observer"), "role_conflict"]
    assert out.loc[("BLZ", "member"), "n_documents"] == 2 and not out.loc[("BLZ", "member"), "role_conflict"]
    assert out.loc[("BLZ", "member"), "doc_ids"] == ["d2", "d3"]


def test_profiles_summarise_mentions_years_members_events():
    m = memberships([("d1", "rcm", "country", "BLZ", "Belice", "member"),
                     ("d1", "rcm", "country", "ARG", "Argentina", "observer")])
    tables = {
        "processes": pd.DataFrame([{"process_id": "rcm", "name_en": "Regional Conference on Migration",
                                    "name_es": "Conferencia Regional sobre Migración", "source": "registry"}]),
        "process_mentions": pd.DataFrame([{"doc_id": "d1", "process_id": "rcm"}, {"doc_id": "d2", "process_id": "rcm"}]),
        "events": pd.DataFrame([{"process_id": "rcm", "year": 1998, "date_start": None, "date_end": None},
                                {"process_id": "rcm", "year": 2002, "date_start": "2002-05", "date_end": "2002-05"}]),
        "documents": pd.DataFrame([{"doc_id": "d1", "doc_date": "2003-11-10"}, {"doc_id": "d2", "doc_date": None}]),
    }
    row = process_profiles(tables, process_members({"memberships": m})).iloc[0]
    assert (row.n_documents, row.n_mentions, row.first_year_seen, row.last_year_seen) == (2, 2, 1998, 2003)
    assert (row.members, row.observers, row.n_events) == (["BLZ"], ["ARG"], 2)
    # a year is its whole extent, a month its days
    assert (row.earliest_event, row.latest_event) == (dt.date(1998, 1, 1), dt.date(2002, 5, 31))
    assert row.membership_sources == ["ARG=d1", "BLZ=d1"]


def test_datapackage_describes_every_declared_column():
    package = datapackage()
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(TABLES)
    for name, table in TABLES.items():
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == table.column_names
        assert {f["type"] for f in fields} <= {"string", "integer", "number", "boolean", "date"}
        for f, column in zip(fields, table.columns):
            assert f["constraints"].get("enum", []) == list(column.categories)


def test_corpus_run_writes_manifest_package_and_corpus_tables(corpus_run):
    import hashlib

    _, options = corpus_run
    out = options.out_dir
    manifest = json.loads((out / "run_manifest.json").read_text(encoding="utf-8"))
    raw = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / "corpus" / "raw").iterdir()}
    assert sorted(i["sha256"] for i in manifest["inputs"]) == sorted(raw.values())
    assert manifest["counts"]["documents"] == len(raw)
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["profile"] == "tabular-data-package"
    profiles = pd.read_csv(out / "process_profiles.csv").set_index("process_id")
    assert profiles.loc["rcm", "n_documents"] >= 5
    assert "BLZ" in profiles.loc["rcm", "members"]


def test_readme_pandas_example_runs_as_written(corpus_run, tmp_path, capsys):
    _, options = corpus_run
    block = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    assert len(block.strip().splitlines()) == 5
    (tmp_path / "output").symlink_to(options.out_dir.resolve())
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    printed = capsys.readouterr().out
    assert re.match(r"^\d+ member countries stated for the RCM", printed) and int(printed.split()[0]) >= 11


@pytest.mark.parametrize("title, number", [
    ("VI Conferencia Regional sobre Migración", 6), ("Sexta Conferencia Sudamericana sobre Migraciones", 6),
    ("6th Ministerial Conference", 6), ("1ª Reunión Técnica", 1), ("1° Conferencia Suramericana", 1),
    ("Trigésima Reunión", 30), ("Seminar on Return, Readmission and Reintegration", None),
])
def test_session_numbers_in_every_notation(title, number):
    from extractors.event_titles import ordinal_value

    assert ordinal_value(title) == number


def test_a_title_in_capitals_reads_in_title_case_and_keeps_numerals_and_acronyms():
    from extractors.event_titles import readable_title

    assert readable_title("IX CONFERENCIA SUDAMERICANA SOBRE MIGRACIONES") == "IX Conferencia Sudamericana sobre Migraciones"
    assert readable_title("TALLER DE LA CRM SOBRE TRATA") == "Taller de la CRM sobre Trata"
    assert readable_title("Seminar on Migration and Health") == "Seminar on Migration and Health"


def test_event_catalog_joins_numbered_sessions_and_similar_titles_across_documents():
    from pipeline.output.corpus_outputs import event_catalog

    events = pd.DataFrame([
        {"doc_id": "a", "event_id": "e001", "kind": "conference", "title": "VII Conferencia Regional sobre Migración",
         "session_number": 7, "year": 2002, "process_id": "rcm", "date_start": None, "date_end": None, "location": "Antigua"},
        {"doc_id": "b", "event_id": "e004", "kind": "conference", "title": "Seventh Regional Conference on Migration",
         "session_number": 7, "year": 2002, "process_id": "rcm", "date_start": dt.date(2002, 5, 1),
         "date_end": dt.date(2002, 5, 31), "location": None},
        {"doc_id": "a", "event_id": "e002", "kind": "seminar", "title": "Seminario sobre Migración y Salud",
         "session_number": None, "year": 2004, "process_id": None, "date_start": None, "date_end": None, "location": None},
        {"doc_id": "b", "event_id": "e001", "kind": "seminar", "title": "Seminario sobre Migracion y Salud (OIM)",
         "session_number": None, "year": 2004, "process_id": "rcm", "date_start": None, "date_end": None, "location": None},
        {"doc_id": "b", "event_id": "e002", "kind": "seminar", "title": "Seminario sobre Migración y Salud",
         "session_number": None, "year": 2005, "process_id": None, "date_start": None, "date_end": None, "location": None},
    ])
    catalog, with_ids = event_catalog(events)
    assert len(catalog) == 3  # one seventh conference, the 2004 seminar, the 2005 seminar
    seventh = catalog.set_index("catalog_id").loc["rcm-conference-7"]
    assert (seventh.n_documents, seventh.doc_ids, seventh.location) == (2, ["a", "b"], "Antigua")
    assert seventh.date_start == dt.date(2002, 5, 1)
    assert with_ids["catalog_id"].iloc[2] == with_ids["catalog_id"].iloc[3] != with_ids["catalog_id"].iloc[4]
