"""Exact rank-bm25 rankings from an inverted index, for corpora too large for rank-bm25.

rank-bm25 scores every passage for every query word in Python, so its cost grows with the
corpus. Here a query touches only the postings of its own terms:

1. Approximate pass: add precomputed per-posting impacts (float32) and keep the passages
   that contain a query term.
2. Exact pass: the k-th best approximate score bounds the answer, so only passages within the
   approximation's error of it can be in the true top k. Those few are rescored with exactly
   rank-bm25's floating-point operations, in its order, and ranked best first, ties by row.

Rankings and scores equal rank-bm25's `get_scores` bit for bit
(tests/retrieval/search/test_engine.py), for all three variants and any parameters. Two
backends run the same algorithm: numpy (no compile, for mid-sized corpora) and numba
(`retrieval.search.engine_numba`, for large ones).
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import pickle
import subprocess
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from pearlbot.progress import progress
from pearlbot.retrieval.search.arrays import ScoringArrays
from pearlbot.retrieval.search.params import (
    APPROX_REL_ERROR,
    BLOCK,
    PARALLEL_MIN_PASSAGES,
    VARIANT_CODES,
    Backend,
    BM25Settings,
)

if TYPE_CHECKING:
    from pearlbot.retrieval.search.analyzer import AnalyzerSettings


@dataclass(frozen=True, eq=False)
class Postings:
    """An analysed corpus as an inverted index; what the cache stores (no BM25 parameters).

    Terms are numbered in order of first appearance, the order rank-bm25 sums idfs in.
    The passages containing term t are `docs[term_ptr[t]:term_ptr[t + 1]]`, ascending, with
    their term frequencies in `tfs` at the same positions.
    """

    terms: tuple[str, ...]
    term_ptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32, one per (term, passage) pair
    tfs: np.ndarray  # uint16 (uint32 if a passage repeats a term more than 65,535 times)
    doc_len: np.ndarray  # int32, tokens per passage

    @property
    def size(self) -> int:
        return len(self.doc_len)

    @property
    def nbytes(self) -> int:
        """Memory held, arrays plus the term strings and their dict (about 100 bytes a term)."""
        arrays = (self.term_ptr, self.docs, self.tfs, self.doc_len)
        return sum(a.nbytes for a in arrays) + sum(len(t) + 100 for t in self.terms)

    @classmethod
    def from_tokenized(cls, tokenized: Sequence[Sequence[str]]) -> Postings:
        encoder = Encoder()
        for tokens in tokenized:
            encoder.add(tokens)
        return encoder.postings()

    @classmethod
    def from_ids(cls, terms: Sequence[str], ids: np.ndarray, lengths: np.ndarray) -> Postings:
        """From every token's term id (passage after passage) and each passage's length."""
        n_docs = len(lengths)
        total = len(ids)
        doc_ids = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        # Tokens come in passage order, so sorting by (term, passage) keys groups each term's
        # postings in ascending passage order; equal keys are one passage's repeats of a term.
        key = ids.astype(np.int64) * max(n_docs, 1) + doc_ids
        key.sort()
        first = np.flatnonzero(np.diff(key, prepend=-1)) if total else np.zeros(0, np.int64)
        pair_keys = key[first]
        tf = np.diff(np.append(first, total))
        pair_terms = pair_keys // max(n_docs, 1)
        term_ptr = np.searchsorted(pair_terms, np.arange(len(terms) + 1)).astype(np.int64)
        tf_type = np.uint16 if not len(tf) or tf.max() <= np.iinfo(np.uint16).max else np.uint32
        return cls(
            terms=tuple(terms),
            term_ptr=term_ptr,
            docs=(pair_keys % max(n_docs, 1)).astype(np.int32),
            tfs=tf.astype(tf_type),
            doc_len=np.asarray(lengths, dtype=np.int32),
        )


class Encoder:
    """Turns token lists into term ids as they come, numbering terms by first appearance."""

    def __init__(self) -> None:
        self.vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        self.ids = array("q")  # 8 bytes a token; a list of ints would take 36
        self.lengths = array("q")

    def add(self, tokens: Iterable[str]) -> None:
        before = len(self.ids)
        # A C-level map assigns ids: several times faster than a Python loop per token.
        self.ids.extend(map(self.vocab.__getitem__, tokens))
        self.lengths.append(len(self.ids) - before)

    def postings(self) -> Postings:
        return Postings.from_ids(tuple(self.vocab), *self.arrays())

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(token term ids, passage lengths) as int64 arrays."""
        return np.frombuffer(self.ids, dtype=np.int64), np.frombuffer(self.lengths, dtype=np.int64)


def analyze_chunk(
    texts: Sequence[str], settings: AnalyzerSettings
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Analyse passages into (terms by first appearance, token term ids, passage lengths)."""
    from pearlbot.retrieval.search.analyzer import analyze

    encoder = Encoder()
    # A helper process's stderr is no terminal: only this process draws a bar.
    for text in progress(texts, desc="analysing passages", unit=" passages"):
        encoder.add(analyze(text, settings))
    ids, lengths = encoder.arrays()
    return tuple(encoder.vocab), ids.astype(np.int32), lengths.astype(np.int32)


_WORKER = (
    "import sys; from pearlbot.retrieval.search.engine import analysis_worker; "
    "analysis_worker(sys.stdin.buffer, sys.stdout.buffer)"
)


def analysis_worker(stdin: BinaryIO, stdout: BinaryIO) -> None:
    """A helper process's work: a pickled (texts, settings) in, the pickled chunk out."""
    texts, settings = pickle.load(stdin)
    pickle.dump(analyze_chunk(texts, settings), stdout, protocol=pickle.HIGHEST_PROTOCOL)
    stdout.flush()


def helper_env() -> dict[str, str]:
    """The environment of a helper Python: this one's, importing this package from wherever
    this process found it."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


def postings_from_texts(
    texts: Sequence[str], settings: AnalyzerSettings, workers: int | None = None
) -> Postings:
    """Analyse passages (in several processes for large corpora) into postings."""
    if workers is None:
        workers = min(os.cpu_count() or 1, len(texts) // (PARALLEL_MIN_PASSAGES // 2))
    if workers <= 1:
        return merge_chunks([analyze_chunk(texts, settings)])
    cuts = np.linspace(0, len(texts), workers + 1).astype(int).tolist()
    chunks = [list(texts[a:b]) for a, b in itertools.pairwise(cuts)]
    # Plain child Pythons fed through pipes, not multiprocessing: spawn would re-import the
    # caller's __main__ (an unguarded script runs again) and fork can deadlock a bot's threads.
    helpers: list[subprocess.Popen[bytes]] = []
    env = helper_env()
    try:
        for chunk in chunks[1:]:
            helper = subprocess.Popen(
                [sys.executable, "-c", _WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
            helpers.append(helper)
            assert helper.stdin is not None
            pickle.dump((chunk, settings), helper.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            helper.stdin.close()
        results = [analyze_chunk(chunks[0], settings)]
        for helper in helpers:
            assert helper.stdout is not None
            results.append(pickle.load(helper.stdout))
            if helper.wait() != 0:
                raise OSError(f"analysis helper exited with {helper.returncode}")
    except (OSError, EOFError, pickle.UnpicklingError) as exc:
        # No second process here (sandbox, frozen app, killed helper): do it all in this one.
        logging.getLogger(__name__).warning("analysing in one process: %s", exc)
        for helper in helpers:
            helper.kill()
            helper.wait()
        return merge_chunks([analyze_chunk(texts, settings)])
    return merge_chunks(results)


def merge_chunks(chunks: Sequence[tuple[tuple[str, ...], np.ndarray, np.ndarray]]) -> Postings:
    """Postings from consecutive analysed chunks; term order stays first appearance overall."""
    vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    ids, lengths = [], []
    for terms, local_ids, local_lengths in chunks:
        # Chunk-local ids -> global ids; new terms are numbered in the chunk's own order.
        remap = np.fromiter(map(vocab.__getitem__, terms), dtype=np.int64, count=len(terms))
        ids.append(remap[local_ids])
        lengths.append(local_lengths)
    return Postings.from_ids(
        tuple(vocab),
        np.concatenate(ids) if ids else np.zeros(0, np.int64),
        np.concatenate(lengths) if lengths else np.zeros(0, np.int64),
    )


def rank_bm25_idf(df: np.ndarray, n_docs: int, settings: BM25Settings) -> np.ndarray:
    """Per-term idf exactly as rank-bm25 computes it (math.log, same expression, same order)."""
    unique, inverse = np.unique(df, return_inverse=True)
    n = n_docs
    if settings.variant == "okapi":
        values = [math.log(n - f + 0.5) - math.log(f + 0.5) for f in unique.tolist()]
    elif settings.variant == "plus":
        values = [math.log((n + 1) / f) for f in unique.tolist()]
    else:
        values = [math.log(n + 1) - math.log(f + 0.5) for f in unique.tolist()]
    idf = np.asarray(values, dtype=np.float64)[inverse]
    if settings.variant == "okapi" and len(idf):
        # Words in more than half the passages get epsilon times the mean idf; rank-bm25 sums
        # left to right in first-appearance order, and so does cumsum.
        average = float(np.cumsum(idf)[-1]) / len(idf)
        idf = np.where(idf < 0, 0.25 * average, idf)
    return idf


def _numba_kernels() -> ModuleType:
    """The numba backend's kernels (imports numba: about 0.3 s, compiled code from its cache)."""
    from pearlbot.retrieval.search import engine_numba

    return engine_numba


class SparseBM25:
    """BM25 over `Postings` with rank-bm25's exact results. Queries are thread-safe."""

    def __init__(
        self,
        postings: Postings,
        settings: BM25Settings,
        backend: Backend = "numpy",
        block: int = BLOCK,
    ) -> None:
        self.postings = postings
        self.settings = settings
        self.backend = backend
        # The backend is resolved once: the numba kernels' module, or None for numpy.
        self._numba: ModuleType | None = _numba_kernels() if backend == "numba" else None
        self.block = block  # passages per block of the numba backend's approximate pass
        self.size = postings.size
        self.vocab = dict(zip(postings.terms, range(len(postings.terms)), strict=True))
        p = postings
        self.df = np.diff(p.term_ptr)
        self.idf = rank_bm25_idf(self.df, self.size, settings)
        self.avgdl = int(p.doc_len.sum()) / self.size if self.size else 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            # The length normaliser, in rank-bm25's operation order: (1 - b) + b * dl / avgdl.
            self.norm = 1 - settings.b + settings.b * p.doc_len.astype(np.int64) / self.avgdl
            self.norm_k1 = settings.k1 * self.norm
            self.impacts = self._impacts()
        # A term's largest impact bounds its share of the approximation error.
        self.max_impact = (
            np.maximum.reduceat(self.impacts, p.term_ptr[:-1]).astype(np.float64)
            if len(p.terms)
            else np.zeros(0)
        )
        self.arrays = ScoringArrays(
            term_ptr=p.term_ptr,
            docs=p.docs,
            tfs=p.tfs,
            impacts=self.impacts,
            norm=self.norm,
            norm_k1=self.norm_k1,
            idf=self.idf,
            max_impact=self.max_impact,
            n_docs=self.size,
            variant_code=VARIANT_CODES[settings.variant],
            k1=float(settings.k1),
            delta=float(settings.delta),
        )

    @property
    def nbytes(self) -> int:
        own = (self.df, self.idf, self.norm, self.norm_k1, self.impacts, self.max_impact)
        return self.postings.nbytes + sum(a.nbytes for a in own)

    def _impacts(self) -> np.ndarray:
        """Each posting's score per unit of idf as float32 (BM25+ without its delta)."""
        p, s = self.postings, self.settings
        if self._numba is not None:
            code = VARIANT_CODES[s.variant]
            return self._numba.impacts(code, s.k1, s.delta, p.docs, p.tfs, self.norm, self.norm_k1)
        tf = p.tfs.astype(np.float64)
        if s.variant == "okapi":
            out = tf * (s.k1 + 1) / (tf + self.norm_k1[p.docs])
        elif s.variant == "plus":
            out = tf * (s.k1 + 1) / (self.norm_k1[p.docs] + tf)
        else:
            ctd = tf / self.norm[p.docs]
            out = tf * (s.k1 + 1) * (ctd + s.delta) / (s.k1 + ctd + s.delta)
        return out.astype(np.float32)

    # -- the BM25Index interface -------------------------------------------------------------

    def doc_freq(self, term: str) -> int:
        t = self.vocab.get(term)
        return 0 if t is None else int(self.df[t])

    def rows_with(self, term: str) -> np.ndarray:
        """The rows holding `term`, ascending (a view of its postings)."""
        t = self.vocab.get(term)
        if t is None:
            return np.zeros(0, dtype=np.int32)
        return self.postings.docs[self.postings.term_ptr[t] : self.postings.term_ptr[t + 1]]

    def holding(self, term: str, rows: np.ndarray) -> np.ndarray:
        """Which of `rows` (ascending) hold `term`, by binary search in its postings."""
        t = self.vocab.get(term)
        if t is None:
            return np.zeros(len(rows), dtype=bool)
        docs = self.postings.docs[self.postings.term_ptr[t] : self.postings.term_ptr[t + 1]]
        at = np.minimum(np.searchsorted(docs, rows), len(docs) - 1)
        return np.asarray(docs[at] == rows)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Every passage's score, computed as rank-bm25's get_scores computes it."""
        return self._score(query, np.arange(self.size), dense=True)

    def score_rows(self, query: Sequence[str], rows: Sequence[int]) -> np.ndarray:
        """rank-bm25's scores of just `rows`: what `scores(query)[rows]` gives, without
        scoring the whole corpus."""
        return self._score(query, np.asarray(rows, dtype=np.int64), dense=False)

    def _score(self, query: Sequence[str], rows: np.ndarray, dense: bool) -> np.ndarray:
        s, p = self.settings, self.postings
        score = np.zeros(len(rows))
        norm, norm_k1 = self.norm[rows], self.norm_k1[rows]
        for term in query:
            t = self.vocab.get(term)
            # rank-bm25 multiplies by `idf.get(q) or 0`: an unknown word adds zeros.
            idf = 0.0 if t is None else float(self.idf[t])
            q_freq = np.zeros(len(rows), dtype=np.int64)
            if t is not None:
                lo, hi = p.term_ptr[t], p.term_ptr[t + 1]
                if dense:
                    q_freq[p.docs[lo:hi]] = p.tfs[lo:hi]
                else:
                    at = np.minimum(np.searchsorted(p.docs[lo:hi], rows), hi - lo - 1)
                    found = p.docs[lo:hi][at] == rows
                    q_freq[found] = p.tfs[lo:hi][at[found]]
            with np.errstate(divide="ignore", invalid="ignore"):
                if s.variant == "okapi":
                    score += idf * (q_freq * (s.k1 + 1) / (q_freq + norm_k1))
                elif s.variant == "plus":
                    score += idf * (s.delta + (q_freq * (s.k1 + 1)) / (norm_k1 + q_freq))
                else:
                    ctd = q_freq / norm
                    score += idf * q_freq * (s.k1 + 1) * (ctd + s.delta) / (s.k1 + ctd + s.delta)
        return score

    def top(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The k best (row, score) among passages containing a query term; ties by row."""
        ids = [t for t in map(self.vocab.get, query) if t is not None]
        if k <= 0 or not ids:
            return []
        counts: dict[int, int] = {}
        for t in ids:  # a repeated query word counts again, as in rank-bm25 (np.unique: 10 µs)
            counts[t] = counts.get(t, 0) + 1
        ordered = np.array(ids, dtype=np.int64)
        unique = np.array(list(counts), dtype=np.int64)
        weights = np.array(list(counts.values()), dtype=np.float64) * self.idf[unique]
        # Largest possible score magnitude (BM25+ adds idf * delta per term): the error scale.
        floor = self.settings.delta if self.settings.variant == "plus" else 0.0
        scale = float(np.abs(weights) @ (self.max_impact[unique] + floor))
        tol = 2 * APPROX_REL_ERROR * scale
        if self._numba is not None:
            rows, values = self._numba.top_k(
                self.arrays, ordered, unique, weights, k, tol, self.block
            )
        else:
            rows, values = self._top_numpy(ordered, unique, weights, k, tol)
        return list(zip(rows.tolist(), values.tolist(), strict=True))

    def _top_numpy(
        self, ordered: np.ndarray, unique: np.ndarray, weights: np.ndarray, k: int, tol: float
    ) -> tuple[np.ndarray, np.ndarray]:
        p = self.postings
        spans = [slice(p.term_ptr[t], p.term_ptr[t + 1]) for t in unique.tolist()]
        docs = np.concatenate([p.docs[span] for span in spans])
        parts = [self.impacts[span] * w for span, w in zip(spans, weights.tolist(), strict=True)]
        approx = np.bincount(docs, weights=np.concatenate(parts), minlength=self.size)
        seen = np.zeros(self.size, dtype=bool)
        seen[docs] = True
        candidates = np.flatnonzero(seen)
        approx = approx[candidates]
        if len(candidates) > k:
            kth = np.partition(approx, len(approx) - k)[len(approx) - k]
            candidates = candidates[approx >= kth - tol]
        exact = self._score([self.postings.terms[t] for t in ordered], candidates, dense=False)
        order = np.lexsort((candidates, -exact))[:k]
        return candidates[order], exact[order]
