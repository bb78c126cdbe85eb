"""`pearlbot run` and `pearlbot sync`: the Discord bot. discord.py is imported only in here."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from pearlbot.bot.commands.common import (
    EXIT_USAGE,
    UsageError,
    load_kb,
    log_level,
    selected_corpus,
)
from pearlbot.bot.discord_bot.settings import DiscordSettings
from pearlbot.retrieval import warm_up

if TYPE_CHECKING:
    from pearlbot.bot.discord_bot.service import AnswerService

NO_TOKEN = """\
pearlbot: no Discord token (DISCORD_TOKEN is not set).
  1. Create an application at https://discord.com/developers/applications, open Bot, and
     press Reset Token to get the bot's token.
  2. Put it in the environment (export DISCORD_TOKEN=...) or in a .env file as
     DISCORD_TOKEN=... in the folder you run pearlbot from. Keep it secret.
  3. Invite the bot with the scopes bot and applications.commands (see the README).
To try Pearlbot without Discord: pearlbot chat"""


def _settings(args: argparse.Namespace) -> DiscordSettings:
    """The settings `pearlbot` read for this command (`settings_type` below): the same object
    every layer reads while it runs, PEARLBOT_CORPUS included."""
    settings = args.settings
    assert isinstance(settings, DiscordSettings)
    return settings


def _service(args: argparse.Namespace) -> AnswerService:
    from pearlbot.bot.discord_bot.service import AnswerService

    kb = load_kb(args)  # the corpus: --corpus, else PEARLBOT_CORPUS from these settings
    # Load (or compile) the big-corpus scorer now, so no user's first question pays for it.
    warm_up(kb.index)
    return AnswerService(kb, selected_corpus(args))


def _setup_logging(args: argparse.Namespace, settings: DiscordSettings) -> None:
    """The bot's log lines (token redacted) on stderr before anything loads: INFO, or DEBUG
    with --debug; -v and --quiet move it a step."""
    from pearlbot.bot.discord_bot.logs import setup_logging

    default = logging.DEBUG if args.debug else logging.INFO
    secrets = [settings.token.get_secret_value()] if settings.token else []
    setup_logging(level=log_level(args, default), secrets=secrets)


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings.token is None:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_USAGE
    _setup_logging(args, settings)
    service = _service(args)

    from pearlbot.bot.database import DatabaseError, open_database
    from pearlbot.bot.discord_bot.client import Fatal, create_bot, run

    try:
        database = open_database(settings.database_url_in_use())
    except DatabaseError as exc:  # a bad PEARLBOT_DATABASE_URL, or the server is down
        raise UsageError(f"cannot open the database: {exc}") from None
    bot = create_bot(settings, service, database)
    try:
        return asyncio.run(run(bot))
    except Fatal as exc:
        print(f"pearlbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings(args).model_copy(update={"sync_commands": False})
    if settings.token is None:
        print(NO_TOKEN, file=sys.stderr)
        return EXIT_USAGE
    guild_id = args.guild or settings.guild_id
    _setup_logging(args, settings)
    service = _service(args)

    from pearlbot.bot.discord_bot.client import Fatal, create_bot, sync_only

    try:
        synced = asyncio.run(sync_only(create_bot(settings, service), guild_id))
    except Fatal as exc:
        print(f"pearlbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    names = ", ".join(f"/{c.name}" for c in synced)
    where = f"to guild {guild_id} (usable now)" if guild_id else "globally (may take up to an hour)"
    print(f"synced {len(synced)} commands {where}: {names}")
    return 0


def _guild_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a guild id: {text!r}")
    return int(text)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    run = sub.add_parser(
        "run",
        parents=[common],
        help="start the Discord bot (needs DISCORD_TOKEN)",
        description="Start the Discord bot. Settings come from the environment or .env:"
        " DISCORD_TOKEN, DISCORD_API_BASE, DISCORD_GATEWAY_URL, PEARLBOT_GUILD_ID,"
        " PEARLBOT_SYNC_COMMANDS, PEARLBOT_SHARD_COUNT, PEARLBOT_SHARD_IDS,"
        " PEARLBOT_DATABASE_URL, PEARLBOT_REPLY_IN_THREAD (see the README).",
    )
    run.add_argument("--debug", action="store_true", help="log debug lines (never the token)")
    run.set_defaults(func=cmd_run, settings_type=DiscordSettings)

    sync = sub.add_parser(
        "sync",
        parents=[common],
        help="register the slash commands with Discord now",
        description="Register the slash commands. With a guild they are usable at once;"
        " globally they can take up to an hour. Discord allows 200 creations a day per guild.",
    )
    sync.add_argument(
        "--guild",
        type=_guild_id,
        metavar="ID",
        help="sync to one guild (default: PEARLBOT_GUILD_ID)",
    )
    sync.add_argument("--debug", action="store_true", help="log debug lines (never the token)")
    sync.set_defaults(func=cmd_sync, settings_type=DiscordSettings)
