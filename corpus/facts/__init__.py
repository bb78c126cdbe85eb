"""Facts read from the language of counterpart-assistance releases, each with provenance."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import TypeVar

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
from pearlbot.corpus.facts.pairings import CityPair, city_pairs, district_pairings
from pearlbot.corpus.facts.people import extract_people
from pearlbot.corpus.facts.places import PlaceBook, collect_places
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

    Fault isolation, finest first: a bug that one sentence's wording triggers in one extractor
    costs that sentence the facts of that kind only; a bug in a whole-document step (places,
    pairings) costs the facts of that step. The article always loads and answers from its
    passages, and each failure is logged once with the file and a one-line reason."""
    try:
        return _extract_facts(document, passages)
    except Exception as exc:  # a bug outside every guarded step: the article keeps its passages
        _report(document, "facts", exc)
        return []


def _report(document: Document, step: str, exc: Exception) -> None:
    reason = str(exc).splitlines()[0] if str(exc) else ""
    log.warning(
        "%s: %s not read (%s%s); the article keeps its other facts and its passages",
        document.source,
        step,
        exc.__class__.__name__,
        f": {reason[:REASON_CHARS]}" if reason else "",
    )


T = TypeVar("T")


class _Guard:
    """Runs one document's extraction steps; a step that raises gives its default instead."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.failed: set[str] = set()

    def __call__(self, step: str, run: Callable[[], T], default: T) -> T:
        try:
            return run()
        except Exception as exc:  # one step's bug costs only that step's facts
            if step not in self.failed:  # once per step and document, not once per sentence
                self.failed.add(step)
                _report(self.document, step, exc)
            return default


def _extract_facts(document: Document, passages: list[Passage]) -> list[Fact]:
    own = [p for p in passages if p.doc_id == document.id]
    if not own:
        return []
    guard = _Guard(document)
    sents = list(sentences(document, own))
    no_places: tuple[PlaceBook, list[PlaceFact]] = (PlaceBook(), [])
    no_cities: list[tuple[CityPair, PairingFact]] = []
    no_pairings: list[PairingFact] = []
    book, place_facts = guard("places", partial(collect_places, sents), no_places)
    cities = guard("city pairings", partial(city_pairs, sents, book), no_cities)
    city_pairs_only = [pair for pair, _ in cities]
    districts = guard(
        "district pairings",
        partial(district_pairings, sents, book, city_pairs_only, place_facts),
        no_pairings,
    )
    # A pair a district-level list states is not also a city-level one.
    listed = {(f.assisting, f.assisted) for f in districts}
    facts: list[Fact] = [f for _, f in cities if (f.assisting, f.assisted) not in listed]
    facts += districts
    release = release_fact(document)
    if release:
        facts.append(release)
    no_figures: list[FigureFact] = []
    no_people: list[PersonFact] = []
    no_dates: list[DateFact] = []
    for sentence in sents:
        facts += guard("figures", partial(extract_figures, sentence, book), no_figures)
        facts += guard("people", partial(extract_people, sentence, book), no_people)
        facts += guard("dates", partial(extract_dates, sentence), no_dates)
    facts += place_facts
    facts = [fact for fact in facts if _provenance_holds(document, fact)]

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


def _provenance_holds(document: Document, fact: Fact) -> bool:
    """A fact whose quote is not the document's text at its offsets is a bug: dropped."""
    source = fact.source
    if source.passage_id is None:
        return True
    return document.text[source.start : source.end] == source.quote
