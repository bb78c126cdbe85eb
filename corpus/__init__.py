"""Raw articles -> documents, passages (with character offsets) and facts."""

from pearlbot.corpus.articles import parse_article
from pearlbot.corpus.loading import CorpusError, load_corpus
from pearlbot.corpus.models import Corpus, Document, LoadProblem, Passage
from pearlbot.corpus.passages import chunk_document, split_sentences

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
