"""Fact lookups for front ends: place autocomplete, pairing tables, facts by kind, summaries."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from pearlbot.corpus.facts.models import Fact
from pearlbot.retrieval.answer import Answer, answer_question
from pearlbot.retrieval.answering.pairings import pairing_table
from pearlbot.retrieval.knowledge import KnowledgeBase


def known_places(kb: KnowledgeBase) -> list[str]:
    """Every place name the corpus knows, in first-seen order (from the gazetteer, not a
    scan of the facts: autocomplete asks on every keystroke)."""
    return kb.gazetteer.names("place")


def suggest_places(kb: KnowledgeBase, text: str, limit: int = 25) -> list[str]:
    """Places for autocomplete: best fuzzy matches first; all (up to limit) for empty text."""
    places = known_places(kb)
    if not text.strip():
        return places[:limit]
    matches = process.extract(
        text,
        places,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=50,
    )
    return [name for name, _score, _index in matches]


def facts_of_kind(kb: KnowledgeBase, kind: str | None = None) -> list[Fact]:
    return list(kb.facts) if kind is None else kb.fact_index.of_kind(kind)


def summary(kb: KnowledgeBase) -> dict[str, int]:
    """Counts for /help and `pearlbot corpus`."""
    counts = {
        "documents": len(kb.corpus.documents),
        "passages": len(kb.passages),
        "facts": len(kb.facts),
    }
    counts |= {f"{kind} facts": len(facts) for kind, facts in kb.fact_index.by_kind.items()}
    return counts


def pair_answer(kb: KnowledgeBase, place: str | None) -> Answer:
    """The pairing of one place (either side), or the pairing table when place is None."""
    if not place or not place.strip():
        total = len(kb.fact_index.of_kind("pairing"))
        table = pairing_table(kb)
        if not total:
            return Answer(question="pairings", answer=None, note="The source names no pairings.")
        shown = len(table.facts)
        note = f"The first {shown} of {total}; ask about one place." if shown < total else None
        return Answer(
            question="pairings",
            answer=f"{total} pairings",
            note=note,
            facts=table.facts,
            caveats=table.caveats,
        )
    return answer_question(kb, f"Which place is paired with {place.strip()}?")
