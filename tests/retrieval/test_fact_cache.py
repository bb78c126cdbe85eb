"""The fact cache: reused when nothing changed, rebuilt when anything did, never trusted blindly."""

from __future__ import annotations

import pytest

from pearlbot.corpus import load_corpus
from pearlbot.retrieval import fact_cache
from tests.conftest import EVAL_ARTICLES, SEED_FILE


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(fact_cache, "CACHE_MIN_PASSAGES", 0)
    return tmp_path


def test_second_start_reads_the_same_facts_and_words(cache):
    corpus = load_corpus([SEED_FILE, EVAL_ARTICLES])
    first = fact_cache.cached_facts(corpus)
    (entry,) = cache.glob("facts-*.json")
    second = fact_cache.cached_facts(corpus)
    assert second == first and first[0] and "respectively" in first[1]
    assert list(cache.glob("facts-*.json")) == [entry]


def test_a_changed_article_gets_a_new_entry(cache, tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    article = folder / "a.txt"
    article.write_text("T\nRelease time:2020-01-02\n\nLake District has paired with Pine County.\n")
    fact_cache.cached_facts(load_corpus(folder))
    article.write_text("T\nRelease time:2020-01-02\n\nLake District has paired with Oak County.\n")
    facts, _ = fact_cache.cached_facts(load_corpus(folder))
    assert any(getattr(f, "assisted", None) == "Oak County" for f in facts)
    assert len(list(cache.glob("facts-*.json"))) == 2


def test_a_damaged_entry_is_rebuilt_not_trusted(cache, caplog):
    corpus = load_corpus(SEED_FILE)
    good = fact_cache.cached_facts(corpus)
    (entry,) = cache.glob("facts-*.json")
    entry.write_text('{"facts": [{"kind": "pairing", "nonsense": 1}], "surface": []}')
    assert fact_cache.cached_facts(corpus) == good
    assert "unusable" in caplog.text
    entry.write_bytes(b"\x00not json")
    assert fact_cache.cached_facts(corpus) == good


def test_unwritable_cache_only_costs_a_rebuild(cache, monkeypatch):
    blocker = cache / "a-file"
    blocker.write_text("")
    # A directory inside a regular file can't be created, not even by root.
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", str(blocker / "cache"))
    facts, _ = fact_cache.cached_facts(load_corpus(SEED_FILE))
    assert facts


def test_cache_off_extracts_directly(monkeypatch, tmp_path):
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")
    monkeypatch.setattr(fact_cache, "CACHE_MIN_PASSAGES", 0)
    assert fact_cache.cached_facts(load_corpus(SEED_FILE))[0]
    assert not list(tmp_path.glob("facts-*"))
