"""Raw articles -> documents, passages (with character offsets) and facts."""

from corpus.articles import parse_article
from corpus.loading import CorpusError, load_corpus
from corpus.models import Corpus, Document, LoadProblem, Passage
from corpus.passages import chunk_document, split_sentences

__all__ = [
    "Corpus",
    "CorpusError",
    "Document",
    "LoadProblem",
    "Passage",
    "chunk_document",
    "load_corpus",
    "parse_article",
    "split_sentences",
]
