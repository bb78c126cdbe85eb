"""`pearlbot check "<claim>"`: a fact check against the articles."""

from __future__ import annotations

import argparse

from pearlbot.bot.commands.common import UsageError, load_kb
from pearlbot.retrieval import check_claim, question_problem


def cmd_check(args: argparse.Namespace) -> int:
    claim = " ".join(args.claim).strip()
    problem = question_problem(claim)
    if problem:
        raise UsageError(f"cannot check the claim: {problem}")
    result = check_claim(load_kb(args), claim)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(result.render())
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "check",
        parents=[common],
        help="fact-check a claim: Supported, Contradicted or Not stated, with the quote",
        description="Compare a claim with the articles' facts. The verdict starts the output:"
        " Supported (with the quote), Contradicted (what the source says instead) or Not stated.",
    )
    parser.add_argument("claim", nargs="+", help='for example: "Wuxi invested 900 million yuan"')
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=cmd_check)
