"""The store's SQLite database (WAL): one row per article file, and the store's metadata.

A row holds the parsed document, its passages' offsets, its facts (JSON) and its words; the
row of a file that could not be used holds why. Readers never block the one writer (WAL).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from pearlbot.retrieval.store.records import Record

DB_NAME = "knowledge.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aggregates (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    problem TEXT,
    digest TEXT NOT NULL,
    title TEXT, released TEXT, credit TEXT, text TEXT,
    spans BLOB, facts BLOB, words TEXT, surface TEXT, upper TEXT, lower TEXT,
    title_words TEXT, places TEXT,
    passages INTEGER NOT NULL DEFAULT 0,
    n_facts INTEGER NOT NULL DEFAULT 0
);
"""


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """Open the database (WAL); read-only opens work in folders this process cannot write."""
    if read_only:
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            # No -shm file can be made next to it: read the file as it stands.
            db = sqlite3.connect(f"file:{path}?immutable=1", uri=True, check_same_thread=False)
        return db
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")
    db.executescript(SCHEMA)
    return db


def get_meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM meta").fetchall())


def set_meta(db: sqlite3.Connection, values: dict[str, object]) -> None:
    db.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in values.items()],
    )


def get_aggregates(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT name, value FROM aggregates").fetchall())


def set_aggregates(db: sqlite3.Connection, values: dict[str, str]) -> None:
    db.executemany("INSERT OR REPLACE INTO aggregates (name, value) VALUES (?, ?)", values.items())


def _join(values: Iterable[str]) -> str:
    return "\n".join(values)


def row_of(record: Record) -> tuple[object, ...]:
    """The row that stores a record (its passage terms are not kept: the postings hold them)."""
    doc = record.document
    if doc is None:
        return (record.path, record.size, record.mtime_ns, record.sha, record.doc_id,
                record.problem, record.digest) + (None,) * 12 + (0, 0)  # fmt: skip
    spans = np.asarray(record.spans, dtype=np.int32).reshape(-1, 2).tobytes()
    return (
        record.path, record.size, record.mtime_ns, record.sha, record.doc_id, None,
        record.digest, doc.title, doc.released.isoformat() if doc.released else None,
        doc.credit, doc.text, spans, record.facts_blob,
        _join(record.words), _join(record.surface), _join(record.upper), _join(record.lower),
        _join(record.title_words), _join(record.places), len(record.spans), record.n_facts,
    )  # fmt: skip


COLUMNS = (
    "path, size, mtime_ns, sha, doc_id, problem, digest, title, released, credit, text, spans,"
    " facts, words, surface, upper, lower, title_words, places, passages, n_facts"
)


def put(db: sqlite3.Connection, records: Iterable[Record]) -> None:
    db.executemany(
        f"INSERT OR REPLACE INTO files ({COLUMNS}) VALUES ({', '.join('?' * 21)})",
        map(row_of, records),
    )


def delete(db: sqlite3.Connection, paths: Iterable[str]) -> None:
    db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])


def stats(db: sqlite3.Connection) -> dict[str, tuple[int, int, str, str, str | None, str, int]]:
    """path -> (size, mtime_ns, sha, doc_id, problem, digest, passages): what change
    detection and ordering read, without any article text."""
    rows = db.execute(
        "SELECT path, size, mtime_ns, sha, doc_id, problem, digest, passages FROM files"
    )
    return {r[0]: tuple(r[1:]) for r in rows}  # type: ignore[misc]


def documents(db: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """path -> the stored columns of its document, for every file that holds one."""
    rows = db.execute(
        "SELECT path, doc_id, title, released, credit, text, spans, facts, words"
        " FROM files WHERE problem IS NULL"
    )
    return {r[0]: r for r in rows}
