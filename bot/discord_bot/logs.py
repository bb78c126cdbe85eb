"""Logging for `pearlbot run`: every line, traceback included, has the token redacted."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then replaces each secret (defence in depth: we never log it)."""

    def __init__(self, secrets: Iterable[str], fmt: str, datefmt: str | None = None) -> None:
        super().__init__(fmt, datefmt)
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


def setup_logging(
    *,
    debug: bool = False,
    level: int | None = None,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """One stderr handler on the root logger, for every library's lines: at `level`, else
    INFO (DEBUG with --debug). It replaces the command line's own `pearlbot:` handler."""
    if level is None:
        level = logging.DEBUG if debug else logging.INFO
    debug = level <= logging.DEBUG
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        RedactingFormatter(
            secrets, "%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    pearlbot = logging.getLogger("pearlbot")  # the root handler now prints its lines
    for old in list(pearlbot.handlers):
        pearlbot.removeHandler(old)
    pearlbot.setLevel(logging.NOTSET)
    # aiohttp's access and discord.py's per-packet lines are noise unless debugging.
    logging.getLogger("discord.gateway").setLevel(logging.DEBUG if debug else logging.INFO)
    logging.getLogger("discord.http").setLevel(logging.DEBUG if debug else logging.WARNING)
    return handler
