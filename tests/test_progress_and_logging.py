"""Progress bars only on a terminal's stderr; log lines before loading, with -v and --quiet."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from pearlbot import progress as progress_module
from pearlbot.bot.cli import main
from pearlbot.bot.commands import discord as discord_command
from pearlbot.bot.commands.common import UsageError
from pearlbot.progress import progress
from pearlbot.retrieval import evaluate
from pearlbot.retrieval.evaluation import EvalQuestion
from pearlbot.retrieval.search import bm25


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def as_terminal(monkeypatch) -> Terminal:
    """stderr as a terminal, and bars drawn at once (no delay). Called in the test itself:
    pytest's capture puts its own stderr back between a fixture and the test."""
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    monkeypatch.setattr(progress_module, "SHOW_AFTER_SECONDS", 0)
    return stream


def test_no_bar_when_stderr_is_not_a_terminal(monkeypatch):
    """Piped or captured stderr gets the items themselves, untouched."""
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    items = [1, 2, 3]
    assert progress(items, desc="work") is items


def test_a_bar_on_a_terminal(monkeypatch):
    """On a terminal the items pass through a tqdm bar drawn on stderr, gone when done."""
    terminal = as_terminal(monkeypatch)
    assert list(progress(range(5), desc="work", unit=" things")) == [0, 1, 2, 3, 4]
    assert "work:   0%" in terminal.getvalue() and "0/5" in terminal.getvalue()


def test_eval_shows_a_bar_over_the_questions(monkeypatch, seed_kb):
    """`pearlbot eval`'s loop over a question file draws its bar on a terminal."""
    terminal = as_terminal(monkeypatch)
    questions = [
        EvalQuestion(id=f"q{n}", question="How many assistance projects?", kind="figure")
        for n in range(3)
    ]
    report = evaluate(seed_kb, questions)
    assert len(report.results) == 3
    assert "questions:   0%" in terminal.getvalue() and "0/3" in terminal.getvalue()


@pytest.fixture
def large_without_numba(monkeypatch):
    """The seed corpus counts as large, and numba cannot be imported."""
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setattr(bm25, "_fast_engine_hint_given", False)
    monkeypatch.setattr(bm25, "NUMPY_MIN_PASSAGES", 1)
    monkeypatch.setattr(bm25, "NUMBA_MIN_PASSAGES", 2)
    for name in ("PEARLBOT_CORPUS", "PEARLBOT_BM25_ENGINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")


def test_the_fast_engine_hint_reaches_stderr_once(large_without_numba, capsys):
    """`pearlbot ask` on a large corpus without numba says once, on stderr, what to install."""
    assert main(["ask", "How many assistance projects?", "Who led the delegation?"]) == 0
    err = capsys.readouterr().err
    hints = [line for line in err.splitlines() if "pearlbot[fast]" in line]
    assert len(hints) == 1 and hints[0].startswith("pearlbot: ")


def test_quiet_silences_the_hint(large_without_numba, capsys):
    """--quiet keeps warnings off stderr."""
    assert main(["ask", "--quiet", "How many assistance projects?"]) == 0
    assert "pearlbot[fast]" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "level"),
    [([], logging.INFO), (["-v"], logging.DEBUG), (["--quiet"], logging.WARNING)],
)
def test_run_sets_up_logging_before_loading(flags, level, monkeypatch):
    """`pearlbot run` configures logging first, at INFO, -v or --quiet moving it a step."""
    from pearlbot.bot.discord_bot import logs

    monkeypatch.setenv("DISCORD_TOKEN", "not-a-real-token")
    calls: list[tuple[str, object]] = []

    def setup_logging(**kwargs):
        calls.append(("logging", kwargs["level"]))

    def service(args):
        calls.append(("load", None))
        raise UsageError("stop before connecting")

    monkeypatch.setattr(logs, "setup_logging", setup_logging)
    monkeypatch.setattr(discord_command, "_service", service)
    assert main(["run", *flags]) == 2
    assert calls == [("logging", level), ("load", None)]
