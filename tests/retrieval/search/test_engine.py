"""The sparse engines rank exactly as rank-bm25 does: same rows, same order, same scores."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus_gen import generate_passages, generate_queries
from pearlbot.corpus import load_corpus
from pearlbot.retrieval.knowledge import DEFAULT_SETTINGS
from pearlbot.retrieval.search.analyzer import analyze
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings, engine_for
from pearlbot.retrieval.search.engine import Postings, merge_chunks, postings_from_texts
from pearlbot.seeds import seeds_path
from tests.conftest import ROOT

SPARSE = ("numpy", "numba")
PARAMETERS = [
    BM25Settings(variant="okapi"),
    BM25Settings(variant="plus"),
    BM25Settings(variant="l"),
    BM25Settings(variant="okapi", k1=0.9, b=0.4),
    BM25Settings(variant="plus", k1=2.0, b=1.0, delta=0.5),
    BM25Settings(variant="l", k1=0.5, b=0.0, delta=2.0),
]


def sparse_indexes(tokenized, bm25: BM25Settings) -> list[tuple[str, BM25Index]]:
    """The numpy engine, and the numba engine with blocks small enough that the test corpora
    span many (so MaxScore skipping across blocks is exercised) as well as one block."""
    out = [("numpy", BM25Index(tokenized, bm25, engine="numpy"))]
    for block in (7, 256, 16_384):
        index = BM25Index(tokenized, bm25, engine="numba")
        index._impl.block = block  # read at each query
        out.append((f"numba/{block}", index))
    return out


def assert_same_rankings(tokenized, queries, bm25: BM25Settings, k: int = 10) -> None:
    reference = BM25Index(tokenized, bm25, engine="rank-bm25")
    expected = [reference.top(query, k) for query in queries]
    for name, index in sparse_indexes(tokenized, bm25):
        for query, want in zip(queries, expected, strict=True):
            # Exact equality: the exact pass repeats rank-bm25's float operations in order.
            assert index.top(query, k) == want, (name, bm25, query)


@pytest.fixture(scope="module")
def generated() -> tuple[list[list[str]], list[list[str]]]:
    passages = list(generate_passages(3_000, seed=7))
    queries = generate_queries(passages, 60, seed=8)
    return [analyze(p) for p in passages], [analyze(q) for q in queries]


@pytest.mark.parametrize("bm25", PARAMETERS, ids=str)
def test_generated_corpus_top10_matches_rank_bm25(generated, bm25):
    tokenized, queries = generated
    assert_same_rankings(tokenized, queries, bm25)


def question_set() -> tuple[list[list[str]], list[list[str]]]:
    """The evaluation questions over the corpus they are asked of (seed + eval articles)."""
    corpus = load_corpus(
        [seeds_path(), ROOT / "eval" / "articles", ROOT / "eval" / "holdout" / "articles"],
        window=DEFAULT_SETTINGS.window,
    )
    lines = []
    for name in ("questions.jsonl", "holdout/questions.jsonl"):
        path = ROOT / "eval" / name
        if path.exists():
            lines += path.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    return [analyze(p.text) for p in corpus.passages], [analyze(q) for q in questions]


@pytest.mark.parametrize("variant", ["okapi", "plus", "l"])
def test_question_set_top10_matches_rank_bm25(variant):
    tokenized, queries = question_set()
    assert len(queries) >= 100 and len(tokenized) >= 50
    assert_same_rankings(tokenized, queries, BM25Settings(variant=variant))


@pytest.mark.parametrize("engine", SPARSE)
@pytest.mark.parametrize("variant", ["okapi", "plus", "l"])
def test_scores_and_doc_freq_match_rank_bm25(generated, engine, variant):
    tokenized, queries = generated
    bm25 = BM25Settings(variant=variant)
    reference = BM25Index(tokenized, bm25, engine="rank-bm25")
    index = BM25Index(tokenized, bm25, engine=engine)
    rows = [0, 17, 2_999, 17]
    for query in queries[:10]:
        expected = reference.scores(query)
        assert np.array_equal(index.scores(query), expected)
        assert np.array_equal(index.score_rows(query, rows), expected[rows])
        assert [index.doc_freq(t) for t in query] == [reference.doc_freq(t) for t in query]
    assert set(index.postings) == set(reference.postings)


# Few distinct words, repeated words, empty passages: ties everywhere, idf floors, and
# Okapi's negative-idf epsilon all get exercised.
WORDS = st.sampled_from(["a", "b", "c", "d", "e", "f", "g"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    tokenized=st.lists(st.lists(WORDS, max_size=8), min_size=1, max_size=25),
    query=st.lists(st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "zzz"]), max_size=6),
    variant=st.sampled_from(["okapi", "plus", "l"]),
    k1=st.floats(0.1, 3.0),
    b=st.floats(0.0, 1.0),
    delta=st.floats(0.0, 2.0),
    k=st.integers(1, 12),
)
def test_any_corpus_any_parameters_rank_like_rank_bm25(tokenized, query, variant, k1, b, delta, k):
    bm25 = BM25Settings(variant=variant, k1=k1, b=b, delta=delta)
    if not any(tokenized):  # rank-bm25 cannot index a corpus without a single word
        return
    reference = BM25Index(tokenized, bm25, engine="rank-bm25")
    expected = reference.top(query, k)
    for name, index in sparse_indexes(tokenized, bm25):
        assert index.top(query, k) == expected, name
        np.testing.assert_array_equal(index.scores(query), reference.scores(query))


def test_top_keeps_only_passages_with_a_query_term_best_first_ties_by_row():
    tokenized = [["x"], ["y"], ["x"], ["x", "x"], [], ["x"]]
    for engine in ("rank-bm25", *SPARSE):
        index = BM25Index(tokenized, BM25Settings(variant="plus"), engine=engine)
        rows = [row for row, _ in index.top(["x", "nothing"], 10)]
        assert rows == [3, 0, 2, 5], engine
        assert index.top(["nothing"], 10) == [] and index.top(["x"], 0) == []
        assert [row for row, _ in index.top(["x"], 2)] == [3, 0]


def test_parallel_analysis_gives_the_same_postings_as_one_process():
    texts = list(generate_passages(400, seed=3))
    one = postings_from_texts(texts, DEFAULT_SETTINGS.analyzer, workers=1)
    two = postings_from_texts(texts, DEFAULT_SETTINGS.analyzer, workers=2)
    direct = Postings.from_tokenized([analyze(t) for t in texts])
    for other in (two, direct):
        assert other.terms == one.terms
        for name in ("term_ptr", "docs", "tfs", "doc_len"):
            assert np.array_equal(getattr(other, name), getattr(one, name)), name
    assert merge_chunks([]).size == 0


@pytest.mark.parametrize("python", ["/nonexistent/python", "/bin/false"])
def test_analysis_falls_back_to_one_process_when_no_helper_runs(monkeypatch, python):
    texts = list(generate_passages(300, seed=4))
    expected = postings_from_texts(texts, DEFAULT_SETTINGS.analyzer, workers=1)
    monkeypatch.setattr("pearlbot.retrieval.search.engine.sys.executable", python)
    got = postings_from_texts(texts, DEFAULT_SETTINGS.analyzer, workers=2)
    assert got.terms == expected.terms and np.array_equal(got.docs, expected.docs)


def test_concurrent_queries_from_threads_agree(generated):
    tokenized, queries = generated
    index = BM25Index(tokenized, BM25Settings(), engine="numba")
    expected = [index.top(q, 10) for q in queries]
    with ThreadPoolExecutor(4) as pool:
        for _ in range(3):
            assert list(pool.map(lambda q: index.top(q, 10), queries)) == expected


def test_engine_by_corpus_size(monkeypatch):
    monkeypatch.delenv("PEARLBOT_BM25_ENGINE", raising=False)
    assert engine_for(40) == "rank-bm25"
    assert engine_for(10_000) == "numpy"
    assert engine_for(1_000_000) == "numba"
    monkeypatch.setenv("PEARLBOT_BM25_ENGINE", "numpy")
    assert engine_for(1_000_000) == "numpy"


def test_approximation_errors_within_budget_never_change_the_ranking():
    """float32 impacts are off by up to 2**-24; make them 16x worse, at random, on a corpus
    full of exact ties: the shortlist must still hold every passage of the true top k."""
    rng = np.random.default_rng(0)
    tokenized = [list(rng.choice(list("abcdef"), size=rng.integers(1, 6))) for _ in range(1500)]
    queries = [list(rng.choice(list("abcdefz"), size=rng.integers(1, 5))) for _ in range(30)]
    for variant in ("okapi", "plus", "l"):
        bm25 = BM25Settings(variant=variant)
        reference = BM25Index(tokenized, bm25, engine="rank-bm25")
        expected = {(i, k): reference.top(q, k) for i, q in enumerate(queries) for k in (1, 10, 50)}
        for name, index in sparse_indexes(tokenized, bm25):
            impacts = index._impl.impacts
            impacts *= (1 + rng.uniform(-1, 1, len(impacts)) * 2.0**-20).astype(np.float32)
            for (i, k), want in expected.items():
                assert index.top(queries[i], k) == want, (name, variant, queries[i], k)


def test_benchmark_phases_run_on_a_tiny_corpus(tmp_path, monkeypatch):
    """A smoke run of bench/speed.py's phases in-process (the benchmark itself is on demand)."""
    from bench import speed

    monkeypatch.setattr(speed, "OUT", tmp_path)
    job = speed.prepare(300, 5)
    for engine in ("rank-bm25", "numpy"):
        store = str(tmp_path / f"index-{engine}")
        built = speed.phase_build({**job, "engine": engine, "store": store})
        measured = speed.phase_query({**job, "engine": engine, "store": store, "repeat": 1})
        # A real build takes measurable time, memory and disk (a skipped phase reports 0).
        assert 0 < built["build_s"] < 60 and built["build_peak_mb"] > 0 and built["disk_mb"] > 0
        assert measured["queries"] == 5 and 0 < measured["p50_ms"] <= measured["max_ms"]
    row = {"n": 300, "engine": "numpy", **built, **measured, "speedup_p50": 2.0}
    assert "| 300 | numpy |" in speed.table([row])
