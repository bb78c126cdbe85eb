"""eval/real: the rewritten real articles, each alone and all together, with floors in CI.

The floors sit a little under the measured numbers (docs/quality.md), so a regression on the
genre's real phrasing fails CI; eval/real/dev2 (the second development set) has its own. The
blind sets (eval/real/blind, eval/real/fresh) have no floor: they are reported, never tuned on."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

ALL_EVAL = [
    "--corpus", "eval/real/articles", "--corpus", "seeds", "--corpus", "eval/articles",
    "--corpus", "eval/holdout/articles", "--corpus", "eval/blind/articles",
]  # fmt: skip


def _report(questions: str, *args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "pearlbot", "eval", questions, "--json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    overall: dict = json.loads(out.stdout[: out.stdout.rindex("}") + 1])["overall"]
    return overall


DEV2 = "eval/real/dev2/questions.jsonl"
ALL_WITH_DEV2 = [*ALL_EVAL, "--corpus", "eval/real/dev2/articles"]


@pytest.mark.parametrize(
    ("questions", "args", "accuracy", "strict", "abstain_precision"),
    [
        (
            "eval/real/questions.jsonl",
            ("--per-doc", "--corpus", "eval/real/articles"),
            0.90,
            0.84,
            0.88,
        ),
        ("eval/real/questions.jsonl", tuple(ALL_EVAL), 0.85, 0.79, 0.88),
        (DEV2, ("--per-doc", "--corpus", "eval/real/dev2/articles"), 0.79, 0.74, 0.77),
        (DEV2, tuple(ALL_WITH_DEV2), 0.72, 0.66, 0.69),
    ],
    ids=["each-article-alone", "all-articles-together", "dev2-alone", "dev2-together"],
)
def test_real_articles_meet_their_floor(
    questions: str,
    args: tuple[str, ...],
    accuracy: float,
    strict: float,
    abstain_precision: float,
) -> None:
    """Accuracy, strict (short) accuracy and abstention precision stay above their floors."""
    overall = _report(questions, *args)
    assert overall["questions"] >= 100
    assert overall["accuracy"] >= accuracy, overall
    assert overall["strict_accuracy"] >= strict, overall
    assert overall["abstain_precision"] >= abstain_precision, overall
