"""eval/real: the rewritten real articles, each alone and all together, with floors in CI.

The floors sit a little under the measured numbers (docs/quality.md), so a regression on the
genre's real phrasing fails CI. The blind set (eval/real/blind) has no floor: it is reported,
never tuned on."""

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


def _report(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "pearlbot", "eval", "eval/real/questions.jsonl", "--json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    overall: dict = json.loads(out.stdout[: out.stdout.rindex("}") + 1])["overall"]
    return overall


@pytest.mark.parametrize(
    ("args", "accuracy", "strict", "abstain_precision"),
    [
        (("--per-doc", "--corpus", "eval/real/articles"), 0.86, 0.79, 0.84),
        (tuple(ALL_EVAL), 0.78, 0.70, 0.81),
    ],
    ids=["each-article-alone", "all-articles-together"],
)
def test_real_articles_meet_their_floor(
    args: tuple[str, ...], accuracy: float, strict: float, abstain_precision: float
) -> None:
    """Accuracy, strict (short) accuracy and abstention precision stay above their floors."""
    overall = _report(*args)
    assert overall["questions"] >= 200
    assert overall["accuracy"] >= accuracy, overall
    assert overall["strict_accuracy"] >= strict, overall
    assert overall["abstain_precision"] >= abstain_precision, overall
