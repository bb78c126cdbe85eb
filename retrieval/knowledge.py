"""Everything answering needs, built once from a corpus: passages, BM25 index, facts."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from pearlbot.corpus import Corpus, Document, Passage, load_corpus
from pearlbot.corpus.facts.models import Fact
from pearlbot.retrieval.fact_cache import cached_facts
from pearlbot.retrieval.fact_index import FactIndex, build_fact_index
from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze, words
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings
from pearlbot.retrieval.search.index_store import open_index
from pearlbot.retrieval.understanding.gazetteer import Gazetteer, build_gazetteer, key
from pearlbot.seeds import seeds_path
from pearlbot.settings import current_settings

_TOKEN = re.compile(r"[^\W\d_][^\W_]*")


class RetrievalSettings(BaseModel):
    """Every knob that changes answers; chosen by measurement, see README "Choices"."""

    model_config = ConfigDict(frozen=True)

    analyzer: AnalyzerSettings = AnalyzerSettings()
    bm25: BM25Settings = BM25Settings()
    window: int = 1  # sentences per passage
    min_coverage: float = 0.75  # share of the question's content words a passage must cover


DEFAULT_SETTINGS = RetrievalSettings()


@dataclass(frozen=True)
class KnowledgeBase:
    corpus: Corpus
    index: BM25Index
    settings: RetrievalSettings
    facts: tuple[Fact, ...] = ()
    passage_rows: dict[str, int] = field(default_factory=dict)
    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    corpus_words: frozenset[str] = frozenset()  # words as written, for correcting typos

    @cached_property
    def fact_index(self) -> FactIndex:
        return build_fact_index(self.facts)

    @cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every index term of the corpus, and of the names its facts know."""
        names = " ".join(self.gazetteer.entries)
        return frozenset(self.index.postings) | frozenset(analyze(names, self.settings.analyzer))

    @property
    def surface_words(self) -> frozenset[str]:
        return self.corpus_words

    @cached_property
    def stem_words(self) -> dict[str, str]:
        """Index term -> one corpus word with that stem ("invest" -> "invested")."""
        out: dict[str, str] = {}
        for word in sorted(self.surface_words):
            for term in analyze(word, self.settings.analyzer):
                out.setdefault(term, word)
        return out

    @cached_property
    def doc_words(self) -> dict[str, frozenset[str]]:
        """Document id -> its words, lower-cased as written (title and body): what scopes a
        question to the documents that mention its names."""
        return {d.id: frozenset(words(f"{d.title}\n{d.text}")) for d in self.corpus.documents}

    @cached_property
    def proper_words(self) -> frozenset[str]:
        """Words the corpus only ever writes capitalised: names, even when a question types
        them in lower case ("which county is huzhou paired with?")."""
        upper: set[str] = set()
        lower: set[str] = set()
        for d in self.corpus.documents:
            for token in _TOKEN.findall(f"{d.title}\n{d.text}"):
                (upper if token[0].isupper() else lower).add(token.casefold())
        return frozenset(upper - lower)

    def gazetteer_type(self, name: str) -> str | None:
        """The place type of a known place name ("county", "city", ...), or None."""
        entries = self.gazetteer.entries.get(key(name), [])
        return next((e.kind for e in entries if e.name == name), None)

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.corpus.passages

    def document(self, doc_id: str) -> Document:
        doc = self.corpus.document(doc_id)
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def passage(self, passage_id: str) -> Passage | None:
        row = self.passage_rows.get(passage_id)
        return None if row is None else self.corpus.passages[row]


def build_knowledge_base(
    corpus: Corpus, settings: RetrievalSettings = DEFAULT_SETTINGS
) -> KnowledgeBase:
    # Engine by corpus size; large corpora's postings come from the on-disk cache.
    index = open_index([p.text for p in corpus.passages], settings.analyzer, settings.bm25)
    facts, surface = cached_facts(corpus)
    return KnowledgeBase(
        corpus=corpus,
        index=index,
        settings=settings,
        facts=facts,
        passage_rows={p.id: row for row, p in enumerate(corpus.passages)},
        gazetteer=build_gazetteer(facts),
        corpus_words=surface,
    )


def corpus_paths() -> list[str]:
    """PEARLBOT_CORPUS (several paths separated by os.pathsep) if set, else the packaged seeds."""
    return current_settings().corpus_paths() or [str(seeds_path())]


def open_knowledge_base(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    settings: RetrievalSettings = DEFAULT_SETTINGS,
) -> KnowledgeBase:
    """Load the corpus (default: PEARLBOT_CORPUS or the seeds) and build everything."""
    corpus = load_corpus(paths or corpus_paths(), window=settings.window)
    return build_knowledge_base(corpus, settings)
