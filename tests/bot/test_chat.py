"""The terminal chat: help, Ctrl-D and what its history keeps (issue 15)."""

from __future__ import annotations

import builtins
import io
from collections.abc import Iterator

import pytest

from pearlbot.bot import console


class Terminal(io.StringIO):
    """stdin or stdout that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _typing(lines: list[str]) -> Iterator[str]:
    yield from lines
    raise EOFError  # Ctrl-D


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch, tmp_path):
    """Feed `input()` the given lines, then Ctrl-D; history goes to a private file."""
    monkeypatch.setattr(console, "_history_file", lambda: tmp_path / "history")

    def feed(lines: list[str]) -> None:
        source = _typing(lines)
        monkeypatch.setattr(builtins, "input", lambda prompt="": next(source))

    return feed


def test_help_lists_commands_and_questions_this_corpus_answers(seed_kb, typed):
    typed(["help", "/help"])
    out = Terminal()
    assert console.chat(seed_kb, k=3, stdin=Terminal(), stdout=out) == 0
    shown = out.getvalue()
    assert shown.count("Commands: help (or /help)") == 2
    assert "quit" in shown and "Ctrl-D" in shown
    assert "Which district is paired with" in shown  # an example from the corpus's own facts


def test_ctrl_d_ends_the_line(seed_kb, typed):
    typed([])
    out = Terminal()
    console.chat(seed_kb, k=3, stdin=Terminal(), stdout=out)
    assert out.getvalue().endswith("\n\n")  # the banner's line, then the one Ctrl-D ends


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("Who led the delegation?", True),
        ("", False),
        ("   ", False),
        ("quit", False),
        ("EXIT", False),
        ("/quit", False),
        ("who\x1b[A led it", False),
        ("tab\tinside", False),
    ],
)
def test_history_keeps_questions_only(line, kept):
    assert console.worth_remembering(line) is kept


def test_history_file_skips_leaving_blank_and_control_lines(seed_kb, typed, tmp_path, monkeypatch):
    readline = pytest.importorskip("readline")
    readline.clear_history()
    lines = ["How many teachers?", "", "who\x1b[A", "exit"]

    def type_and_record() -> Iterator[str]:
        for line in lines:
            if line.strip():
                readline.add_history(line)  # what input() does on a real terminal
            yield line
        raise EOFError

    source = type_and_record()
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(source))
    console.chat(seed_kb, k=1, stdin=Terminal(), stdout=Terminal())
    saved = (tmp_path / "history").read_text(encoding="utf-8").split("\n")
    assert "How many teachers?" in saved
    assert not any(s == "exit" or "\x1b" in s for s in saved)
