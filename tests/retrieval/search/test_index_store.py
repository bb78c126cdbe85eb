"""The persisted index: reused when valid, rebuilt when stale or damaged, optional when the
cache directory cannot be written."""

from __future__ import annotations

import json
import logging
import os

import numpy as np
import pytest

from bench.corpus_gen import generate_passages
from pearlbot.retrieval.search import index_store as cache
from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings
from pearlbot.retrieval.search.engine import Postings
from pearlbot.retrieval.search.index_store import (
    cached_postings,
    corpus_key,
    entry_path,
    open_index,
)

ANALYZER = AnalyzerSettings()
TEXTS = list(generate_passages(2_500, seed=11))


def same(a: Postings, b: Postings) -> bool:
    arrays = ("term_ptr", "docs", "tfs", "doc_len")
    return a.terms == b.terms and all(np.array_equal(getattr(a, n), getattr(b, n)) for n in arrays)


@pytest.fixture
def fresh() -> Postings:
    return cache.postings_from_texts(TEXTS, ANALYZER)


@pytest.fixture
def no_analysis(monkeypatch):
    """Fail if anything analyses passages: the postings must come from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("analysed again instead of loading the cache")

    def forbid() -> None:
        monkeypatch.setattr(cache, "postings_from_texts", refuse)

    return forbid


def test_second_open_loads_the_stored_index(tmp_path, fresh, no_analysis):
    first = cached_postings(TEXTS, ANALYZER, tmp_path)
    assert same(first, fresh)
    assert entry_path(tmp_path, corpus_key(TEXTS, ANALYZER)).exists()
    no_analysis()
    assert same(cached_postings(TEXTS, ANALYZER, tmp_path), fresh)


def test_loaded_index_ranks_like_a_freshly_built_one(tmp_path):
    bm25 = BM25Settings(variant="okapi")
    built = open_index(TEXTS, ANALYZER, bm25, directory=tmp_path)
    loaded = open_index(TEXTS, ANALYZER, bm25, directory=tmp_path)
    reference = BM25Index([analyze(t) for t in TEXTS], bm25, engine="rank-bm25")
    assert built.engine == loaded.engine == "numpy"
    for text in TEXTS[:20]:
        query = analyze(text)[:5]
        assert loaded.top(query, 10) == built.top(query, 10) == reference.top(query, 10)


def test_key_follows_passages_and_analyzer_not_bm25_parameters():
    key = corpus_key(TEXTS, ANALYZER)
    assert corpus_key(list(TEXTS), AnalyzerSettings()) == key
    assert corpus_key([*TEXTS[:-1], TEXTS[-1] + "!"], ANALYZER) != key
    assert corpus_key(TEXTS, AnalyzerSettings(stem=False)) != key
    # The same characters cut into passages differently are a different corpus.
    assert corpus_key(["ab", "c"], ANALYZER) != corpus_key(["a", "bc"], ANALYZER)


def test_small_corpora_skip_the_cache(tmp_path):
    cached_postings(TEXTS[:100], ANALYZER, tmp_path)
    assert list(tmp_path.iterdir()) == []


def damage_flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def damage_truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def damage_garbage(path):
    path.write_bytes(b"not a zip file at all")


def damage_stale_key(path):
    """A valid file whose key is someone else's: stored under this name by mistake."""
    postings = cache.load(path, path.stem.removeprefix("postings-"), len(TEXTS))
    cache.save(path, postings, "0" * 40)


def damage_out_of_order(path):
    """Intact bytes, broken meaning: postings no longer ascend within a term."""
    key = path.stem.removeprefix("postings-")
    p = cache.load(path, key, len(TEXTS))
    docs = p.docs.copy()
    docs[0], docs[1] = docs[1], docs[0]
    broken = Postings(terms=p.terms, term_ptr=p.term_ptr, docs=docs, tfs=p.tfs, doc_len=p.doc_len)
    cache.save(path, broken, key)


def damage_wrong_meta(path):
    key = path.stem.removeprefix("postings-")
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["meta"] = np.frombuffer(json.dumps({"format": 1, "key": key}).encode(), np.uint8)
    np.savez(path, **arrays)


@pytest.mark.parametrize(
    "damage",
    [
        damage_flip_a_byte,
        damage_truncate,
        damage_garbage,
        damage_stale_key,
        damage_out_of_order,
        damage_wrong_meta,
    ],
)
def test_damaged_or_stale_entries_are_rebuilt_never_trusted(tmp_path, fresh, damage, caplog):
    cached_postings(TEXTS, ANALYZER, tmp_path)
    path = entry_path(tmp_path, corpus_key(TEXTS, ANALYZER))
    damage(path)
    with caplog.at_level(logging.WARNING, logger="pearlbot.retrieval.search.index_store"):
        assert same(cached_postings(TEXTS, ANALYZER, tmp_path), fresh)
    assert "rebuilding" in caplog.text
    # The rebuilt entry replaced the bad one and is good.
    assert same(cache.load(path, corpus_key(TEXTS, ANALYZER), len(TEXTS)), fresh)


def test_unwritable_cache_directory_costs_only_a_rebuild(tmp_path, fresh, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.WARNING, logger="pearlbot.retrieval.search.index_store"):
        assert same(cached_postings(TEXTS, ANALYZER, blocker / "index"), fresh)
    assert "not stored" in caplog.text


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only directories")
def test_read_only_cache_directory_costs_only_a_rebuild(tmp_path, fresh):
    tmp_path.chmod(0o555)
    try:
        assert same(cached_postings(TEXTS, ANALYZER, tmp_path), fresh)
    finally:
        tmp_path.chmod(0o755)


def test_failed_write_leaves_no_partial_entry(tmp_path, fresh, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", full_disk)
    assert same(cached_postings(TEXTS, ANALYZER, tmp_path), fresh)
    assert list(tmp_path.iterdir()) == []


def test_cache_can_be_turned_off_and_moved(tmp_path, monkeypatch):
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    cached_postings(TEXTS, ANALYZER)
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", str(tmp_path))
    assert cache.cache_dir() == tmp_path
    cached_postings(TEXTS, ANALYZER)
    assert len(list(tmp_path.glob("postings-*.npz"))) == 1


def test_only_the_most_recent_entries_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_ENTRIES", 2)
    for n in range(4):
        texts = [f"{t} {n}" for t in TEXTS[:2_000]]
        cached_postings(texts, ANALYZER, tmp_path)
        path = entry_path(tmp_path, corpus_key(texts, ANALYZER))
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    kept = sorted(tmp_path.glob("postings-*.npz"))
    assert len(kept) == 2
