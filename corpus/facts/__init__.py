"""Facts read from the language of counterpart-assistance releases, each with provenance."""

from __future__ import annotations

import logging

from pearlbot.corpus.facts.dates import extract_dates, release_fact
from pearlbot.corpus.facts.figures import extract_figures
from pearlbot.corpus.facts.models import (
    FACT_KINDS,
    DateFact,
    Fact,
    FigureFact,
    PairingFact,
    PersonFact,
    PlaceFact,
    Provenance,
)
from pearlbot.corpus.facts.pairings import city_pairs, district_pairings
from pearlbot.corpus.facts.people import extract_people
from pearlbot.corpus.facts.places import collect_places
from pearlbot.corpus.facts.text import sentences
from pearlbot.corpus.models import Document, Passage

log = logging.getLogger(__name__)
REASON_CHARS = 100  # of an exception's message, in the one-line warning

__all__ = [
    "FACT_KINDS",
    "DateFact",
    "Fact",
    "FigureFact",
    "PairingFact",
    "PersonFact",
    "PlaceFact",
    "Provenance",
    "extract_facts",
]


def _key(fact: Fact) -> tuple:
    """What makes two facts the same statement (for dropping repeats)."""
    data = fact.model_dump(exclude={"id", "source"})
    return (fact.source.doc_id, *sorted((k, str(v)) for k, v in data.items()))


def extract_facts(document: Document, passages: list[Passage]) -> list[Fact]:
    """All facts one document states, in reading order per kind, with stable ids.

    A bug that one article's wording triggers costs that article its facts, never the corpus:
    the article still loads and answers from its passages, and the reason is logged."""
    try:
        return _extract_facts(document, passages)
    except Exception as exc:  # one bad document never takes down the others
        reason = str(exc).splitlines()[0] if str(exc) else ""
        log.warning(
            "%s: facts not read (%s%s); it answers from its passages only",
            document.source,
            exc.__class__.__name__,
            f": {reason[:REASON_CHARS]}" if reason else "",
        )
        return []


def _extract_facts(document: Document, passages: list[Passage]) -> list[Fact]:
    own = [p for p in passages if p.doc_id == document.id]
    if not own:
        return []
    sents = list(sentences(document, own))
    book, place_facts = collect_places(sents)
    cities = city_pairs(sents, book)
    city_pairs_only = [pair for pair, _ in cities]
    facts: list[Fact] = [fact for _, fact in cities]
    facts += district_pairings(sents, book, city_pairs_only, place_facts)
    release = release_fact(document)
    if release:
        facts.append(release)
    for sentence in sents:
        facts += extract_figures(sentence, book)
        facts += extract_people(sentence, book)
        facts += extract_dates(sentence)
    facts += place_facts

    unique: dict[tuple, Fact] = {}
    for fact in facts:
        unique.setdefault(_key(fact), fact)
    numbered: list[Fact] = []
    counters: dict[str, int] = {}
    for fact in unique.values():
        counters[fact.kind] = counters.get(fact.kind, 0) + 1
        numbered.append(
            fact.model_copy(update={"id": f"{document.id}/{fact.kind}/{counters[fact.kind]}"})
        )
    return numbered
