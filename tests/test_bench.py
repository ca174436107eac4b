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


def test_the_ceilings_read_what_they_time(tmp_path):
    """make bench's ceilings: PDFium reads every page of the text-layer PDF and spaCy's bare
    tokenizer every text file (their figures are timings, checked by reading the report)."""
    import shutil

    from pipeline.evaluate.bench import TEXT_PDF, bare_pypdfium2, spacy_tokenizer
    from pipeline.sources.pdf import pdf_page_count

    pdfium = bare_pypdfium2(TEXT_PDF, 2)
    assert pdfium["pages"] == pdf_page_count(str(TEXT_PDF)) and pdfium["chars"] > 1000
    for path in sorted(RAW.glob("*.txt"))[:2]:
        shutil.copy(path, tmp_path / path.name)
    tokens = spacy_tokenizer(tmp_path)
    assert tokens["tokens"] > 1000 and tokens["mb"] > 0
