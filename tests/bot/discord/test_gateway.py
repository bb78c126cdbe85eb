"""Gateway faults: close, RECONNECT (op 7), INVALID_SESSION (op 9), a dropped connection."""

from __future__ import annotations

import asyncio

import discord
import pytest

from pearlbot.bot.discord_bot.client import explain
from tests.bot.discord.fake import FakeDiscord
from tests.bot.discord.harness import MINHE, running_bot, settings_for


async def ask_and_wait(fake: FakeDiscord, n: int) -> dict:
    question = await fake.mention(MINHE, author=fake.user(n))
    await fake.wait_until(lambda: fake.replies_to(question))
    return question


async def test_gateway_close_is_resumed_and_missed_events_are_replayed() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        await ask_and_wait(fake, 1)
        session = fake.session()
        await fake.close_gateway(4000)
        missed = await fake.mention(MINHE, author=fake.user(2))  # sent while disconnected
        await fake.wait_until(lambda: fake.replies_to(missed))
        assert fake.resumes and fake.resumes[-1]["session_id"] == session.id
        assert len(fake.identifies) == 1  # resumed, not re-identified
        await ask_and_wait(fake, 3)


async def test_reconnect_op7_resumes_and_still_answers() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        await ask_and_wait(fake, 1)
        await fake.send_reconnect()
        await fake.wait_until(lambda: fake.resumes)
        await fake.wait_ready()
        await ask_and_wait(fake, 2)
        assert len(fake.identifies) == 1


async def test_invalid_session_op9_identifies_again_and_still_answers() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        await ask_and_wait(fake, 1)
        await fake.send_invalid_session(resumable=False)
        await fake.wait_ready(sessions=1)
        await fake.wait_until(lambda: len(fake.identifies) == 2)
        await fake.wait_until(lambda: fake.session().conn is not None)
        await ask_and_wait(fake, 2)
        ask = await fake.slash("ask", {"question": MINHE}, author=fake.user(3))
        await fake.wait_until(lambda: fake.answered(ask))


async def test_resumable_invalid_session_resumes() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        await fake.send_invalid_session(resumable=True)
        await fake.wait_until(lambda: fake.resumes)
        await ask_and_wait(fake, 1)
        assert len(fake.identifies) == 1


async def test_dropped_connection_mid_burst_answers_every_question_exactly_once() -> None:
    # The fake also replays 5 events the bot had already seen (at-least-once delivery).
    async with FakeDiscord(replay_overlap=5) as fake, running_bot(fake) as bot:
        questions = []
        for n in range(30):
            if n % 2:
                questions.append(await fake.mention(MINHE, author=fake.user(n)))
            else:
                questions.append(await fake.slash("ask", {"question": MINHE}, author=fake.user(n)))
            if n == 14:
                fake.drop()
        for question in questions:
            await fake.wait_until(lambda question=question: fake.answered(question))
        await fake.wait_until(lambda: fake.resumes)
        await asyncio.sleep(0.05)  # time for any duplicate answer to show up
        for question in questions:
            if question.get("type") == 2:
                assert len(fake.interaction(question).callbacks) == 1
            else:
                assert len(fake.replies_to(question)) == 1
        assert bot.stats.answered == 30
        assert bot.stats.duplicates >= 1  # the overlap was really delivered twice


async def test_rejected_token_on_login_and_on_the_gateway() -> None:
    async with FakeDiscord() as fake:
        with pytest.raises(discord.LoginFailure) as info:
            async with running_bot(fake, token="wrong-token"):
                pass
        fatal = explain(info.value, settings_for(fake))
        assert fatal is not None and "rejected the token" in str(fatal)
        assert "wrong-token" not in str(fatal)


async def test_refused_privileged_intent_is_explained() -> None:
    async with FakeDiscord(refuse_intents=0xFFFFFFFF) as fake:
        with pytest.raises(discord.PrivilegedIntentsRequired) as info:
            async with running_bot(fake):
                pass
        fatal = explain(info.value, settings_for(fake))
        assert fatal is not None and "privileged" in str(fatal)
