"""Command line: python -m pipeline extract|evaluate ..."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline.options import ERROR_TYPES, BadOptions, ExitCode, MissingDependency, RunOptions


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    extract = commands.add_parser("extract", help="ingest documents and write clean texts and tables")
    extract.add_argument("paths", nargs="*", type=Path, default=[Path("corpus/raw")],
                         help="files or folders to process (default: corpus/raw)")
    extract.add_argument("--out", type=Path, default=Path("output"), help="folder for tables (default: output)")
    extract.add_argument("--clean", type=Path, default=Path("corpus/clean"),
                         help="folder for clean texts (default: corpus/clean)")
    extract.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                         help="parallel workers (default: all cores)")
    extract.add_argument("--executor", choices=("process", "serial", "dask"), default="process",
                         help="process pool (default), serial in this process, or dask (pip install .[dask])")
    extract.add_argument("--scheduler", default=None, metavar="ADDRESS",
                         help="with --executor dask: a running scheduler, e.g. tcp://host:8786 "
                              "(default: start a local cluster of --workers processes)")
    extract.add_argument("--doc-timeout", type=float, default=900.0, metavar="SECONDS",
                         help="a document job (a page, or its assembly) running longer than this is "
                              "stopped and the document gets an error row (default: 900)")
    extract.add_argument("--force", action="store_true", help="reprocess documents even if unchanged")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    extract.add_argument("--language-detector", choices=("lingua", "langdetect"), default="lingua",
                         help="paragraph language detector (default: lingua, measured best on the gold spans)")

    evaluate = commands.add_parser("evaluate", help="score output/ and corpus/clean/ against tests/gold/")
    evaluate.add_argument("--out", type=Path, default=Path("output"))
    evaluate.add_argument("--clean", type=Path, default=Path("corpus/clean"))
    evaluate.add_argument("--gold", type=Path, default=Path("tests/gold"))
    evaluate.add_argument("--errors", nargs="*", metavar="TYPE", choices=ERROR_TYPES,
                          help="also list missed and spurious items per document for these types "
                               f"(default with no TYPE: all of {', '.join(ERROR_TYPES)})")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    if args.command == "evaluate":
        from pipeline.evaluate import evaluate_command

        errors = list(ERROR_TYPES) if args.errors == [] else args.errors
        return evaluate_command(args.out, args.clean, args.gold, errors)
    return ExitCode.BAD_ARGS


def _extract(args) -> int:
    from pipeline.language import LanguageSettings
    from pipeline.runner import run
    from pipeline.stages import DocumentSettings

    try:
        options = RunOptions(
            inputs=tuple(args.paths), out_dir=args.out, clean_dir=args.clean, workers=args.workers,
            force=args.force, quiet=args.quiet, executor=args.executor, scheduler=args.scheduler,
            doc_timeout=args.doc_timeout,
            document=DocumentSettings(language=LanguageSettings(detector=args.language_detector)),
        ).validated()
    except BadOptions as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.BAD_ARGS
    try:
        summary = run(options)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except MissingDependency as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ExitCode.MISSING_DEPENDENCY
    print(summary.render())
    return summary.exit_code
