"""Everything the bot writes, in one database: 👍/👎 votes, the answers behind the buttons, and
the question log with its stats. SQLite by default, PostgreSQL for shards on several machines.

One URL (`PEARLBOT_DATABASE_URL`, SQLAlchemy's form) picks the database; SQLAlchemy Core talks
to both. The schema is versioned: `schema_version` holds the number of the last migration run,
and `MIGRATIONS` are applied in order, once, under a lock (an advisory lock on PostgreSQL, a
write transaction on SQLite), so processes starting together do not race.

No discord.py here: `pearlbot feedback` and `pearlbot stats` read it without importing it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("pearlbot.database")

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("message_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("vote", sa.Integer, sa.CheckConstraint("vote IN (-1, 1)"), nullable=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text),
    sa.Column("passage_ids", sa.Text, nullable=False, server_default=""),
    sa.Column("guild_id", sa.BigInteger),
    sa.Column("channel_id", sa.BigInteger),
    sa.Column("created_at", sa.Text, nullable=False),  # ISO 8601, UTC, seconds
)

# The answer behind a message's buttons: what "More passages" and 👍/👎 need after a restart.
answers = sa.Table(
    "answers",
    metadata,
    sa.Column("message_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text),
    sa.Column("passage_ids", sa.Text, nullable=False, server_default=""),
    sa.Column("label", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
)

# The question log: never a user id or name.
questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("asked_at", sa.Text, nullable=False, index=True),
    sa.Column("guild_id", sa.BigInteger),
    sa.Column("channel_id", sa.BigInteger),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answered", sa.Boolean, nullable=False),
    sa.Column("intent", sa.Text),
    sa.Column("latency_ms", sa.Float, nullable=False),
    sa.Column("documents", sa.Text, nullable=False, server_default=""),
    sa.Column("via", sa.Text, nullable=False, server_default=""),
)

FEEDBACK_COLUMNS = (
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
TOP_UNANSWERED = 10
_ADVISORY_LOCK = 0x5EA7B07  # pg_advisory_xact_lock key for migrations


def _migration_1(conn: Connection) -> None:
    """The feedback table (as the SQLite-only versions made it), answers and the question log."""
    for table in (feedback, answers, questions):
        table.create(conn, checkfirst=True)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_migration_1,)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(Exception):
    """The database cannot be opened or written: one line for the user."""


@dataclass(frozen=True)
class Vote:
    """One user's 👍 (+1) or 👎 (-1) on one answer message."""

    message_id: int
    user_id: int
    vote: int
    question: str
    answer: str | None
    passage_ids: tuple[str, ...] = ()
    guild_id: int | None = None
    channel_id: int | None = None


class StoredAnswer(BaseModel):
    """What a message's buttons need: the question and the answer it got."""

    model_config = ConfigDict(frozen=True)

    message_id: int
    question: str
    answer: str | None
    passage_ids: tuple[str, ...]
    label: str | None = None


class LoggedQuestion(BaseModel):
    """One question for the log: where (guild and channel, never who), what, and how it went."""

    model_config = ConfigDict(frozen=True)

    question: str
    answered: bool
    latency_ms: float
    intent: str | None = None
    documents: tuple[str, ...] = ()
    guild_id: int | None = None
    channel_id: int | None = None
    via: str = ""
    asked_at: dt.datetime | None = None


class FrequentQuestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    question: str
    count: int


class UsageStats(BaseModel):
    """What `pearlbot stats` and `/stats` show."""

    model_config = ConfigDict(frozen=True)

    since: str | None
    asked: int
    unanswered: int
    top_unanswered: tuple[FrequentQuestion, ...]
    thumbs_up: int
    thumbs_down: int
    thumbs_up_rate: float | None
    latency_p50_ms: float | None
    latency_p95_ms: float | None


def default_database_path() -> Path:
    """The SQLite file used when no URL is set: in the user data folder."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("pearlbot")) / "feedback.sqlite3"


def sqlite_url(path: Path | str) -> str:
    """SQLAlchemy's URL for a SQLite file (absolute), or for an in-memory database."""
    if str(path) == ":memory:":
        return "sqlite://"
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _iso(when: dt.datetime | dt.date) -> str:
    if not isinstance(when, dt.datetime):
        when = dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def percentile(values: Sequence[float], share: float) -> float | None:
    """The nearest-rank percentile (share in 0..1) of values, None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-share * len(ordered) // 1))))
    return ordered[rank - 1]


class Database:
    """The bot's database behind one small interface; thread-safe, every write committed."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        try:
            parsed = sa.engine.make_url(url)
        except sa.exc.ArgumentError as exc:
            raise DatabaseError(f"not a database URL ({exc})") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise DatabaseError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")
        if self.dialect == "postgresql" and parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        options: dict[str, Any] = {}
        if self.dialect == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:":
                path = Path(database)
                if not create and not path.exists():
                    raise DatabaseError(f"no database at {path}")
                path.parent.mkdir(parents=True, exist_ok=True)
            else:
                options["poolclass"] = sa.pool.StaticPool
            options["connect_args"] = {"check_same_thread": False, "timeout": 15.0}
        else:
            options["pool_pre_ping"] = True
        try:
            self.engine: Engine = sa.create_engine(parsed, **options)
        except ImportError as exc:
            raise DatabaseError(
                f"{exc.name} is not installed: pip install 'pearlbot[postgres]'"
            ) from None
        if self.dialect == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        self._lock = threading.Lock()
        self._closed = False
        try:
            self.migrate()
        except sa.exc.SQLAlchemyError as exc:
            self.engine.dispose()
            raise DatabaseError(_short(exc)) from None

    @property
    def where(self) -> str:
        """The URL without a password, for messages."""
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    # -- schema ------------------------------------------------------------------------------

    def migrate(self) -> int:
        """Bring the schema to SCHEMA_VERSION; return the version found before."""
        for attempt in range(5):
            try:
                return self._migrate_once()
            except (sa.exc.OperationalError, sa.exc.IntegrityError):
                # SQLite: another process holds the write lock, or made the table or wrote the
                # version row first (a deferred transaction read before it committed).
                if self.dialect != "sqlite" or attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))
        return SCHEMA_VERSION  # unreachable

    def _migrate_once(self) -> int:
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
            schema_version.create(conn, checkfirst=True)
            found = conn.execute(sa.select(schema_version.c.version)).scalar()
            before = int(found or 0)
            for number in range(before, SCHEMA_VERSION):
                MIGRATIONS[number](conn)
                log.info("database: migration %d applied", number + 1)
            if found is None:
                conn.execute(schema_version.insert().values(id=1, version=SCHEMA_VERSION))
            elif before < SCHEMA_VERSION:
                conn.execute(schema_version.update().values(version=SCHEMA_VERSION))
            return before

    def version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(schema_version.c.version)).scalar() or 0)

    # -- writing -----------------------------------------------------------------------------

    def _upsert(self, table: sa.Table, keys: Sequence[str], values: dict[str, Any]) -> Any:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            pg = pg_insert(table).values(**values)
            update = {k: pg.excluded[k] for k in values if k not in keys}
            return pg.on_conflict_do_update(index_elements=list(keys), set_=update)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        lite = sqlite_insert(table).values(**values)
        update = {k: lite.excluded[k] for k in values if k not in keys}
        return lite.on_conflict_do_update(index_elements=list(keys), set_=update)

    def _write(self, statement: Any) -> None:
        with self._lock:
            if self._closed:
                raise DatabaseError("the database is closed")
            with self.engine.begin() as conn:
                conn.execute(statement)

    def record(self, vote: Vote) -> None:
        """Insert or replace the user's vote on that message (one vote per user and answer)."""
        if vote.vote not in (-1, 1):
            raise ValueError("vote must be +1 or -1")
        values = {
            "message_id": vote.message_id,
            "user_id": vote.user_id,
            "vote": vote.vote,
            "question": vote.question,
            "answer": vote.answer,
            "passage_ids": " ".join(vote.passage_ids),
            "guild_id": vote.guild_id,
            "channel_id": vote.channel_id,
            "created_at": utc_now(),
        }
        self._write(self._upsert(feedback, ("message_id", "user_id"), values))

    def remember_answer(self, stored: StoredAnswer) -> None:
        """Keep what a message's buttons need, by the message's id."""
        values = {
            "message_id": stored.message_id,
            "question": stored.question,
            "answer": stored.answer,
            "passage_ids": " ".join(stored.passage_ids),
            "label": stored.label,
            "created_at": utc_now(),
        }
        self._write(self._upsert(answers, ("message_id",), values))

    def answer_for(self, message_id: int) -> StoredAnswer | None:
        """The answer a message shows, or None if this database never saw it."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(answers).where(answers.c.message_id == message_id)).first()
        if row is None:
            return None
        return StoredAnswer(
            message_id=row.message_id,
            question=row.question,
            answer=row.answer,
            passage_ids=tuple(row.passage_ids.split()),
            label=row.label,
        )

    def log_question(self, entry: LoggedQuestion) -> None:
        """Add one question to the log."""
        asked = _iso(entry.asked_at) if entry.asked_at else utc_now()
        self._write(
            questions.insert().values(
                asked_at=asked,
                guild_id=entry.guild_id,
                channel_id=entry.channel_id,
                question=entry.question,
                answered=entry.answered,
                intent=entry.intent,
                latency_ms=entry.latency_ms,
                documents=" ".join(entry.documents),
                via=entry.via,
            )
        )

    def forget_before(self, when: dt.datetime | dt.date) -> int:
        """Delete logged questions, votes and stored answers older than `when`; return the
        number of rows deleted."""
        cut = _iso(when)
        deleted = 0
        with self._lock, self.engine.begin() as conn:
            for table, column in (
                (questions, questions.c.asked_at),
                (feedback, feedback.c.created_at),
                (answers, answers.c.created_at),
            ):
                deleted += conn.execute(table.delete().where(column < cut)).rowcount or 0
        return deleted

    # -- reading -----------------------------------------------------------------------------

    def rows(self) -> list[dict[str, object]]:
        """Every vote, oldest first, as plain dicts (FEEDBACK_COLUMNS)."""
        columns = [feedback.c[name] for name in FEEDBACK_COLUMNS]
        with self.engine.connect() as conn:
            result = conn.execute(
                sa.select(*columns).order_by(feedback.c.created_at, feedback.c.message_id)
            )
            return [dict(row._mapping) for row in result]

    def logged_questions(self) -> list[dict[str, object]]:
        """The question log, oldest first."""
        with self.engine.connect() as conn:
            result = conn.execute(sa.select(questions).order_by(questions.c.id))
            return [dict(row._mapping) for row in result]

    def stats(self, since: dt.datetime | dt.date | None = None) -> UsageStats:
        """Questions asked and unanswered, the most frequent unanswered ones, 👍/👎 and latency."""
        cut = _iso(since) if since is not None else None
        q_filter = [questions.c.asked_at >= cut] if cut else []
        f_filter = [feedback.c.created_at >= cut] if cut else []
        with self.engine.connect() as conn:
            asked = conn.execute(
                sa.select(sa.func.count()).select_from(questions).where(*q_filter)
            ).scalar_one()
            unanswered = conn.execute(
                sa.select(sa.func.count())
                .select_from(questions)
                .where(questions.c.answered.is_(False), *q_filter)
            ).scalar_one()
            key = sa.func.lower(questions.c.question)
            count = sa.func.count().label("n")
            top = conn.execute(
                sa.select(sa.func.min(questions.c.question), count)
                .where(questions.c.answered.is_(False), *q_filter)
                .group_by(key)
                .order_by(count.desc(), sa.func.min(questions.c.question))
                .limit(TOP_UNANSWERED)
            ).all()
            votes: dict[int, int] = dict(
                conn.execute(
                    sa.select(feedback.c.vote, sa.func.count())
                    .where(*f_filter)
                    .group_by(feedback.c.vote)
                ).all()
            )
            latencies = list(
                conn.execute(sa.select(questions.c.latency_ms).where(*q_filter)).scalars()
            )
        up, down = int(votes.get(1, 0)), int(votes.get(-1, 0))
        p50, p95 = percentile(latencies, 0.50), percentile(latencies, 0.95)
        return UsageStats(
            since=cut,
            asked=int(asked),
            unanswered=int(unanswered),
            top_unanswered=tuple(FrequentQuestion(question=q, count=int(n)) for q, n in top),
            thumbs_up=up,
            thumbs_down=down,
            thumbs_up_rate=round(up / (up + down), 3) if up + down else None,
            latency_p50_ms=round(p50, 1) if p50 is not None else None,
            latency_p95_ms=round(p95, 1) if p95 is not None else None,
        )

    def close(self) -> None:
        """Close every connection; on SQLite, fold the WAL into the file. Safe to call twice."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self.dialect == "sqlite":
                try:
                    with self.engine.connect() as conn:
                        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                except sa.exc.SQLAlchemyError as exc:
                    log.debug("WAL checkpoint failed: %s", exc)
            self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def _short(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's background link."""
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(exc).__name__


def open_database(url: str, *, create: bool = True) -> Database:
    """Open (and migrate) the database at `url`; DatabaseError with one line if it cannot."""
    try:
        return Database(url, create=create)
    except DatabaseError:
        raise
    except Exception as exc:
        raise DatabaseError(_short(exc)) from None
