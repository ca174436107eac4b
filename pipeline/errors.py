"""The one family of errors. Each class carries the exit code it gives a run, and its
message is the one-line reason a person reads: in a document's ``documents.error`` when one
document fails (the run goes on), or on stderr when the run cannot start or go on."""
from __future__ import annotations

import signal
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0                 # every document processed
    DOCUMENT_ERRORS = 1    # the run finished, some documents failed (see documents.error)
    BAD_ARGS = 2           # the command line or options are invalid, or the output is busy
    MISSING_DEPENDENCY = 3  # e.g. tesseract or its language data is not installed
    INTERRUPTED = 130


DEFAULT_MAX_REASON_CHARS = 300  # an unexpected error's reason: its type and message's first line


class PipelineError(Exception):
    exit_code: ExitCode = ExitCode.DOCUMENT_ERRORS

    @property
    def reason(self) -> str:
        return str(self)


# ---------------------------------------------------------------- the run cannot go on

class BadOptions(PipelineError, ValueError):
    exit_code = ExitCode.BAD_ARGS


class OutputBusy(PipelineError, RuntimeError):
    """Another run holds the output folder."""
    exit_code = ExitCode.BAD_ARGS


class MissingDependency(PipelineError, RuntimeError):
    """An optional dependency the options ask for is not installed; the message says how to."""
    exit_code = ExitCode.MISSING_DEPENDENCY


# ---------------------------------------------------------------- one document fails

class DocumentError(PipelineError):
    """One document cannot be processed: its row has status error and says why."""


class UnsupportedFormat(DocumentError, ValueError):
    pass


class SourceChanged(DocumentError, ValueError):
    """The file is not the one that was hashed: it changed during the run."""


class NotText(DocumentError, ValueError):
    """The bytes are no text in an encoding the pipeline reads."""


class UnreadableDocument(DocumentError, ValueError):
    """A PDF (or image) that cannot be opened or read."""


class OcrError(DocumentError, RuntimeError):
    """Tesseract failed on a page (crash, timeout, unreadable output)."""


class TesseractMissing(OcrError):
    """No working tesseract: the document fails, and the run exits with MISSING_DEPENDENCY."""
    exit_code = ExitCode.MISSING_DEPENDENCY


class TesseractCrashed(OcrError):
    """Tesseract was killed by a signal. (Built by ``by_signal``: an exception's args must
    be its message alone, for it crosses from a worker to the runner pickled.)"""

    @classmethod
    def by_signal(cls, number: int, message: str = "") -> "TesseractCrashed":
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return cls(f"tesseract crashed ({name})" + (f": {message}" if message else ""))


class WorkerCrashed(DocumentError):
    """The worker process died under the document's job (a crash, the OOM killer)."""


class TableError(PipelineError, ValueError):
    """Rows that do not fit their table's declaration: a defect of the pipeline."""


def reason_of(exc: BaseException) -> str:
    """The one line a document's error row shows for ``exc``: a pipeline error's own
    message; anything unexpected, its type and the first line of its message."""
    if isinstance(exc, PipelineError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:DEFAULT_MAX_REASON_CHARS]


def exit_code_of(exc: BaseException) -> ExitCode:
    return exc.exit_code if isinstance(exc, PipelineError) else ExitCode.DOCUMENT_ERRORS
