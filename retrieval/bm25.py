"""BM25 over passages, with rank-bm25 as the scorer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import rank_bm25
from pydantic import BaseModel, ConfigDict

Variant = Literal["okapi", "plus", "l"]


class BM25Settings(BaseModel):
    """Which BM25 and its parameters; chosen by measurement (README, "Choices")."""

    model_config = ConfigDict(frozen=True)

    variant: Variant = "plus"
    k1: float = 1.2
    b: float = 0.75
    delta: float = 1.0


def make_bm25(tokenized: Sequence[Sequence[str]], settings: BM25Settings) -> rank_bm25.BM25:
    corpus = [list(tokens) for tokens in tokenized]
    if settings.variant == "okapi":
        return rank_bm25.BM25Okapi(corpus, k1=settings.k1, b=settings.b)
    if settings.variant == "plus":
        return rank_bm25.BM25Plus(corpus, k1=settings.k1, b=settings.b, delta=settings.delta)
    return rank_bm25.BM25L(corpus, k1=settings.k1, b=settings.b, delta=settings.delta)


class BM25Index:
    """Scores analysed queries against analysed passages (row i = passage i)."""

    def __init__(self, tokenized: Sequence[Sequence[str]], settings: BM25Settings) -> None:
        self.settings = settings
        self.size = len(tokenized)
        self.postings: dict[str, list[int]] = {}
        for row, tokens in enumerate(tokenized):
            for term in set(tokens):
                self.postings.setdefault(term, []).append(row)
        # rank-bm25 divides by the corpus size: an empty corpus has nothing to score.
        self._bm25 = make_bm25(tokenized, settings) if self.size else None

    def scores(self, query: Sequence[str]) -> np.ndarray:
        if self._bm25 is None or not query:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(list(query)), dtype=float)

    def doc_freq(self, term: str) -> int:
        return len(self.postings.get(term, ()))

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k best (row, score) pairs among passages that contain a query term."""
        candidates = sorted({row for term in set(query) for row in self.postings.get(term, ())})
        if not candidates or k <= 0:
            return []
        scores = self.scores(query)[candidates]
        order = np.argsort(-scores, kind="stable")[:k]
        return [(candidates[i], float(scores[i])) for i in order]
