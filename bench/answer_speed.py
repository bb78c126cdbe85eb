"""End-to-end cost of a large corpus: load, build, warm up, then whole `answer_question` calls.

    python -m bench.answer_speed 100000 --cold   # first start; article files go to bench/out/
    python -m bench.answer_speed 100000          # next start: index and facts from the cache

bench/speed.py measures the BM25 index alone; this shows what a user of `pearlbot ask` or the
bot waits for with everything else (corpus loading, facts, question parsing) included.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "answer-speed"
QUESTIONS = (
    "which district pairs with the county?",
    "What is the class method attribute?",
    "How many assistance projects?",
    "How many assistance projects?",
)


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("passages", type=int)
    parser.add_argument("--cold", action="store_true", help="empty the cache first")
    args = parser.parse_args(argv)
    from bench.corpus_gen import generate_passages, write_articles

    folder = OUT / f"articles-{args.passages}"
    if not folder.exists():
        write_articles(generate_passages(args.passages), folder)
    # Its own cache: --cold measures a first start, a second run the next start.
    cache = OUT / f"cache-{args.passages}"
    if args.cold:
        shutil.rmtree(cache, ignore_errors=True)
    os.environ["PEARLBOT_CACHE_DIR"] = str(cache)
    from pearlbot.corpus import load_corpus
    from pearlbot.retrieval.answer import answer_question
    from pearlbot.retrieval.knowledge import DEFAULT_SETTINGS, build_knowledge_base
    from pearlbot.retrieval.search.analyzer import analyze
    from pearlbot.retrieval.search.bm25 import warm_up

    def step(name: str, start: float) -> float:
        ms = (time.perf_counter() - start) * 1e3
        print(f"{name:<62} {ms:10.1f} ms  (peak RSS {peak_gb():.1f} GB)", flush=True)
        return time.perf_counter()

    t = time.perf_counter()
    corpus = load_corpus([folder], window=DEFAULT_SETTINGS.window)
    t = step(f"load_corpus ({len(corpus.passages):,} passages)", t)
    kb = build_knowledge_base(corpus)
    t = step(f"build_knowledge_base ({kb.index.engine})", t)
    warm_up(kb.index)
    t = step("pearlbot.retrieval.search.bm25.warm_up", t)
    for name in ("vocabulary", "surface_words", "stem_words"):
        getattr(kb, name)
        t = step(f"first use of kb.{name}", t)
    for question in QUESTIONS:
        hits = kb.index.top(analyze(question, kb.settings.analyzer), 10)  # BM25 alone
        t = step(f"  BM25 top-10 ({len(hits)} hits)", t)
        answer_question(kb, question)
        t = step(f"  answer_question: {question}", t)
    return 0


if __name__ == "__main__":
    sys.exit(main())
