"""`pearlbot eval`: answer quality on a question file, as a table."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from pearlbot.bot.commands.common import UsageError, load_kb, number_between
from pearlbot.retrieval import (
    EvalReport,
    KnowledgeBase,
    evaluate,
    evaluate_claims,
    evaluate_per_document,
    format_claims_report,
    format_report,
    load_claims,
    load_questions,
)
from pearlbot.seeds import seeds_path

DEFAULT_QUESTIONS = Path("eval/questions.jsonl")
DEFAULT_CLAIMS = Path("eval/claims.jsonl")


def cmd_eval(args: argparse.Namespace) -> int:
    if args.claims:
        return _claims(args)
    path = Path(args.questions)
    if not path.is_file():
        raise UsageError(f"no question file at {path}")
    try:
        questions = load_questions(path)
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    beside = path.parent / "articles"
    if args.per_doc:
        report = _per_document(args, questions, beside, evaluate_per_document)
    else:
        if not args.corpus:
            # A question file is asked of the seeds plus the `articles/` folder beside it.
            args.corpus = [str(seeds_path())] + ([str(beside)] if beside.is_dir() else [])
        report = evaluate(load_kb(args), questions)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_report(report))
    if args.min_accuracy is not None and report.overall.accuracy < args.min_accuracy:
        print(
            f"pearlbot: accuracy {report.overall.accuracy:.3f} is below the floor "
            f"{args.min_accuracy:.3f}"
        )
        return 1
    return 0


def _claims(args: argparse.Namespace) -> int:
    """`pearlbot eval --claims [FILE]`: fact-check accuracy per verdict."""
    path = Path(args.questions) if args.questions != str(DEFAULT_QUESTIONS) else DEFAULT_CLAIMS
    if not path.is_file():
        raise UsageError(f"no claims file at {path}")
    try:
        claims = load_claims(path)
    except (ValueError, OSError) as exc:
        raise UsageError(str(exc)) from None
    if not args.corpus:
        beside = path.parent / "articles"
        args.corpus = [str(seeds_path())] + ([str(beside)] if beside.is_dir() else [])
    report = evaluate_claims(load_kb(args), claims)
    if args.json:
        print(report.model_dump_json(indent=2))
    else:
        print(format_claims_report(report))
    if args.min_accuracy is not None:
        low = {v: a for v, a in report.per_verdict.items() if a < args.min_accuracy}
        if low:
            worst = ", ".join(f"{v} {a:.3f}" for v, a in low.items())
            print(f"pearlbot: below the floor {args.min_accuracy:.3f}: {worst}")
            return 1
    return 0


def _per_document(
    args: argparse.Namespace, questions: list, beside: Path, run: Callable
) -> EvalReport:
    """Each question against its own article alone, found by id in the corpus folders."""
    folders = [Path(p) for p in args.corpus] or [beside, seeds_path()]
    files = {f.stem: f for d in folders if d.is_dir() for f in sorted(d.iterdir())}

    def open_doc(doc: str) -> KnowledgeBase:
        if doc not in files:
            raise UsageError(f"no article for doc {doc!r} in {', '.join(map(str, folders))}")
        return load_kb(argparse.Namespace(corpus=[str(files[doc])]))

    try:
        report: EvalReport = run(open_doc, questions)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return report


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "eval",
        parents=[common],
        help="measure answer quality on a question file",
        description="Run a JSON Lines question file through the bot's answering code and print "
        "accuracy, abstention precision/recall and retrieval Recall@1/@3/MRR by kind.",
    )
    parser.add_argument(
        "questions",
        nargs="?",
        default=str(DEFAULT_QUESTIONS),
        metavar="QUESTIONS.jsonl",
        help=f"question file (default: {DEFAULT_QUESTIONS}); its corpus defaults to the seeds"
        " plus the articles/ folder beside it",
    )
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument(
        "--claims",
        action="store_true",
        help=f"score fact checks instead: a claims file (default: {DEFAULT_CLAIMS}), accuracy"
        " per verdict; --min-accuracy then applies to each verdict",
    )
    parser.add_argument(
        "--per-doc",
        action="store_true",
        help="ask each question of its own article (its `doc`) alone, not of the whole corpus",
    )
    parser.add_argument(
        "--min-accuracy",
        type=number_between(float, 0, 1),
        metavar="X",
        help="exit 1 if accuracy is below X",
    )
    parser.set_defaults(func=cmd_eval)
