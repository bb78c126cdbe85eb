"""Fact checks: `pearlbot check`, the three verdicts, and the claims set's floor."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pearlbot.corpus import load_corpus
from pearlbot.retrieval import (
    KnowledgeBase,
    Verdict,
    build_knowledge_base,
    check_claim,
    evaluate_claims,
    load_claims,
)
from pearlbot.seeds import seeds_path
from tests.conftest import EVAL, EVAL_ARTICLES, ROOT


@pytest.fixture(scope="module")
def eval_kb() -> KnowledgeBase:
    """The seed article plus eval/articles: the corpus the claims are about."""
    return build_knowledge_base(load_corpus([seeds_path(), EVAL_ARTICLES]))


CLAIMS_FLOOR = 0.95  # per verdict; measured 1.00 on eval/claims.jsonl (66 claims)


def test_the_claims_set_reaches_the_floor_for_every_verdict(eval_kb) -> None:
    claims = load_claims(EVAL / "claims.jsonl")
    assert len(claims) >= 60
    report = evaluate_claims(eval_kb, claims)
    assert set(report.per_verdict) == {"Supported", "Contradicted", "Not stated"}
    assert all(count >= 15 for count in report.counts.values())
    low = {v: a for v, a in report.per_verdict.items() if a < CLAIMS_FLOOR}
    assert not low, [r for r in report.results if not r.correct]


def test_figures_compare_value_and_unit_and_flag_approximate_matches(seed_kb) -> None:
    wrong = check_claim(seed_kb, "Wuxi has invested 900 million yuan of assistance funds")
    assert wrong.verdict is Verdict.CONTRADICTED
    assert "the source says 503 million yuan, not 900 million" in wrong.explanation
    assert wrong.quote == "503 million yuan" and wrong.passage_id == "wuxi-haidong-2019-08-07#5"
    near = check_claim(seed_kb, "240 personnel of various kinds were sent to Haidong")
    assert near.verdict is Verdict.SUPPORTED and near.approximate
    exact = check_claim(seed_kb, "More than 230 personnel of various kinds were sent to Haidong")
    assert exact.verdict is Verdict.SUPPORTED and not exact.approximate


def test_pairings_keep_the_list_order_caveat_and_a_leftover_is_not_stated(seed_kb) -> None:
    paired = check_claim(seed_kb, "Xinwu District is paired with Minhe County")
    assert paired.verdict is Verdict.SUPPORTED and "order" in (paired.caveat or "")
    leftover = check_claim(seed_kb, "Huzhu County is paired with Binhu District")
    assert leftover.verdict is Verdict.NOT_STATED
    elsewhere = check_claim(seed_kb, "Datong County is paired with Xinwu District")
    assert elsewhere.verdict is Verdict.NOT_STATED and "Datong" in elsewhere.explanation


def test_pearlbot_check_prints_the_verdict_first_and_json(tmp_path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pearlbot", "check", *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "PEARLBOT_CACHE_DIR": "off"},
            timeout=120,
        )

    text = run("Wang Linhu is the Mayor of Wuxi")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Contradicted: the source gives Wang Linhu as Mayor of Haidong")
    as_json = json.loads(run("Li Xiaomin led the delegation", "--json").stdout)
    assert as_json["verdict"] == "Supported" and as_json["quote"]
    empty = run("   ")
    assert empty.returncode == 2 and empty.stderr.count("\n") == 1
