"""The bot's database: the same tests on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pearlbot.bot.database import (
    SCHEMA_VERSION,
    Database,
    DatabaseError,
    LoggedQuestion,
    StoredAnswer,
    Vote,
    open_database,
    percentile,
    sqlite_url,
)
from pearlbot.bot.discord_bot.feedback import export
from pearlbot.settings import PearlbotSettings
from tests.conftest import ROOT

WRITER = """
import sys
from pearlbot.bot.database import Database, LoggedQuestion, Vote
db = Database(sys.argv[1])
worker = int(sys.argv[2])
for n in range(int(sys.argv[3])):
    db.record(Vote(worker * 100_000 + n, worker, 1, "q", None))
    db.log_question(LoggedQuestion(question=f"q{n}", answered=n % 2 == 0, latency_ms=n))
db.close()
"""


def test_schema_is_versioned_and_migrating_twice_changes_nothing(database_url: str) -> None:
    database = Database(database_url)
    assert database.version() == SCHEMA_VERSION
    assert database.migrate() == SCHEMA_VERSION  # already there: nothing to apply
    database.close()
    database.close()  # twice is fine
    again = Database(database_url)
    assert again.version() == SCHEMA_VERSION
    again.close()


def test_votes_upsert_and_export(database_url: str) -> None:
    database = Database(database_url)
    big = 1_300_000_000_000_000_001  # Discord ids need 64 bits
    database.record(Vote(big, 10, 1, "q, with comma", "a", ("d#1", "d#2"), 7, 8))
    database.record(Vote(big, 10, -1, "q, with comma", "a", ("d#1", "d#2"), 7, 8))  # changed
    database.record(Vote(2, 11, 1, "other", None))
    with pytest.raises(ValueError):
        database.record(Vote(3, 1, 0, "q", None))
    rows = database.rows()
    assert sorted((r["message_id"], r["vote"]) for r in rows) == [(2, 1), (big, -1)]
    by_id = {r["message_id"]: r for r in rows}
    assert by_id[big]["passage_ids"] == "d#1 d#2"
    assert json.loads(export(rows, "json"))[0]["question"] in ("q, with comma", "other")
    csv_text = export(rows, "csv")
    assert csv_text.splitlines()[0].startswith("created_at,vote,question")
    assert '"q, with comma"' in csv_text
    database.close()


def test_answers_are_kept_by_message_id(database_url: str) -> None:
    database = Database(database_url)
    stored = StoredAnswer(message_id=5, question="q", answer="a", passage_ids=("d#1",), label="L")
    database.remember_answer(stored)
    database.remember_answer(stored.model_copy(update={"answer": "b"}))
    assert database.answer_for(5) == stored.model_copy(update={"answer": "b"})
    assert database.answer_for(6) is None
    database.close()


def test_question_log_and_stats(database_url: str) -> None:
    database = Database(database_url)
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    database.log_question(
        LoggedQuestion(question="ancient", answered=False, latency_ms=9000, asked_at=old)
    )
    for n in range(1, 21):  # latencies 10..200 ms, every fourth unanswered
        database.log_question(
            LoggedQuestion(
                question="Where is Atlantis?" if n % 4 == 0 else f"question {n}",
                answered=n % 4 != 0,
                latency_ms=n * 10,
                intent="place",
                documents=("doc-a", "doc-b"),
                guild_id=1,
                channel_id=2,
                via="mention",
            )
        )
    database.log_question(
        LoggedQuestion(question="where is atlantis?", answered=False, latency_ms=5)
    )
    database.record(Vote(1, 1, 1, "q", "a"))
    database.record(Vote(1, 2, 1, "q", "a"))
    database.record(Vote(1, 3, -1, "q", "a"))
    since = dt.date(2024, 1, 1)
    usage = database.stats(since)
    assert usage.asked == 21 and usage.unanswered == 6
    assert usage.top_unanswered[0].count == 6
    assert usage.top_unanswered[0].question.lower() == "where is atlantis?"
    assert (usage.thumbs_up, usage.thumbs_down, usage.thumbs_up_rate) == (2, 1, 0.667)
    assert usage.latency_p50_ms == 100.0 and usage.latency_p95_ms == 190.0
    assert database.stats().asked == 22  # the 2020 question counts without --since
    row = next(r for r in database.logged_questions() if r["question"] == "question 1")
    assert row["documents"] == "doc-a doc-b" and row["guild_id"] == 1 and row["intent"] == "place"
    assert "user" not in " ".join(row)  # the log never keeps who asked
    assert database.forget_before(since) == 1
    assert database.stats().asked == 21
    database.close()


def test_two_processes_write_at_once(database_url: str) -> None:
    Database(database_url).close()  # the schema exists before they start
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, database_url, str(worker), "40"],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in (1, 2)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    database = Database(database_url)
    assert len(database.rows()) == 80
    assert database.stats().asked == 80 and database.stats().unanswered == 40
    database.close()


def test_two_processes_creating_the_schema_at_once(database_url: str) -> None:
    script = "import sys; from pearlbot.bot.database import Database; Database(sys.argv[1]).close()"
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    starting = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url], env=env, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for process in starting:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    database = Database(database_url)
    assert database.version() == SCHEMA_VERSION
    database.close()


def test_a_feedback_file_from_before_versioning_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "feedback.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE feedback (message_id INTEGER NOT NULL, user_id INTEGER NOT NULL,"
        " vote INTEGER NOT NULL CHECK (vote IN (-1, 1)), question TEXT NOT NULL, answer TEXT,"
        " passage_ids TEXT NOT NULL DEFAULT '', guild_id INTEGER, channel_id INTEGER,"
        " created_at TEXT NOT NULL, PRIMARY KEY (message_id, user_id))"
    )
    old.execute(
        "INSERT INTO feedback VALUES"
        " (1, 2, 1, 'q', 'a', '', NULL, NULL, '2024-01-01T00:00:00+00:00')"
    )
    old.commit()
    old.close()
    database = Database(sqlite_url(path))
    assert database.version() == SCHEMA_VERSION
    assert [r["question"] for r in database.rows()] == ["q"]
    database.close()


def test_bad_urls_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="unsupported database"):
        open_database("mysql://x@y/z")
    with pytest.raises(DatabaseError, match="not a database URL"):
        open_database("not a url")
    with pytest.raises(DatabaseError, match="no database at"):
        open_database(sqlite_url(tmp_path / "missing.sqlite3"), create=False)


def test_the_url_wins_over_the_feedback_db_alias(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PEARLBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("PEARLBOT_FEEDBACK_DB", "votes.db")
    assert PearlbotSettings().database_url_in_use() == f"sqlite:///{tmp_path / 'votes.db'}"
    monkeypatch.setenv("PEARLBOT_DATABASE_URL", "postgresql://bot@db.internal/pearlbot")
    assert PearlbotSettings().database_url_in_use() == "postgresql://bot@db.internal/pearlbot"
    monkeypatch.delenv("PEARLBOT_FEEDBACK_DB")
    monkeypatch.delenv("PEARLBOT_DATABASE_URL")
    assert PearlbotSettings().database_url_in_use().endswith("feedback.sqlite3")


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
