"""Turns IOM/OAS reports on regional consultative processes on migration into tidy tables.

Inputs: plain text (.txt, .md), HTML, Word (.docx), PDF with a text layer, scanned PDF and
images (.png, .jpg, .tif: OCR with tesseract spa+eng). A .doc (Word 97-2003) is refused with
a reason: convert it to .docx or PDF first.

Outputs (in --out, default output/): documents, pages, corrections, sections, paragraphs,
tables, processes, process_mentions, memberships, events, dates and the corpus tables
process_profiles, process_members, membership_panel and event_catalog, each as Parquet and CSV; README.md (the data dictionary); datapackage.json
(Frictionless); run_manifest.json; review/index.html. Clean texts go to --clean.

Exit status: 0 every document ok, 1 some documents failed (see documents.error),
2 bad arguments, 3 a missing dependency (tesseract), 130 interrupted."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.errors import BadOptions, ExitCode, MissingDependency, OutputBusy
from pipeline.run.options import ERROR_TYPES, EXECUTORS, RunOptions
from pipeline.sources.ocr import OCR_ENGINES
from pipeline.sources.pdf import TEXT_LAYER_READERS, PageSettings
from pipeline.text.language import LANGUAGE_DETECTORS
from extractors.event_model import DEFAULT_MIN_EVENT_CONFIDENCE
from extractors.member_model import DEFAULT_MIN_CONFIDENCE


EXTRACT_NOTES = """

Extracting into an existing --out adds or updates the documents given and keeps every
other document's rows; --prune and --replace drop documents of earlier runs."""

EXAMPLES = """examples:
  python -m pipeline extract                                # corpus/raw → corpus/clean, output/
  python -m pipeline extract new_reports/ --out output       # add a folder to the corpus in output/
  python -m pipeline extract corpus/raw --prune             # and forget files deleted from corpus/raw
  python -m pipeline evaluate --errors events               # score against tests/gold/"""


def build_parser() -> argparse.ArgumentParser:
    defaults = RunOptions()  # every extract flag's default is the options object's
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__, epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="ingest documents and write clean texts and tables",
                                  description=__doc__ + EXTRACT_NOTES, epilog=EXAMPLES,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    extract.add_argument("paths", nargs="*", type=Path, default=list(defaults.inputs),
                         help="files or folders to process (default: corpus/raw)")
    extract.add_argument("--out", type=Path, default=defaults.out_dir,
                         help=f"folder for tables (default: {defaults.out_dir})")
    extract.add_argument("--clean", type=Path, default=defaults.clean_dir,
                         help=f"folder for clean texts (default: {defaults.clean_dir})")
    extract.add_argument("--workers", type=int, default=defaults.workers,
                         help="parallel workers (default: all cores)")
    extract.add_argument("--executor", choices=EXECUTORS, default=defaults.executor,
                         help="process pool (default), serial in this process, or dask (pip install .[dask])")
    extract.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="with --executor dask: a running scheduler, e.g. tcp://host:8786 "
                              "(default: start a local cluster of --workers processes)")
    extract.add_argument("--doc-timeout", type=float, default=defaults.doc_timeout, metavar="SECONDS",
                         help="a document job (a page, or its assembly) running longer than this is "
                              f"stopped and the document gets an error row (default: {defaults.doc_timeout:g})")
    extract.add_argument("--doc-budget", type=float, default=defaults.doc_budget, metavar="SECONDS",
                         help="a document still unfinished this long after its first page began (all its "
                              f"pages together) is stopped and gets an error row (default: {defaults.doc_budget:g})")
    extract.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE, metavar="P",
                         help="memberships the model scores under this (0-1) go to membership_candidates "
                              f"instead of memberships (default: {DEFAULT_MIN_CONFIDENCE}; documents already extracted keep "
                              "theirs unless --force)")
    extract.add_argument("--min-event-confidence", type=float, default=DEFAULT_MIN_EVENT_CONFIDENCE, metavar="P",
                         help="events the model scores under this (0-1) go to event_candidates instead of events "
                              f"(default: {DEFAULT_MIN_EVENT_CONFIDENCE})")
    extract.add_argument("--decisions", type=Path, default=None, metavar="FILE",
                         help="reviewer decisions to apply when the tables are written: accept, reject, set or add "
                              "rows (default: review/decisions.csv in --out; the run writes its header there when it "
                              "is missing, and each review page prints the lines to paste)")
    extract.add_argument("--force", action="store_true", help="reprocess the given documents even if unchanged")
    extract.add_argument("--follow-links", action="store_true",
                         help="read links under an input folder whose target lies outside every input folder (by "
                              "default such a link gets a documents row with status skipped and the reason; a file "
                              "named on the command line is always read)")
    corpus = extract.add_mutually_exclusive_group()
    corpus.add_argument("--prune", dest="mode", action="store_const", const="prune", default=defaults.mode,
                        help="also drop documents of earlier runs whose source file is gone or no longer "
                             "found under a given folder")
    corpus.add_argument("--replace", dest="mode", action="store_const", const="replace",
                        help="the output holds only the given documents (earlier ones are dropped)")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    extract.add_argument("--ocr-engine", choices=OCR_ENGINES, default=defaults.page.ocr.engine,
                         help="tesseract as a library loaded once per worker (api, through tesserocr), as a "
                              "command per page (cli), or the library when installed (auto, the default)")
    extract.add_argument("--text-layer", choices=TEXT_LAYER_READERS, default=defaults.page.text_layer,
                         help="who reads a PDF's text layer: pdfium (the default: faster, the same clean text "
                              "on the test PDFs; pdfplumber still reads pages that may draw ruled tables or "
                              "carry stamps or form fields) or pdfplumber for every page")
    extract.add_argument("--language-detector", choices=LANGUAGE_DETECTORS, default=defaults.document.language.detector,
                         help="paragraph language detector (default: lingua, measured best on the gold spans)")

    evaluate = commands.add_parser("evaluate", help="score output/ and corpus/clean/ against tests/gold/")
    evaluate.add_argument("--out", type=Path, default=Path("output"))
    evaluate.add_argument("--clean", type=Path, default=Path("corpus/clean"))
    evaluate.add_argument("--gold", type=Path, default=Path("tests/gold"))
    evaluate.add_argument("--realdev", type=Path, default=Path("../shared/realdev"), metavar="DIR",
                          help="also extract and score this real development set (texts/, gold/, registry.csv); "
                               "default ../shared/realdev, skipped when absent")
    evaluate.add_argument("--realdev2", type=Path, default=Path("../shared/realdev2"), metavar="DIR",
                          help="also extract and score this second real development set (same layout); "
                               "default ../shared/realdev2, skipped when absent")
    evaluate.add_argument("--dev-pdfs", type=Path, default=Path("../shared/corpus"), metavar="DIR",
                          help="also extract the PDFs tests/gold/dev_pdfs.toml names from this folder and "
                               "print how each scores against its text (default ../shared/corpus, skipped "
                               "when absent; OCR of the scans takes minutes the first time)")
    evaluate.add_argument("--realworld-pdfs", type=Path, default=Path("../shared/realworld-pdfs"), metavar="DIR",
                          help="also extract the PDFs of this folder (other producers' layouts) and print the "
                               "share of pdftotext -layout's words each clean text holds (default "
                               "../shared/realworld-pdfs, skipped when absent or without poppler-utils)")
    evaluate.add_argument("--errors", nargs="*", metavar="TYPE", choices=ERROR_TYPES,
                          help="also list missed and spurious items per document for these types "
                               f"(default with no TYPE: all of {', '.join(ERROR_TYPES)})")
    notebook = commands.add_parser("notebook", help="execute notebooks/explore.ipynb against a run's output, "
                                                    "into OUT/notebooks/explore.ipynb (the tracked file is only read)")
    notebook.add_argument("--out", type=Path, default=Path("output"))
    screenshots = commands.add_parser("screenshots", help="headless Chromium screenshots of the review index and the "
                                                          "longest review page, and the notebook's figures, into "
                                                          "OUT/screenshots (after extract; needs chromium)")
    screenshots.add_argument("--out", type=Path, default=Path("output"))
    train = commands.add_parser("train", help="fit the membership and event models to all the gold "
                                              "(extractors/data/membership_model.json, event_model.json)")
    train.add_argument("--model", type=Path, default=None, metavar="FILE",
                       help="where to write the membership weights (default: extractors/data/membership_model.json)")
    train.add_argument("--event-model", type=Path, default=None, metavar="FILE",
                       help="where to write the event weights (default: extractors/data/event_model.json)")
    train.add_argument("--only", choices=("memberships", "events"), default=None, help="fit one model only")
    train.add_argument("--work", type=Path, default=Path("output/.cache/train"), metavar="DIR",
                       help="where the gold sets are extracted (cached between runs)")
    train.add_argument("--no-cv", action="store_true", help="skip the leave-one-document-out figures")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    if args.command == "evaluate":
        from pipeline.evaluate.score import evaluate_command

        errors = list(ERROR_TYPES) if args.errors == [] else args.errors
        return evaluate_command(args.out, args.clean, args.gold, errors,
                                {"realdev": args.realdev, "realdev2": args.realdev2}, args.dev_pdfs,
                                args.realworld_pdfs)
    if args.command == "notebook":
        return _notebook(args.out)
    if args.command == "screenshots":
        return _screenshots(args.out)
    if args.command == "train":
        from extractors.event_model import EVENT_MODEL_PATH
        from extractors.member_model import MODEL_PATH
        from pipeline.evaluate.train import train_command, train_events_command

        code = 0
        if args.only in (None, "memberships"):
            code = train_command(args.model or MODEL_PATH, args.work, cross_validate=not args.no_cv)
        if args.only in (None, "events") and code == 0:
            code = train_events_command(args.event_model or EVENT_MODEL_PATH, args.work, cross_validate=not args.no_cv)
        return code
    return ExitCode.BAD_ARGS


def _extract(args) -> int:
    from pipeline.text.language import LanguageSettings
    from pipeline.run.runner import run
    from pipeline.run.stages import DocumentSettings
    from pipeline.sources.ocr import OcrSettings

    try:
        options = RunOptions(
            inputs=tuple(args.paths), out_dir=args.out, clean_dir=args.clean, workers=args.workers,
            force=args.force, follow_links=args.follow_links, quiet=args.quiet, executor=args.executor, scheduler=args.scheduler,
            doc_timeout=args.doc_timeout, doc_budget=args.doc_budget, mode=args.mode, decisions=args.decisions,
            document=DocumentSettings(language=LanguageSettings(detector=args.language_detector),
                                      min_membership_confidence=args.min_confidence,
                                      min_event_confidence=args.min_event_confidence),
            page=PageSettings(ocr=OcrSettings(engine=args.ocr_engine), text_layer=args.text_layer),
        ).validated()
    except BadOptions as exc:
        print(f"error: {exc.reason}", file=sys.stderr)
        return exc.exit_code
    try:
        summary = run(options)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except (MissingDependency, OutputBusy, BadOptions) as exc:  # the run cannot go on: its reason and exit code
        print(f"error: {exc.reason}", file=sys.stderr)
        return exc.exit_code
    try:
        print(summary.render())
    except BrokenPipeError:  # the summary piped into `head`: the run itself is done
        sys.stdout = open(os.devnull, "w")
    return summary.exit_code


def _without_tables(out_dir: Path) -> bool:
    """True (and said) when ``out_dir`` holds no tables yet."""
    if (out_dir / "documents.parquet").exists():
        return False
    print(f"error: {out_dir} has no tables yet: run `make extract` first")
    return True


def _notebook(out_dir: Path) -> int:
    from pipeline.errors import ExitCode
    from pipeline.output.notebook import write_executed_notebook

    if _without_tables(out_dir):
        return ExitCode.BAD_ARGS
    print(f"written: {write_executed_notebook(out_dir)}")
    return ExitCode.OK


def _screenshots(out_dir: Path) -> int:
    from pipeline.errors import ExitCode, MissingDependency
    from pipeline.output.screenshots import write_screenshots

    if _without_tables(out_dir):
        return ExitCode.BAD_ARGS
    try:
        shots, timings = write_screenshots(out_dir)
    except MissingDependency as exc:
        print(f"error: {exc.reason}", file=sys.stderr)
        return exc.exit_code
    for path in shots:
        print(f"written: {path}")
    for page, ms in timings.items():
        print(f"{page}: loaded in {'?' if ms is None else f'{ms:.0f}'} ms in headless Chromium")
    return ExitCode.OK
