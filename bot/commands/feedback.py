"""`pearlbot feedback`: export the 👍/👎 votes collected on Discord."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pearlbot.bot.commands.common import UsageError


def cmd_feedback(args: argparse.Namespace) -> int:
    from pearlbot.bot.discord_bot.feedback import FeedbackStore, export
    from pearlbot.bot.discord_bot.settings import SettingsError, default_feedback_db, load_settings

    if args.db:
        path = Path(args.db)
    else:
        try:
            path = load_settings().feedback_path
        except SettingsError:
            path = default_feedback_db()
    if not path.exists():
        raise UsageError(f"no feedback database at {path} (set PEARLBOT_FEEDBACK_DB or --db)")
    try:
        store = FeedbackStore(path)
    except Exception as exc:
        raise UsageError(f"cannot open the feedback database {path}: {exc}") from None
    try:
        sys.stdout.write(export(store.rows(), args.format))
    finally:
        store.close()
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    feedback = sub.add_parser(
        "feedback", parents=[common], help="export 👍/👎 feedback from Discord"
    )
    feedback.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    feedback.add_argument(
        "--db",
        metavar="PATH",
        help="the database (default: $PEARLBOT_FEEDBACK_DB or the user data dir)",
    )
    feedback.set_defaults(func=cmd_feedback)
