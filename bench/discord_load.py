"""Load on the Discord bot through the fake Discord; prints a table. Run on demand:

    .venv/bin/python -m bench.discord_load [--questions 1000] [--users 50] [--memory 10000]

The fake Discord runs in its own process (`python -m tests.bot.discord.loadkit --serve`), the bot
runs here with its real settings, so the event-loop stall and the memory are the bot's alone.

1. "cooldown": `--users` users send `--questions` questions (mentions and /ask interleaved) as
   fast as the gateway delivers them, under the default cooldown (5 per 30 s): every question
   must get exactly one response, an answer or a cooldown notice.
2. "no cooldown": the cooldown is switched off and `--memory` more questions are sent in bursts
   of 1,000 (from 1,000 users); resident memory is compared before and after (caches bounded).
3. `--rates 20,100`: `--questions` more, arriving at each rate (Poisson, seeded): what a user
   waits at that load, where a burst measures the queue behind 1,000 questions sent at once.

Time to answer is measured by the fake, from sending the event to receiving the response.
The longest stall is how late a 5 ms heartbeat task on the bot's event loop woke up. CPU
seconds of each phase, the bot's and the fake Discord's, say what the machine had to do: on
n cores a phase cannot end sooner than their sum over n.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from pearlbot.bot.discord_bot.client import Pearlbot, create_bot, discord_endpoints, start
from pearlbot.bot.discord_bot.service import AnswerService
from pearlbot.bot.discord_bot.settings import DiscordSettings
from pearlbot.retrieval.knowledge import corpus_paths, open_knowledge_base
from tests.bot.discord.loadkit import LoopLag, rss_mb

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-not-a-secret"


async def wait_for(http: aiohttp.ClientSession, path: str, key: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with http.get(path) as response:
            data = await response.json()
        if data.get(key):
            return data
        await asyncio.sleep(0.05)
    raise TimeoutError(f"{path}: no {key} within {timeout} s")


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process so far (this one by default; Linux for others)."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuUse:
    """The CPU seconds the bot (this process) and the fake used between start and `row`."""

    def __init__(self, fake_pid: int) -> None:
        self.fake_pid = fake_pid
        self.bot, self.fake = cpu_seconds(), cpu_seconds(fake_pid)

    def row(self) -> dict[str, float]:
        bot, fake = cpu_seconds() - self.bot, cpu_seconds(self.fake_pid) - self.fake
        return {"cpu_bot_s": round(bot, 2), "cpu_fake_s": round(fake, 2)}


async def burst(
    http: aiohttp.ClientSession,
    count: int,
    users: int,
    first: int,
    timeout: float,
    texts: list[str] | None = None,
    rate: float = 0.0,
) -> dict[str, Any]:
    body: dict[str, Any] = {"count": count, "users": users, "first": first, "rate": rate}
    if texts:
        # Each burst asks questions no earlier burst asked (the service caches answers by
        # question): the next `count` of the list, wrapping only when it runs out.
        skip = _asked.get(id(texts), 0)
        _asked[id(texts)] = skip + count
        skip %= len(texts)
        body["texts"] = texts[skip:] + texts[:skip]
    async with http.post("/_fake/burst", json=body) as response:
        response.raise_for_status()
    data = await wait_for(http, "/_fake/results", "done", timeout)
    return data["summary"]


_asked: dict[int, int] = {}  # questions of each list sent so far


def view_store_size(bot: Pearlbot) -> int:
    store = getattr(bot._connection, "_view_store", None)
    return len(getattr(store, "_views", {})) if store is not None else -1


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    fake = subprocess.Popen(
        [sys.executable, "-m", "tests.bot.discord.loadkit", "--serve", "--token", TOKEN],
        stdout=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    rows: list[dict[str, Any]] = []
    try:
        assert fake.stdout is not None
        port = json.loads(fake.stdout.readline())["port"]
        base = f"http://127.0.0.1:{port}"
        settings = DiscordSettings(  # type: ignore[call-arg]
            _env_file=None, token=TOKEN, api_base=base + "/api/v10"
        )
        paths = args.corpus or corpus_paths()
        texts = distinct_questions(paths, args.distinct_count) if args.distinct else None
        service = AnswerService(
            open_knowledge_base(paths), paths, cache_size=0 if args.no_cache else 1024
        )
        bot = create_bot(settings, service, None, guild_ready_timeout=0.1)
        with discord_endpoints(settings):
            serving = asyncio.create_task(start(bot, freeze_heap=True))  # as `pearlbot run`
            async with aiohttp.ClientSession(base) as http:
                await wait_for(http, "/_fake/status", "connected", 30)
                gc.collect()
                rss_start = rss_mb()

                lag = LoopLag().start()
                started = time.perf_counter()
                cpu = CpuUse(fake.pid)
                summary = await burst(http, args.questions, args.users, 0, 300, texts)
                await lag.stop()
                rows.append(
                    {
                        "phase": f"cooldown {bot.cooldown.rate}/{bot.cooldown.per:g} s",
                        **summary,
                        **cpu.row(),
                        "wall_s": round(time.perf_counter() - started, 2),
                        "stall_max_ms": lag.max_ms,
                        "stall_p99_ms": lag.p99_ms,
                        "rss_mb": f"{rss_start} → {rss_mb()}",
                    }
                )

                bot.cooldown.per = 0  # no cooldown: every question is answered
                async with http.post("/_fake/reset"):
                    pass
                await burst(http, 1000, 1000, 100_000, 300, texts)  # warm-up
                async with http.post("/_fake/reset"):
                    pass
                gc.collect()
                rss_before = rss_mb()
                lag = LoopLag().start()
                started = time.perf_counter()
                cpu = CpuUse(fake.pid)
                totals = {"questions": 0, "answered": 0, "refused": 0, "missing": 0}
                totals.update(duplicated=0, deferred=0)
                p50s, p99s, maxes, acks = [], [], [], []
                curve: list[float] = []
                for n in range(max(1, args.memory // 1000)):
                    summary = await burst(http, 1000, 1000, 200_000 + n * 1000, 300, texts)
                    async with http.post("/_fake/reset"):
                        pass
                    for key in totals:
                        totals[key] += summary[key]
                    curve.append(rss_mb())
                    p50s.append(summary["p50_ms"])
                    p99s.append(summary["p99_ms"])
                    maxes.append(summary["max_ms"])
                    acks.append(summary["ack_max_ms"])
                await lag.stop()
                gc.collect()
                rows.append(
                    {
                        "phase": "no cooldown, bursts of 1,000",
                        **totals,
                        "p50_ms": sorted(p50s)[len(p50s) // 2],
                        "p99_ms": max(p99s),
                        "max_ms": max(maxes),
                        "ack_max_ms": max(acks),
                        **cpu.row(),
                        "wall_s": round(time.perf_counter() - started, 2),
                        "stall_max_ms": lag.max_ms,
                        "stall_p99_ms": lag.p99_ms,
                        "rss_mb": f"{rss_before} → {rss_mb()}",
                        "rss_mb every 1,000": " ".join(f"{x:g}" for x in curve),
                    }
                )
                for rate in args.rates:
                    # Questions as they arrive in use, not all at once: the latency a user sees
                    # at that load, next to the burst's queue above.
                    async with http.post("/_fake/reset"):
                        pass
                    lag = LoopLag().start()
                    started = time.perf_counter()
                    first = 300_000 + int(rate) * 10_000
                    summary = await burst(
                        http, args.questions, 1000, first, 300 + args.questions / rate, texts, rate
                    )
                    await lag.stop()
                    rows.append(
                        {
                            "phase": f"no cooldown, {args.questions:,} at {rate:g} a second",
                            "rate": rate,
                            **summary,
                            "wall_s": round(time.perf_counter() - started, 2),
                            "stall_max_ms": lag.max_ms,
                        }
                    )
                rows.append(
                    {
                        "phase": "bounded caches after",
                        "answers kept for buttons": len(bot.recent_answers),
                        "discord.py view store": view_store_size(bot),
                        "dedupe ids": len(bot.seen),
                        "cooldown users": len(bot.cooldown),
                        "answered (bot)": bot.stats.answered,
                        "refused (bot)": bot.stats.refused,
                        "lost (bot)": bot.stats.lost,
                        "duplicates ignored": bot.stats.duplicates,
                        "answer cache": f"{service.cached} kept, {service.hits} hits,"
                        f" {service.misses} scored",
                    }
                )
            await bot.close()
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await serving
    finally:
        fake.terminate()
        fake.wait(10)
    return rows


def distinct_questions(paths: list[str], count: int) -> list[str]:
    """`count` different questions drawn from the corpus's own sentences (the speed
    benchmark's queries, some phrased as questions): none is served from the answer cache."""
    from bench.corpus_gen import generate_queries
    from pearlbot.corpus import load_corpus

    files = sorted(f for p in paths for f in Path(p).rglob("*.txt"))[:400]
    sentences = [p.text for f in files for p in load_corpus([f]).passages]
    out: list[str] = []
    for n, query in enumerate(generate_queries(sentences, count * 2, seed=11)):
        out.append(f"How many {query}?" if n % 4 == 1 else f"What is {query}?" if n % 2 else query)
    return list(dict.fromkeys(out))[:count]


def print_table(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        print(f"\n{row['phase']}")
        for key, value in row.items():
            if key != "phase":
                print(f"  {key:<24} {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--memory", type=int, default=10_000, help="questions for the memory run")
    parser.add_argument("--corpus", action="append", default=[], help="articles (default: seeds)")
    parser.add_argument("--no-cache", action="store_true", help="score every question afresh")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="send distinct questions drawn from the corpus instead of the 24 repeated ones",
    )
    parser.add_argument(
        "--distinct-count", type=int, default=20_000, help="how many distinct questions"
    )
    parser.add_argument(
        "--rates",
        type=lambda text: [float(r) for r in text.split(",") if r],
        default=[],
        help="then send --questions more at each of these rates (a second, Poisson arrivals)",
    )
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    rows = asyncio.run(run(args))
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
