"""The bot's database for tests: the same tests run on SQLite and on a real PostgreSQL server
that the tests start themselves (tests/bot/postgres.py)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.bot.postgres import INSTALL_HINT, postgres_server, server_bin

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """One PostgreSQL server for the session. Skipped when it is not installed, except in CI
    (CI=true), where .ci/check installs it: there a missing server fails the run."""
    if server_bin() is None:
        if os.environ.get("CI"):
            pytest.fail(INSTALL_HINT + ", but CI must run the PostgreSQL tests")
        pytest.skip(INSTALL_HINT)
    with postgres_server() as url:
        yield url


def fresh_postgres_database(server_url: str) -> str:
    """A new, empty database on the test server; its URL."""
    name = f"t{os.getpid()}_{next(_databases)}"
    admin = sa.create_engine(
        server_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return server_url.replace("/test?", f"/{name}?", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database's URL: a SQLite file, then a database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'pearlbot.sqlite3'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_url"))
