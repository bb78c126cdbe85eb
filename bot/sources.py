"""Source links: the web address an article came from, for Discord's embed `url` and "Open
source" button and for the terminal under each citation. A page added with `pearlbot corpus
add page.html` has its canonical URL in its sidecar record; a `.txt` or `.md` article may name
one on a `Source: https://…` header line.

No discord.py here."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pearlbot.corpus.ingest import read_record
from pearlbot.corpus.models import Document
from pearlbot.retrieval import Answer, KnowledgeBase

HEADER_LINES = 8  # a `Source:` line counts only among the article's first lines
_SOURCE_LINE = re.compile(r"^\s*Source\s*[:：]\s*(https?://\S+)\s*$", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>\"]+$")


def document_url(document: Document) -> str | None:
    """The article's web address, or None when it has none (the seeds have none)."""
    return _url_of(document.source)


@lru_cache(maxsize=4096)
def _url_of(source: str) -> str | None:
    path = Path(source)
    if not path.is_file():
        return None
    record = read_record(path)
    if record is not None and record.source_url and _URL.match(record.source_url):
        return record.source_url
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for _, line in zip(range(HEADER_LINES), handle, strict=False):
                found = _SOURCE_LINE.match(line)
                if found and _URL.match(found[1]):
                    return found[1]
    except OSError:
        return None
    return None


def answer_url(kb: KnowledgeBase, answer: Answer) -> str | None:
    """The web address of the article the answer cites first, if it has one."""
    if not answer.passages:
        return None
    document = kb.corpus.document(answer.passages[0].doc_id)
    return document_url(document) if document is not None else None


def passage_urls(kb: KnowledgeBase, answer: Answer) -> dict[str, str]:
    """Document id -> web address, for the documents the answer's passages come from."""
    urls: dict[str, str] = {}
    for hit in answer.passages:
        document = kb.corpus.document(hit.doc_id)
        url = document_url(document) if document is not None else None
        if url:
            urls[hit.doc_id] = url
    return urls
