"""What the Discord front end needs besides Discord: answering, reload, cooldown, dedupe.

Nothing here imports discord.py, so all of it is unit-tested without a client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pearlbot.corpus import CorpusError
from pearlbot.retrieval import (
    Answer,
    KnowledgeBase,
    answer_question,
    corpus_paths,
    open_knowledge_base,
    store_generation,
    warm_up,
)

T = TypeVar("T")
log = logging.getLogger("pearlbot.discord")
# How often a bot process checks whether another process updated the knowledge store.
STORE_POLL_SECONDS = 5.0

# Above this many passages scoring can take more than a few milliseconds: run it in a thread.
THREAD_PASSAGES = 2000


def _open_warm(paths: list[str]) -> KnowledgeBase:
    """A reloaded corpus, with its scorer warmed up before it starts serving."""
    kb = open_knowledge_base(paths)
    warm_up(kb.index)
    return kb


class ReloadFailed(Exception):
    """The new corpus could not be used; the old one is still being served."""


@dataclass(frozen=True)
class ReloadResult:
    documents: int
    passages: int
    facts: int
    skipped: tuple[str, ...] = ()


class AnswerService:
    """Holds the knowledge base being served; swapping it on reload is one assignment.

    Scoring runs in `workers` worker tasks that yield after every answer, so a burst of
    questions cannot pack one event-loop iteration with scoring; on a corpus big enough
    for one answer to take more than a few milliseconds it runs in one scoring thread
    instead. One, not a pool: answering is Python and holds the GIL, so more threads add no
    speed, and each one more is one more the event loop waits behind for the GIL (with the
    default pool's six, a burst of 1,000 starved the loop and a third of the /ask
    interactions expired before they could be deferred; bench/discord_load.py). The last
    `cache_size` answers are kept: answering is a pure function of corpus and question.
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        paths: list[str] | None = None,
        *,
        thread_passages: int = THREAD_PASSAGES,
        cache_size: int = 1024,
        workers: int = 2,
    ) -> None:
        self._kb = kb
        self.paths = paths
        self.thread_passages = thread_passages
        self.cache_size = cache_size
        self.workers = workers
        self._cache: OrderedDict[tuple[str, int], Answer] = OrderedDict()
        self._jobs: asyncio.Queue[tuple[Callable[..., Any], tuple[Any, ...], asyncio.Future[Any]]]
        self._jobs = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._reload_lock = asyncio.Lock()
        self._background: set[asyncio.Task[None]] = set()
        self._scoring: ThreadPoolExecutor | None = None  # made when first needed
        self.hits = 0
        self.misses = 0

    @property
    def kb(self) -> KnowledgeBase:
        return self._kb

    @property
    def threaded(self) -> bool:
        return len(self._kb.passages) >= self.thread_passages

    @property
    def backlog(self) -> int:
        return self._jobs.qsize()

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """Run a pure lookup: by a worker task on small corpora, in a thread on big ones."""
        if self.threaded:
            if self._scoring is None:
                self._scoring = ThreadPoolExecutor(1, thread_name_prefix="pearlbot-scoring")
            return await asyncio.get_running_loop().run_in_executor(self._scoring, func, *args)
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._work(), name=f"pearlbot-scoring-{n}")
                for n in range(self.workers)
            ]
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put_nowait((func, args, future))
        return await future

    async def _work(self) -> None:
        while True:
            func, args, future = await self._jobs.get()
            if future.done():  # the asker went away (cancelled)
                continue
            try:
                future.set_result(func(*args))
            except Exception as exc:
                future.set_exception(exc)
            await asyncio.sleep(0)  # one answer per worker per loop iteration

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._scoring is not None:  # questions still queued are cancelled
            self._scoring.shutdown(wait=False, cancel_futures=True)
            self._scoring = None

    async def answer(self, question: str, k: int) -> Answer:
        """The answer, from the cache or scored; paced through the workers either way."""
        if not self.threaded:
            return await self.run(self._answer_now, question, k)
        key = (" ".join(question.split()), k)
        hit = self._lookup(key, question)
        if hit is not None:
            return hit
        kb = self._kb
        answer = await self.run(answer_question, kb, question, k)
        self._store(key, kb, answer)
        return answer

    async def pace(self) -> None:
        """Wait for a turn: under a burst, each loop iteration sends only a few replies."""
        if not self.threaded:
            await self.run(_nothing)

    def _answer_now(self, question: str, k: int) -> Answer:
        key = (" ".join(question.split()), k)
        hit = self._lookup(key, question)
        if hit is not None:
            return hit
        kb = self._kb
        answer = answer_question(kb, question, k)
        self._store(key, kb, answer)
        return answer

    def _lookup(self, key: tuple[str, int], question: str) -> Answer | None:
        cached = self._cache.get(key)
        if cached is None:
            return None
        self.hits += 1
        self._cache.move_to_end(key)
        return (
            cached
            if cached.question == question
            else cached.model_copy(update={"question": question})
        )

    def _store(self, key: tuple[str, int], kb: KnowledgeBase, answer: Answer) -> None:
        self.misses += 1
        if self.cache_size > 0 and kb is self._kb:  # not if a reload swapped the corpus meanwhile
            self._cache[key] = answer
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    @property
    def cached(self) -> int:
        return len(self._cache)

    async def reload(self) -> ReloadResult:
        """Re-read the corpus from the same paths; on failure keep serving the old one."""
        async with self._reload_lock:
            paths = self.paths or corpus_paths()
            try:
                kb = await asyncio.to_thread(_open_warm, paths)
            except CorpusError as exc:
                raise ReloadFailed(str(exc)) from None
            except Exception as exc:  # any loader bug must not take the bot down
                raise ReloadFailed(f"{type(exc).__name__}: {exc}") from exc
            if not kb.corpus.documents:
                problems = "; ".join(str(p) for p in kb.corpus.problems[:3])
                raise ReloadFailed(
                    f"no readable articles in {os.pathsep.join(map(str, paths))}"
                    + (f" ({problems})" if problems else "")
                )
            self._kb = kb
            self._cache.clear()
            return ReloadResult(
                documents=len(kb.corpus.documents),
                passages=len(kb.passages),
                facts=len(kb.facts),
                skipped=tuple(str(p) for p in kb.corpus.problems),
            )

    def reload_soon(self) -> None:
        """Reload in the background (the SIGHUP handler); the outcome is logged."""
        task = asyncio.get_running_loop().create_task(self._logged_reload("SIGHUP"))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _logged_reload(self, why: str) -> None:
        try:
            result = await self.reload()
        except ReloadFailed as exc:
            log.warning("%s: reload failed, still serving the previous corpus: %s", why, exc)
            return
        log.info("%s: serving %s documents, %s passages", why, result.documents, result.passages)

    async def follow_store(self, every: float = STORE_POLL_SECONDS) -> None:
        """Reload whenever another process updated the knowledge store (its /reload or SIGHUP),
        so every shard process serves the same corpus. Reading the store's update counter is
        one small SQLite query."""
        while True:
            await asyncio.sleep(every)
            current = self._kb.store_generation
            if current is None or self._reload_lock.locked():
                continue
            with contextlib.suppress(Exception):  # an unreadable store: keep serving
                paths = self.paths or corpus_paths()
                latest = await asyncio.to_thread(store_generation, paths)
                if latest is not None and latest != current:
                    await self._logged_reload("knowledge store updated by another process")


def _nothing() -> None:
    return None


class Cooldown:
    """Per-user sliding window: `rate` questions per `per` seconds. Memory is bounded."""

    def __init__(
        self,
        rate: int,
        per: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
    ) -> None:
        self.rate = rate
        self.per = per
        self.clock = clock
        self.max_users = max_users
        self._hits: OrderedDict[int, deque[float]] = OrderedDict()

    def retry_after(self, user_id: int) -> float:
        """0.0 and the question is counted, or the seconds until the user may ask again."""
        if self.per <= 0:
            return 0.0
        now = self.clock()
        hits = self._hits.get(user_id)
        if hits is None:
            hits = self._hits[user_id] = deque(maxlen=self.rate)
            self._evict()
        self._hits.move_to_end(user_id)
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) >= self.rate:
            return max(self.per - (now - hits[0]), 0.001)
        hits.append(now)
        return 0.0

    def _evict(self) -> None:
        # Users are kept in least-recently-asked order, so the first ones are the idlest.
        while len(self._hits) > self.max_users:
            self._hits.popitem(last=False)

    def __len__(self) -> int:
        return len(self._hits)


class RecentIds:
    """Remembers the last `limit` ids, so an event replayed after a resume is handled once."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._ids: OrderedDict[Hashable, None] = OrderedDict()

    def first_time(self, key: Hashable) -> bool:
        if key in self._ids:
            return False
        self._ids[key] = None
        if len(self._ids) > self.limit:
            self._ids.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._ids)


@dataclass
class Stats:
    """Counters a test or the load benchmark can read."""

    answered: int = 0
    refused: int = 0
    duplicates: int = 0
    errors: int = 0
    lost: int = 0
    feedback: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


_MENTION = r"<@!?{id}>"


def question_from_message(
    content: str,
    *,
    bot_id: int,
    is_dm: bool,
    mentioned: bool,
    role_ids: tuple[int, ...] = (),
) -> str | None:
    """The question in a message, or None when the message is not for the bot.

    A DM is always for the bot; in a channel only a message that mentions it (or its role).
    Mentions of the bot are removed; other text, including other mentions, is kept as asked.
    """
    if not is_dm and not mentioned:
        return None
    text = re.sub(_MENTION.format(id=bot_id), " ", content)
    for role_id in role_ids:
        text = text.replace(f"<@&{role_id}>", " ")
    return " ".join(text.split())
