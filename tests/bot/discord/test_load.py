"""A small load run through the fake Discord (the full one is bench/discord_load.py)."""

from __future__ import annotations

from tests.bot.discord.fake import FakeDiscord
from tests.bot.discord.harness import running_bot
from tests.bot.discord.loadkit import LoopLag, burst, settled, summarize


async def test_100_questions_from_10_users_each_answered_or_refused_exactly_once() -> None:
    async with FakeDiscord() as fake, running_bot(fake, cooldown_rate=5) as bot:
        lag = LoopLag().start()
        events = await burst(fake, 100, users=10)
        await fake.wait_until(lambda: settled(fake, events), timeout=20)
        await lag.stop()
        summary = summarize(fake, events)
    print(f"\nload: {summary} loop lag max {lag.max_ms} ms")
    # Each user asks 10 times within the window: 5 answers, then 5 notices.
    assert summary.answered == 50 and summary.refused == 50
    assert summary.missing == 0 and summary.duplicated == 0
    assert bot.stats.answered == 50 and bot.stats.refused == 50 and bot.stats.lost == 0
    assert summary.p99_ms < 5000 and summary.ack_max_ms < 3000  # within Discord's 3 s


async def test_answers_keep_flowing_through_a_429_burst() -> None:
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        fake.fail("POST", r"^/channels/\d+/messages$", 429, times=15, retry_after=0.01)
        fake.fail("POST", r"/callback$", 429, times=10, retry_after=0.01, is_global=True)
        events = await burst(fake, 40, users=20)
        await fake.wait_until(lambda: settled(fake, events), timeout=20)
        summary = summarize(fake, events)
        assert summary.answered == 40 and summary.missing == 0
        assert bot.stats.lost == 0
        assert sum(1 for r in fake.requests if r.status == 429) == 25
