"""`pearlbot run`, `pearlbot sync` and `pearlbot feedback` as separate processes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.bot.discord.fake import GUILD_ID, FakeDiscord
from tests.bot.discord.harness import MINHE
from tests.bot.discord.test_bot import button, embed_text
from tests.conftest import ROOT

PEARLBOT = [sys.executable, "-m", "pearlbot"]
TOKEN = "MTEwMDAw.SECRET-token-for-tests.xyzzy42"


def clean_env(**extra: str) -> dict[str, str]:
    """The inherited environment without any Discord or Pearlbot settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "PEARLBOT_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["NO_COLOR"] = "1"
    return env | extra


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PEARLBOT, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


def test_run_without_a_token_explains_and_exits_2(tmp_path: Path) -> None:
    out = run_cli("run", env=clean_env(), cwd=tmp_path)
    assert out.returncode == 2
    assert "DISCORD_TOKEN" in out.stderr and "pearlbot chat" in out.stderr
    assert "discord.com/developers/applications" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    env = clean_env(DISCORD_TOKEN=TOKEN, PEARLBOT_SHARD_IDS="3", PEARLBOT_SHARD_COUNT="2")
    out = run_cli("run", env=env, cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "PEARLBOT_SHARD_IDS" in out.stderr and TOKEN not in out.stderr


def test_token_can_come_from_a_dotenv_file(tmp_path: Path) -> None:
    # A rejected token proves it was read; the fake is not running, so use a closed port.
    (tmp_path / ".env").write_text(
        f"DISCORD_TOKEN={TOKEN}\nDISCORD_API_BASE=http://127.0.0.1:9/api/v10\n", encoding="utf-8"
    )
    out = run_cli("run", env=clean_env(), cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert "cannot reach Discord" in out.stderr.splitlines()[-1]
    assert TOKEN not in out.stderr + out.stdout


async def spawn(*args: str, env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        *PEARLBOT,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def finish(process: asyncio.subprocess.Process, timeout: float = 20) -> tuple[int, str]:
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout)
    code = process.returncode
    # A negative code is a signal's: pearlbot crashed or was killed rather than exiting.
    assert code is not None and code >= 0, f"pearlbot ended by signal {-(code or 0)}"
    return code, stdout.decode() + stderr.decode()


async def test_rejected_token_is_one_line_and_exit_2(tmp_path: Path) -> None:
    async with FakeDiscord(token="the-right-token") as fake:
        env = clean_env(DISCORD_TOKEN=TOKEN, DISCORD_API_BASE=fake.api_base)
        code, output = await finish(await spawn("run", "--debug", env=env, cwd=tmp_path))
    assert code == 2
    assert "rejected the token" in output.splitlines()[-1]
    assert TOKEN not in output and "Traceback" not in output


async def test_pearlbot_run_against_the_fake(tmp_path: Path, database_url: str) -> None:
    """Mention and /ask answered; SIGTERM closes within 5 s; after a real restart the old
    answer's buttons still page and vote; feedback and the question log are in the database
    (SQLite through the PEARLBOT_FEEDBACK_DB alias, PostgreSQL through its URL); no token."""
    db = tmp_path / "feedback.sqlite3"
    where = (
        {"PEARLBOT_FEEDBACK_DB": str(db)}
        if database_url.startswith("sqlite")
        else {"PEARLBOT_DATABASE_URL": database_url}
    )
    async with FakeDiscord(token=TOKEN) as fake:
        env = clean_env(
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_BASE=fake.api_base,
            PEARLBOT_SYNC_COMMANDS="1",
            PEARLBOT_GUILD_ID=str(GUILD_ID),
            **where,
        )
        process = await spawn("run", "--debug", env=env, cwd=tmp_path)
        try:
            await fake.wait_until(lambda: fake.sessions, timeout=30)
            await fake.wait_ready()
            assert {c["name"] for c in fake.commands[GUILD_ID]} >= {"ask", "pair", "reload"}
            asker = fake.user(1)
            question = await fake.mention(MINHE, author=asker)
            ask = await fake.slash("ask", {"question": MINHE}, author=asker)
            (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
            await fake.wait_until(lambda: fake.answered(ask))
            assert "Xinwu District" in embed_text(reply)
            assert "Xinwu District" in embed_text(fake.responses(ask)[0])
            vote = await fake.click(reply, button(reply, "up"), author=asker)
            await fake.wait_until(lambda: fake.answered(vote))

            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            code, output = await finish(process, timeout=10)
            assert time.monotonic() - started < 5, output[-3000:]
            assert code == 0, output[-3000:]
            # The bot closed the gateway with a close frame: not 1006, the code of a dropped
            # connection (discord.py sends 1000, or 4000 when its reader closes first).
            await fake.wait_until(lambda: fake.closed_codes, timeout=2)
            assert fake.closed_codes[-1] in (1000, 4000), fake.closed_codes
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert "DEBUG" in output  # debug logging was really on
        assert TOKEN not in output

        # Restarted: the old answer's buttons still work (state in the id and the database).
        process = await spawn("run", env=env | {"PEARLBOT_SYNC_COMMANDS": "0"}, cwd=tmp_path)
        try:
            await fake.wait_until(lambda: len(fake.identifies) == 2, timeout=30)
            await fake.wait_ready(sessions=2)
            late = await fake.click(reply, button(reply, "down"), author=fake.user(2))
            await fake.wait_until(lambda: fake.answered(late))
            assert fake.responses(late)[0]["content"].startswith("Thanks, noted 👎")
            page = await fake.click(reply, button(reply, "more"), author=asker)
            await fake.wait_until(lambda: fake.answered(page))
            (update,) = fake.interaction(page).callbacks
            assert update["data"]["embeds"][0]["title"].startswith("More passages: 2–4 of")
            process.send_signal(signal.SIGINT)  # Ctrl-C
            code, output = await finish(process, timeout=10)
            assert code == 0 and TOKEN not in output
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()

    exported = run_cli("feedback", "--format", "json", env=clean_env(**where), cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    rows = json.loads(exported.stdout)
    assert [(r["vote"], r["question"]) for r in rows] == [(1, MINHE), (-1, MINHE)]
    assert rows[1]["answer"] == "Xinwu District"
    as_csv = run_cli(
        "feedback",
        "--db",
        str(db) if "FEEDBACK" in str(where) else database_url,
        env=clean_env(),
        cwd=tmp_path,
    )
    assert as_csv.stdout.splitlines()[0].startswith("created_at,vote,question")
    assert len(as_csv.stdout.splitlines()) == 3
    stats = run_cli("stats", "--json", env=clean_env(**where), cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    usage = json.loads(stats.stdout)
    assert usage["asked"] == 2 and usage["unanswered"] == 0  # the mention and the /ask
    assert (usage["thumbs_up"], usage["thumbs_down"]) == (1, 1)
    assert usage["latency_p50_ms"] is not None
    text = run_cli("stats", "--since", "2000-01-01", env=clean_env(**where), cwd=tmp_path)
    assert "questions asked since 2000-01-01: 2, unanswered: 0" in text.stdout


async def test_pearlbot_sync_registers_commands(tmp_path: Path) -> None:
    async with FakeDiscord(token=TOKEN) as fake:
        env = clean_env(DISCORD_TOKEN=TOKEN, DISCORD_API_BASE=fake.api_base)
        code, output = await finish(
            await spawn("sync", "--guild", str(GUILD_ID), env=env, cwd=tmp_path)
        )
        assert code == 0, output
        assert f"synced 9 commands to guild {GUILD_ID}" in output
        assert not fake.connections  # REST only, no gateway
        assert TOKEN not in output


def test_feedback_without_a_database_is_one_line(tmp_path: Path) -> None:
    out = run_cli("feedback", "--db", str(tmp_path / "none.sqlite3"), env=clean_env(), cwd=tmp_path)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
