"""The output as a corpus: unique document ids, adding and pruning documents, duplicates,
typed tables, a valid data package, Word inputs, progress and help."""
import io
import json
import os
import shutil
from pathlib import Path, PurePath

import pandas as pd
import pyarrow as pa
import pytest

from pipeline import load
from pipeline.run.cli import main
from pipeline.run.corpus import CorpusEntry, assign_doc_ids, discover, plan_corpus
from pipeline.sources.files import relative_path_to_doc_id
from pipeline.run.options import RunOptions
from pipeline.run.runner import Progress, run
from tests.conftest import RAW

REPORT = RAW / "crm-ppt-report_2002-2003_es.txt"
BROCHURE = RAW / "crm-puebla-brochure_2004_ocr_es.txt"


def options(tmp_path, *inputs, **kw):
    return RunOptions(inputs=tuple(inputs), out_dir=tmp_path / "out", clean_dir=tmp_path / "clean", quiet=True,
                      workers=2, **kw).validated()


def rows_of(tables, doc_id, name, drop=("doc_id",)):
    frame = tables[name]
    return frame[frame["doc_id"] == doc_id].drop(columns=list(drop)).reset_index(drop=True)


# ---------------------------------------------------------------- ids

@pytest.mark.parametrize("relative, expected", [
    ("2002/informe.txt", "2002-informe"),
    ("Año 2003/versión ñ.txt", "ano-2003-version-n"),
    ("mc-inf-259_2002_migrants-rights_es-en.txt", "mc-inf-259_2002_migrants-rights_es-en"),
    ("Informe Anual (2004).PDF", "informe-anual-2004"),
    ("Отчёт/доклад.txt", "otchet-doklad"),
    ("README", "readme"),
])
def test_doc_id_is_the_path_below_its_root_transliterated(relative, expected):
    assert relative_path_to_doc_id(PurePath(relative)) == expected


def test_a_long_name_gives_a_short_id_that_still_tells_names_apart():
    a, b = "x" * 300 + "a.txt", "x" * 300 + "b.txt"
    ids = relative_path_to_doc_id(PurePath(a)), relative_path_to_doc_id(PurePath(b))
    assert max(map(len, ids)) <= 100 and ids[0] != ids[1]


def test_colliding_ids_get_a_content_hash_and_known_sources_keep_theirs(tmp_path):
    for name in ("a b.txt", "a-b.txt"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    found = discover((tmp_path,))
    sha = {f.resolved: f"{i}{'0' * 63}" for i, f in enumerate(found)}
    ids = assign_doc_ids(found, sha, known={})
    assert sorted(ids.values()) == ["a-b", "a-b-10000000"]
    # run again with the first already in the output under another id: it keeps it
    known = {found[0].resolved: "earlier-id"}
    again = assign_doc_ids(found, sha, known)
    assert again[found[0].resolved] == "earlier-id" and again[found[1].resolved] == "a-b"


def test_the_outputs_own_folders_are_never_inputs(tmp_path):
    (tmp_path / "in" / "out").mkdir(parents=True)
    (tmp_path / "in" / "report.txt").write_text("x", encoding="utf-8")
    (tmp_path / "in" / "out" / "documents.csv").write_text("x", encoding="utf-8")
    found = discover((tmp_path / "in",), exclude=(tmp_path / "in" / "out",))
    assert [f.path.name for f in found] == ["report.txt"]


def test_plan_keeps_merges_prunes_and_replaces(tmp_path):
    alive = tmp_path / "in" / "alive.txt"
    alive.parent.mkdir()
    alive.write_text("x", encoding="utf-8")
    other = tmp_path / "elsewhere.txt"
    other.write_text("y", encoding="utf-8")
    entry = lambda doc_id, path, sha: CorpusEntry(doc_id, str(path), str(path.resolve()), sha)  # noqa: E731
    previous = [entry("alive", alive, "1"), entry("gone", tmp_path / "in" / "gone.txt", "2"),
                entry("elsewhere", other, "3")]
    current = [entry("alive", alive, "1"), entry("copy", tmp_path / "in" / "copy.txt", "3")]
    merged = plan_corpus(previous, current, "merge", (tmp_path / "in",))
    assert [e.doc_id for e in merged.entries] == ["alive", "copy", "elsewhere", "gone"]
    assert merged.duplicate_of == {"copy": "elsewhere"}  # the document already in the output keeps the rows
    pruned = plan_corpus(previous, current, "prune", (tmp_path / "in",))
    assert [e.doc_id for e in pruned.pruned] == ["gone"] and set(pruned.kept) == {"elsewhere"}
    replaced = plan_corpus(previous, current, "replace", (tmp_path / "in",))
    assert {e.doc_id for e in replaced.entries} == {"alive", "copy"} and replaced.duplicate_of == {}


# ---------------------------------------------------------------- runs

def test_same_file_name_in_two_folders_gives_two_documents_with_their_own_rows(tmp_path):
    tree = tmp_path / "archive"
    for year, source in (("2002", REPORT), ("2003", BROCHURE)):
        (tree / year).mkdir(parents=True)
        shutil.copy(source, tree / year / "informe.txt")
    (tree / "Año 2003").mkdir()
    shutil.copy(BROCHURE, tree / "Año 2003" / "versión ñ.txt")  # the same bytes as 2003/informe.txt
    summary = run(options(tmp_path, tree))
    assert (summary.documents, summary.processed, summary.reused, summary.duplicates) == (3, 2, 0, 1)
    assert summary.processed + summary.reused + summary.duplicates == summary.documents
    tables = load(tmp_path / "out")
    docs = tables["documents"].set_index("doc_id")
    assert sorted(docs.index) == ["2002-informe", "2003-informe", "ano-2003-version-n"]
    assert docs.loc["2002-informe", "source_path"].endswith("2002/informe.txt")
    assert docs.loc["2003-informe", "source_path"].endswith("2003/informe.txt")
    assert docs.loc["ano-2003-version-n", "status"] == "duplicate"
    assert docs.loc["ano-2003-version-n", "duplicate_of"] == "2003-informe"
    assert not tables["events"]["doc_id"].eq("ano-2003-version-n").any()
    for name in ("events", "dates", "memberships"):
        assert not tables[name].astype(str).duplicated().any()  # list columns (evidence_ids) compared as text
    # each report's rows are those it gives alone
    alone = tmp_path / "alone"
    run(RunOptions(inputs=(REPORT, BROCHURE), out_dir=alone / "out", clean_dir=alone / "clean", quiet=True,
                   workers=2).validated())
    single = load(alone / "out")
    for doc_id, source in (("2002-informe", REPORT), ("2003-informe", BROCHURE)):
        for name in ("events", "dates", "memberships", "process_mentions"):
            pd.testing.assert_frame_equal(rows_of(tables, doc_id, name), rows_of(single, source.stem, name))
    assert "2 processed, 0 unchanged and reused, 1 duplicate of another" in summary.render()


def test_adding_one_file_keeps_the_seed_rows(corpus_run, tmp_path):
    _, seed = corpus_run
    out, clean = tmp_path / "out", tmp_path / "clean"
    shutil.copytree(seed.out_dir, out)
    shutil.copytree(seed.clean_dir, clean)
    before = load(out)
    new = tmp_path / "new" / "nuevo informe.txt"
    new.parent.mkdir()
    new.write_text("La Conferencia Regional sobre Migración celebró el Seminario sobre Migración y Salud "
                   "en Antigua, del 29 al 31 de octubre de 2002.\n", encoding="utf-8")
    summary = run(RunOptions(inputs=(new,), out_dir=out, clean_dir=clean, quiet=True, workers=1).validated())
    after = load(out)
    seed_ids = list(before["documents"]["doc_id"])
    assert sorted(after["documents"]["doc_id"]) == sorted(seed_ids + ["nuevo-informe"])
    assert (summary.added, len(summary.kept)) == (["nuevo-informe"], len(seed_ids))
    for name in ("documents", "events", "memberships", "dates", "process_mentions", "pages"):
        kept = after[name][after[name]["doc_id"].isin(seed_ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, before[name].reset_index(drop=True), check_categorical=False)
    assert after["events"]["doc_id"].eq("nuevo-informe").any()
    manifest = json.loads((out / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["corpus"]["added"] == ["nuevo-informe"] and len(manifest["corpus"]["kept"]) == len(seed_ids)
    assert (out / "review" / "nuevo-informe.html").exists()


def test_prune_drops_a_deleted_file_and_replace_keeps_only_the_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for source in (REPORT, BROCHURE):
        shutil.copy(source, folder / source.name)
    run(options(tmp_path, folder))
    (folder / BROCHURE.name).unlink()
    merged = run(options(tmp_path, folder))
    assert merged.kept == [BROCHURE.stem] and merged.unchanged == [REPORT.stem]
    assert set(load(tmp_path / "out")["documents"]["doc_id"]) == {REPORT.stem, BROCHURE.stem}
    pruned = run(options(tmp_path, folder, mode="prune"))
    assert pruned.pruned == [BROCHURE.stem]
    tables = load(tmp_path / "out")
    assert list(tables["documents"]["doc_id"]) == [REPORT.stem]
    assert not tables["events"]["doc_id"].eq(BROCHURE.stem).any()
    for path in (tmp_path / "clean" / f"{BROCHURE.stem}.txt", tmp_path / "clean" / "source" / f"{BROCHURE.stem}.txt",
                 tmp_path / "out" / ".cache" / f"{BROCHURE.stem}.json",
                 tmp_path / "out" / "review" / f"{BROCHURE.stem}.html"):
        assert not path.exists(), path
    # --replace: only what is given now
    other = tmp_path / "other.txt"
    shutil.copy(BROCHURE, other)
    replaced = run(options(tmp_path, other, mode="replace"))
    assert replaced.pruned == [REPORT.stem]
    assert list(load(tmp_path / "out")["documents"]["doc_id"]) == ["other"]


# ---------------------------------------------------------------- types and package

def test_load_gives_dates_lists_and_categories(corpus_run):
    _, seed = corpus_run
    tables = load(seed.out_dir)
    events, dates = tables["events"], tables["dates"]
    for frame in (events, dates):
        assert frame["date_start"].dtype == pd.ArrowDtype(pa.date32())
        assert frame["date_end"].dtype == pd.ArrowDtype(pa.date32())
    assert list(dates["precision"].cat.categories) == ["day", "month", "year"]
    assert list(tables["memberships"]["role"].cat.categories) == ["member", "observer", "participant"]
    assert isinstance(events["kind"].dtype, pd.CategoricalDtype)
    assert tables["processes"]["acronyms"].dtype == pd.ArrowDtype(pa.list_(pa.string()))
    assert tables["process_members"]["doc_ids"].dtype == pd.ArrowDtype(pa.list_(pa.string()))
    # a month is the interval of its days; the ISO form keeps its precision
    month = dates[dates["precision"] == "month"].iloc[0]
    assert month["date_start"].day == 1 and month["date_end"].month == month["date_start"].month or month["is_range"]
    assert len(month["date_iso"].split("/")[0]) == 7
    assert tables["documents"]["doc_date"].dtype == pd.ArrowDtype(pa.date32())
    # the CSV reads back to the same types
    from pipeline.output.storage import read_tables

    parquet_free = seed.out_dir.parent / "csv_only"
    shutil.copytree(seed.out_dir, parquet_free, ignore=shutil.ignore_patterns("*.parquet"))
    from_csv = read_tables(parquet_free, names=("dates", "processes", "events"))
    for name in ("dates", "processes", "events"):
        pd.testing.assert_frame_equal(from_csv[name], tables[name])


def test_a_category_outside_the_declared_values_is_refused():
    from pipeline.errors import TableError
    from pipeline.output.tables import MEMBERSHIPS, rows_to_frame

    row = {c: "x" for c in MEMBERSHIPS.column_names} | {"page": 1, "char_start": 0, "char_end": 1, "n_mentions": 1,
                                                         "member_type": "country", "role": "host"}
    with pytest.raises(TableError, match="role"):
        rows_to_frame(MEMBERSHIPS, [row])


def test_every_event_kind_of_the_rules_is_a_declared_category():
    from extractors.nlp import PATTERNS
    from pipeline.nlp.rule_files import read_records
    from pipeline.output.tables import EVENT_KINDS

    assert {r["kind"] for r in read_records(PATTERNS / "event_kinds.jsonl")} <= set(EVENT_KINDS)


def test_frictionless_validates_the_data_package(corpus_run):
    frictionless = pytest.importorskip("frictionless")
    _, seed = corpus_run
    package = json.loads((seed.out_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert all((seed.out_dir / r["path"]).exists() for r in package["resources"])
    assert {r["profile"] for r in package["resources"]} == {"tabular-data-resource"}
    assert all(r["schema"].get("primaryKey") for r in package["resources"])
    report = frictionless.validate(str(seed.out_dir / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]


def test_outputs_follow_the_umask(corpus_run):
    _, seed = corpus_run
    mask = os.umask(0)
    os.umask(mask)
    for name in ("README.md", "datapackage.json", "run_manifest.json", "documents.csv", "review/index.html"):
        assert (seed.out_dir / name).stat().st_mode & 0o777 == 0o666 & ~mask, name
    clean = next(seed.clean_dir.glob("*.txt"))
    assert clean.stat().st_mode & 0o777 == 0o666 & ~mask


# ---------------------------------------------------------------- Word files

def test_a_docx_gives_its_table_members_italics_and_paragraphs(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("Procesos consultivos regionales", level=1)
    p = document.add_paragraph("En 2004 la Conferencia Regional sobre Migración organizó el ")
    p.add_run("Seminario sobre Migración y Salud").italic = True
    p.add_run(" en Antigua, Guatemala.")
    table = document.add_table(rows=3, cols=3)
    cells = [("Proceso", "Países miembros", "Temas"),
             ("Conferencia Regional sobre Migración (1996)", "Belice, Canadá, Costa Rica, México y Panamá", "Retorno"),
             ("Proceso de Manila (1996)", "Australia, Camboya, China y Japón", "Migración irregular")]
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    (tmp_path / "in").mkdir()
    document.save(tmp_path / "in" / "procesos.docx")
    (tmp_path / "in" / "viejo.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    summary = run(options(tmp_path, tmp_path / "in"))
    tables = load(tmp_path / "out")
    docs = tables["documents"].set_index("doc_id")
    assert docs.loc["procesos", "format"] == "docx" and docs.loc["procesos", "status"] == "ok"
    assert "convert it to .docx or PDF" in docs.loc["viejo", "error"] and set(summary.errors) == {"viejo"}
    members = tables["memberships"]
    rcm = set(members[members["process_id"] == "rcm"]["member_id"])
    assert rcm == {"BLZ", "CAN", "CRI", "MEX", "PAN"}
    assert set(members[members["process_id"] == "manila_process"]["member_id"]) == {"AUS", "KHM", "CHN", "JPN"}
    edits = tables["corrections"]
    assert (edits["rule"] == "md_italic").sum() == 2  # the two asterisks around the italic title
    clean = (tmp_path / "clean" / "procesos.txt").read_text(encoding="utf-8")
    assert "Seminario sobre Migración y Salud en Antigua" in clean and "*" not in clean
    assert "Costa Rica, México y Panamá\tRetorno" in clean


def test_docx_footnotes_become_their_own_paragraphs(tmp_path):
    docx = pytest.importorskip("docx")
    from pipeline.sources.word import docx_to_text

    document = docx.Document()
    document.add_paragraph("Los países miembros se reunieron en Lima.")
    path = tmp_path / "notes.docx"
    document.save(path)
    text = docx_to_text(_with_footnote(path, "Véase el Anexo II del informe."))
    assert text.rstrip().endswith("[1] Véase el Anexo II del informe.")
    assert text.startswith("Los países miembros se reunieron en Lima.\n\n")


def _with_footnote(path: Path, note: str) -> bytes:
    """The .docx at ``path`` with a footnotes part holding one footnote (python-docx writes none)."""
    import zipfile

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                 f'<w:footnote w:id="1"><w:p><w:r><w:t>{note}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
            if item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                                    b"</Relationships>")
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", footnotes)
    return buffer.getvalue()


# ---------------------------------------------------------------- what a user sees

def test_progress_prints_plain_lines_when_not_on_a_terminal():
    stream = io.StringIO()
    progress = Progress(2, stream=stream, every=0.0, tty=False)
    progress.add_pages(3)
    progress.page_done("ocr")
    progress.page_done("text")
    progress.document_done()
    lines = stream.getvalue().splitlines()
    assert lines[-1].startswith("extract: pages 2/3 (ocr 1), documents 1/2, ")
    quiet = io.StringIO()
    silent = Progress(2, quiet=True, stream=quiet, every=0.0, tty=False)
    silent.document_done()
    assert quiet.getvalue() == ""


def test_help_lists_formats_outputs_exit_codes_and_examples(capsys):
    for argv in (["--help"], ["extract", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        text = capsys.readouterr().out
        for needle in (".docx", "scanned PDF", "datapackage.json", "Exit status", "130", "examples:", "--prune"
                       if argv[0] == "extract" else "extract"):
            assert needle in text, (argv, needle)


def test_summary_says_where_the_outputs_are(tmp_path):
    summary = run(options(tmp_path, REPORT))
    text = summary.render()
    assert str(tmp_path / "out" / "README.md") in text and str(tmp_path / "out" / "review" / "index.html") in text
    assert text.startswith("documents: 1 given (1 processed, 0 unchanged and reused, 0 duplicates of another; 0 failed)")
