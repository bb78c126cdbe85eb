"""The knowledge store: a corpus analysed once and kept on disk, per document.

SQLite (WAL) holds documents, passage offsets, facts and words, one row per article file;
the BM25 postings are `.npy` arrays that every process memory-maps. See docs/speed.md.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from pearlbot.retrieval.store.folder import StoreRefused, check_folder, prepare_folder
from pearlbot.retrieval.store.store import (
    KnowledgeStore,
    Loaded,
    StoreDamaged,
    StoreStale,
    StoreStatus,
    SyncReport,
    scan,
)
from pearlbot.settings import current_settings

# Fewer article files than this load faster from the files than a store opens.
STORE_MIN_FILES = 200

__all__ = [
    "STORE_MIN_FILES",
    "KnowledgeStore",
    "Loaded",
    "StoreDamaged",
    "StoreRefused",
    "StoreStale",
    "StoreStatus",
    "SyncReport",
    "check_folder",
    "prepare_folder",
    "scan",
    "store_for",
    "store_root",
]


def store_root() -> Path | None:
    """Where stores live: $PEARLBOT_STORE_DIR, else the user cache's `store` folder; None if
    set to "off"."""
    configured = current_settings().store_dir
    if configured is not None:
        off = configured.strip().lower() in ("", "off", "0", "none")
        return None if off else Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("pearlbot")) / "store"


def store_for(
    paths: Sequence[str | os.PathLike[str]], window: int, analyzer: object = None
) -> KnowledgeStore | None:
    """The store of these corpus paths (one folder per set of paths and passage window), or
    None when stores are off."""
    root = store_root()
    if root is None:
        return None
    resolved = "\0".join(str(Path(p).resolve()) for p in paths)
    key = hashlib.sha256(f"{resolved}\0{window}".encode()).hexdigest()[:16]
    from pearlbot.retrieval.search.analyzer import AnalyzerSettings

    settings = analyzer if isinstance(analyzer, AnalyzerSettings) else None
    return KnowledgeStore(root / f"kb-{key}", paths, window, settings)
