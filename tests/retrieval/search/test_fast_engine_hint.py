"""Without numba (the extra `pearlbot[fast]`) the numpy engine serves every size, and says once
how to get the faster engine when the corpus is large."""

from __future__ import annotations

import logging
import sys

import pytest

from pearlbot.retrieval.search import bm25
from pearlbot.retrieval.search.analyzer import analyze
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings, engine_for
from pearlbot.retrieval.search.params import NUMBA_MIN_PASSAGES


@pytest.fixture
def without_numba(monkeypatch):
    """numba cannot be imported (None in sys.modules makes `import numba` raise ImportError)."""
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setattr(bm25, "_fast_engine_hint_given", False)
    monkeypatch.delenv(bm25.ENGINE_ENV, raising=False)


def test_numpy_serves_large_corpora_and_the_hint_comes_once(without_numba, caplog):
    """A large corpus gets the numpy engine; the hint names the extra, once per process."""
    caplog.set_level(logging.WARNING)
    assert not bm25.numba_available()
    assert engine_for(NUMBA_MIN_PASSAGES) == "numpy"
    assert engine_for(1_000_000) == "numpy"
    hints = [r.getMessage() for r in caplog.records]
    assert hints == [bm25.FAST_ENGINE_HINT.format(passages=NUMBA_MIN_PASSAGES)]
    assert "pip install 'pearlbot[fast]'" in hints[0]


def test_no_hint_below_the_numba_size(without_numba, caplog):
    """Corpora the numpy engine would serve anyway get no hint."""
    caplog.set_level(logging.WARNING)
    assert engine_for(NUMBA_MIN_PASSAGES - 1) == "numpy"
    assert not caplog.records


def test_a_numba_index_without_numba_ranks_with_numpy(without_numba):
    """Asking for the numba engine without numba falls back to numpy, with the same ranking."""
    tokenized = [analyze(t) for t in ("the pearl of lake taihu", "a lake", "pearl pearl")]
    index = BM25Index(tokenized, BM25Settings(), engine="numba")
    assert index._impl.backend == "numpy"
    reference = BM25Index(tokenized, BM25Settings(), engine="rank-bm25")
    assert index.top(analyze("pearl lake"), 3) == reference.top(analyze("pearl lake"), 3)
