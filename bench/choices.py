"""Measure the retrieval and answering alternatives on the project's question set.

Run on demand:  python bench/choices.py [eval/questions.jsonl]
Prints one table per choice; every row is measured in this run, and the "vs default" column is
the ratio of its answer accuracy to the shipped default's."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pearlbot.corpus import load_corpus  # noqa: E402
from pearlbot.retrieval.evaluation import evaluate, load_questions  # noqa: E402
from pearlbot.retrieval.knowledge import RetrievalSettings, build_knowledge_base  # noqa: E402
from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze  # noqa: E402
from pearlbot.seeds import seeds_path  # noqa: E402

DEFAULT = RetrievalSettings()


def raw_bm25(kb, questions) -> tuple[float, float]:
    """Recall@1 and MRR of BM25 alone on the raw question (no facts, no reordering)."""
    ranks = []
    for q in questions:
        if q.abstain or not q.gold_passage:
            continue
        hits = kb.index.top(analyze(q.question, kb.settings.analyzer), 10)
        rank = next(
            (n for n, (row, _) in enumerate(hits, 1)
             if q.gold_passage in kb.passages[row].text and kb.passages[row].doc_id == q.doc),
            None,
        )  # fmt: skip
        ranks.append(rank)
    if not ranks:
        return 0.0, 0.0
    return sum(r == 1 for r in ranks) / len(ranks), sum(1 / r for r in ranks if r) / len(ranks)


def run(settings: RetrievalSettings, questions, paths) -> dict[str, float]:
    corpus = load_corpus(paths, window=settings.window)
    kb = build_knowledge_base(corpus, settings)
    report = evaluate(kb, questions)
    raw_r1, raw_mrr = raw_bm25(kb, questions)
    m = report.overall
    return {
        "raw R@1": raw_r1,
        "raw MRR": raw_mrr,
        "accuracy": m.accuracy,
        "abst P": m.abstain_precision or 0.0,
        "abst R": m.abstain_recall or 0.0,
        "R@1": m.recall_at_1 or 0.0,
        "R@3": m.recall_at_3 or 0.0,
        "MRR": m.mrr or 0.0,
    }


def table(
    title: str, rows: list[tuple[str, RetrievalSettings]], questions, paths, base: float
) -> None:
    print(f"\n### {title}\n")
    print(
        "| choice | accuracy | abst P | abst R | R@1 | R@3 | MRR | BM25-only R@1 | BM25-only MRR"
        " | vs default |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, settings in rows:
        r = run(settings, questions, paths)
        mark = " (default)" if settings == DEFAULT else ""
        print(
            f"| {label}{mark} | {r['accuracy']:.3f} | {r['abst P']:.3f} | {r['abst R']:.3f} "
            f"| {r['R@1']:.3f} | {r['R@3']:.3f} | {r['MRR']:.3f} | {r['raw R@1']:.3f} "
            f"| {r['raw MRR']:.3f} | {r['accuracy'] / base:.3f} |"
        )


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "eval" / "questions.jsonl"
    questions = load_questions(path)
    paths = [seeds_path(), path.parent / "articles"]
    start = time.perf_counter()
    base = run(DEFAULT, questions, paths)["accuracy"]
    print(f"{len(questions)} questions from {path}; default accuracy {base:.3f}")

    def bm25(**kw) -> RetrievalSettings:
        return DEFAULT.model_copy(update={"bm25": DEFAULT.bm25.model_copy(update=kw)})

    variants = [
        (f"{v} k1={k1} b={b}", bm25(variant=v, k1=k1, b=b))
        for v in ("okapi", "plus", "l")
        for k1, b in ((1.2, 0.75), (1.5, 0.75), (0.9, 0.4), (1.2, 0.3))
    ]
    table("BM25 variant and k1/b", variants, questions, paths, base)
    # One article is where BM25Okapi's IDF goes to zero or below for common words.
    seed_questions = [q for q in questions if q.doc in (None, "wuxi-haidong-2019-08-07")]
    seed_base = run(DEFAULT, seed_questions, [seeds_path()])["accuracy"]
    table("BM25 variant, seed article alone", variants, seed_questions, [seeds_path()], seed_base)
    analyzers = [
        (
            f"stem={s} stop words={w}",
            DEFAULT.model_copy(update={"analyzer": AnalyzerSettings(stem=s, stop_words=w)}),
        )
        for s in (True, False)
        for w in (True, False)
    ]
    table("Analyzer", analyzers, questions, paths, base)
    windows = [
        (f"{n} sentence{'s' * (n > 1)} per passage", DEFAULT.model_copy(update={"window": n}))
        for n in (1, 2, 3)
    ]
    table("Passage size", windows, questions, paths, base)
    rules = [
        (
            f"passage must cover {c:.0%} of the question's content words",
            DEFAULT.model_copy(update={"min_coverage": c}),
        )
        for c in (1.0, 0.75, 0.5, 0.0)
    ]
    table("Abstention rule (passage fallback)", rules, questions, paths, base)
    print(f"\n{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
