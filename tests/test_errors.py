"""One family of errors: a document's error row shows a pipeline error's own message and
anything unexpected as its type and first line; each class carries its exit code."""
from pipeline.errors import (BadOptions, ExitCode, MissingDependency, NotText, OutputBusy, PipelineError,
                             TesseractCrashed, TesseractMissing, WorkerCrashed, exit_code_of, reason_of)


def test_a_pipeline_error_is_its_own_reason():
    assert reason_of(NotText("no text after decoding")) == "no text after decoding"
    assert reason_of(WorkerCrashed("worker crashed 3 times while processing this document")).startswith("worker crashed")


def test_an_unexpected_error_is_its_type_and_first_line():
    assert reason_of(KeyError("x")) == "KeyError: 'x'"
    assert reason_of(ValueError("first\nsecond")) == "ValueError: first"
    assert len(reason_of(ValueError("x" * 1000))) == 300


def test_a_tesseract_killed_by_a_signal_is_named_by_it():
    assert reason_of(TesseractCrashed.by_signal(11)) == "tesseract crashed (SIGSEGV)"
    assert reason_of(TesseractCrashed.by_signal(9, "out of memory")) == "tesseract crashed (SIGKILL): out of memory"
    assert reason_of(TesseractCrashed.by_signal(200)) == "tesseract crashed (signal 200)"


def test_an_error_survives_the_way_from_a_worker():
    import pickle

    crashed = pickle.loads(pickle.dumps(TesseractCrashed.by_signal(11)))
    assert reason_of(crashed) == "tesseract crashed (SIGSEGV)" and exit_code_of(crashed) is ExitCode.DOCUMENT_ERRORS


def test_each_error_carries_its_exit_code():
    assert exit_code_of(NotText("x")) is ExitCode.DOCUMENT_ERRORS
    assert exit_code_of(TesseractMissing("x")) is ExitCode.MISSING_DEPENDENCY
    assert exit_code_of(MissingDependency("x")) is ExitCode.MISSING_DEPENDENCY
    assert exit_code_of(BadOptions("x")) is ExitCode.BAD_ARGS and exit_code_of(OutputBusy("x")) is ExitCode.BAD_ARGS
    assert exit_code_of(RuntimeError("x")) is ExitCode.DOCUMENT_ERRORS
    assert all(issubclass(c, PipelineError) for c in (BadOptions, NotText, TesseractCrashed, WorkerCrashed))
