"""Fact lookups for front ends: place autocomplete, pairing tables, facts by kind, summaries."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from corpus.facts.models import Fact
from retrieval.answer import Answer, answer_question
from retrieval.knowledge import KnowledgeBase


def known_places(kb: KnowledgeBase) -> list[str]:
    """Every place name the facts know, in first-seen order."""
    names: dict[str, None] = {}
    for fact in kb.facts:
        if fact.kind == "place":
            names[fact.name] = None
        elif fact.kind == "pairing":
            for name in (fact.assisting, fact.assisted):
                if name:
                    names[name] = None
    return list(names)


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
    return [f for f in kb.facts if kind is None or f.kind == kind]


def summary(kb: KnowledgeBase) -> dict[str, int]:
    """Counts for /help and `pearlbot corpus`."""
    counts = {
        "documents": len(kb.corpus.documents),
        "passages": len(kb.passages),
        "facts": len(kb.facts),
    }
    for fact in kb.facts:
        counts[f"{fact.kind} facts"] = counts.get(f"{fact.kind} facts", 0) + 1
    return counts


def pair_answer(kb: KnowledgeBase, place: str | None) -> Answer:
    """The pairing of one place (either side), or the whole pairing table when place is None."""
    pairings = [f for f in kb.facts if f.kind == "pairing"]
    if not place or not place.strip():
        if not pairings:
            return Answer(question="pairings", answer=None, note="The source names no pairings.")
        return Answer(
            question="pairings",
            answer=f"{len(pairings)} pairings",
            facts=tuple(pairings),
            caveats=_order_caveats(pairings),
        )
    return answer_question(kb, f"Which place is paired with {place.strip()}?")


def _order_caveats(pairings: list[Fact]) -> tuple[str, ...]:
    if any(getattr(f, "inferred_from_order", False) for f in pairings):
        return ("Some pairs are inferred from the order of two lists of different lengths.",)
    return ()
