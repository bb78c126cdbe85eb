"""👍/👎 feedback on answers, kept in SQLite (WAL) so a team can review bad answers.

No discord.py here: `pearlbot feedback` exports without importing it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    message_id   INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    vote         INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question     TEXT NOT NULL,
    answer       TEXT,
    passage_ids  TEXT NOT NULL DEFAULT '',
    guild_id     INTEGER,
    channel_id   INTEGER,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (message_id, user_id)
)
"""
COLUMNS = (
    "created_at",
    "vote",
    "question",
    "answer",
    "passage_ids",
    "message_id",
    "user_id",
    "guild_id",
    "channel_id",
)


@dataclass(frozen=True)
class Vote:
    message_id: int
    user_id: int
    vote: int  # +1 or -1
    question: str
    answer: str | None
    passage_ids: tuple[str, ...] = ()
    guild_id: int | None = None
    channel_id: int | None = None


class FeedbackStore:
    """One connection guarded by a lock; every vote is committed when recorded."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = sqlite3.connect(
            str(path), check_same_thread=False, timeout=5.0
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)
        self._db.commit()

    def record(self, vote: Vote) -> None:
        """Insert or replace the user's vote on that message (one vote per user and answer)."""
        if vote.vote not in (-1, 1):
            raise ValueError("vote must be +1 or -1")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            db = self._require()
            db.execute(
                "INSERT INTO feedback (message_id, user_id, vote, question, answer, passage_ids,"
                " guild_id, channel_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (message_id, user_id) DO UPDATE SET vote = excluded.vote,"
                " created_at = excluded.created_at",
                (
                    vote.message_id,
                    vote.user_id,
                    vote.vote,
                    vote.question,
                    vote.answer,
                    " ".join(vote.passage_ids),
                    vote.guild_id,
                    vote.channel_id,
                    now,
                ),
            )
            db.commit()

    def rows(self) -> list[dict[str, object]]:
        with self._lock:
            db = self._require()
            cursor = db.execute(
                f"SELECT {', '.join(COLUMNS)} FROM feedback ORDER BY created_at, message_id"
            )
            return [dict(zip(COLUMNS, row, strict=True)) for row in cursor]

    def close(self) -> None:
        """Checkpoint the WAL into the database file and close; safe to call twice."""
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                self._db.close()
                self._db = None

    def _require(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the feedback store is closed")
        return self._db


def export(rows: list[dict[str, object]], fmt: str) -> str:
    """Rows as CSV (with a header) or a JSON array."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
