"""Batch behaviour: bad inputs, incremental re-runs, atomic writes, exit codes, parity."""
import hashlib
import json
import shutil

import pandas as pd
import pytest

from pipeline import PIPELINE_VERSION, load
from pipeline.run.cli import main
from pipeline.errors import ExitCode
from pipeline.run.options import RunOptions
from pipeline.run.runner import run
from tests.conftest import RAW
from tests.fixtures.make_fixtures import bad_inputs

GOOD_TEXT = RAW / "crm-ppt-report_2002-2003_es.txt"


def options(tmp_path, *inputs, **kw):
    return RunOptions(inputs=tuple(inputs), out_dir=tmp_path / "out", clean_dir=tmp_path / "clean",
                      quiet=True, **kw).validated()


@pytest.fixture
def batch(tmp_path, made):
    folder = tmp_path / "in"
    expected = bad_inputs(folder)
    shutil.copy(GOOD_TEXT, folder / GOOD_TEXT.name)
    shutil.copy(made["two_column"], folder / "two_column.pdf")
    return folder, expected


def test_bad_inputs_do_not_stop_the_batch(tmp_path, batch):
    folder, expected = batch
    summary = run(options(tmp_path, folder, workers=2))
    assert summary.exit_code is ExitCode.DOCUMENT_ERRORS
    docs = load(tmp_path / "out")["documents"].set_index("doc_id")
    for doc_id, word in expected.items():
        assert docs.loc[doc_id, "status"] == "error"
        assert word in docs.loc[doc_id, "error"].lower(), docs.loc[doc_id, "error"]
        assert "\n" not in docs.loc[doc_id, "error"]
    good = ["crm-ppt-report_2002-2003_es", "two_column"]
    assert list(docs.loc[good, "status"]) == ["ok", "ok"]
    assert docs.loc["two_column", "n_pages"] == 3
    for doc_id in good:
        clean = (tmp_path / "clean" / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert len(clean) == docs.loc[doc_id, "n_chars"] > 1000
    assert set(summary.errors) == set(expected)


def test_exit_status_via_cli(tmp_path, batch):
    folder, _ = batch
    args = ["extract", str(folder), "--out", str(tmp_path / "o"), "--clean", str(tmp_path / "c"), "--quiet"]
    assert main(args) == ExitCode.DOCUMENT_ERRORS
    assert main(["extract", str(GOOD_TEXT), "--out", str(tmp_path / "o2"), "--clean", str(tmp_path / "c2"),
                 "--quiet"]) == ExitCode.OK
    assert main(["extract", str(tmp_path / "missing"), "--quiet"]) == ExitCode.BAD_ARGS
    assert main(["extract", str(GOOD_TEXT), "--workers", "0", "--quiet"]) == ExitCode.BAD_ARGS


def test_unchanged_documents_are_reused(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("crm-ppt-report_2002-2003_es.txt", "crm-puebla-brochure_2004_ocr_es.txt"):
        shutil.copy(RAW / name, folder / name)
    first = run(options(tmp_path, folder))
    tables_first = load(tmp_path / "out")
    second = run(options(tmp_path, folder))
    assert (first.processed, first.reused) == (2, 0)
    assert (second.processed, second.reused) == (0, 2)
    for name, frame in load(tmp_path / "out").items():
        pd.testing.assert_frame_equal(frame, tables_first[name])
    # the manifest tells of the second run, not the first
    manifest = json.loads((tmp_path / "out" / "run_manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == {"given": 2, "processed": 0, "reused": 2, "duplicates": 0, "failed": 0}
    assert manifest["corpus"]["unchanged"] == sorted(manifest["corpus"]["unchanged"]) and not manifest["corpus"]["added"]
    assert manifest["counts"]["documents"] == 2
    # a changed file is reprocessed, the other reused; --force reprocesses everything
    (folder / "crm-puebla-brochure_2004_ocr_es.txt").write_text("Otra versión del folleto.\n", encoding="utf-8")
    third = run(options(tmp_path, folder))
    assert (third.processed, third.reused) == (1, 1)
    assert run(options(tmp_path, folder, force=True)).processed == 2


def test_deleted_clean_text_is_regenerated(tmp_path):
    run(options(tmp_path, GOOD_TEXT))
    clean = tmp_path / "clean" / "crm-ppt-report_2002-2003_es.txt"
    clean.unlink()
    assert run(options(tmp_path, GOOD_TEXT)).processed == 1
    assert clean.exists()


def test_failed_write_leaves_previous_table_intact(tmp_path, monkeypatch):
    run(options(tmp_path, GOOD_TEXT))
    before = (tmp_path / "out" / "documents.csv").read_bytes()
    import pipeline.output.storage as storage

    def broken_csv_rows(*args, **kwargs):  # the CSV's rows fail to be written: a full disk
        raise OSError("disk full")

    monkeypatch.setattr(storage, "columns_to_csv_rows", broken_csv_rows)
    with pytest.raises(OSError):
        run(options(tmp_path, GOOD_TEXT, force=True))
    assert (tmp_path / "out" / "documents.csv").read_bytes() == before
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_serial_and_process_pool_give_identical_tables(tmp_path, made):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD_TEXT, folder / GOOD_TEXT.name)
    shutil.copy(made["two_column"], folder / "two_column.pdf")
    run(RunOptions(inputs=(folder,), out_dir=tmp_path / "a", clean_dir=tmp_path / "ca", quiet=True,
                   executor="serial", workers=1).validated())
    run(RunOptions(inputs=(folder,), out_dir=tmp_path / "b", clean_dir=tmp_path / "cb", quiet=True,
                   executor="process", workers=2).validated())
    a, b = load(tmp_path / "a"), load(tmp_path / "b")
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    for f in (tmp_path / "ca").glob("*.txt"):
        assert f.read_bytes() == (tmp_path / "cb" / f.name).read_bytes()


def test_documents_table_records_provenance(tmp_path):
    run(options(tmp_path, GOOD_TEXT))
    row = load(tmp_path / "out")["documents"].iloc[0]
    assert row["sha256"] == hashlib.sha256(GOOD_TEXT.read_bytes()).hexdigest()
    assert row["pipeline_version"] == PIPELINE_VERSION
    assert (row["format"], row["n_pages"], row["n_ocr_pages"]) == ("txt", 1, 0)


def test_clean_text_maps_back_to_the_source(tmp_path):
    """Outside recorded edits, every clean character equals the source character it maps to."""
    import json

    from pipeline.textedit import origin_from_runs

    doc = "mc-inf-266_2003_regional-dialogues_es-en"
    run(options(tmp_path, RAW / f"{doc}.txt"))
    clean = (tmp_path / "clean" / f"{doc}.txt").read_text(encoding="utf-8")
    source = (tmp_path / "clean" / "source" / f"{doc}.txt").read_text(encoding="utf-8")
    origin = origin_from_runs(json.loads((tmp_path / "out" / ".cache" / f"{doc}.json").read_text())["origin_runs"])
    edits = load(tmp_path / "out")["corrections"]
    edited = set()
    for e in edits.itertuples():
        edited.update(range(e.char_start, e.char_end))
    mismatches = [i for i, ch in enumerate(clean) if origin[i] not in edited and source[origin[i]] != ch]
    assert not mismatches
    assert "**" not in clean and "<sup>" not in clean


def test_corpus_raw_is_never_modified(tmp_path):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.iterdir()}
    run(options(tmp_path, *(p for p in RAW.iterdir() if p.suffix == ".txt")))
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in RAW.iterdir()}
    assert before == after


def test_a_tesseract_that_reports_no_version_fails_its_documents_only(tmp_path, made):
    """bug: a `tesseract` on PATH whose --version is no version made pytesseract exit the
    process (SystemExit), and the whole batch stopped with no tables."""
    from pipeline.sources.ocr import OcrSettings
    from pipeline.sources.pdf import PageSettings

    fake = tmp_path / "tesseract"
    fake.write_text("#!/bin/sh\necho 'not a version'\n")
    fake.chmod(0o755)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD_TEXT, folder / GOOD_TEXT.name)
    shutil.copy(made["png"], folder / "page.png")
    summary = run(options(tmp_path, folder, workers=1, page=PageSettings(ocr=OcrSettings(tesseract_cmd=str(fake)))))
    assert summary.exit_code is ExitCode.MISSING_DEPENDENCY  # issue 31: the exit code --help promises
    docs = load(tmp_path / "out")["documents"].set_index("doc_id")
    assert docs.loc["crm-ppt-report_2002-2003_es", "status"] == "ok"
    # the reason names tesseract (its version, or the run that gave no output when a
    # worker has the real tesseract's version cached from an earlier test)
    assert docs.loc["page", "status"] == "error" and "tesseract" in docs.loc["page", "error"]
    # the next run reuses the failed document's cached result, and its exit code with it
    # (kept in the cache entry, not read back from the reason's words)
    again = run(options(tmp_path, folder, workers=1, page=PageSettings(ocr=OcrSettings(tesseract_cmd=str(fake)))))
    assert again.reused == 2 and again.exit_code is ExitCode.MISSING_DEPENDENCY


def test_an_out_folder_that_cannot_be_written_is_refused_before_any_work(tmp_path, monkeypatch):
    """bug: a read-only --out failed with a traceback after all the documents were done."""
    import os

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["extract", str(GOOD_TEXT), "--out", str(blocker / "out"), "--clean", str(tmp_path / "c"),
                 "--quiet"]) == ExitCode.BAD_ARGS
    # a folder the user may not write (os.access as on a read-only mount; root may write anywhere)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(tmp_path / "ro") else real_access(path, mode))
    (tmp_path / "ro").mkdir()
    assert main(["extract", str(GOOD_TEXT), "--out", str(tmp_path / "ro" / "out"), "--clean", str(tmp_path / "c"),
                 "--quiet"]) == ExitCode.BAD_ARGS
    assert not (tmp_path / "c").exists()  # refused before anything was written
    # issue 31: a writable --out whose .cache or review folder is read-only, a --clean whose source folder is
    for out, clean, read_only in (("o1", "c1", "o1/.cache"), ("o2", "c2", "o2/review"), ("o3", "c3", "c3/source")):
        (tmp_path / read_only).mkdir(parents=True)
        monkeypatch.setattr(os, "access", lambda path, mode, ro=str(tmp_path / read_only):
                            False if str(path) == ro else real_access(path, mode))
        assert main(["extract", str(GOOD_TEXT), "--out", str(tmp_path / out), "--clean", str(tmp_path / clean),
                     "--quiet"]) == ExitCode.BAD_ARGS, read_only
        assert not (tmp_path / out / "documents.csv").exists()


def _stat_fields(pid) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, …), None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    from pathlib import Path as P

    return [int(p.name) for p in P("/proc").glob("[0-9]*") if (f := _stat_fields(p.name)) and int(f[1]) == pid]


def _running(pid: int) -> bool:
    fields = _stat_fields(pid)
    return fields is not None and fields[0] != "Z"


@pytest.mark.ocr
def test_workers_end_when_the_runner_is_killed(tmp_path, made):
    """bug: `kill -9` of the main process left its two workers alive indefinitely (in their
    own process group, 0.5 GB)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    runner = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(made["scanned"]), "--out",
                               str(tmp_path / "o"), "--clean", str(tmp_path / "c"), "--quiet", "--workers", "2"])
    deadline = time.time() + 60
    while len(workers := _children(runner.pid)) < 2 and time.time() < deadline:
        time.sleep(0.2)
    assert len(workers) >= 2, "the workers never started"
    time.sleep(1.0)  # at work on pages
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait()
    deadline = time.time() + 20
    while any(_running(w) for w in workers) and time.time() < deadline:
        time.sleep(0.2)
    alive = [w for w in workers if _running(w)]
    assert not alive, f"workers still running: {alive}"


def test_a_pdf_whose_pages_cannot_be_counted_is_given_up_on(tmp_path):
    """bug: a 300 KB PDF whose object stream is a flate bomb (and no trailer) is refused by
    PDFium; pdfminer, asked why in the runner's own process, ran on with no time limit and
    the batch hung. It now asks in a child process that is ended after its time."""
    import zlib

    from pipeline.errors import UnreadableDocument
    from pipeline.sources.pdf import bounded_pdfminer_page_count

    data = zlib.compress(b"0 " * (150 << 20), 9)
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(b"%PDF-1.5\n1 0 obj\n<< /Type /ObjStm /N 100000 /First 20 /Filter /FlateDecode /Length "
                     + str(len(data)).encode() + b" >>\nstream\n" + data + b"\nendstream\nendobj\n")
    # given up on after its time, or when it outgrows its memory allowance, whichever first
    with pytest.raises(UnreadableDocument, match="could not be counted in 2 s|MemoryError|more than 2 GB"):
        bounded_pdfminer_page_count(str(bomb), seconds=2)
    # counterexample: a broken PDF pdfminer reads at once keeps pdfminer's reason
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF")
    with pytest.raises(UnreadableDocument, match="corrupt or not a PDF"):
        bounded_pdfminer_page_count(str(broken))


def test_rows_come_from_the_bytes_that_were_hashed(tmp_path):
    """bug: the hash was taken in the main process before the workers read the file; a file
    changed during the run got version 1's hash with version 2's rows, and reverting it made
    the cache serve version 2's rows as unchanged."""
    import os

    from pipeline.errors import SourceChanged
    from pipeline.sources.files import check_unchanged, path_to_source
    from pipeline.run.runner import _source, read_source
    from pipeline.run.corpus import CorpusEntry

    path = tmp_path / "report.txt"
    path.write_text("Version one of the report.\n", encoding="utf-8")
    sha, error, signature = read_source(path)
    assert error is None and signature == (path.stat().st_size, path.stat().st_mtime_ns)
    source = _source(path, CorpusEntry("report", str(path), str(path), sha), signature)
    check_unchanged(source, path.read_bytes())  # the same bytes: fine
    path.write_text("Version two, longer than the first.\n", encoding="utf-8")
    with pytest.raises(SourceChanged):
        check_unchanged(source)
    # same size, and the modification time put back: the bytes read still give it away
    path.write_text("Version one of the REPORT.\n", encoding="utf-8")
    os.utime(path, ns=(signature[1], signature[1]))
    with pytest.raises(SourceChanged):
        check_unchanged(source, path.read_bytes())
    assert path_to_source(path, "x").mtime_ns is None  # a source made without a signature is not checked


def test_a_second_run_into_the_same_out_stops_and_stale_temporaries_go(tmp_path):
    """bug: two runs into one --out at once deleted each other's review pages (both exit
    0), and SIGKILL left '.NAME.PID.tmp' files forever."""
    from pipeline.errors import OutputBusy
    from pipeline.output.storage import output_lock

    out = tmp_path / "out"
    (out / "review").mkdir(parents=True)
    left = [out / ".events.csv.4242.tmp", out / "review" / ".index.html.abc.tmp"]
    for path in left:
        path.write_text("half")
    nested = out / "realdev" / ".events.csv.99.tmp"  # another run's folder: not ours to clean
    nested.parent.mkdir()
    nested.write_text("busy")
    with output_lock(out):
        assert not any(p.exists() for p in left) and nested.exists()
        with pytest.raises(OutputBusy, match="another run"):
            run(options(tmp_path, GOOD_TEXT))
        assert main(["extract", str(GOOD_TEXT), "--out", str(out), "--clean", str(tmp_path / "c"), "--quiet"]) \
            == ExitCode.BAD_ARGS
    assert run(options(tmp_path, GOOD_TEXT)).exit_code is ExitCode.OK  # free again


def test_a_document_with_more_pages_than_allowed_is_refused(tmp_path, made, monkeypatch):
    """bug: a 100,000-page blank PDF would have run for about 20 hours (the time limit is per
    page); a document may have DEFAULT_MAX_PAGES pages."""
    import pipeline.run.runner as runner_module

    monkeypatch.setattr(runner_module, "DEFAULT_MAX_PAGES", 2)
    summary = run(options(tmp_path, made["two_column"], workers=1))
    assert summary.exit_code is ExitCode.DOCUMENT_ERRORS
    docs = load(tmp_path / "out")["documents"].set_index("doc_id")
    assert docs.loc["two_column", "error"] == "3 pages: more than the 2 a document may have"
    assert docs.loc["two_column", "n_pages"] == 3


def _address_space_limit() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def test_each_worker_runs_within_a_memory_limit():
    """bug: one page made tesseract take 5.3 GB (7.3 GB with its worker): a worker and what
    it runs now have a share of the machine's memory as their address space, so a document
    that blows up fails with an error row instead of taking the machine."""
    from pipeline.run.executors import DEFAULT_MIN_WORKER_MEMORY, make_pool, worker_memory_limit

    pool = make_pool("process", 2)
    try:
        limit = pool.submit(1, _address_space_limit).result(timeout=60)
    finally:
        pool.shutdown()
    assert limit == worker_memory_limit(2) and limit >= DEFAULT_MIN_WORKER_MEMORY


def test_an_interrupt_while_tables_are_written_leaves_the_previous_tables_whole(tmp_path, monkeypatch):
    """bug: an interrupt in the table phase left tables of two runs side by side (documents
    of 150 documents, events of 75). The tables are written into a stage and switched in."""
    import pipeline.run.runner as runner_module
    from pipeline.output.storage import CACHE_DIR

    first = tmp_path / "first.txt"
    shutil.copy(GOOD_TEXT, first)
    run(options(tmp_path, first))
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")}
    clean_before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.glob("clean/**/*.*") if p.is_file()}
    cache_before = (tmp_path / "out" / CACHE_DIR / "first.json").read_bytes()
    second = tmp_path / "second.txt"
    shutil.copy(GOOD_TEXT, second)
    second.write_text(second.read_text(encoding="utf-8") + "\nUna línea más.\n", encoding="utf-8")
    first.write_text("Informe breve.\n\n" + first.read_text(encoding="utf-8"), encoding="utf-8")  # changed

    def interrupted(stage):
        raise KeyboardInterrupt  # after the run tables were written, before the corpus tables

    monkeypatch.setattr(runner_module, "write_corpus_tables", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(options(tmp_path, first, second))
    after = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("*.csv")}
    assert after == before  # not one table of the second run
    # issue 31: nor its clean texts or cached results (they agreed with no table): the tables'
    # offsets still point into the clean texts they were made from, and the changed document is
    # not taken as unchanged by the next run
    clean_after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.glob("clean/**/*.*") if p.is_file()
                   and ".staging" not in p.parts}
    assert clean_after == clean_before
    assert (tmp_path / "out" / CACHE_DIR / "first.json").read_bytes() == cache_before
    assert not (tmp_path / "out" / CACHE_DIR / "second.json").exists()
    monkeypatch.undo()
    summary = run(options(tmp_path, first, second))  # the next run starts from a clean stage
    assert summary.processed == 2  # 'first' changed: processed again, not reused
    docs = load(tmp_path / "out")["documents"]
    assert set(docs["doc_id"]) == {"first", "second"}
    assert not (tmp_path / "out" / CACHE_DIR / "staging").exists()
    assert (tmp_path / "clean" / "first.txt").read_text(encoding="utf-8").startswith("Informe breve.")
    assert not (tmp_path / "clean" / ".staging").exists()


# --- issue 31: inputs that are not plain files of the input folders --------------------------

def _rows_of(out, doc_id: str) -> dict[str, pd.DataFrame]:
    tables = load(out)
    return {name: frame[frame["doc_id"] == doc_id].reset_index(drop=True)
            for name, frame in tables.items() if "doc_id" in frame and name not in ("documents", "evaluation")}


def test_links_fifos_and_earlier_outputs_under_an_input_folder(tmp_path):
    """A link leaving the input is not followed (a skipped row; --follow-links reads it); a
    FIFO, a dangling link and a link loop each get an error row; a folder an earlier run wrote
    into is not read; the good document's rows are those of a run over it alone."""
    import os
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text("Contraseña del servidor: hunter2\n", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(GOOD_TEXT, folder / GOOD_TEXT.name)
    os.symlink(outside / "secret.txt", folder / "secret.txt")
    os.symlink(outside, folder / "linked_folder")
    os.symlink(tmp_path / "nowhere.txt", folder / "dangling.txt")
    os.symlink(folder / "loop_b.txt", folder / "loop_a.txt")
    os.symlink(folder / "loop_a.txt", folder / "loop_b.txt")
    os.mkfifo(folder / "pipe.txt")
    run(RunOptions(inputs=(GOOD_TEXT,), out_dir=folder / "out2", clean_dir=folder / "clean2",
                   quiet=True).validated())  # an earlier run's output and clean folders inside the input

    summary = run(options(tmp_path, folder))
    docs = load(tmp_path / "out")["documents"].set_index("doc_id")
    expected = {"secret": ("skipped", "outside the input folders"), "linked_folder": ("skipped", "link to a folder"),
                "dangling": ("error", "target does not exist"), "loop_a": ("error", "link loop"),
                "loop_b": ("error", "link loop"), "pipe": ("error", "a fifo"),
                "crm-ppt-report_2002-2003_es": ("ok", None)}
    assert sorted(docs.index) == sorted(expected)  # nothing from out2/ or clean2/
    for doc_id, (status, reason) in expected.items():
        assert docs.loc[doc_id, "status"] == status
        if reason:
            assert reason in docs.loc[doc_id, "error"].lower() and "\n" not in docs.loc[doc_id, "error"]
    assert set(summary.errors) == {"dangling", "loop_a", "loop_b", "pipe"}
    assert not any("hunter2" in p.read_text(encoding="utf-8", errors="replace")
                   for p in (tmp_path / "clean").rglob("*") if p.is_file())
    assert not (tmp_path / "out" / "review" / "secret.html").exists()
    alone = tmp_path / "alone"
    run(options(alone, GOOD_TEXT))
    for name, frame in _rows_of(alone / "out", "crm-ppt-report_2002-2003_es").items():
        pd.testing.assert_frame_equal(frame, _rows_of(tmp_path / "out", "crm-ppt-report_2002-2003_es")[name])

    followed = tmp_path / "followed"
    run(options(followed, folder, follow_links=True))
    docs = load(followed / "out")["documents"].set_index("doc_id")
    assert docs.loc["secret", "status"] == "ok" and docs.loc["linked_folder", "status"] == "skipped"


def test_a_fifo_named_on_the_command_line_is_refused_without_opening_it(tmp_path):
    import os
    os.mkfifo(tmp_path / "named.txt")
    summary = run(options(tmp_path, tmp_path / "named.txt", GOOD_TEXT))  # open() would block forever
    docs = load(tmp_path / "out")["documents"].set_index("doc_id")
    assert docs.loc["named", "status"] == "error" and "fifo" in docs.loc["named", "error"].lower()
    assert docs.loc["crm-ppt-report_2002-2003_es", "status"] == "ok" and set(summary.errors) == {"named"}


def test_two_unreadable_files_are_two_error_rows_not_a_duplicate(tmp_path, monkeypatch):
    import pipeline.run.runner as runner
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(f"Texto {name}\n", encoding="utf-8")
    monkeypatch.setattr(runner, "read_source", lambda path: ("", "cannot read the file: Permission denied", None))
    summary = run(options(tmp_path, folder))
    docs = load(tmp_path / "out")["documents"].set_index("doc_id")
    assert list(docs["status"]) == ["error", "error"] and docs["duplicate_of"].isna().all()
    assert set(summary.errors) == {"a", "b"} and summary.duplicates == 0


def test_a_sigkill_in_the_table_phase_leaves_tables_clean_texts_and_cache_that_agree(tmp_path):
    """Issue 31: the runner killed (SIGKILL: no handler runs) after the run tables were
    written into the stage. The previous run's tables, clean texts and cache stay, and each
    event span of the tables still matches its clean text."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    first = tmp_path / "first.txt"
    shutil.copy(GOOD_TEXT, first)
    run(options(tmp_path, first))
    clean_before = (tmp_path / "clean" / "first.txt").read_bytes()
    first.write_text("Informe breve.\n\n" + first.read_text(encoding="utf-8"), encoding="utf-8")
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "import pipeline.run.runner as r\n"
        "from pipeline.run.options import RunOptions\n"
        "r.write_corpus_tables = lambda stage: os.kill(os.getpid(), signal.SIGKILL)\n"
        f"r.run(RunOptions(inputs=(Path({str(first)!r}),), out_dir=Path({str(tmp_path / 'out')!r}), "
        f"clean_dir=Path({str(tmp_path / 'clean')!r}), quiet=True, workers=1).validated())\n")
    killed = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent.parent)
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / "clean" / "first.txt").read_bytes() == clean_before
    events = load(tmp_path / "out")["events"]
    text = clean_before.decode("utf-8")
    assert len(events) and all(" ".join(text[s:e].split())[:20] in " ".join(r.split())
                               for s, e, r in zip(events["char_start"], events["char_end"], events["evidence"]))
    assert run(options(tmp_path, first)).processed == 1  # changed: processed again, not reused


def test_a_run_makes_the_corpus_tables_once(tmp_path, monkeypatch):
    """bug: a first run into a new --out made the corpus tables with the run tables, then
    again because the review index and manifest did not exist yet (a tenth of the driver's
    time). An unchanged re-run whose review index was deleted makes them once, in place."""
    from pipeline.output import corpus_outputs
    from pipeline.run import runner

    calls = []
    original = corpus_outputs.write_corpus_tables

    def counted(folder):
        calls.append(folder)
        return original(folder)

    monkeypatch.setattr(corpus_outputs, "write_corpus_tables", counted)
    monkeypatch.setattr(runner, "write_corpus_tables", counted)
    run(options(tmp_path, GOOD_TEXT))
    assert len(calls) == 1
    first = load(tmp_path / "out", tables=["membership_panel", "event_catalog"])
    (tmp_path / "out" / "review" / "index.html").unlink()
    assert run(options(tmp_path, GOOD_TEXT)).reused == 1
    assert len(calls) == 2 and calls[1] == tmp_path / "out"
    assert (tmp_path / "out" / "review" / "index.html").exists()
    for name, frame in load(tmp_path / "out", tables=["membership_panel", "event_catalog"]).items():
        pd.testing.assert_frame_equal(frame, first[name])


def test_run_tables_written_in_groups_by_a_pool_are_the_tables_written_at_once(tmp_path):
    """issue 33: with an output pool the run tables are written in two groups by its
    processes; the groups cover every run table once and give the same files, byte for byte."""
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    from pipeline.output.decisions import DecisionFile
    from pipeline.output.tables import RUN_TABLES
    from pipeline.run.runner import RUN_TABLE_GROUPS, write_run_tables

    grouped = [name for group in RUN_TABLE_GROUPS for name in group]
    assert sorted(grouped) == sorted(RUN_TABLES)
    second = tmp_path / "second.txt"
    second.write_text("La Conferencia Regional sobre Migración (CRM) se reunió en Panamá en mayo de 2004. "
                      "Son miembros Belice, Canadá, Costa Rica y México.\n", encoding="utf-8")
    run(options(tmp_path, GOOD_TEXT, second))
    out = tmp_path / "out"
    documents = load(out)["documents"]
    ordered = list(documents["doc_id"])
    at_once, in_groups = tmp_path / "at_once", tmp_path / "in_groups"
    write_run_tables(ordered, out, into=at_once)
    write = partial(write_run_tables, ordered, out, set(), in_groups, DecisionFile(), [])
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(write, RUN_TABLE_GROUPS))
    files = sorted(p.name for p in at_once.iterdir())
    assert files == sorted(p.name for p in in_groups.iterdir()) and len(files) == 2 * len(RUN_TABLES)
    for name in files:
        assert (at_once / name).read_bytes() == (in_groups / name).read_bytes(), name
    assert (at_once / "memberships.csv").read_text(encoding="utf-8").count("\n") > 2
