"""Every bot process follows the knowledge store: /reload or SIGHUP in one process updates the
store, and the others reload from it within seconds."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

import pearlbot.retrieval.knowledge as knowledge
from pearlbot.bot.discord_bot.service import AnswerService
from pearlbot.retrieval import open_knowledge_base
from pearlbot.retrieval.store import store_for
from pearlbot.seeds import seeds_path
from tests.conftest import EVAL_ARTICLES

NEW_ARTICLE = """Qorvantu County opens a water plant
Release time:2021-03-04 Browse:

Qorvantu County opened a water plant on March 2, 2021. The plant cost 77 million yuan.
"""


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PEARLBOT_STORE_DIR", str(tmp_path / "stores"))
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")
    monkeypatch.setattr(knowledge, "STORE_MIN_FILES", 1)
    folder = tmp_path / "articles"
    folder.mkdir()
    for source in [*seeds_path().glob("*.txt"), *EVAL_ARTICLES.glob("*.txt")]:
        shutil.copy(source, folder / source.name)
    return folder


async def test_a_process_follows_an_update_made_by_another(corpus: Path) -> None:
    """Another process's update (here: the store updated directly) reaches this one."""
    paths = [str(corpus)]
    service = AnswerService(open_knowledge_base(paths), paths)
    assert service.kb.store_generation == 1
    (corpus / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    store = store_for(paths, 1)
    assert store is not None
    store.sync()  # what /reload or SIGHUP does in the other process
    follower = asyncio.create_task(service.follow_store(every=0.01))
    try:
        for _ in range(500):
            if service.kb.store_generation == 2:
                break
            await asyncio.sleep(0.01)
    finally:
        follower.cancel()
    assert service.kb.store_generation == 2
    assert service.kb.corpus.document("qorvantu") is not None


async def test_sighup_reloads_from_the_store(corpus: Path) -> None:
    """The SIGHUP handler updates the store and serves the new corpus; a failure keeps the old."""
    paths = [str(corpus)]
    service = AnswerService(open_knowledge_base(paths), paths)
    (corpus / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    service.reload_soon()
    for _ in range(500):
        if service.kb.corpus.document("qorvantu") is not None:
            break
        await asyncio.sleep(0.01)
    assert service.kb.corpus.document("qorvantu") is not None
    assert service.kb.store_generation == 2
