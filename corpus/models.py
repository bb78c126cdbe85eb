"""Frozen data models for the corpus layer."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from pydantic import BaseModel, ConfigDict, model_validator


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(Frozen):
    """One cleaned article. `text` is the body: paragraphs joined by blank lines."""

    id: str
    title: str
    released: dt.date | None = None
    credit: str | None = None
    source: str
    text: str


class Passage(Frozen):
    """A span of a document's text; `document.text[start:end] == text`."""

    id: str
    doc_id: str
    text: str
    start: int
    end: int

    @model_validator(mode="after")
    def _span_matches_text(self) -> Passage:
        if self.end - self.start != len(self.text):
            raise ValueError("passage span length does not match its text")
        return self


class LoadProblem(Frozen):
    """A file that was skipped while loading a corpus, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class Corpus(Frozen):
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    problems: tuple[LoadProblem, ...] = ()  # files skipped, and why
    notes: tuple[LoadProblem, ...] = ()  # files loaded with a remark (the encoding detected)

    @cached_property
    def _documents_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    @cached_property
    def _passages_by_id(self) -> dict[str, Passage]:
        return {p.id: p for p in self.passages}

    def document(self, doc_id: str) -> Document | None:
        return self._documents_by_id.get(doc_id)

    def passage(self, passage_id: str) -> Passage | None:
        return self._passages_by_id.get(passage_id)
