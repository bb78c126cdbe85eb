"""Run the real bot (in this process) against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from functools import cache
from typing import Any

from pearlbot.bot.database import Database
from pearlbot.bot.discord_bot.client import Pearlbot, create_bot, discord_endpoints, start
from pearlbot.bot.discord_bot.service import AnswerService
from pearlbot.bot.discord_bot.settings import DiscordSettings
from pearlbot.corpus import load_corpus
from pearlbot.retrieval.knowledge import KnowledgeBase, build_knowledge_base
from pearlbot.seeds import seeds_path
from tests.bot.discord.fake import FakeDiscord

MINHE = "which Wuxi district pairs with Minhe County?"


@cache
def seed_kb() -> KnowledgeBase:
    return build_knowledge_base(load_corpus(seeds_path()))


def settings_for(fake: FakeDiscord, **overrides: Any) -> DiscordSettings:
    values: dict[str, Any] = {
        "token": fake.token,
        "api_base": fake.api_base,
        "cooldown_rate": 50,
        "cooldown_seconds": 30.0,
        "defer_after": 1.0,
    }
    values.update(overrides)
    return DiscordSettings(_env_file=None, **values)  # type: ignore[call-arg]


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord,
    *,
    kb: KnowledgeBase | None = None,
    paths: list[str] | None = None,
    database: Database | None = None,
    wait_ready: bool = True,
    **overrides: Any,
) -> AsyncIterator[Pearlbot]:
    """The bot connected to the fake; closed (and its task awaited) on exit."""
    settings = settings_for(fake, **overrides)
    service = AnswerService(kb or seed_kb(), paths)
    bot = create_bot(
        settings,
        service,
        database,
        identify_delay=0.0,
        retry_delay=0.01,
        guild_ready_timeout=0.01,
    )
    with discord_endpoints(settings):
        task = asyncio.create_task(start(bot))
        try:
            if wait_ready:
                await fake.wait_until(lambda: task.done() or _connected(fake))
                if task.done():
                    task.result()
            yield bot
        finally:
            await bot.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _connected(fake: FakeDiscord) -> bool:
    return any(s.conn is not None for s in fake.sessions.values())
