"""`pearlbot` command line. Heavy front ends (Discord) are imported only by their commands."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from bot.commands.common import EXIT_USAGE, UsageError

# Each module registers its subcommands; keep module imports light (no discord.py at import).
COMMAND_MODULES = ("bot.commands.ask", "bot.commands.corpus")


def build_parser() -> argparse.ArgumentParser:
    # --corpus is accepted before or after the subcommand, and may be repeated.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus",
        metavar="PATH",
        action="append",
        default=argparse.SUPPRESS,
        help="article file or folder; repeat for several"
        " (default: $PEARLBOT_CORPUS, else the packaged seed articles)",
    )
    parser = argparse.ArgumentParser(
        prog="pearlbot",
        description="Ask questions about news releases; every answer cites its passages.",
        parents=[common],
        epilog='Try: pearlbot ask "which Wuxi district pairs with Minhe County?"',
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
