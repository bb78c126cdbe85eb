"""BM25 over passages: rank-bm25 (the reference) for small corpora, the exact sparse engine
(`retrieval.search.engine`) for large ones; both rank identically
(tests/retrieval/search/test_engine.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import get_args

import numpy as np
import rank_bm25

from pearlbot.retrieval.search.engine import Postings, SparseBM25
from pearlbot.retrieval.search.params import (
    NUMBA_MIN_PASSAGES,
    NUMPY_MIN_PASSAGES,
    Backend,
    BM25Settings,
    Engine,
    Variant,
)
from pearlbot.settings import current_settings

__all__ = ["BM25Index", "BM25Settings", "Engine", "Variant", "engine_for", "warm_up"]

ENGINE_ENV = "PEARLBOT_BM25_ENGINE"  # force an engine (benchmarks, debugging)
FAST_ENGINE_HINT = (
    "{passages:,} passages: the numba engine would search them faster;"
    " install it with: pip install 'pearlbot[fast]'"
)
_log = logging.getLogger(__name__)
_fast_engine_hint_given = False


def make_bm25(tokenized: Sequence[Sequence[str]], settings: BM25Settings) -> rank_bm25.BM25:
    corpus = [list(tokens) for tokens in tokenized]
    if settings.variant == "okapi":
        return rank_bm25.BM25Okapi(corpus, k1=settings.k1, b=settings.b)
    if settings.variant == "plus":
        return rank_bm25.BM25Plus(corpus, k1=settings.k1, b=settings.b, delta=settings.delta)
    return rank_bm25.BM25L(corpus, k1=settings.k1, b=settings.b, delta=settings.delta)


def numba_available() -> bool:
    """Whether numba (the extra `pearlbot[fast]`) can be imported."""
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def engine_for(n_passages: int) -> Engine:
    """The engine for a corpus of this size ($PEARLBOT_BM25_ENGINE overrides)."""
    forced = current_settings().bm25_engine or ""
    if forced in get_args(Engine):
        return forced  # type: ignore[return-value]
    if n_passages < NUMPY_MIN_PASSAGES:
        return "rank-bm25"
    if n_passages < NUMBA_MIN_PASSAGES:
        return "numpy"
    if not numba_available():
        # Without the extra the numpy engine serves every size; say once how to go faster.
        _hint_fast_engine(n_passages)
        return "numpy"
    return "numba"


def _hint_fast_engine(n_passages: int) -> None:
    global _fast_engine_hint_given
    if not _fast_engine_hint_given:
        _fast_engine_hint_given = True
        _log.warning(FAST_ENGINE_HINT.format(passages=n_passages))


class ReferenceBM25:
    """rank-bm25 itself, plus the postings it lacks to find the passages holding a term."""

    def __init__(self, tokenized: Sequence[Sequence[str]], settings: BM25Settings) -> None:
        self.size = len(tokenized)
        self.postings: dict[str, list[int]] = {}
        for row, tokens in enumerate(tokenized):
            for term in dict.fromkeys(tokens):
                self.postings.setdefault(term, []).append(row)
        # rank-bm25 divides by the corpus size and (Okapi) by the vocabulary size: a corpus
        # without a single term has nothing to score.
        self._bm25 = make_bm25(tokenized, settings) if self.postings else None

    def scores(self, query: Sequence[str]) -> np.ndarray:
        if self._bm25 is None or not query:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(list(query)), dtype=float)

    def score_rows(self, query: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        return self.scores(query)[np.asarray(rows, dtype=np.int64)]

    def doc_freq(self, term: str) -> int:
        return len(self.postings.get(term, ()))

    def rows_with(self, term: str) -> np.ndarray:
        return np.asarray(self.postings.get(term, ()), dtype=np.int64)

    def holding(self, term: str, rows: np.ndarray) -> np.ndarray:
        held = set(self.postings.get(term, ()))
        return np.fromiter((row in held for row in rows.tolist()), dtype=bool, count=len(rows))

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        candidates = sorted({row for term in set(query) for row in self.postings.get(term, ())})
        if not candidates or k <= 0:
            return []
        scores = self.scores(query)[candidates]
        order = np.argsort(-scores, kind="stable")[:k]
        return [(candidates[i], float(scores[i])) for i in order]


def _bags(postings: Postings) -> list[list[str]]:
    """Each passage's terms in term-id order: rank-bm25 then meets terms in the original
    first-appearance order, so even its Okapi idf floor comes out identical."""
    rows: list[list[str]] = [[] for _ in range(postings.size)]
    for t, term in enumerate(postings.terms):
        lo, hi = postings.term_ptr[t], postings.term_ptr[t + 1]
        for doc, tf in zip(
            postings.docs[lo:hi].tolist(), postings.tfs[lo:hi].tolist(), strict=True
        ):
            rows[doc].extend([term] * tf)
    return rows


class BM25Index:
    """Scores analysed queries against analysed passages (row i = passage i).

    `engine` is picked by corpus size (`engine_for`) unless given."""

    def __init__(
        self,
        tokenized: Sequence[Sequence[str]],
        settings: BM25Settings,
        engine: Engine | None = None,
    ) -> None:
        self.settings = settings
        self.engine: Engine = engine or engine_for(len(tokenized))
        if self.engine == "rank-bm25":
            self._impl: ReferenceBM25 | SparseBM25 = ReferenceBM25(tokenized, settings)
        else:
            postings = Postings.from_tokenized(tokenized)
            self._impl = SparseBM25(postings, settings, _backend(self.engine))
        self.size = self._impl.size

    @classmethod
    def from_postings(
        cls, postings: Postings, settings: BM25Settings, engine: Engine | None = None
    ) -> BM25Index:
        """An index over already analysed passages (for example from the cache)."""
        engine = engine or engine_for(postings.size)
        if engine == "rank-bm25":
            return cls(_bags(postings), settings, engine)
        index = cls.__new__(cls)
        index.settings, index.engine = settings, engine
        index._impl = SparseBM25(postings, settings, _backend(engine))
        index.size = postings.size
        return index

    @property
    def postings(self) -> Mapping[str, object]:
        """Term -> the engine's postings for it; iterate it for the index's vocabulary."""
        impl = self._impl
        return impl.postings if isinstance(impl, ReferenceBM25) else impl.vocab

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Every passage's score, as rank-bm25's get_scores gives it (BM25+ and BM25L give
        passages without a query term a score too)."""
        return self._impl.scores(query)

    def score_rows(self, query: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        """`scores(query)[rows]`, without scoring the whole corpus on the sparse engines."""
        return self._impl.score_rows(query, rows)

    def doc_freq(self, term: str) -> int:
        return self._impl.doc_freq(term)

    def rows_with(self, term: str) -> np.ndarray:
        """The rows whose passage holds `term`, ascending."""
        return self._impl.rows_with(term)

    def holding(self, term: str, rows: np.ndarray) -> np.ndarray:
        """Which of `rows` (ascending int64) hold `term`: one look-up in its postings for all."""
        return self._impl.holding(term, rows)

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k best (row, score) pairs among passages that contain a query term,
        best first, ties by row."""
        return self._impl.top(query, k)


def _backend(engine: Engine) -> Backend:
    """How the sparse engine runs: numba when asked for and installed, else numpy."""
    return "numba" if engine == "numba" and numba_available() else "numpy"


def warm_up(index: BM25Index | None = None) -> float:
    """Load (or, on a new install, compile) the numba kernels and run one query on `index`,
    so that no user's question pays for it. Call once at start-up, after loading the corpus;
    returns the seconds spent. Does nothing for an index that does not use numba."""
    start = time.perf_counter()
    if index is not None and index.engine != "numba":
        return 0.0
    if not numba_available():
        return 0.0
    tiny = BM25Index([["warm", "up"], ["up"]], BM25Settings(), engine="numba")
    tiny.top(["warm"], 1)
    if index is not None and isinstance(index._impl, SparseBM25):
        # Touch the index's pages: the first query would otherwise fault them in from disk.
        common = index._impl.postings.terms[int(np.argmax(index._impl.df))]
        index.top([common], 10)
    return time.perf_counter() - start
