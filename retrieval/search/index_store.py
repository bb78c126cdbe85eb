"""The persisted index: analyse a large corpus once, load it in a fraction of a second after.

An entry is one uncompressed .npz file named by a key: a hash of every passage's text, the
analyzer's settings and the analyzer's own source code (so editing the analyzer or the corpus
can never serve stale terms). BM25 parameters are not in the key: the postings do not depend
on them, so changing k1 or the variant reuses the entry.

Nothing in the cache is trusted: zip CRCs catch damaged bytes, and the arrays are checked for
the invariants the engine relies on. A bad entry is deleted and rebuilt; a cache directory that
cannot be written costs a rebuild per start, nothing more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings, Engine, engine_for
from pearlbot.retrieval.search.engine import Postings, postings_from_texts
from pearlbot.settings import current_settings

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the file layout or the meaning of an array changes
# Smaller corpora are analysed faster (about 20 µs a passage) than a cache entry is checked.
CACHE_MIN_PASSAGES = 2_000
KEEP_ENTRIES = 8  # most recently used entries kept per cache directory
CACHE_ENV = "PEARLBOT_CACHE_DIR"  # a folder, or "off" to never read or write the cache


class CacheError(ValueError):
    """A cache entry that must not be used (damaged, stale or from another format)."""


def cache_dir() -> Path | None:
    """Where entries live: $PEARLBOT_CACHE_DIR, else the user cache directory; None if off."""
    configured = current_settings().cache_dir
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "none") else Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("pearlbot")) / "index"


def _analyzer_fingerprint() -> bytes:
    """The analyzer's code and stemmer version: a changed analyzer means changed terms."""
    import inspect

    import Stemmer

    from pearlbot.retrieval.search import analyzer

    source = inspect.getsource(analyzer).encode()
    return hashlib.sha256(source).digest() + str(getattr(Stemmer, "__version__", "")).encode()


def corpus_key(texts: Sequence[str], settings: AnalyzerSettings) -> str:
    """Hex key of the passages' texts (with their boundaries) and the analyzer."""
    h = hashlib.sha256()
    h.update(f"pearlbot-index/{FORMAT}\0".encode())
    h.update(settings.model_dump_json().encode() + b"\0" + _analyzer_fingerprint())
    # Lengths make the boundaries unambiguous; the joined text is hashed in one call.
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    h.update(lengths.tobytes())
    h.update("".join(texts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:40]


def entry_path(directory: Path, key: str) -> Path:
    return directory / f"postings-{key}.npz"


def save(path: Path, postings: Postings, key: str) -> None:
    """Write atomically: a reader sees the old entry, the new one, or none; never half."""
    import tempfile

    blob = "\0".join(postings.terms).encode("utf-8", "surrogatepass")
    if any("\0" in t for t in postings.terms):
        raise CacheError("a term contains NUL; not cacheable")
    meta = {"format": FORMAT, "key": key, "passages": postings.size, "terms": len(postings.terms)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(
                f,
                meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
                terms=np.frombuffer(blob, dtype=np.uint8),
                term_ptr=postings.term_ptr,
                docs=postings.docs,
                tfs=postings.tfs,
                doc_len=postings.doc_len,
            )
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path: Path, key: str, n_passages: int) -> Postings:
    """Read and verify an entry; CacheError (or OSError) if it cannot be trusted."""
    import zipfile

    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes())
            if meta.get("format") != FORMAT or meta.get("key") != key:
                raise CacheError(f"stale entry (format {meta.get('format')}, other key)")
            n_terms = int(meta["terms"])
            arrays = {name: data[name] for name in ("terms", "term_ptr", "docs", "tfs", "doc_len")}
    except (zipfile.BadZipFile, KeyError, TypeError, ValueError, EOFError) as exc:
        # np.load reads zip members through zipfile, which checks each member's CRC-32.
        raise CacheError(f"damaged entry ({exc.__class__.__name__}: {exc})") from None
    blob = arrays.pop("terms").tobytes().decode("utf-8", "surrogatepass")
    terms = tuple(blob.split("\0")) if n_terms else ()
    postings = Postings(terms=terms, **arrays)
    verify(postings, n_passages, n_terms)
    return postings


def verify(p: Postings, n_passages: int, n_terms: int) -> None:
    """The invariants scoring relies on; CacheError names the first that fails."""
    checks = [
        (p.term_ptr.dtype == np.int64 and p.docs.dtype == np.int32, "array types"),
        (p.tfs.dtype in (np.uint16, np.uint32) and p.doc_len.dtype == np.int32, "array types"),
        (len(p.terms) == n_terms == len(p.term_ptr) - 1, "term count"),
        (len(set(p.terms)) == len(p.terms), "duplicate terms"),
        (p.size == n_passages, "passage count"),
        (len(p.docs) == len(p.tfs), "posting arrays differ in length"),
    ]
    for ok, what in checks:
        if not ok:
            raise CacheError(f"invalid entry: {what}")
    if (
        p.term_ptr[0] != 0
        or p.term_ptr[-1] != len(p.docs)
        or (n_terms and np.any(np.diff(p.term_ptr) <= 0))
    ):
        raise CacheError("invalid entry: term offsets")
    if len(p.docs) and (p.docs.min() < 0 or p.docs.max() >= n_passages or p.tfs.min() < 1):
        raise CacheError("invalid entry: postings out of range")
    # Within a term, passages strictly ascend; a term's first posting may be anything.
    rising = np.diff(p.docs.astype(np.int64)) > 0
    if len(rising):
        rising[p.term_ptr[1:-1] - 1] = True
        if not rising.all():
            raise CacheError("invalid entry: postings out of order")
    if int(p.doc_len.astype(np.int64).sum()) != int(p.tfs.astype(np.int64).sum()):
        raise CacheError("invalid entry: passage lengths disagree with term frequencies")


def _prune(directory: Path, keep: Path) -> None:
    """Keep the KEEP_ENTRIES most recently used entries (and never the one just used)."""
    entries = sorted(
        directory.glob("postings-*.npz"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for old in entries[KEEP_ENTRIES:]:
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()


def cached_postings(
    texts: Sequence[str],
    settings: AnalyzerSettings,
    directory: Path | None = None,
    *,
    use_cache: bool | None = None,
) -> Postings:
    """The postings of `texts`: from the cache when a valid entry exists, else analysed (and
    stored for next time). Small corpora skip the cache: analysing them is quicker."""
    if use_cache is None:
        use_cache = len(texts) >= CACHE_MIN_PASSAGES
    directory = directory if directory is not None else cache_dir()
    if not use_cache or directory is None:
        return postings_from_texts(texts, settings)
    key = corpus_key(texts, settings)
    path = entry_path(directory, key)
    if path.exists():
        try:
            postings = load(path, key, len(texts))
            with contextlib.suppress(OSError):
                os.utime(path)  # most recently used: pruned last
            return postings
        except Exception as exc:  # whatever is wrong with the entry, it is rebuilt, not used
            log.warning("index cache: rebuilding %s: %s", path.name, exc)
            with contextlib.suppress(OSError):
                path.unlink()
    start = time.perf_counter()
    postings = postings_from_texts(texts, settings)
    try:
        save(path, postings, key)
        _prune(directory, path)
        elapsed = time.perf_counter() - start
        log.info("index cache: built and stored %s in %.1f s", path.name, elapsed)
    except (CacheError, OSError) as exc:  # read-only or full disk: the index still works
        log.warning("index cache: not stored (%s); the next start analyses again", exc)
    return postings


def open_index(
    texts: Sequence[str],
    analyzer: AnalyzerSettings,
    bm25: BM25Settings,
    *,
    engine: Engine | None = None,
    directory: Path | None = None,
) -> BM25Index:
    """The BM25 index of these passages with the engine their number calls for; the sparse
    engines' postings come from the cache when it holds them."""
    engine = engine or engine_for(len(texts))
    if engine == "rank-bm25":
        return BM25Index([analyze(t, analyzer) for t in texts], bm25, engine)
    return BM25Index.from_postings(cached_postings(texts, analyzer, directory), bm25, engine)
