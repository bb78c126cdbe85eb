"""`pearlbot` command line. Heavy front ends (Discord) are imported only by their commands."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence

from pearlbot import __version__
from pearlbot.bot.commands.common import (
    EXIT_USAGE,
    LOADED,
    UsageError,
    add_verbosity,
    command_logging,
    log_level,
)
from pearlbot.settings import (
    PearlbotSettings,
    SettingsError,
    load_settings,
    settings_in_use,
)

EXIT_INTERNAL = 1

# Each module registers its subcommands; keep module imports light (no discord.py at import).
COMMAND_MODULES = (
    "pearlbot.bot.commands.ask",
    "pearlbot.bot.commands.corpus",
    "pearlbot.bot.commands.evaluate",
    "pearlbot.bot.commands.discord",
    "pearlbot.bot.commands.feedback",
    "pearlbot.bot.commands.index",
    "pearlbot.bot.commands.check",
    "pearlbot.bot.commands.stats",
)


def build_parser() -> argparse.ArgumentParser:
    corpus_help = (
        "article file or folder; repeat for several"
        " (default: $PEARLBOT_CORPUS, else the packaged seed articles)"
    )
    # --corpus works before and after the subcommand; argparse would let the subcommand's
    # value replace the top-level one, so the two are kept apart and joined in main().
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", metavar="PATH", action="append", default=[], help=corpus_help)
    add_verbosity(common)
    parser = argparse.ArgumentParser(
        prog="pearlbot",
        description="Ask questions about news releases; every answer cites its passages.",
        epilog='Try: pearlbot ask "which Wuxi district pairs with Minhe County?"',
    )
    parser.add_argument("--version", action="version", version=f"pearlbot {__version__}")
    add_verbosity(parser)
    parser.add_argument(
        "--corpus",
        dest="corpus_first",
        metavar="PATH",
        action="append",
        default=[],
        help=corpus_help,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def command_settings(args: argparse.Namespace) -> PearlbotSettings:
    """The settings a command runs with: Pearlbot's, or the command's extension of them (the
    Discord commands set `settings_type`), from the environment and `.env`."""
    kind: type[PearlbotSettings] = getattr(args, "settings_type", PearlbotSettings)
    try:
        return load_settings(kind)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.corpus = args.corpus_first + args.corpus
    func: Callable[[argparse.Namespace], int] = args.func
    debug = False
    try:
        args.settings = command_settings(args)
        debug = args.settings.debug
        # Before anything loads: what loading logs (a cache rebuilt, the fast-engine hint) shows.
        with command_logging(log_level(args)), settings_in_use(args.settings):
            return func(args)
    except UsageError as exc:
        print(f"pearlbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        # A bug, not bad input: one line for the user, the traceback only when asked for.
        if debug:
            raise
        print(
            f"pearlbot: internal error ({exc.__class__.__name__}); "
            "rerun with PEARLBOT_DEBUG=1 for the traceback, and please report it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def entry() -> None:
    """The `pearlbot` command (and `python -m pearlbot`): main(); after a one-shot command
    that kept what it loaded (`ask`), the process ends without freeing it, output flushed."""
    code = main()
    if LOADED:
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`)
                stream.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
