"""The BM25 postings on disk: plain `.npy` files, memory-mapped read-only, so every bot process
on a machine shares one copy in the page cache.

A generation's postings live in their own folder (`postings-N/`), written completely before
the database points at it; a folder the database does not name is debris of a crash and is
deleted by the next update. Updates rewrite the arrays from the previous ones without analysing
any unchanged passage again: removed rows drop out, kept rows are renumbered, new passages'
terms are merged in (a Lucene-style merge of the old segment with the new documents').
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pearlbot.retrieval.search.engine import Postings, merge_chunks
from pearlbot.retrieval.search.index_store import CacheError, verify

ARRAYS = ("term_ptr", "docs", "tfs", "doc_len")


def checksum(array: np.ndarray) -> int:
    """CRC-32 of an array's bytes (a damaged page is never trusted)."""
    return zlib.crc32(np.ascontiguousarray(array).data)


def write(folder: Path, postings: Postings) -> dict[str, object]:
    """Write the arrays into a new folder; returns what the database records to check them."""
    if any("\0" in t for t in postings.terms):
        raise CacheError("a term contains NUL; not storable")
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    blob = np.frombuffer("\0".join(postings.terms).encode("utf-8", "surrogatepass"), np.uint8)
    arrays = {"terms": blob, **{name: getattr(postings, name) for name in ARRAYS}}
    sums = {}
    for name, array in arrays.items():
        with open(tmp / f"{name}.npy", "wb") as f:
            np.save(f, array, allow_pickle=False)
            f.flush()
            os.fsync(f.fileno())
        sums[name] = checksum(array)
    os.replace(tmp, folder)
    return {"folder": folder.name, "terms": len(postings.terms), "crc": sums}


def read(folder: Path, info: dict[str, object], n_passages: int) -> Postings:
    """Memory-map and verify a generation's arrays; CacheError if they cannot be trusted."""
    try:
        arrays = {
            name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in ("terms", *ARRAYS)
        }
    except (OSError, ValueError) as exc:
        raise CacheError(f"postings unreadable ({exc.__class__.__name__}: {exc})") from None
    sums = info.get("crc")
    if not isinstance(sums, dict):
        raise CacheError("postings without checksums")
    for name, array in arrays.items():
        if checksum(array) != sums.get(name):
            raise CacheError(f"postings damaged ({name}.npy fails its checksum)")
    n_terms = int(info.get("terms", -1))  # type: ignore[call-overload]
    blob = arrays.pop("terms").tobytes().decode("utf-8", "surrogatepass")
    terms = tuple(blob.split("\0")) if n_terms else ()
    postings = Postings(terms=terms, **arrays)
    verify(postings, n_passages, n_terms)
    return postings


def from_tokens(tokens: Sequence[Sequence[str]]) -> Postings:
    """Postings of analysed passages (row i = passage i)."""
    return Postings.from_tokenized(tokens)


def rebuild(
    old: Postings, keep: np.ndarray, added: Sequence[tuple[int, Sequence[str]]]
) -> Postings:
    """The postings after an update, without analysing kept passages again.

    `keep[row]` is an old row's new row (-1: removed); `added` gives each new passage's row and
    terms. Terms are numbered by first appearance as a fresh build numbers them: by the first
    row that holds them, ties (terms new in one passage) in their order in that passage."""
    n_new = int((keep >= 0).sum()) + len(added)
    term_of = np.repeat(np.arange(len(old.terms), dtype=np.int64), np.diff(old.term_ptr))
    rows = keep[old.docs.astype(np.int64)] if len(old.docs) else np.zeros(0, np.int64)
    alive = rows >= 0
    term_of, rows, tfs = term_of[alive], rows[alive], old.tfs[alive].astype(np.int64)
    # New passages' terms, with their counts, after the old vocabulary.
    vocab = {t: i for i, t in enumerate(old.terms)}
    extra_terms: list[str] = []
    new_term, new_row, new_tf, new_pos = [], [], [], []
    for row, terms in added:
        counts: dict[str, int] = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        for position, (term, tf) in enumerate(counts.items()):
            tid = vocab.get(term)
            if tid is None:
                tid = vocab[term] = len(old.terms) + len(extra_terms)
                extra_terms.append(term)
            new_term.append(tid)
            new_row.append(row)
            new_tf.append(tf)
            new_pos.append(position)
    all_terms = (*old.terms, *extra_terms)
    term_of = np.concatenate([term_of, np.asarray(new_term, np.int64)])
    rows = np.concatenate([rows, np.asarray(new_row, np.int64)])
    tfs = np.concatenate([tfs, np.asarray(new_tf, np.int64)])
    # First appearance: the smallest row; within a row, kept terms keep their old relative
    # order (old ids are by first appearance too) and new passages order by position.
    n_all = len(all_terms)
    first_row = np.full(n_all, np.iinfo(np.int64).max)
    np.minimum.at(first_row, term_of, rows)
    tie = np.arange(n_all, dtype=np.int64)
    if new_term:
        # A new passage's terms: order by position in that passage, after nothing older.
        pos = np.full(n_all, -1, np.int64)
        first_in_new = {}
        for tid, row, p in zip(new_term, new_row, new_pos, strict=True):
            if first_row[tid] == row and tid not in first_in_new:
                first_in_new[tid] = p
        for tid, p in first_in_new.items():
            pos[tid] = p
        tie = np.where(pos >= 0, pos, tie)
    used = first_row < np.iinfo(np.int64).max
    order = np.lexsort((tie, first_row))
    order = order[used[order]]
    new_id = np.full(n_all, -1, np.int64)
    new_id[order] = np.arange(len(order))
    term_of = new_id[term_of]
    key = term_of * max(n_new, 1) + rows
    sort = np.argsort(key, kind="stable")
    term_of, rows, tfs = term_of[sort], rows[sort], tfs[sort]
    term_ptr = np.searchsorted(term_of, np.arange(len(order) + 1)).astype(np.int64)
    doc_len = np.zeros(n_new, np.int64)
    kept_rows = np.flatnonzero(keep >= 0)
    doc_len[keep[kept_rows]] = old.doc_len[kept_rows]
    for row, terms in added:
        doc_len[row] = len(terms)
    tf_type = np.uint16 if not len(tfs) or tfs.max() <= np.iinfo(np.uint16).max else np.uint32
    return Postings(
        terms=tuple(all_terms[i] for i in order.tolist()),
        term_ptr=term_ptr,
        docs=rows.astype(np.int32),
        tfs=tfs.astype(tf_type),
        doc_len=doc_len.astype(np.int32),
    )


def remove_other_folders(store: Path, keep: Sequence[str]) -> None:
    """Delete postings folders the database no longer names (a reader that still maps one
    keeps its pages until it lets go: unlinking a mapped file is safe on POSIX)."""
    for folder in store.glob("postings-*"):
        if folder.name not in keep:
            with contextlib.suppress(OSError):
                shutil.rmtree(folder)


def describe(info: dict[str, object]) -> str:
    return json.dumps(info, sort_keys=True)


__all__ = ["checksum", "from_tokens", "merge_chunks", "read", "rebuild", "write"]
