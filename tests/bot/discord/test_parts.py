"""Settings, cooldown, dedupe, question extraction, logging: no Discord."""

from __future__ import annotations

import asyncio
import io
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from pearlbot.bot.discord_bot.logs import setup_logging
from pearlbot.bot.discord_bot.service import (
    AnswerService,
    Cooldown,
    RecentIds,
    ReloadFailed,
    question_from_message,
)
from pearlbot.bot.discord_bot.settings import DISCORD_API_BASE, SettingsError, load_settings
from tests.bot.discord.harness import seed_kb

SECRET = "NzkyNzE1NDU0MTk2MDg4ODQx.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I"


def test_settings_from_the_environment_and_defaults(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_API_BASE", "DISCORD_GATEWAY_URL", "PEARLBOT_GUILD_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DISCORD_TOKEN", f"  {SECRET} ")
    monkeypatch.setenv("PEARLBOT_SHARD_COUNT", "4")
    monkeypatch.setenv("PEARLBOT_SHARD_IDS", "0, 2")
    monkeypatch.setenv("PEARLBOT_SYNC_COMMANDS", "1")
    settings = load_settings()
    assert settings.token is not None and settings.token.get_secret_value() == SECRET
    assert settings.api_base == DISCORD_API_BASE and settings.uses_discord
    assert settings.shard_ids == (0, 2) and settings.sharded and settings.sync_commands
    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert SECRET not in settings.model_dump_json()


def test_settings_from_a_dotenv_file(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    (tmp_path / ".env").write_text(
        f"DISCORD_TOKEN={SECRET}\nDISCORD_API_BASE=http://127.0.0.1:1/api/v10/\n", encoding="utf-8"
    )
    settings = load_settings()
    assert settings.token is not None and settings.token.get_secret_value() == SECRET
    assert settings.api_base == "http://127.0.0.1:1/api/v10" and not settings.uses_discord


def test_empty_token_is_no_token(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "   ")
    assert load_settings().token is None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PEARLBOT_SHARD_IDS": "1"}, "PEARLBOT_SHARD_COUNT"),
        ({"PEARLBOT_SHARD_COUNT": "2", "PEARLBOT_SHARD_IDS": "2"}, "PEARLBOT_SHARD_IDS"),
        ({"PEARLBOT_GUILD_ID": "abc"}, "PEARLBOT_GUILD_ID"),
        ({"DISCORD_API_BASE": "ftp://x"}, "DISCORD_API_BASE"),
        ({"DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL"),
    ],
)
def test_bad_settings_name_the_variable_not_the_token(monkeypatch, tmp_path, env, named) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert named in str(info.value) and SECRET not in str(info.value)


def test_cooldown_is_a_sliding_window_per_user() -> None:
    now = [0.0]
    cooldown = Cooldown(2, 10.0, clock=lambda: now[0])
    assert cooldown.retry_after(1) == 0 and cooldown.retry_after(1) == 0
    assert cooldown.retry_after(1) == pytest.approx(10.0)
    assert cooldown.retry_after(2) == 0  # another user
    now[0] = 9.0
    assert cooldown.retry_after(1) == pytest.approx(1.0)  # refusals do not extend the window
    now[0] = 10.0
    assert cooldown.retry_after(1) == 0
    assert Cooldown(1, 0).retry_after(1) == 0 and Cooldown(1, 0).retry_after(1) == 0


def test_cooldown_memory_is_bounded() -> None:
    cooldown = Cooldown(5, 30.0, max_users=100)
    for user in range(10_000):
        cooldown.retry_after(user)
    assert len(cooldown) == 100


def test_recent_ids_remember_a_bounded_number() -> None:
    seen = RecentIds(limit=3)
    assert seen.first_time(1) and not seen.first_time(1)
    for n in (2, 3, 4):
        assert seen.first_time(n)
    assert len(seen) == 3 and seen.first_time(1)  # 1 was forgotten


def test_question_from_message() -> None:
    ask = question_from_message
    assert ask("hello", bot_id=5, is_dm=False, mentioned=False) is None
    assert ask("<@5> which  district?", bot_id=5, is_dm=False, mentioned=True) == "which district?"
    assert ask("<@!5> x <@6>", bot_id=5, is_dm=False, mentioned=True) == "x <@6>"
    assert ask("in a dm", bot_id=5, is_dm=True, mentioned=False) == "in a dm"
    assert ask("<@&9> q", bot_id=5, is_dm=False, mentioned=True, role_ids=(9,)) == "q"
    assert ask("<@5>", bot_id=5, is_dm=False, mentioned=True) == ""


def test_reload_keeps_the_old_corpus_when_the_new_one_fails(tmp_path: Path) -> None:
    async def scenario() -> None:
        kb = seed_kb()
        missing = AnswerService(kb, [str(tmp_path / "gone")])
        with pytest.raises(ReloadFailed, match="does not exist"):
            await missing.reload()
        assert missing.kb is kb
        (tmp_path / "empty").mkdir()
        (tmp_path / "empty" / "bad.txt").write_bytes(b"\x00\x01binary")
        unreadable = AnswerService(kb, [str(tmp_path / "empty")])
        with pytest.raises(ReloadFailed, match="no readable articles"):
            await unreadable.reload()
        assert unreadable.kb is kb

    asyncio.run(scenario())


def test_logging_redacts_the_token_even_in_tracebacks() -> None:
    stream = io.StringIO()
    handler = setup_logging(debug=True, secrets=[SECRET], stream=stream)
    try:
        log = logging.getLogger("pearlbot.test")
        log.debug("token is %s", SECRET)
        try:
            raise RuntimeError(f"bad {SECRET}")
        except RuntimeError:
            log.exception("failed")
    finally:
        logging.getLogger().removeHandler(handler)
    output = stream.getvalue()
    assert SECRET not in output and output.count("[redacted]") == 2
    assert "Traceback" in output


def test_pearlbot_ask_does_not_import_discord() -> None:
    code = (
        "import sys; from bot.cli import main; main(['ask', 'which district pairs with Minhe?']);"
        " assert 'discord' not in sys.modules, 'discord imported'"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_answers_are_cached_and_the_cache_is_dropped_on_reload(tmp_path: Path) -> None:
    async def scenario() -> None:
        seed = Path(seed_kb().corpus.documents[0].source)
        (tmp_path / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
        service = AnswerService(seed_kb(), [str(tmp_path)], cache_size=2)
        first = await service.answer("which district pairs with Minhe?", 3)
        again = await service.answer("which  district pairs with Minhe?", 3)
        assert (service.hits, service.misses) == (1, 1)
        assert again.question == "which  district pairs with Minhe?"  # as this user asked it
        assert again.answer == first.answer
        await service.answer("q two", 3)
        await service.answer("q three", 3)
        assert service.cached == 2  # bounded
        await service.reload()
        assert service.cached == 0
        await service.close()

    asyncio.run(scenario())


def test_scoring_is_paced_a_few_answers_per_loop_iteration() -> None:
    async def scenario() -> None:
        service = AnswerService(seed_kb(), workers=2)
        loop = asyncio.get_running_loop()
        iteration = [0]

        def tick() -> None:
            iteration[0] += 1
            loop.call_soon(tick)

        loop.call_soon(tick)
        seen: list[int] = []
        await asyncio.gather(*(service.run(lambda: seen.append(iteration[0])) for _ in range(20)))
        per_iteration = [seen.count(n) for n in set(seen)]
        assert len(seen) == 20 and max(per_iteration) <= 2
        await service.close()

    asyncio.run(scenario())


def test_big_corpora_are_scored_in_a_thread() -> None:
    import threading

    async def scenario() -> None:
        service = AnswerService(seed_kb(), thread_passages=1)
        assert service.threaded
        where = await service.run(threading.get_ident)
        assert where != threading.get_ident()
        answer = await service.answer("which district pairs with Minhe?", 3)
        assert "Xinwu District" in (answer.answer or "") + answer.passages[0].text
        await service.close()

    asyncio.run(scenario())


def test_big_corpora_are_scored_in_one_thread_however_many_questions_wait() -> None:
    """Answering holds the GIL: a pool of scoring threads adds no speed and starves the event
    loop under a burst (the load bench lost /ask deadlines to it), so every answer is scored
    by the same one thread, one at a time."""
    import threading
    import time

    async def scenario() -> None:
        service = AnswerService(seed_kb(), thread_passages=1)
        busy = [0, 0]  # now, most at once

        def score() -> int:
            busy[0] += 1
            busy[1] = max(busy)
            time.sleep(0.002)  # releases the GIL: a pool would run the next one meanwhile
            busy[0] -= 1
            return threading.get_ident()

        threads = await asyncio.gather(*(service.run(score) for _ in range(30)))
        assert len(set(threads)) == 1 and threads[0] != threading.get_ident()
        assert busy[1] == 1
        await service.close()
        # A service closed (a shard restarting) scores again when asked again.
        assert await service.run(score) != threading.get_ident()
        await service.close()

    asyncio.run(scenario())
