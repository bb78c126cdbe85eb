"""Pearlbot's settings: one object read from the environment and an optional `.env` file.

Every layer reads settings through `current_settings()` and nothing else reads `os.environ`
(tests/test_settings.py checks it). Variables carry the prefix `PEARLBOT_`; an empty one
counts as unset. The Discord front end extends `PearlbotSettings` with its own variables
(`pearlbot.bot.discord_bot.settings`).

A leaf module: it imports nothing of Pearlbot's, so every layer can import it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(ValueError):
    """A setting has a bad value; the message names the variable, never its value."""


class PearlbotSettings(BaseSettings):
    """What every command reads: the corpus, the cache, the search engine, debugging, colour."""

    model_config = SettingsConfigDict(
        env_prefix="PEARLBOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # PEARLBOT_CORPUS= (empty) is the same as not set
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    # Article files or folders, separated by os.pathsep; unset: the packaged seed articles.
    corpus: str | None = None
    # The index and fact cache's folder; "off" never reads or writes it; unset: the user cache.
    cache_dir: str | None = None
    # The knowledge store's folder (one store per corpus inside); "off": never use one;
    # unset: the user cache's `store` folder. See docs/speed.md.
    store_dir: str | None = None
    # Force a BM25 engine ("rank-bm25", "numpy" or "numba") whatever the corpus size.
    bm25_engine: str | None = None
    # Show the traceback of an internal error instead of one line.
    debug: bool = False
    # https://no-color.org: any value turns terminal colour off. TERM=dumb does too.
    no_color: str | None = Field(None, validation_alias="NO_COLOR")
    term: str | None = Field(None, validation_alias="TERM")
    # Where the bot writes (votes, the question log): SQLAlchemy's URL form, e.g.
    # sqlite:////abs/path.db or postgresql://user@host/db. PEARLBOT_FEEDBACK_DB (a SQLite file's
    # path) is the older alias; when both are set the URL wins. Unset: SQLite in the user data dir.
    database_url: str | None = None
    feedback_db: str | None = None

    def corpus_paths(self) -> list[str] | None:
        """PEARLBOT_CORPUS split on os.pathsep, or None when it names nothing."""
        if not self.corpus:
            return None
        return [p for p in self.corpus.split(os.pathsep) if p] or None

    def database_url_in_use(self) -> str:
        """The database every command that writes or reads the bot's data uses."""
        if self.database_url:
            return self.database_url
        if self.feedback_db:
            return "sqlite:///" + os.path.abspath(os.path.expanduser(self.feedback_db))
        from platformdirs import user_data_dir

        return "sqlite:///" + os.path.join(user_data_dir("pearlbot"), "feedback.sqlite3")

    @property
    def colour_allowed(self) -> bool:
        """Whether the environment allows terminal colour (the stream must be a terminal too)."""
        return not self.no_color and self.term != "dumb"


S = TypeVar("S", bound=PearlbotSettings)


def load_settings(kind: type[S], **overrides: Any) -> S:
    """Read settings of `kind` (`PearlbotSettings` or a front end's extension of it); a bad
    value becomes a SettingsError naming the variable, never the value."""
    try:
        return kind(**overrides)
    except ValidationError as exc:
        aliases = _variable_names(kind)
        problems = []
        for error in exc.errors(include_input=False, include_url=False):
            where = ".".join(str(part) for part in error["loc"])
            where = aliases.get(where, where) if where else "settings"
            problems.append(f"{where}: {error['msg']}")
        raise SettingsError("; ".join(problems)) from None


def _variable_names(kind: type[PearlbotSettings]) -> dict[str, str]:
    """Field name -> the environment variable that sets it."""
    prefix = str(kind.model_config.get("env_prefix", ""))
    names = {}
    for name, field in kind.model_fields.items():
        alias = field.validation_alias
        names[name] = alias if isinstance(alias, str) else f"{prefix}{name}".upper()
    return names


_in_use: PearlbotSettings | None = None


def current_settings() -> PearlbotSettings:
    """The settings in use: the object a command installed with `settings_in_use`, else the
    environment and `.env` read now."""
    return _in_use if _in_use is not None else load_settings(PearlbotSettings)


@contextmanager
def settings_in_use(settings: PearlbotSettings) -> Iterator[PearlbotSettings]:
    """Make `settings` what every layer reads until the block ends (a command's lifetime)."""
    global _in_use
    before, _in_use = _in_use, settings
    try:
        yield settings
    finally:
        _in_use = before
