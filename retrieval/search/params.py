"""The search layer's tunables and BM25 parameters: a leaf module that imports nothing of ours.

Every number here was measured; the comment beside it says where (docs/speed.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Variant = Literal["okapi", "plus", "l"]
Engine = Literal["rank-bm25", "numpy", "numba"]
Backend = Literal["numpy", "numba"]  # how the sparse engine runs its kernels
# The variants as the numba kernels receive them (a compiled function takes no strings).
VARIANT_CODES: dict[str, int] = {"okapi": 0, "plus": 1, "l": 2}

# Engine by corpus size, measured in docs/speed.md: below 2,000 passages rank-bm25 answers
# in about a millisecond and needs no postings; below 50,000 the numpy engine is within
# 0.1 ms of numba without importing it (0.4 s) or loading compiled code; above, numba.
NUMPY_MIN_PASSAGES = 2_000
# Raised to 400,000 with the knowledge store (docs/speed.md): a start from the store takes
# about a second at 100,000 passages, and numba's import and kernel load (most of another
# second, measured there) would cost more than its 0.15 ms a query ever saves a one-shot ask.
NUMBA_MIN_PASSAGES = 400_000

# Relative error budget of the approximate pass: float32 impacts carry 2**-24 each, and the
# accumulation and rank-bm25's own summation a few ulps more; 2**-18 leaves a wide margin.
APPROX_REL_ERROR = 2.0**-18
# Passages per block of the numba backend: a block's accumulator (128 KB) stays in the L2
# cache while all query terms' postings for it are added; 2x faster than a corpus-wide one.
BLOCK = 16_384
# Below this many passages one process analyses faster than two: starting a second Python
# and shipping passages to it costs about half a second.
PARALLEL_MIN_PASSAGES = 200_000


class BM25Settings(BaseModel):
    """Which BM25 and its parameters; chosen by measurement (docs/quality.md, "Choices")."""

    model_config = ConfigDict(frozen=True)

    variant: Variant = "plus"
    k1: float = Field(1.2, gt=0)  # k1 = 0 makes rank-bm25 divide 0 by 0 for absent terms
    b: float = Field(0.75, ge=0, le=1)
    delta: float = Field(1.0, ge=0)
