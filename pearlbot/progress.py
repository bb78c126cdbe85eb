"""Progress bars for long work (cold index builds, `pearlbot eval`, `corpus add` of a folder).

A bar is tqdm's, drawn on stderr, and only when stderr is a terminal: piped or captured output
never holds one. It appears only once the work has taken `SHOW_AFTER_SECONDS`, so quick runs
stay silent. A leaf module: every layer can import it; tqdm is imported only to draw a bar.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sized
from typing import TypeVar

T = TypeVar("T")

SHOW_AFTER_SECONDS = 0.5  # quicker work shows no bar at all


def progress(items: Iterable[T], *, desc: str, unit: str = "it") -> Iterable[T]:
    """`items`, with a progress bar on stderr while they are consumed, when it is a terminal."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    total = len(items) if isinstance(items, Sized) else None
    return tqdm(
        items,
        desc=desc,
        unit=unit,
        total=total,
        file=sys.stderr,
        leave=False,  # the bar goes once the work is done; the command's output stays
        delay=SHOW_AFTER_SECONDS,
        dynamic_ncols=True,
    )
