"""Terminal rendering (optional colour) and the interactive chat."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from pearlbot.bot.rendering import render_answer
from pearlbot.retrieval import Answer, KnowledgeBase, answer_question, question_problem
from pearlbot.settings import current_settings

_STYLES = {"bold": "1", "dim": "2", "green": "32", "yellow": "33", "cyan": "36", "red": "31"}


def use_colour(stream: TextIO) -> bool:
    """Whether to colour `stream`: a terminal, and the settings allow it (NO_COLOR, TERM)."""
    return stream.isatty() and current_settings().colour_allowed


class Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_STYLES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def format_answer(answer: Answer, paint: Painter) -> str:
    """The answer for a terminal, in colour when `paint` is enabled."""
    return render_answer(answer, paint)


def _history_file() -> Path | None:
    try:
        from platformdirs import user_state_dir

        path = Path(user_state_dir("pearlbot")) / "chat_history"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    except OSError:
        return None


def chat(
    kb: KnowledgeBase, *, k: int, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Read questions until EOF or `quit`; answer each one."""
    interactive = stdin.isatty()
    paint = Painter(use_colour(stdout))
    history = None
    if interactive:
        try:
            import readline

            history = _history_file()
            if history and history.exists():
                readline.read_history_file(history)
        except (ImportError, OSError):
            history = None
    docs = len(kb.corpus.documents)
    counts = (
        f"{docs} document{'s' * (docs != 1)}, {len(kb.passages)} passages, {len(kb.facts)} facts"
    )
    print(
        paint("Pearlbot", "bold") + f" — {counts}. Ask a question; `quit` or Ctrl-D to leave.",
        file=stdout,
    )
    try:
        while True:
            try:
                question = input("you> ") if interactive else _read_line(stdin)
            except KeyboardInterrupt:
                print(file=stdout)
                continue
            if question is None:
                break
            question = question.strip()
            if not question:
                continue
            if question.lower() in {"quit", "exit", ":q", "/quit"}:
                break
            problem = question_problem(question)
            if problem:
                print(paint(f"error: {problem}", "red"), file=stdout)
                continue
            print(format_answer(answer_question(kb, question, k=k), paint) + "\n", file=stdout)
    except EOFError:
        pass
    finally:
        if history:
            try:
                import readline

                readline.set_history_length(1000)
                readline.write_history_file(history)
            except OSError:
                pass
    return 0


def _read_line(stdin: TextIO) -> str | None:
    line = stdin.readline()
    return None if line == "" else line
