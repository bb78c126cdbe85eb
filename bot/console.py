"""Terminal rendering (optional colour) and the interactive chat."""

from __future__ import annotations

import sys
import unicodedata
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


QUIT_WORDS = frozenset({"quit", "exit", ":q", "/quit", "/exit"})
HELP_WORDS = frozenset({"help", "/help", "?", "/?"})
GENERAL_EXAMPLES = ("Who led the delegation, and when?", "What is this article about?")
HISTORY_LENGTH = 1000


def chat_help(kb: KnowledgeBase) -> str:
    """What `help` prints in the chat: the commands and a few questions to try."""
    docs = len(kb.corpus.documents)
    lines = [
        f"Ask a question about the {docs} article{'s' * (docs != 1)} in plain words; every"
        " answer cites the passages it comes from.",
        "Commands: help (or /help) shows this; quit, exit or Ctrl-D leaves; Ctrl-C clears"
        " the line. Up and down arrows recall earlier questions.",
        "Try:",
        *(f"  {question}" for question in example_questions(kb)),
    ]
    return "\n".join(lines)


def example_questions(kb: KnowledgeBase) -> list[str]:
    """Questions this corpus answers: its first pairing and place, then two general ones."""
    examples: list[str] = []
    pairings = [f for f in kb.facts if f.kind == "pairing" and f.assisted]
    pairing = next((f for f in pairings if f.level == "district"), None) or next(
        iter(pairings), None
    )
    if pairing is not None:
        examples.append(f"Which district is paired with {pairing.assisted}?")
    money = next(
        (f for f in kb.facts if f.kind == "figure" and f.subject and f.unit in ("yuan", "dollars")),
        None,
    )
    if money is not None:
        examples.append(f"How much has {money.subject} invested?")
    return [*examples, *GENERAL_EXAMPLES]


def worth_remembering(line: str) -> bool:
    """Whether a chat line belongs in the history: not blank, not a command to leave, and no
    control characters (a stray escape sequence would replay as garbage)."""
    text = line.strip()
    if not text or text.casefold() in QUIT_WORDS:
        return False
    return not any(unicodedata.category(ch) == "Cc" for ch in line)


def _forget_last_line() -> None:
    """Take the line readline just added back out of the history."""
    try:
        import readline

        length = readline.get_current_history_length()
        if length:
            readline.remove_history_item(length - 1)
    except (ImportError, ValueError):
        pass


def chat(
    kb: KnowledgeBase, *, k: int, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Read questions until EOF or `quit`; answer each one. `help` prints the commands."""
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
        paint("Pearlbot", "bold")
        + f" — {counts}. Ask a question; `help` for examples, `quit` or Ctrl-D to leave.",
        file=stdout,
    )
    try:
        while True:
            try:
                question = input("you> ") if interactive else _read_line(stdin)
            except KeyboardInterrupt:
                print(file=stdout)
                continue
            except EOFError:
                if interactive:
                    print(file=stdout)  # Ctrl-D: the shell's prompt starts on a line of its own
                break
            if question is None:
                break
            if interactive and history and question.strip() and not worth_remembering(question):
                _forget_last_line()
            question = "".join(
                ch for ch in question if unicodedata.category(ch) != "Cc" or ch == "\t"
            ).strip()
            if not question:
                continue
            if question.casefold() in QUIT_WORDS:
                break
            if question.casefold() in HELP_WORDS:
                print(chat_help(kb) + "\n", file=stdout)
                continue
            problem = question_problem(question)
            if problem:
                print(paint(f"error: {problem}", "red"), file=stdout)
                continue
            print(format_answer(answer_question(kb, question, k=k), paint) + "\n", file=stdout)
    finally:
        if history:
            try:
                import readline

                readline.set_history_length(HISTORY_LENGTH)
                readline.write_history_file(history)
            except OSError:
                pass
    return 0


def _read_line(stdin: TextIO) -> str | None:
    line = stdin.readline()
    return None if line == "" else line
