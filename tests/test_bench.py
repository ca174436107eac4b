"""The benchmark times the stages the runner runs (issue 30: bench re-typed the stage
sequence, and the two drifted once)."""
from pathlib import Path

from pipeline.evaluate.bench import _document_unit
from pipeline.run.stages import pages_to_result
from pipeline.sources.files import path_to_source, text_file_to_page

RAW = Path(__file__).resolve().parent.parent / "corpus" / "raw"


def test_the_benchmark_times_each_stage_of_the_runners_own_stage_function(tmp_path):
    path = min(RAW.glob("*.txt"), key=lambda p: p.stat().st_size)
    source = path_to_source(path, "doc")
    page, _ = text_file_to_page(source)
    times, n_chars, n_pages, tables, _pid, _peak = _document_unit(source, [page], str(tmp_path / "clean"),
                                                                 str(tmp_path / "out"))
    assert list(times) == ["repair", "sections_language", "extractors", "writing"]
    assert all(t >= 0 for t in times.values()) and n_pages == 1
    runner = pages_to_result(source, [page])
    assert tables == runner.tables and n_chars == len(runner.clean_text)
