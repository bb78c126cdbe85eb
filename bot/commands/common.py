"""What every subcommand shares: the usage error, corpus loading, argument types."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pearlbot.corpus import CorpusError
from pearlbot.retrieval import KnowledgeBase, corpus_paths, open_knowledge_base

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the user: one line on stderr, exit code 2."""


EMPTY_CORPUS_PATH = "--corpus needs a file or folder; an empty path would read the current folder"


def selected_corpus(args: argparse.Namespace) -> list[str]:
    """--corpus (repeatable), else PEARLBOT_CORPUS (os.pathsep-separated), else the seeds.
    UsageError for an empty --corpus ("" would otherwise read the current folder)."""
    given = list(getattr(args, "corpus", None) or []) + list(getattr(args, "corpus_group", []))
    if any(not str(path).strip() for path in given):
        raise UsageError(EMPTY_CORPUS_PATH)
    return list(getattr(args, "corpus", None) or corpus_paths())


# What a one-shot command loaded, kept for `cli.entry` to exit without freeing it.
LOADED: list[KnowledgeBase] = []


def keep_until_exit(kb: KnowledgeBase) -> None:
    """A one-shot command's knowledge base is not freed when the command returns: freeing a
    million passages' and facts' objects took 0.7 s after the answer was printed. The
    `pearlbot` process then ends without freeing it (cli.entry); in-process callers keep one."""
    LOADED[:] = [kb]


def load_kb(args: argparse.Namespace, *, allow_empty: bool = False) -> KnowledgeBase:
    """Open the selected corpus; report skipped files (and files read in a detected encoding)
    on stderr; UsageError if nothing loads, unless `allow_empty` (listing a broken folder)."""
    paths = selected_corpus(args)
    try:
        kb = open_knowledge_base(paths)
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    for note in getattr(kb.corpus, "notes", ()):
        print(f"pearlbot: note: {note}", file=sys.stderr)
    for problem in kb.corpus.problems:
        print(f"pearlbot: skipped {problem}", file=sys.stderr)
    if not kb.corpus.documents and not allow_empty:
        raise UsageError(f"no readable articles in {os.pathsep.join(paths)}")
    return kb


CLI_HANDLER = "pearlbot-cli"  # the handler `command_logging` installs


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """-v (more detail, repeatable) and -q/--quiet (less), for the log lines on stderr."""
    # SUPPRESS: a subcommand's defaults must not reset what the level above was given.
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="log more (repeat for debug lines)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="count",
        default=argparse.SUPPRESS,
        help="log only errors",
    )


def log_level(args: argparse.Namespace, default: int = logging.WARNING) -> int:
    """The logging level -v and --quiet ask for, one step (10) each from `default`."""
    steps = getattr(args, "verbose", 0) - getattr(args, "quiet", 0)
    return min(max(default - 10 * steps, logging.DEBUG), logging.CRITICAL)


@contextmanager
def command_logging(level: int) -> Iterator[None]:
    """Pearlbot's log lines on stderr as `pearlbot: message`, at `level` and above, while a
    command runs; the logger is left as it was found afterwards (main() runs in tests too)."""
    logger = logging.getLogger("pearlbot")
    before = (logger.level, list(logger.handlers))
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(CLI_HANDLER)
    handler.setFormatter(logging.Formatter("pearlbot: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(before[0])
        for current in list(logger.handlers):
            logger.removeHandler(current)
        for kept in before[1]:
            logger.addHandler(kept)


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
