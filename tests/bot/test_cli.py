"""The command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

PEARLBOT = [sys.executable, "-m", "pearlbot"]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None, **kw):
    inherited = {k: v for k, v in os.environ.items() if k != "PEARLBOT_CORPUS"}
    full_env = inherited | {"NO_COLOR": "1"} | (env or {})
    return subprocess.run(
        [*PEARLBOT, *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=60, **kw
    )


def test_help_lists_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("ask", "chat", "corpus", "facts"):
        assert command in out.stdout


def test_ask_json_contract():
    out = run(
        "ask", "--json", "How many assistance projects?", "What is the population of Haidong?"
    )
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [obj["question"] for obj in lines] == [
        "How many assistance projects?",
        "What is the population of Haidong?",
    ]
    for obj in lines:
        assert {"question", "answer", "passages", "facts"} <= obj.keys()
        assert isinstance(obj["facts"], list)
        for passage in obj["passages"]:
            assert {"id", "text", "score", "doc_id", "doc_title", "released"} <= passage.keys()
    assert lines[1]["answer"] is None
    assert lines[1]["passages"], "closest passages are still listed when abstaining"


def test_empty_question_is_one_line_exit_2():
    out = run("ask", "   ")
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "empty" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_corpus_is_one_line_exit_2(tmp_path):
    out = run("--corpus", str(tmp_path / "nope"), "ask", "hi")
    assert out.returncode == 2 and "does not exist" in out.stderr
    assert out.stderr.count("\n") == 1
    out = run("ask", "hi", env={"PEARLBOT_CORPUS": str(tmp_path / "nope")})
    assert out.returncode == 2 and "does not exist" in out.stderr


def test_huge_question_refused_fast():
    start = time.perf_counter()
    out = run("ask", "Wuxi " * 20_000)
    assert out.returncode == 2 and "too long" in out.stderr
    assert time.perf_counter() - start < 5  # includes interpreter start-up


def test_unreadable_files_are_reported_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text(
        "Good title\nRelease time:2020-01-02\n\nAlpha county paired with Beta district.\n"
    )
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 title\n\nbody".encode("latin-1"))
    (tmp_path / "empty.md").write_text("")
    out = run("--corpus", str(tmp_path), "corpus")
    assert out.returncode == 0, out.stderr
    assert "2 documents" in out.stdout  # latin1.txt is read in its detected encoding
    for name, reason in [("binary.txt", "binary"), ("latin1.txt", "UTF-8"), ("empty.md", "empty")]:
        assert any(name in line and reason in line for line in out.stderr.splitlines()), out.stderr


def test_corpus_lists_passages_with_ids():
    out = run("corpus", "--passages")
    assert out.returncode == 0
    assert "wuxi-haidong-2019-08-07  2019-08-07" in out.stdout
    assert "[wuxi-haidong-2019-08-07#6]" in out.stdout


def test_chat_answers_from_stdin():
    out = run("chat", input="How many assistance projects?\n\nquit\n")
    assert out.returncode == 0, out.stderr
    assert "160 assistance projects" in out.stdout


def test_ask_does_not_import_discord():
    code = (
        "import sys; from bot.cli import main; main(['ask', 'hi']); print('discord' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("False")


def test_several_corpus_paths(tmp_path):
    (tmp_path / "other.txt").write_text("Other title\n\nAlpha County paired with Beta District.\n")
    out = run("--corpus", str(tmp_path), "corpus", "--corpus", str(ROOT / "seeds"))
    assert out.returncode == 0, out.stderr
    assert "2 documents" in out.stdout
    both = os.pathsep.join([str(tmp_path), str(ROOT / "seeds")])
    assert "2 documents" in run("corpus", env={"PEARLBOT_CORPUS": both}).stdout


def test_empty_folder_is_one_line_exit_2(tmp_path):
    out = run("--corpus", str(tmp_path), "corpus")
    assert out.returncode == 2 and "no .txt or .md articles" in out.stderr


def test_ask_ends_without_freeing_what_it_loaded_and_says_everything():
    """`pearlbot ask` exits through os._exit (cli.entry): the answers, JSON included, and the
    exit code still come out whole, through a pipe and with several questions."""
    out = run("ask", "--json", "How many assistance projects?", "who is Li Xiaomin?")
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(answers) == 2 and "160" in answers[0]["answer"]
    failed = run("ask", "")
    assert failed.returncode == 2 and "the question is empty" in failed.stderr
    kept = "import os, sys; sys.argv = ['pearlbot', 'ask', 'hi']; from bot.cli import entry;"
    kept += " os._exit = lambda c: print('os._exit', c)"
    kept += "; entry()"
    done = subprocess.run([sys.executable, "-c", kept], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().endswith("os._exit 0")  # taken only after a kept knowledge base
