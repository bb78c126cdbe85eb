"""Source links in the terminal: the article's web address under its citation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

ARTICLE = (
    "Lanzhou visit\nRelease time:2019-01-02\nSource: https://example.org/lanzhou\n\n"
    "On January 1, Zhang Qiang, Mayor of Lanzhou, visited Minhe County.\n"
)


def ask(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pearlbot", "ask", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PEARLBOT_CACHE_DIR": "off"},
        timeout=120,
    )


def test_the_terminal_prints_the_source_url_under_the_citation(tmp_path: Path) -> None:
    (tmp_path / "lanzhou.txt").write_text(ARTICLE, encoding="utf-8")
    out = ask(
        "--corpus", str(tmp_path / "lanzhou.txt"), "who is the Mayor of Lanzhou?", cwd=tmp_path
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    citation = next(n for n, line in enumerate(lines) if "[lanzhou#" in line)
    assert lines[citation + 1].strip() == "https://example.org/lanzhou"


def test_articles_without_a_url_print_none(tmp_path: Path) -> None:
    out = ask("which Wuxi district pairs with Minhe County?", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "http" not in out.stdout
