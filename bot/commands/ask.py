"""`pearlbot ask` and `pearlbot chat`."""

from __future__ import annotations

import argparse
import json
import sys

from pearlbot.bot.commands.common import UsageError, keep_until_exit, load_kb, passages_to_cite
from pearlbot.retrieval import answer_question, question_problem


def cmd_ask(args: argparse.Namespace) -> int:
    for question in args.questions:
        problem = question_problem(question)
        if problem:
            raise UsageError(problem)
    kb = load_kb(args)
    keep_until_exit(kb)
    from pearlbot.bot.console import Painter, use_colour
    from pearlbot.bot.rendering import render_answer
    from pearlbot.bot.sources import passage_urls

    paint = Painter(use_colour(sys.stdout))
    for n, question in enumerate(args.questions):
        answer = answer_question(kb, question, k=args.k)
        if args.json:
            print(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False))
            continue
        if len(args.questions) > 1:
            print(paint(f"Q: {question}", "bold"))
        # The terminal's rendering, with each cited article's web address when it has one.
        print(render_answer(answer, paint, passage_urls(kb, answer)))
        if n < len(args.questions) - 1:
            print()
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from pearlbot.bot.console import chat

    return chat(load_kb(args), k=args.k)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ask = sub.add_parser("ask", parents=[common], help="answer one or more questions and exit")
    ask.add_argument("questions", nargs="+", metavar="QUESTION", help="a question (quote it)")
    ask.add_argument("--json", action="store_true", help="print JSON Lines, one per question")
    ask.add_argument("-k", type=passages_to_cite, default=3, metavar="N", help="passages to cite")
    ask.set_defaults(func=cmd_ask)

    chat = sub.add_parser("chat", parents=[common], help="interactive chat in the terminal")
    chat.add_argument("-k", type=passages_to_cite, default=3, metavar="N", help="passages to cite")
    chat.set_defaults(func=cmd_chat)
