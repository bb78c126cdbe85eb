"""What every subcommand shares: the usage error, corpus loading, argument types."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from pearlbot.corpus import CorpusError
from pearlbot.retrieval import KnowledgeBase, corpus_paths, open_knowledge_base

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit code 2."""


def selected_corpus(args: argparse.Namespace) -> list[str]:
    """--corpus (repeatable), else PEARLBOT_CORPUS (os.pathsep-separated), else the seeds."""
    return list(getattr(args, "corpus", None) or corpus_paths())


def load_kb(args: argparse.Namespace) -> KnowledgeBase:
    """Open the selected corpus; report skipped files on stderr; UsageError if nothing loads."""
    paths = selected_corpus(args)
    try:
        kb = open_knowledge_base(paths)
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    for problem in kb.corpus.problems:
        print(f"pearlbot: skipped {problem}", file=sys.stderr)
    if not kb.corpus.documents:
        raise UsageError(f"no readable articles in {os.pathsep.join(paths)}")
    return kb


def number_between(
    kind: type[int] | type[float], low: float, high: float
) -> Callable[[str], int | float]:
    """An argparse type: a number of `kind` within [low, high], or a one-line error."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            name = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"not {name}: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low:g} and {high:g}")
        return value

    return parse


passages_to_cite = number_between(int, 1, 50)
