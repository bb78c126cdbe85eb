"""Fact lookups for front ends: place autocomplete, pairing tables, facts by kind, summaries."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from corpus.facts.models import Fact
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
