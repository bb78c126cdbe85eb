"""`pearlbot` command line. Heavy front ends (Discord) are imported only by their commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

from corpus import CorpusError
from retrieval.answer import answer_question, describe_fact, question_problem
from retrieval.knowledge import KnowledgeBase, default_corpus_path, open_knowledge_base

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit code 2."""


def _load(args: argparse.Namespace) -> KnowledgeBase:
    path = getattr(args, "corpus", None) or default_corpus_path()
    try:
        kb = open_knowledge_base(path)
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    for problem in kb.corpus.problems:
        print(f"pearlbot: skipped {problem}", file=sys.stderr)
    if not kb.corpus.documents:
        raise UsageError(f"no readable articles in {path}")
    return kb


def cmd_ask(args: argparse.Namespace) -> int:
    for question in args.questions:
        problem = question_problem(question)
        if problem:
            raise UsageError(problem)
    kb = _load(args)
    from bot.console import Painter, format_answer, use_colour

    paint = Painter(use_colour(sys.stdout))
    for n, question in enumerate(args.questions):
        answer = answer_question(kb, question, k=args.k)
        if args.json:
            print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False))
        else:
            if len(args.questions) > 1:
                print(paint(f"Q: {question}", "bold"))
            print(format_answer(answer, paint))
            if n < len(args.questions) - 1:
                print()
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import chat

    return chat(_load(args), k=args.k)


def cmd_corpus(args: argparse.Namespace) -> int:
    kb = _load(args)
    counts: dict[str, tuple[int, int]] = {}
    for passage in kb.passages:
        p, f = counts.get(passage.doc_id, (0, 0))
        counts[passage.doc_id] = (p + 1, f)
    for fact in kb.facts:
        p, f = counts.get(fact.source.doc_id, (0, 0))
        counts[fact.source.doc_id] = (p, f + 1)
    for doc in kb.corpus.documents:
        passages, facts = counts.get(doc.id, (0, 0))
        released = doc.released.isoformat() if doc.released else "undated"
        print(f"{doc.id}  {released}  {passages} passages  {facts} facts  {doc.title}")
        if args.passages:
            for passage in kb.passages:
                if passage.doc_id == doc.id:
                    print(f"  [{passage.id}] {passage.start}-{passage.end}: {passage.text}")
    print(
        f"{len(kb.corpus.documents)} documents, {len(kb.passages)} passages, {len(kb.facts)} facts"
    )
    return 0


def cmd_facts(args: argparse.Namespace) -> int:
    kb = _load(args)
    facts = [f for f in kb.facts if args.kind is None or f.kind == args.kind]
    if args.json:
        print(json.dumps([f.model_dump(mode="json") for f in facts], ensure_ascii=False, indent=2))
        return 0
    for fact in facts:
        print(f"{describe_fact(fact)}  [{fact.source.passage_id}]")
    print(f"{len(facts)} facts")
    return 0


def build_parser() -> argparse.ArgumentParser:
    # --corpus is accepted before or after the subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="article file or folder (default: $PEARLBOT_CORPUS, else the packaged seed articles)",
    )
    parser = argparse.ArgumentParser(
        prog="pearlbot",
        description="Ask questions about news releases; every answer cites its passages.",
        parents=[common],
        epilog='Try: pearlbot ask "which Wuxi district pairs with Minhe County?"',
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ask = sub.add_parser("ask", parents=[common], help="answer one or more questions and exit")
    ask.add_argument("questions", nargs="+", metavar="QUESTION", help="a question (quote it)")
    ask.add_argument(
        "--json", action="store_true", help="print JSON Lines, one object per question"
    )
    ask.add_argument(
        "-k", type=_positive, default=3, metavar="N", help="passages to cite (default 3)"
    )
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", parents=[common], help="interactive chat in the terminal")
    chat.add_argument(
        "-k", type=_positive, default=3, metavar="N", help="passages to cite (default 3)"
    )
    chat.set_defaults(func=cmd_chat)

    corpus = sub.add_parser("corpus", parents=[common], help="list the documents and passages")
    corpus.add_argument("--passages", action="store_true", help="also print every passage")
    corpus.set_defaults(func=cmd_corpus)

    facts = sub.add_parser(
        "facts", parents=[common], help="list the extracted facts with citations"
    )
    facts.add_argument("--kind", choices=["pairing", "figure", "person", "date", "place"])
    facts.add_argument("--json", action="store_true", help="print a JSON array of facts")
    facts.set_defaults(func=cmd_facts)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError("must be between 1 and 50")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UsageError as exc:
        print(f"pearlbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
