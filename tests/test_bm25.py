import pytest

from retrieval.analyzer import analyze
from retrieval.bm25 import BM25Index, BM25Settings

DOCS = [
    "Liangxi District paired with Xunhua County",
    "Wuxi invested 503 million yuan",
    "Wuxi Haidong visit delegation",
    "Haidong Wuxi Haidong cooperation",
]


@pytest.mark.parametrize("variant", ["okapi", "plus", "l"])
def test_top_ranks_the_matching_passage_first(variant):
    index = BM25Index([analyze(d) for d in DOCS], BM25Settings(variant=variant))
    assert index.top(analyze("Which county pairs with Liangxi?"), 2)[0][0] == 0
    assert index.top(analyze("invested yuan"), 1)[0][0] == 1


def test_only_passages_sharing_a_term_are_returned():
    index = BM25Index([analyze(d) for d in DOCS], BM25Settings(variant="plus"))
    assert [row for row, _ in index.top(analyze("delegation"), 10)] == [2]
    assert index.top(analyze("nothing matches"), 10) == []
    assert index.doc_freq("wuxi") == 3 and index.doc_freq("absent") == 0


def test_empty_index_scores_nothing():
    index = BM25Index([], BM25Settings())
    assert index.top(["wuxi"], 3) == []
