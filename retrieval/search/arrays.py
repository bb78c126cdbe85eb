"""`ScoringArrays`: what the sparse engine's kernels read, as plain numpy arrays and numbers.

A leaf module: the numpy engine builds one, and the numba kernels (`engine_numba`) take one,
so neither backend reaches into the other's objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class ScoringArrays:
    """An index's postings and BM25 statistics, ready to score.

    The passages containing term t are `docs[term_ptr[t]:term_ptr[t + 1]]`, ascending, with
    their term frequencies in `tfs` and their impacts (score per unit of idf, float32) in
    `impacts` at the same positions.
    """

    term_ptr: np.ndarray  # int64, terms + 1
    docs: np.ndarray  # int32, one per (term, passage) pair
    tfs: np.ndarray  # uint16 or uint32, beside docs
    impacts: np.ndarray  # float32, beside docs
    norm: np.ndarray  # float64 per passage: (1 - b) + b * length / average length
    norm_k1: np.ndarray  # float64 per passage: k1 * norm
    idf: np.ndarray  # float64 per term, as rank-bm25 computes it
    max_impact: np.ndarray  # float64 per term: its largest impact
    n_docs: int
    variant_code: int  # params.VARIANT_CODES
    k1: float
    delta: float
