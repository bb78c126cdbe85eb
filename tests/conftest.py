from __future__ import annotations

from pathlib import Path

import pytest

from pearlbot.corpus import Corpus, load_corpus
from pearlbot.retrieval.knowledge import KnowledgeBase, build_knowledge_base
from pearlbot.seeds import seeds_path

ROOT = Path(__file__).resolve().parent.parent  # the repository
SEED_FILE = seeds_path() / "wuxi-haidong-2019-08-07.txt"
DATA = Path(__file__).parent / "data"
EVAL = ROOT / "eval"
EVAL_ARTICLES = EVAL / "articles"


def one_article_kb(folder: Path, name: str, text: str) -> KnowledgeBase:
    """A knowledge base of one article file written for a test."""
    (folder / name).write_text(text, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


@pytest.fixture(scope="session")
def seed_corpus() -> Corpus:
    return load_corpus(seeds_path())


@pytest.fixture(scope="session")
def seed_kb(seed_corpus: Corpus) -> KnowledgeBase:
    return build_knowledge_base(seed_corpus)
