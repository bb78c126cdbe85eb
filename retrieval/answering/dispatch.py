"""Answers from extracted facts: one handler per intent, the fact layer's single entry point.

Each handler returns a FactResult (an answer, or a reasoned abstention) or None when the facts do
not cover the question, in which case answering falls back to passages."""

from __future__ import annotations

from collections.abc import Callable

from pearlbot.retrieval.answering.common import (
    FactResult,
    doc_cities,
    mentions,
    unknown_name,
)
from pearlbot.retrieval.answering.dates import date
from pearlbot.retrieval.answering.figures import figure
from pearlbot.retrieval.answering.pairings import pairing
from pearlbot.retrieval.answering.people import person
from pearlbot.retrieval.answering.places import definition, nickname, place
from pearlbot.retrieval.knowledge import KnowledgeBase
from pearlbot.retrieval.understanding.question import (
    Question,
)

HANDLERS: dict[str, Callable[[KnowledgeBase, Question], FactResult | None]] = {
    "pairing": pairing,
    "figure": figure,
    "person": person,
    "date": date,
    "place": place,
    "nickname": nickname,
    "definition": definition,
}


def answer_from_facts(kb: KnowledgeBase, q: Question) -> FactResult | None:
    # A name the corpus lacks ("the mayor of Fakeville") can't be answered by any fact.
    unknown = unknown_name(kb, q)
    if unknown is not None:
        return unknown
    handler = HANDLERS.get(q.intent)
    result = handler(kb, q) if handler else None
    if result is None and q.intent in ("definition", "other"):
        # No cue word ("what was X's poverty incidence?"): a figure that fits, or nothing.
        attempt = figure(kb, q)
        result = attempt if attempt and attempt.answer else None
    return result


def places_fit_text(kb: KnowledgeBase, q: Question, text: str, doc_id: str) -> bool:
    """Every place the question names is in `text` or is one of its document's two cities."""
    cities = doc_cities(kb, doc_id)
    return all(mentions(text, p.name) or p.name in cities for p in q.places)
