"""Everything answering needs, built once from a corpus: passages, BM25 index, facts."""

from __future__ import annotations

import logging
import operator
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, repeat

import numpy as np
from pydantic import BaseModel, ConfigDict

from pearlbot.corpus import Corpus, Document, Passage, load_corpus
from pearlbot.corpus.divisions import warm_divisions
from pearlbot.corpus.facts.models import Fact
from pearlbot.corpus.facts.text import PLACE_CONTEXT
from pearlbot.corpus.vocabulary import MONTH_NAMES, ORGANISATION_HEADS
from pearlbot.retrieval.fact_cache import cached_facts
from pearlbot.retrieval.fact_index import FactIndex, build_fact_index
from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze, terms_of_words, words
from pearlbot.retrieval.search.bm25 import BM25Index, BM25Settings
from pearlbot.retrieval.search.index_store import open_index
from pearlbot.retrieval.store import (
    STORE_MIN_FILES,
    KnowledgeStore,
    Loaded,
    StoreDamaged,
    StoreStale,
    StoreStatus,
    SyncReport,
    check_folder,
    scan,
    store_for,
)
from pearlbot.retrieval.store.store import Scanned, collector_paused
from pearlbot.retrieval.understanding.gazetteer import Gazetteer, build_gazetteer, key
from pearlbot.seeds import seeds_path
from pearlbot.settings import current_settings

log = logging.getLogger(__name__)
DOCS_WITH_CACHE = 100_000  # words whose documents are remembered
ROWS_FOR_A_NAME = 500  # passages read for a name when no document scope narrows them
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
    passage_rows: Mapping[str, int] = field(default_factory=dict)
    gazetteer: Gazetteer = field(default_factory=Gazetteer)
    corpus_words: frozenset[str] = frozenset()  # words as written, for correcting typos
    store_generation: int | None = None  # the knowledge store's update this came from
    title_docs: dict[str, list[str]] | None = None  # title word -> documents (from a store)
    # Document id -> "\n" + its words joined by newlines + "\n", from the store: searched as
    # they are, not split into 5,000 (50,000 at 1M) sets at every start.
    doc_word_lists: dict[str, str] | None = None

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
        question to the documents that mention its names (see docs_with)."""
        if self.doc_word_lists is not None:
            listed = self.doc_word_lists.items()
            return {d: frozenset(ws[1:-1].split("\n")) - {""} for d, ws in listed}
        return {d.id: frozenset(words(f"{d.title}\n{d.text}")) for d in self.corpus.documents}

    @cached_property
    def rows_by_doc(self) -> dict[str, tuple[int, ...]]:
        """Document id -> the rows of its passages, in order."""
        found: dict[str, list[int]] = {}
        for row, passage in enumerate(self.corpus.passages):
            found.setdefault(passage.doc_id, []).append(row)
        return {d: tuple(rows) for d, rows in found.items()}

    def rows_in(self, docs: frozenset[str] | None, words: Sequence[str] = ()) -> list[int]:
        """Passage rows of the given documents; with no documents, the rows BM25 finds for
        `words` (a name), never a pass over the whole corpus."""
        if docs is not None:
            return [row for d in sorted(docs) for row in self.rows_by_doc.get(d, ())]
        terms = analyze(" ".join(words), self.settings.analyzer)
        return sorted(row for row, _ in self.index.top(terms, ROWS_FOR_A_NAME))

    def terms_in_rows(self, terms: Iterable[str], rows: Iterable[int]) -> dict[int, set[str]]:
        """Row -> which of `terms` its passage holds (`terms & analyze_text(passage.text)`),
        read from the postings, one search per term for all rows: analysing the ~200
        sentences a figure question scores took 2 of its 9 ms at 100,000 passages."""
        wanted = sorted(set(rows))
        out: dict[int, set[str]] = {row: set() for row in wanted}
        if not wanted:
            return out
        at = np.asarray(wanted, dtype=np.int64)
        for term in terms:
            for row in at[self.index.holding(term, at)].tolist():
                out[row].add(term)
        return out

    def docs_with(self, word: str) -> frozenset[str]:
        """The documents that use `word` (lower-cased as written). Worked out the first time a
        word is asked about, a dictionary look-up after."""
        cache: dict[str, frozenset[str]] = self.__dict__.setdefault("_docs_with", {})
        found = cache.get(word)
        if found is None:
            maybe = list(self._docs_maybe_with(word))
            if self.doc_word_lists is None:
                found = frozenset(d for d in maybe if word in self.doc_words[d])
            else:  # one substring search a document, looped in C (30,000 documents: ~35 ms)
                lists, needle = map(self.doc_word_lists.__getitem__, maybe), f"\n{word}\n"
                found = frozenset(compress(maybe, map(operator.contains, lists, repeat(needle))))
            if len(cache) < DOCS_WITH_CACHE:
                cache[word] = found
        return found

    def _docs_maybe_with(self, word: str) -> Iterable[str]:
        """Every document that may use `word`: from a store, whose document words are its
        passages' words and its title's, those of the passages holding the word's term and
        those whose title has it (a pass over every document took 0.7 ms of each question at
        100,000 passages); otherwise, and for stop words, every document."""
        terms = terms_of_words([word], self.settings.analyzer)
        if self.title_docs is None or len(terms) != 1:
            return self.doc_ids
        rows = self.index.rows_with(terms[0])
        ids = self.doc_ids
        found = dict.fromkeys(ids[i] for i in np.unique(self.row_docs[rows]).tolist())
        found.update(dict.fromkeys(self.title_docs.get(word, ())))
        return found

    @cached_property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.corpus.documents)

    @cached_property
    def row_docs(self) -> np.ndarray:
        """Passage row -> the index of its document in `corpus.documents`."""
        number = {d: n for n, d in enumerate(self.doc_ids)}
        return np.fromiter(
            (number[p.doc_id] for p in self.corpus.passages), np.int32, len(self.corpus.passages)
        )

    @cached_property
    def place_words(self) -> frozenset[str]:
        """Lower-cased words the corpus writes where places stand ("in Westvale", "Pine county",
        "X in Y province"), for scoping questions that type a name in lower case."""
        found: set[str] = set()
        for doc in self.corpus.documents:
            for match in PLACE_CONTEXT.finditer(doc.text):
                found.add((match[1] or match[2] or match[3]).casefold())
        # Months ("in April") and the heads of organisations ("School in X County") are not places.
        return frozenset(found - {m.casefold() for m in MONTH_NAMES} - set(ORGANISATION_HEADS))

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

    def prepare(self) -> KnowledgeBase:
        """Build every derived look-up now, so that no question pays for one; returns self."""
        for name in (
            "fact_index",
            "vocabulary",
            "stem_words",
            *(("doc_words",) if self.doc_word_lists is None else ()),
            "rows_by_doc",
            "proper_words",
            "place_words",
            "doc_ids",
            "row_docs",
        ):
            getattr(self, name)
        warm_divisions()  # the division table types places in questions and answers
        return self


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
    ).prepare()


def knowledge_base_from_store(loaded: Loaded, settings: RetrievalSettings) -> KnowledgeBase:
    """A knowledge base from what the store holds: nothing is parsed, extracted or analysed."""
    corpus = loaded.corpus
    kb = KnowledgeBase(
        corpus=corpus,
        index=BM25Index.from_postings(loaded.postings, settings.bm25),
        settings=settings,
        facts=loaded.facts,
        passage_rows=loaded.passage_rows,
        gazetteer=build_gazetteer(loaded.facts),
        corpus_words=loaded.corpus_words,
        store_generation=loaded.generation,
        title_docs=loaded.title_docs,
        doc_word_lists=loaded.doc_words,
    )
    # What the store already holds is not computed again.
    kb.__dict__["proper_words"] = loaded.proper_words
    kb.__dict__["stem_words"] = loaded.stem_words
    kb.__dict__["place_words"] = loaded.place_words
    # Rows by document from the passage counts: no pass over a million passages.
    counts = loaded.passage_counts
    kb.__dict__["row_docs"] = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    starts = np.cumsum([0, *counts]).tolist()
    kb.__dict__["rows_by_doc"] = {
        d.id: tuple(range(starts[n], starts[n + 1]))
        for n, d in enumerate(corpus.documents)
        if counts[n]
    }
    return kb.prepare()


def corpus_paths() -> list[str]:
    """PEARLBOT_CORPUS (several paths separated by os.pathsep) if set, else the packaged seeds."""
    return current_settings().corpus_paths() or [str(seeds_path())]


def open_knowledge_base(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    settings: RetrievalSettings = DEFAULT_SETTINGS,
) -> KnowledgeBase:
    """Load the corpus (default: PEARLBOT_CORPUS or the seeds) and build everything: from
    the knowledge store when the corpus is large enough to have one (updated first if an
    article changed), else from the article files."""
    chosen = list(paths or corpus_paths())
    if [str(p) for p in chosen] != [str(seeds_path())]:
        kb = _open_through_store(chosen, settings)
        if kb is not None:
            return kb
    corpus = load_corpus(chosen, window=settings.window)
    return build_knowledge_base(corpus, settings)


def _open_through_store(
    paths: list[str | os.PathLike[str]], settings: RetrievalSettings
) -> KnowledgeBase | None:
    """The knowledge base from the store; None when the corpus is too small for one, stores
    are off, or the store cannot be written and is out of date (the caller then reads the
    articles into memory). StoreRefused (a CorpusError) for an unsafe folder."""
    store = store_for(paths, settings.window, settings.analyzer)
    if store is None:
        return None
    files = scan(store.roots)  # resolved, as the store keeps them
    if len(files) < STORE_MIN_FILES:
        return None
    try:
        with collector_paused(freeze=True):
            return knowledge_base_from_store(store.load(files), settings)
    except FileNotFoundError:
        pass  # the folder does not exist yet
    except (StoreStale, StoreDamaged) as exc:
        if isinstance(exc, StoreDamaged):
            log.warning("knowledge store %s: %s; rebuilding it", store.folder, exc)
        else:
            log.info("knowledge store %s: %s; updating it", store.folder, exc)
    if store.folder.exists():
        check_folder(store.folder)
    try:
        update_store(store, files)
    except (OSError, sqlite3.Error) as exc:
        # Read-only folder or full disk: answer from memory, as without a store.
        log.warning("knowledge store %s not updated (%s); answering from memory", store.folder, exc)
        return None
    with collector_paused(freeze=True):
        return knowledge_base_from_store(store.load(files), settings)


def update_store(store: KnowledgeStore, files: list[Scanned] | None = None) -> SyncReport:
    """Bring the store up to date, with a progress bar on a terminal."""
    from pearlbot.progress import progress

    bar = None

    def total(n: int) -> None:
        nonlocal bar
        if n:
            bar = progress(range(n), desc="reading articles", unit=" articles")

    def done(n: int) -> None:
        if bar is not None and hasattr(bar, "update"):
            bar.update(n)

    try:
        return store.sync(files, done=done, total=total)
    finally:
        if bar is not None and hasattr(bar, "close"):
            bar.close()


def build_store(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    settings: RetrievalSettings = DEFAULT_SETTINGS,
    *,
    total: Callable[[int], None] | None = None,
    done: Callable[[int], None] | None = None,
) -> SyncReport | None:
    """Bring the corpus's knowledge store up to date (`pearlbot index build`); None when
    stores are off. `total(n)` hears how many files will be read, `done(n)` each batch."""
    chosen = list(paths or corpus_paths())
    store = store_for(chosen, settings.window, settings.analyzer)
    if store is None:
        return None
    return store.sync(done=done, total=total)


def store_status(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    settings: RetrievalSettings = DEFAULT_SETTINGS,
) -> StoreStatus | None:
    """What the corpus's knowledge store holds and what is stale; None when stores are off."""
    chosen = list(paths or corpus_paths())
    store = store_for(chosen, settings.window, settings.analyzer)
    if store is None:
        return None
    if store.folder.exists():
        check_folder(store.folder)
    return store.status()


def store_generation(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    settings: RetrievalSettings = DEFAULT_SETTINGS,
) -> int | None:
    """The store's update counter, cheap to read: a bot process polls it to learn that
    another process updated the store (None: no store)."""
    store = store_for(list(paths or corpus_paths()), settings.window, settings.analyzer)
    return None if store is None else store.generation()
