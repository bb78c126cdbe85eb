"""The numba backend of `retrieval.search.engine.SparseBM25`: one compiled call per query.

The kernels take plain arrays (`ScoringArrays`) and import nothing from the engine.

Imported only for large corpora (and by `search.bm25.warm_up`): importing numba costs about
0.3 s and compiling these kernels a few seconds, which numba's on-disk cache (`cache=True`)
pays once per installation. Kernels release the GIL, so a bot's event loop keeps running
while a worker thread scores.
"""

from __future__ import annotations

import numba
import numpy as np

from pearlbot.retrieval.search.arrays import ScoringArrays
from pearlbot.retrieval.search.params import BLOCK


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
def _first_at_or_after(docs, lo, hi, row):  # pragma: no cover - compiled
    """First position in docs[lo:hi] (ascending) holding a passage >= row, or hi."""
    if lo < hi and docs[lo] < row:
        # Gallop, then bisect: survivors are sparse, so jumps are usually long.
        bound = 1
        while lo + bound < hi and docs[lo + bound] < row:
            bound <<= 1
        a = lo + (bound >> 1) + 1
        b = min(lo + bound, hi)
        while a < b:
            mid = (a + b) >> 1
            if docs[mid] < row:
                a = mid + 1
            else:
                b = mid
        return a
    return lo


@numba.njit(nogil=True, cache=True)
def _top_k(
    term_ptr,
    docs,
    tfs,
    impacts,
    norm,
    norm_k1,
    idf,
    max_impact,
    ordered,
    query_terms,
    query_weights,
    n_docs,
    block,
    variant,
    k1,
    delta,
    k,
    tol,
):  # pragma: no cover - compiled
    """Top k of one query: approximate pass block by block, exact pass on the shortlist."""
    # The query's distinct terms by score bound (weight times largest impact), weakest first.
    nt = len(query_terms)
    by_bound = np.argsort(query_weights * max_impact[query_terms], kind="mergesort")
    unique = query_terms[by_bound]
    weights = query_weights[by_bound]
    bounds = weights * max_impact[unique]
    acc = np.zeros(block)
    seen = np.zeros(block, dtype=np.uint8)  # 1: touched in this block, 2: still a contender
    touched = np.empty(block, dtype=np.int64)
    alive = np.empty(block, dtype=np.int64)
    ptr = np.empty(nt, dtype=np.int64)
    seg_end = np.empty(nt, dtype=np.int64)
    cum = np.zeros(nt + 1)  # cum[j]: the most terms 0..j-1 together can add to any score
    prune = True  # skipping needs every contribution >= 0 (Okapi's idf floor can be < 0)
    for j in range(nt):
        ptr[j] = term_ptr[unique[j]]
        cum[j + 1] = cum[j] + bounds[j]
        if weights[j] <= 0:
            prune = False
    heap = np.full(k, -np.inf)  # the k best approximate scores so far; heap[0] only rises
    # Room for every passage, allocated but untouched: growing arrays inside the block loop
    # makes numba's inner loop ten times slower.
    cand = np.empty(n_docs, dtype=np.int64)
    cand_score = np.empty(n_docs)
    m = 0
    for start in range(0, n_docs, block):
        stop = start + block
        floor = heap[0] - tol  # below this no passage can make the final shortlist
        # MaxScore: the weakest terms together cannot lift a passage past the floor, so a
        # passage holding only them is no contender; they are looked up, not scanned.
        weak = 0
        if prune:
            while weak < nt and cum[weak + 1] < floor:
                weak += 1
        for j in range(nt):
            seg_end[j] = _first_at_or_after(docs, ptr[j], term_ptr[unique[j] + 1], stop)
        n = 0
        if weak < nt:
            for j in range(weak, nt):
                w = weights[j]
                for p in range(ptr[j], seg_end[j]):
                    d = docs[p] - start
                    if seen[d] == 0:
                        seen[d] = 1
                        touched[n] = d
                        n += 1
                    acc[d] += w * impacts[p]
        live = n
        if weak > 0 and n > 0:
            live = 0
            for i in range(n):
                d = touched[i]
                if acc[d] + cum[weak] >= floor:
                    seen[d] = 2
                    alive[live] = d
                    live += 1
            for j in range(weak - 1, -1, -1):
                if live == 0:
                    break
                w = weights[j]
                lo = ptr[j]
                hi = seg_end[j]
                if live * 8 < hi - lo:  # few contenders: search each in the term's postings
                    alive[:live].sort()
                    p = lo
                    for i in range(live):
                        p = _first_at_or_after(docs, p, hi, alive[i] + start)
                        if p < hi and docs[p] == alive[i] + start:
                            acc[alive[i]] += w * impacts[p]
                else:  # many: one pass over the postings
                    for p in range(lo, hi):
                        d = docs[p] - start
                        if seen[d] == 2:
                            acc[d] += w * impacts[p]
                kept = 0
                for i in range(live):
                    d = alive[i]
                    if acc[d] + cum[j] >= floor:
                        alive[kept] = d
                        kept += 1
                    else:
                        seen[d] = 1
                live = kept
        for i in range(live):
            d = alive[i] if weak > 0 else touched[i]
            v = acc[d]
            # Keep whatever the final k-th best (>= heap[0]) might not exclude.
            if v >= heap[0] - tol:
                cand[m] = start + d
                cand_score[m] = v
                m += 1
            if v > heap[0]:
                _heap_push(heap, v)
        for i in range(n):
            acc[touched[i]] = 0.0
            seen[touched[i]] = 0
        for j in range(nt):
            ptr[j] = seg_end[j]
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


def impacts(
    variant_code: int,
    k1: float,
    delta: float,
    docs: np.ndarray,
    tfs: np.ndarray,
    norm: np.ndarray,
    norm_k1: np.ndarray,
) -> np.ndarray:
    """Per-posting impacts as float32, computed in one compiled pass (numpy takes ~1 s at 1M)."""
    out = np.empty(len(docs), dtype=np.float32)
    _impacts(variant_code, float(k1), float(delta), docs, tfs, norm, norm_k1, out)
    return out


def top_k(
    arrays: ScoringArrays,
    ordered: np.ndarray,
    unique: np.ndarray,
    weights: np.ndarray,
    k: int,
    tol: float,
    block: int = BLOCK,
) -> tuple[np.ndarray, np.ndarray]:
    """The k best (rows, exact scores) of one query, best first, ties by row.

    `ordered` holds the query's term ids in query order, `unique` its distinct ones with their
    `weights` (count times idf); `tol` is the approximate pass's error bound."""
    a = arrays
    return _top_k(
        a.term_ptr,
        a.docs,
        a.tfs,
        a.impacts,
        a.norm,
        a.norm_k1,
        a.idf,
        a.max_impact,
        ordered,
        unique,
        weights,
        a.n_docs,
        block,
        a.variant_code,
        a.k1,
        a.delta,
        k,
        tol,
    )
