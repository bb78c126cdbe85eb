"""Sentence-aware chunking of a document's text into passages with exact offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pearlbot.corpus.models import Document, Passage

# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+)|[。！？]+[”’」』）]*")
# What must start the next sentence for a Latin boundary to count.
_SENTENCE_START = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9\u4e00-\u9fff]")
# Words whose trailing period is not a full stop.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st no nos co corp ltd inc jr sr vs etc e.g i.e u.s u.k u.n p.r
    jan feb mar apr jun jul aug sep sept oct nov dec gov govt gen rep sen dept approx fig
    vol pp est mt ft rd ave""".split()
)
_LAST_WORD = re.compile(r"([\w.]+)[.]$")


def _is_abbreviation(text: str, end: int) -> bool:
    match = _LAST_WORD.search(text, max(0, end - 12), end)
    if not match:
        return False
    word = match[1].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield (start, end) spans of sentences in text[start:end], stripped of outer spaces."""
    end = len(text) if end is None else end
    sentence_start = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if match[0][0] in ".!?":
            if not _SENTENCE_START.match(text, stop, end):
                continue
            if match[0] == "." and _is_abbreviation(text, stop):
                continue
        yield from _stripped(text, sentence_start, stop)
        sentence_start = stop
    yield from _stripped(text, sentence_start, end)


def _stripped(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs of a document's text."""
    for match in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        yield from _stripped(text, match.start(), match.end())


def chunk_document(document: Document, window: int = 1) -> list[Passage]:
    """Passages of `window` consecutive sentences (sliding by one), never crossing paragraphs."""
    if window < 1:
        raise ValueError("window must be at least 1")
    text = document.text
    passages: list[Passage] = []
    for para_start, para_end in paragraph_spans(text):
        sentences = list(split_sentences(text, para_start, para_end))
        count = max(1, len(sentences) - window + 1)
        for i in range(count):
            group = sentences[i : i + window]
            start, end = group[0][0], group[-1][1]
            passages.append(
                Passage(
                    id=f"{document.id}#{len(passages) + 1}",
                    doc_id=document.id,
                    text=text[start:end],
                    start=start,
                    end=end,
                )
            )
    return passages
