"""Load through the fake Discord: bursts of questions, a summary, event-loop lag, memory.

Used by tests/discord/test_load.py (in-process, small) and bench/discord_load.py, which runs
the fake in its own process (`python -m tests.bot.discord.loadkit --serve`) so that the bot's
event loop and memory are measured alone.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from tests.bot.discord.fake import FakeDiscord

QUESTION = "which Wuxi district pairs with Minhe County?"
# A mix like real traffic: pairings both ways, figures, people, dates, and some the source
# does not answer; the same questions come back, as they do in a busy server.
QUESTIONS = (
    QUESTION,
    "which district pairs with Xunhua County?",
    "What is Liangxi District paired with?",
    "Which Haidong county is paired with Huishan District?",
    "who is paired with Ledu District?",
    "Binhu District pairs with which place?",
    "which county did Xishan District pair with?",
    "What does Huzhu County pair with?",
    "How many assistance projects has Wuxi implemented?",
    "How much assistance funding has Wuxi invested?",
    "How many enterprises landed in Haidong?",
    "How many personnel were sent to Haidong?",
    "Who led the Wuxi delegation?",
    "Who is the Mayor of Haidong?",
    "Who is Wang Jinjian?",
    "When did the pair relationship start?",
    "When did the delegation visit Qinghai?",
    "What is Wuxi called?",
    "What is the population of Haidong?",
    "Does Wuxi have a subway?",
    "which Wuxi district pairs with Minhe?",
    "Minhe County partner district",
    "what is Pingan District paired with",
    "how many employment intentions were reached?",
)
REFUSAL_MARK = "Try again in"


async def burst(
    fake: FakeDiscord,
    count: int,
    users: int,
    *,
    first_user: int = 0,
    texts: tuple[str, ...] = QUESTIONS,
    rate: float = 0.0,
) -> list[dict[str, Any]]:
    """`count` questions from `users` users, mentions and /ask interleaved: back to back, or
    with `rate` > 0 arriving at that many a second on average (Poisson arrivals, seeded)."""
    events = []
    arrivals = random.Random(7)
    start = time.perf_counter()
    due = 0.0
    for n in range(count):
        if rate > 0:
            due += arrivals.expovariate(rate)
            await asyncio.sleep(max(0.0, start + due - time.perf_counter()))
        author = fake.user(first_user + n % users)
        text = texts[n % len(texts)]
        if n % 2:
            events.append(await fake.mention(text, author=author))
        else:
            events.append(await fake.slash("ask", {"question": text}, author=author))
    return events


def _responses(fake: FakeDiscord, event: dict[str, Any]) -> list[dict[str, Any]]:
    if event.get("type") == 2:
        return fake.responses(event)
    return fake.replies_to(event)


@dataclass(frozen=True)
class LoadSummary:
    questions: int
    answered: int  # an answer embed
    refused: int  # a cooldown notice
    missing: int  # nothing at all
    duplicated: int  # more than one answer attempt reached Discord
    p50_ms: float  # time to the answer or notice itself
    p99_ms: float
    max_ms: float
    ack_max_ms: float  # /ask: time to the first response (answer or deferral); Discord wants < 3 s
    deferred: int  # /ask answered after a deferral
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


def summarize(fake: FakeDiscord, events: list[dict[str, Any]]) -> LoadSummary:
    answered = refused = missing = duplicated = deferred = 0
    latencies: list[float] = []
    acks: list[float] = []
    for event in events:
        question_id = int(event["id"])
        responses = _responses(fake, event)
        if fake.attempts[question_id] > 1 or len(responses) > 1:
            duplicated += 1
        if not responses:
            missing += 1
            continue
        if any(r.get("embeds") for r in responses):
            answered += 1
        elif any(REFUSAL_MARK in (r.get("content") or "") for r in responses):
            refused += 1
        if question_id in fake.final_at:
            latencies.append((fake.final_at[question_id] - event["_sent_at"]) * 1000)
        if event.get("type") == 2 and question_id in fake.answered_at:
            acks.append((fake.answered_at[question_id] - event["_sent_at"]) * 1000)
            if [c["type"] for c in fake.interaction(event).callbacks] == [5]:
                deferred += 1
    latencies.sort()
    acks.sort()
    started = min((e["_sent_at"] for e in events), default=0.0)
    finished = max((fake.final_at.get(int(e["id"]), started) for e in events), default=0.0)
    return LoadSummary(
        questions=len(events),
        answered=answered,
        refused=refused,
        missing=missing,
        duplicated=duplicated,
        p50_ms=_percentile(latencies, 0.5),
        p99_ms=_percentile(latencies, 0.99),
        max_ms=_percentile(latencies, 1.0),
        ack_max_ms=_percentile(acks, 1.0),
        deferred=deferred,
        seconds=round(finished - started, 3),
    )


def settled(fake: FakeDiscord, events: list[dict[str, Any]]) -> bool:
    """Every question has its final response: a deferral's "thinking…" message is not one (a
    phase that ended on it lost the follow-ups still coming to the next phase's reset)."""
    return all(fake.answered(e) for e in events)


class LoopLag:
    """A heartbeat task: how late the event loop wakes it up is how long the loop stalled."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._beat())
        return self

    async def _beat(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(self.interval)
            self.samples.append(max(0.0, loop.time() - before - self.interval))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def max_ms(self) -> float:
        return round(max(self.samples, default=0.0) * 1000, 1)

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.samples)
        if not ordered:
            return 0.0
        return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1)


def rss_mb() -> float:
    """Resident memory of this process (Linux), in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / 1e6, 1)
    except OSError:
        import resource

        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1)


# -- the fake in its own process, driven over HTTP ---------------------------------------------


def control_routes(fake: FakeDiscord) -> list[tuple[str, str, Any]]:
    """`/_fake/...` endpoints so another process can start bursts and read the results."""
    state: dict[str, Any] = {"events": [], "task": None}

    async def status(request: web.Request) -> web.Response:
        connected = any(s.conn is not None for s in fake.sessions.values())
        return web.json_response({"connected": connected, "identifies": len(fake.identifies)})

    async def start_burst(request: web.Request) -> web.Response:
        body = await request.json()
        events: list[dict[str, Any]] = []
        state["events"] = events

        async def run() -> None:
            texts = tuple(body.get("texts") or QUESTIONS)  # distinct questions, if sent
            events.extend(
                await burst(
                    fake,
                    body["count"],
                    body["users"],
                    first_user=body.get("first", 0),
                    texts=texts,
                    rate=float(body.get("rate", 0.0)),
                )
            )

        state["task"] = asyncio.create_task(run())
        return web.json_response({"started": True})

    async def results(request: web.Request) -> web.Response:
        task = state["task"]
        done = task is not None and task.done() and settled(fake, state["events"])
        summary = summarize(fake, state["events"]).as_dict() if done else None
        return web.json_response({"done": done, "summary": summary})

    async def reset(request: web.Request) -> web.Response:
        # Forget answered traffic so the fake's own memory stays flat over long runs.
        fake.messages.clear()
        fake.bot_messages.clear()
        fake.interactions.clear()
        fake.by_token.clear()
        fake.requests.clear()
        fake.answered_at.clear()
        fake.final_at.clear()
        fake.attempts.clear()
        fake.nonces.clear()
        for session in fake.sessions.values():
            session.frames.clear()
            session.dispatched_at.clear()
        state["events"] = []
        return web.json_response({"reset": True})

    return [
        ("GET", "/_fake/status", status),
        ("POST", "/_fake/burst", start_burst),
        ("GET", "/_fake/results", results),
        ("POST", "/_fake/reset", reset),
    ]


async def serve(token: str) -> None:
    fake = FakeDiscord(token=token)
    fake.extra_routes = control_routes(fake)
    await fake.start()
    print(json.dumps({"port": fake.port}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the fake Discord with a control API.")
    parser.add_argument("--serve", action="store_true", required=True)
    parser.add_argument("--token", default="fake-token-0123456789")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
