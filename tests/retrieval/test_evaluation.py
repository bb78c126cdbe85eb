"""`pearlbot eval`: the project's question set with a floor, so a regression fails CI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pearlbot.retrieval.answer import Answer
from pearlbot.retrieval.evaluation import EvalQuestion, is_correct, load_questions
from tests.conftest import ROOT

FLOOR = "0.95"


def test_question_set_meets_the_floor():
    command = ["eval", "eval/questions.jsonl", "--json", "--min-accuracy", FLOOR]
    out = subprocess.run(
        [sys.executable, "-m", "pearlbot", *command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    report = json.loads(out.stdout[: out.stdout.rindex("}") + 1])
    overall = report["overall"]
    assert overall["questions"] >= 120
    assert overall["accuracy"] >= 0.95
    assert overall["abstain_precision"] >= 0.95 and overall["abstain_recall"] >= 0.95


def test_floor_failure_exits_non_zero(tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "x", "question": "Who led the delegation?", "kind": "person",
                    "answers_any": ["Somebody Else"]}) + "\n"
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, "-m", "pearlbot", "eval", str(questions), "--min-accuracy", "0.5"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert out.returncode == 1
    assert "accuracy" in out.stdout and "[x]" in out.stdout  # the table and the failure line


def test_bad_question_file_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q", "kind": "figure"}\nnot json\n')
    out = subprocess.run(
        [sys.executable, "-m", "pearlbot", "eval", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 2 and "bad.jsonl:2" in out.stderr
    assert "Traceback" not in out.stderr


def _answer(text: str | None) -> Answer:
    return Answer(question="q", answer=text)


@pytest.mark.parametrize(
    ("fields", "answer", "correct"),
    [
        ({"answers_any": ["Xinwu"]}, "Xinwu District", True),
        ({"answers_any": ["Xinwu"]}, None, False),
        ({"answers_all": ["A", "B"]}, "A and B", True),
        ({"answers_all": ["A", "B"]}, "A", False),
        ({"abstain": True}, None, True),
        ({"abstain": True}, "something", False),
        ({"answers_any": ["Xunhua"], "must_not_contain": ["Hualong"]}, "Xunhua or Hualong", False),
    ],
)
def test_scoring_rules(fields, answer, correct):
    question = EvalQuestion(id="t", question="q", kind="pairing", **fields)
    assert is_correct(question, _answer(answer)) is correct


def test_project_question_file_parses():
    questions = load_questions(ROOT / "eval" / "questions.jsonl")
    assert sum(q.abstain for q in questions) >= 20
    assert len({q.id for q in questions}) == len(questions)
