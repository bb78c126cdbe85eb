"""`pearlbot stats`: questions asked and unanswered, the most frequent unanswered ones, 👍/👎
and latency, from the bot's database (the same settings as `pearlbot run`)."""

from __future__ import annotations

import argparse
import datetime as dt

from pearlbot.bot.commands.common import UsageError
from pearlbot.settings import PearlbotSettings


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def database_url(args: argparse.Namespace) -> str:
    """--db (a SQLite path or a URL), else the settings' database."""
    from pearlbot.bot.database import sqlite_url

    if getattr(args, "db", None):
        return args.db if "://" in args.db else sqlite_url(args.db)
    settings: PearlbotSettings = args.settings
    return settings.database_url_in_use()


def cmd_stats(args: argparse.Namespace) -> int:
    from pearlbot.bot.database import DatabaseError, open_database

    try:
        database = open_database(database_url(args), create=False)
    except DatabaseError as exc:
        raise UsageError(f"cannot open the database: {exc}") from None
    try:
        if args.forget_before is not None:
            deleted = database.forget_before(args.forget_before)
            print(f"deleted {deleted} rows from before {args.forget_before.isoformat()}")
            return 0
        usage = database.stats(args.since)
    finally:
        database.close()
    if args.json:
        print(usage.model_dump_json(indent=2))
        return 0
    rate = f"{usage.thumbs_up_rate:.0%}" if usage.thumbs_up_rate is not None else "-"
    p50 = f"{usage.latency_p50_ms:.0f} ms" if usage.latency_p50_ms is not None else "-"
    p95 = f"{usage.latency_p95_ms:.0f} ms" if usage.latency_p95_ms is not None else "-"
    since = f" since {args.since.isoformat()}" if args.since else ""
    print(f"questions asked{since}: {usage.asked}, unanswered: {usage.unanswered}")
    print(f"feedback: {usage.thumbs_up} 👍, {usage.thumbs_down} 👎 ({rate} 👍)")
    print(f"latency: p50 {p50}, p95 {p95}")
    if usage.top_unanswered:
        print("most frequent unanswered:")
        for item in usage.top_unanswered:
            print(f"  {item.count:>4}  {item.question}")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    parser = sub.add_parser(
        "stats",
        parents=[common],
        help="questions asked and unanswered, feedback and latency from Discord",
        description="Read the bot's question log and feedback (PEARLBOT_DATABASE_URL, as"
        " `pearlbot run` does).",
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--since", type=_date, metavar="DATE", help="only from DATE on")
    parser.add_argument(
        "--forget-before",
        type=_date,
        metavar="DATE",
        help="delete logged questions, votes and stored answers from before DATE",
    )
    parser.add_argument(
        "--db", metavar="URL_OR_PATH", help="the database (default: PEARLBOT_DATABASE_URL)"
    )
    parser.set_defaults(func=cmd_stats)
