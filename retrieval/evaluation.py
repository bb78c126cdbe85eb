"""Answer quality as numbers: run a question file through answer_question and score it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from pearlbot.progress import progress
from pearlbot.retrieval.answer import Answer, answer_question
from pearlbot.retrieval.checking import check_claim
from pearlbot.retrieval.knowledge import KnowledgeBase

RANK_DEPTH = 10  # passages ranked per question when measuring retrieval
SHOWN_CHARS = 200  # of a failed answer, in the failure list
# A correct answer counts as strict only when it is short: a fact check wants the fact, not the
# sentence that holds it (issue 12: half the "correct" answers were whole sentences).
STRICT_ANSWER_CHARS = 80


class EvalQuestion(BaseModel):
    """One line of a question file (format: eval/README.md)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    question: str
    kind: str
    tags: tuple[str, ...] = ()
    answers_any: tuple[str, ...] = ()
    answers_all: tuple[str, ...] = ()
    abstain: bool = False
    must_not_contain: tuple[str, ...] = ()
    gold_passage: str | None = None
    doc: str | None = None


class QuestionResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    question: str
    kind: str
    tags: tuple[str, ...]
    correct: bool
    strict: bool  # correct, and the answer (if any) is at most STRICT_ANSWER_CHARS long
    must_abstain: bool
    abstained: bool
    gold_rank: int | None  # 1-based rank of the gold passage, None if not in the top RANK_DEPTH
    expected: str
    got: str


class Metrics(BaseModel):
    model_config = ConfigDict(frozen=True)

    questions: int
    accuracy: float
    strict_accuracy: float
    abstain_precision: float | None
    abstain_recall: float | None
    recall_at_1: float | None
    recall_at_3: float | None
    mrr: float | None


class EvalReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    overall: Metrics
    by_kind: dict[str, Metrics]
    results: tuple[QuestionResult, ...]

    @property
    def failures(self) -> list[QuestionResult]:
        return [r for r in self.results if not r.correct]


def load_questions(path: str | Path) -> list[EvalQuestion]:
    """Parse a JSON Lines question file; ValueError names the first bad line."""
    questions = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            questions.append(EvalQuestion.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            reason = str(exc).splitlines()[0]
            raise ValueError(f"{path}:{number}: not a valid question line ({reason})") from None
    if not questions:
        raise ValueError(f"{path}: no questions")
    return questions


def is_correct(question: EvalQuestion, answer: Answer) -> bool:
    if answer.abstained != question.abstain:
        return False
    text = (answer.answer or "").casefold()
    if question.answers_any and not any(a.casefold() in text for a in question.answers_any):
        return False
    if not all(a.casefold() in text for a in question.answers_all):
        return False
    return not any(bad.casefold() in text for bad in question.must_not_contain)


def gold_rank(question: EvalQuestion, answer: Answer) -> int | None:
    if not question.gold_passage:
        return None
    for rank, hit in enumerate(answer.passages, 1):
        if question.gold_passage in hit.text and (
            question.doc is None or hit.doc_id == question.doc
        ):
            return rank
    return None


def score_question(kb: KnowledgeBase, question: EvalQuestion) -> QuestionResult:
    answer = answer_question(kb, question.question, k=RANK_DEPTH)
    expected = (
        "(abstain)"
        if question.abstain
        else " / ".join(
            [*question.answers_any]
            + ([" + ".join(question.answers_all)] if question.answers_all else [])
        )
    )
    return QuestionResult(
        id=question.id,
        question=question.question,
        kind=question.kind,
        tags=question.tags,
        correct=(correct := is_correct(question, answer)),
        strict=correct and len(answer.answer or "") <= STRICT_ANSWER_CHARS,
        must_abstain=question.abstain,
        abstained=answer.abstained,
        gold_rank=gold_rank(question, answer),
        expected=expected,
        got=answer.answer
        if answer.answer is not None
        else f"(abstain) {answer.note or ''}".strip(),
    )


def metrics(results: Sequence[QuestionResult]) -> Metrics:
    n = len(results)
    predicted = [r for r in results if r.abstained]
    actual = [r for r in results if r.must_abstain]
    both = [r for r in predicted if r.must_abstain]
    ranked = [r for r in results if not r.must_abstain]
    ranks = [r.gold_rank for r in ranked]
    return Metrics(
        questions=n,
        accuracy=sum(r.correct for r in results) / n if n else 0.0,
        strict_accuracy=sum(r.strict for r in results) / n if n else 0.0,
        abstain_precision=len(both) / len(predicted) if predicted else None,
        abstain_recall=len(both) / len(actual) if actual else None,
        recall_at_1=_share(ranks, 1),
        recall_at_3=_share(ranks, 3),
        mrr=sum(1 / r for r in ranks if r) / len(ranks) if ranks else None,
    )


def _share(ranks: list[int | None], depth: int) -> float | None:
    return sum(1 for r in ranks if r and r <= depth) / len(ranks) if ranks else None


def evaluate(kb: KnowledgeBase, questions: Iterable[EvalQuestion]) -> EvalReport:
    """Every question asked of `kb`, scored (a progress bar on a terminal's stderr)."""
    asked = progress(questions, desc="questions", unit=" questions")
    return report_of(tuple(score_question(kb, q) for q in asked))


def evaluate_per_document(
    open_doc: Callable[[str], KnowledgeBase], questions: Iterable[EvalQuestion]
) -> EvalReport:
    """Each question asked of a corpus holding only its own `doc`: the article read alone."""
    by_doc: dict[str, list[EvalQuestion]] = {}
    for q in questions:
        if not q.doc:
            raise ValueError(f"question {q.id} names no doc; a per-document run needs one")
        by_doc.setdefault(q.doc, []).append(q)
    order = {q.id: i for i, q in enumerate(q for qs in by_doc.values() for q in qs)}
    documents = progress(list(by_doc.items()), desc="documents", unit=" documents")
    results = [score_question(open_doc(doc), q) for doc, qs in documents for q in qs]
    return report_of(tuple(sorted(results, key=lambda r: order[r.id])))


def report_of(results: tuple[QuestionResult, ...]) -> EvalReport:
    kinds = sorted({r.kind for r in results})
    return EvalReport(
        overall=metrics(results),
        by_kind={kind: metrics([r for r in results if r.kind == kind]) for kind in kinds},
        results=results,
    )


def _cell(value: float | None) -> str:
    return "   –" if value is None else f"{value:.2f}"


def format_report(report: EvalReport) -> str:
    """The table by kind and overall, then one line per failure."""
    header = (
        f"{'kind':<14}{'n':>5}{'accuracy':>10}{'strict':>8}{'abst P':>8}{'abst R':>8}"
        f"{'R@1':>7}{'R@3':>7}{'MRR':>7}"
    )
    lines = [header, "-" * len(header)]
    rows = [*report.by_kind.items(), ("overall", report.overall)]
    for kind, m in rows:
        lines.append(
            f"{kind:<14}{m.questions:>5}{_cell(m.accuracy):>10}{_cell(m.strict_accuracy):>8}"
            f"{_cell(m.abstain_precision):>8}"
            f"{_cell(m.abstain_recall):>8}{_cell(m.recall_at_1):>7}{_cell(m.recall_at_3):>7}"
            f"{_cell(m.mrr):>7}"
        )
    failures = report.failures
    lines.append("")
    lines.append(f"{len(failures)} failure{'s' * (len(failures) != 1)}")
    for r in failures:
        lines.append(
            f"  [{r.id}] {r.question!r}: expected {r.expected!r}, got {r.got[:SHOWN_CHARS]!r}"
        )
    return "\n".join(lines)


# -- fact checks (`pearlbot eval --claims`) -----------------------------------------------------

VERDICT_KEYS = {
    "supported": "Supported",
    "contradicted": "Contradicted",
    "not_stated": "Not stated",
}


class EvalClaim(BaseModel):
    """One line of a claims file: the claim and the verdict it should get."""

    model_config = ConfigDict(frozen=True)

    claim: str
    verdict: str  # supported | contradicted | not_stated
    note: str | None = None


class ClaimResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    claim: str
    expected: str
    got: str
    correct: bool
    explanation: str


class ClaimsReport(BaseModel):
    """Accuracy over all claims and per expected verdict."""

    model_config = ConfigDict(frozen=True)

    total: int
    accuracy: float
    per_verdict: dict[str, float]
    counts: dict[str, int]
    results: tuple[ClaimResult, ...]


def load_claims(path: str | Path) -> list[EvalClaim]:
    """Read a JSON Lines claims file; a bad line is a ValueError naming the line."""
    claims = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            claim = EvalClaim.model_validate_json(line)
        except ValidationError as exc:
            raise ValueError(f"{path}:{number}: {exc.errors()[0]['msg']}") from None
        if claim.verdict not in VERDICT_KEYS:
            raise ValueError(f"{path}:{number}: verdict must be one of {', '.join(VERDICT_KEYS)}")
        claims.append(claim)
    return claims


def evaluate_claims(kb: KnowledgeBase, claims: Iterable[EvalClaim]) -> ClaimsReport:
    """Check every claim and score the verdicts."""
    results = []
    for item in claims:
        got = check_claim(kb, item.claim)
        expected = VERDICT_KEYS[item.verdict]
        results.append(
            ClaimResult(
                claim=item.claim,
                expected=expected,
                got=got.verdict.value,
                correct=got.verdict.value == expected,
                explanation=got.explanation,
            )
        )
    per_verdict: dict[str, float] = {}
    counts: dict[str, int] = {}
    for verdict in VERDICT_KEYS.values():
        mine = [r for r in results if r.expected == verdict]
        counts[verdict] = len(mine)
        if mine:
            per_verdict[verdict] = round(sum(r.correct for r in mine) / len(mine), 3)
    total = len(results)
    return ClaimsReport(
        total=total,
        accuracy=round(sum(r.correct for r in results) / total, 3) if total else 0.0,
        per_verdict=per_verdict,
        counts=counts,
        results=tuple(results),
    )


def format_claims_report(report: ClaimsReport) -> str:
    """A table: accuracy per verdict, then every wrong verdict."""
    lines = [f"{'verdict':<14}{'claims':>7}{'accuracy':>10}"]
    for verdict, count in report.counts.items():
        accuracy = report.per_verdict.get(verdict)
        lines.append(f"{verdict:<14}{count:>7}{_cell(accuracy):>10}")
    lines.append(f"{'all':<14}{report.total:>7}{_cell(report.accuracy):>10}")
    wrong = [r for r in report.results if not r.correct]
    if wrong:
        lines.append("")
        lines.append("wrong:")
        lines += [f"  [{r.expected} -> {r.got}] {r.claim}" for r in wrong]
    return "\n".join(lines)
