"""`pearlbot feedback`: export the 👍/👎 votes collected on Discord."""

from __future__ import annotations

import argparse
import sys

from pearlbot.bot.commands.common import UsageError
from pearlbot.bot.commands.stats import database_url


def cmd_feedback(args: argparse.Namespace) -> int:
    from pearlbot.bot.database import DatabaseError, open_database
    from pearlbot.bot.discord_bot.feedback import export

    try:
        database = open_database(database_url(args), create=False)
    except DatabaseError as exc:
        raise UsageError(
            f"cannot open the feedback database: {exc} (set PEARLBOT_DATABASE_URL or --db)"
        ) from None
    try:
        sys.stdout.write(export(database.rows(), args.format))
    finally:
        database.close()
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    feedback = sub.add_parser(
        "feedback", parents=[common], help="export 👍/👎 feedback from Discord"
    )
    feedback.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    feedback.add_argument(
        "--db",
        metavar="URL_OR_PATH",
        help="the database (default: PEARLBOT_DATABASE_URL, or PEARLBOT_FEEDBACK_DB, or the"
        " user data dir)",
    )
    feedback.set_defaults(func=cmd_feedback)
