import numpy as np
import pytest
from pydantic import ValidationError

from pearlbot.retrieval.search.analyzer import analyze
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings, warm_up

DOCS = [
    "Liangxi District paired with Xunhua County",
    "Wuxi invested 503 million yuan",
    "Wuxi Haidong visit delegation",
    "Haidong Wuxi Haidong cooperation",
]
ENGINES = ["rank-bm25", "numpy", "numba"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("variant", ["okapi", "plus", "l"])
def test_top_ranks_the_matching_passage_first(variant, engine):
    index = BM25Index([analyze(d) for d in DOCS], BM25Settings(variant=variant), engine)
    assert index.engine == engine
    assert index.top(analyze("Which county pairs with Liangxi?"), 2)[0][0] == 0
    assert index.top(analyze("invested yuan"), 1)[0][0] == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_only_passages_sharing_a_term_are_returned(engine):
    index = BM25Index([analyze(d) for d in DOCS], BM25Settings(variant="plus"), engine)
    assert [row for row, _ in index.top(analyze("delegation"), 10)] == [2]
    assert index.top(analyze("nothing matches"), 10) == []
    assert index.doc_freq("wuxi") == 3 and index.doc_freq("absent") == 0
    assert {"wuxi", "haidong", "liangxi"} <= set(index.postings)


@pytest.mark.parametrize("engine", ENGINES)
def test_holding_tells_which_rows_hold_a_term(engine):
    index = BM25Index([analyze(d) for d in DOCS], BM25Settings(), engine)
    rows = np.arange(4, dtype=np.int64)
    assert index.holding("wuxi", rows).tolist() == [False, True, True, True]
    assert index.holding("haidong", np.array([0, 3], dtype=np.int64)).tolist() == [False, True]
    assert index.holding("liangxi", np.array([3], dtype=np.int64)).tolist() == [False]
    assert not index.holding("absent", rows).any()


@pytest.mark.parametrize("engine", ENGINES)
def test_bm25_plus_gives_passages_without_the_term_a_floor(engine):
    index = BM25Index([analyze(d) for d in DOCS], BM25Settings(variant="plus"), engine)
    query = analyze("delegation")
    scores = index.scores(query)
    assert scores[2] > scores[0] == scores[1] == scores[3] > 0
    assert np.array_equal(index.score_rows(query, [3, 2]), scores[[3, 2]])


@pytest.mark.parametrize("engine", ENGINES)
def test_empty_index_scores_nothing(engine):
    for tokenized in ([], [[], []]):
        index = BM25Index(tokenized, BM25Settings(variant="okapi"), engine)
        assert index.top(["wuxi"], 3) == [] and index.size == len(tokenized)


def test_parameters_rank_bm25_cannot_score_are_refused():
    with pytest.raises(ValidationError):
        BM25Settings(k1=0)
    with pytest.raises(ValidationError):
        BM25Settings(b=1.5)


def test_warm_up_only_works_for_numba_indexes():
    small = BM25Index([analyze(d) for d in DOCS], BM25Settings())
    assert small.engine == "rank-bm25" and warm_up(small) == 0.0
    large = BM25Index([analyze(d) for d in DOCS], BM25Settings(), engine="numba")
    assert warm_up(large) > 0 and warm_up() > 0


def test_pearlbot_ask_on_the_seed_imports_no_heavy_module():
    """Start-up stays light: the seed is rank-bm25's size, so nothing to import or compile."""
    import subprocess
    import sys

    probe = (
        "import sys; from bot.cli import main; main(['ask', 'How many assistance projects?']);"
        "print(*(m for m in ('discord', 'numba', 'bm25s', 'llvmlite') if m in sys.modules),"
        " file=sys.stderr)"
    )
    env = {"PATH": "/usr/bin:/bin", "PEARLBOT_CACHE_DIR": "off"}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""
