"""The numba backend of `retrieval.engine.SparseBM25`: one compiled call per query.

Imported only for large corpora (and by `retrieval.bm25.warm_up`): importing numba costs about
0.3 s and compiling these kernels a few seconds, which numba's on-disk cache (`cache=True`)
pays once per installation. Kernels release the GIL, so a bot's event loop keeps running
while a worker thread scores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numba
import numpy as np

if TYPE_CHECKING:
    from retrieval.engine import SparseBM25


@numba.njit(nogil=True, cache=True)
def _exact(variant, k1, delta, idf_t, tf, norm, norm_k1):  # pragma: no cover - compiled
    """One term's contribution, with rank-bm25's operations in rank-bm25's order."""
    if variant == 0:
        return idf_t * (tf * (k1 + 1) / (tf + norm_k1))
    if variant == 1:
        return idf_t * (delta + (tf * (k1 + 1)) / (norm_k1 + tf))
    ctd = tf / norm
    return idf_t * tf * (k1 + 1) * (ctd + delta) / (k1 + ctd + delta)


@numba.njit(nogil=True, cache=True)
def _tf_of(docs, tfs, lo, hi, row):  # pragma: no cover - compiled
    """Frequency of a term in passage `row` (binary search of its ascending postings)."""
    end = hi
    while lo < hi:
        mid = (lo + hi) >> 1
        if docs[mid] < row:
            lo = mid + 1
        else:
            hi = mid
    if lo < end and docs[lo] == row:
        return float(tfs[lo])
    return 0.0


# Passages per block: the block's accumulator (128 KB) stays in the L2 cache while every
# query term's postings for the block are added; 2x faster than one corpus-wide accumulator.
BLOCK = 16_384


@numba.njit(nogil=True, cache=True)
def _impacts(variant, k1, delta, docs, tfs, norm, norm_k1, out):  # pragma: no cover - compiled
    """Each posting's score per unit of idf, for the approximate pass."""
    for p in range(len(docs)):
        out[p] = _exact(variant, k1, delta, 1.0, float(tfs[p]), norm[docs[p]], norm_k1[docs[p]])
        if variant == 1:
            out[p] -= delta  # BM25+'s delta is paid by every passage: not part of the ranking


@numba.njit(nogil=True, cache=True)
def _heap_push(heap, v):  # pragma: no cover - compiled
    """Replace the smallest of a min-heap by v (v > heap[0]) and restore the heap."""
    heap[0] = v
    pos = 0
    k = len(heap)
    while True:
        child = 2 * pos + 1
        if child >= k:
            break
        if child + 1 < k and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] >= heap[pos]:
            break
        heap[pos], heap[child] = heap[child], heap[pos]
        pos = child


@numba.njit(nogil=True, cache=True)
def _top_k(
    term_ptr,
    docs,
    tfs,
    impacts,
    norm,
    norm_k1,
    idf,
    ordered,
    unique,
    weights,
    n_docs,
    variant,
    k1,
    delta,
    k,
    tol,
):  # pragma: no cover - compiled
    """Top k of one query: approximate pass block by block, exact pass on the shortlist."""
    acc = np.zeros(BLOCK)
    seen = np.zeros(BLOCK, dtype=np.uint8)
    touched = np.empty(BLOCK, dtype=np.int64)
    ptr = np.empty(len(unique), dtype=np.int64)
    for j in range(len(unique)):
        ptr[j] = term_ptr[unique[j]]
    heap = np.full(k, -np.inf)  # the k best approximate scores so far; heap[0] only rises
    # Room for every passage, allocated but untouched: growing arrays inside the block loop
    # makes numba's inner loop ten times slower.
    cand = np.empty(n_docs, dtype=np.int64)
    cand_score = np.empty(n_docs)
    m = 0
    for start in range(0, n_docs, BLOCK):
        stop = start + BLOCK
        n = 0
        for j in range(len(unique)):
            w = weights[j]
            p = ptr[j]
            end = term_ptr[unique[j] + 1]
            while p < end and docs[p] < stop:
                d = docs[p] - start
                if seen[d] == 0:
                    seen[d] = 1
                    touched[n] = d
                    n += 1
                acc[d] += w * impacts[p]
                p += 1
            ptr[j] = p
        for i in range(n):
            d = touched[i]
            v = acc[d]
            acc[d] = 0.0
            seen[d] = 0
            # Keep whatever the final k-th best (>= heap[0]) might not exclude.
            if v >= heap[0] - tol:
                cand[m] = start + d
                cand_score[m] = v
                m += 1
            if v > heap[0]:
                _heap_push(heap, v)
    # Shortlist: every passage whose approximate score is within the error of the k-th best.
    short = np.empty(m, dtype=np.int64)
    s = 0
    for c in range(m):
        if cand_score[c] >= heap[0] - tol:
            short[s] = cand[c]
            s += 1
    short = np.sort(short[:s])
    # Exact pass, term by term in query order like rank-bm25.
    exact = np.zeros(s)
    for q in range(len(ordered)):
        t = ordered[q]
        lo = term_ptr[t]
        hi = term_ptr[t + 1]
        idf_t = idf[t]
        for i in range(s):
            d = short[i]
            tf = _tf_of(docs, tfs, lo, hi, d)
            exact[i] += _exact(variant, k1, delta, idf_t, tf, norm[d], norm_k1[d])
    # Best first, ties by row: the shortlist is ascending, so a stable sort on -score does it.
    order = np.argsort(-exact, kind="mergesort")[:k]
    return short[order], exact[order]


def impacts(engine: SparseBM25) -> np.ndarray:
    """Per-posting impacts as float32, computed in one compiled pass (numpy takes ~1 s at 1M)."""
    from retrieval.engine import VARIANT_CODES

    p, s = engine.postings, engine.settings
    out = np.empty(len(p.docs), dtype=np.float32)
    _impacts(
        VARIANT_CODES[s.variant],
        float(s.k1),
        float(s.delta),
        p.docs,
        p.tfs,
        engine.norm,
        engine.norm_k1,
        out,
    )
    return out


def top_k(
    engine: SparseBM25,
    ordered: np.ndarray,
    unique: np.ndarray,
    weights: np.ndarray,
    k: int,
    tol: float,
) -> tuple[np.ndarray, np.ndarray]:
    from retrieval.engine import VARIANT_CODES

    p, s = engine.postings, engine.settings
    return _top_k(
        p.term_ptr,
        p.docs,
        p.tfs,
        engine.impacts,
        engine.norm,
        engine.norm_k1,
        engine.idf,
        ordered,
        unique,
        weights.astype(np.float64),
        engine.size,
        VARIANT_CODES[s.variant],
        float(s.k1),
        float(s.delta),
        k,
        tol,
    )
