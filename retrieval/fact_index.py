"""Facts arranged for lookup, built once per corpus: by kind, by passage, by place."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pearlbot.corpus.facts.models import Fact, PlaceFact


@dataclass(frozen=True)
class FactIndex:
    facts: tuple[Fact, ...] = ()
    by_kind: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    by_passage: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    doc_cities: dict[str, frozenset[str]] = field(default_factory=dict)
    within: dict[str, tuple[PlaceFact, ...]] = field(
        default_factory=dict
    )  # place -> its containers
    contains: dict[str, tuple[PlaceFact, ...]] = field(default_factory=dict)  # container -> places
    # Pairings by every place they name (either side, or either side's city).
    pairings_by_place: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    people_by_name: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    nicknames_by_place: dict[str, tuple[PlaceFact, ...]] = field(default_factory=dict)
    release_by_doc: dict[str, Fact] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list:
        return list(self.by_kind.get(kind, ()))

    def cities_of(self, doc_id: str) -> frozenset[str]:
        """The two cities of a document's city-level pairing (empty if it names none)."""
        return self.doc_cities.get(doc_id, frozenset())


def build_fact_index(facts: Iterable[Fact]) -> FactIndex:
    facts = tuple(facts)
    by_kind: dict[str, list[Fact]] = defaultdict(list)
    by_passage: dict[str, list[Fact]] = defaultdict(list)
    doc_cities: dict[str, set[str]] = defaultdict(set)
    within: dict[str, list[PlaceFact]] = defaultdict(list)
    contains: dict[str, list[PlaceFact]] = defaultdict(list)
    pairings_by_place: dict[str, list[Fact]] = defaultdict(list)
    people_by_name: dict[str, list[Fact]] = defaultdict(list)
    nicknames_by_place: dict[str, list[PlaceFact]] = defaultdict(list)
    release_by_doc: dict[str, Fact] = {}
    for fact in facts:
        kind = fact.kind
        by_kind[kind].append(fact)
        passage_id = fact.source.passage_id
        if passage_id:
            by_passage[passage_id].append(fact)
        if kind == "figure":
            continue  # most facts; nothing below is about figures
        if fact.kind == "pairing" and fact.level == "city":
            doc_cities[fact.source.doc_id].update(n for n in (fact.assisting, fact.assisted) if n)
        if fact.kind == "place" and fact.relation == "within" and fact.within:
            within[fact.name].append(fact)
            contains[fact.within].append(fact)
        if fact.kind == "place" and fact.relation == "nickname":
            nicknames_by_place[fact.name].append(fact)
        if fact.kind == "pairing":
            names = {fact.assisting, fact.assisted, fact.assisting_city, fact.assisted_city}
            for name in names:
                if name is not None:
                    pairings_by_place[name].append(fact)
        if fact.kind == "person":
            people_by_name[fact.name].append(fact)
        if fact.kind == "date" and fact.source.passage_id is None:
            release_by_doc[fact.source.doc_id] = fact
    return FactIndex(
        facts=facts,
        by_kind={k: tuple(v) for k, v in by_kind.items()},
        by_passage={k: tuple(v) for k, v in by_passage.items()},
        doc_cities={k: frozenset(v) for k, v in doc_cities.items()},
        within={k: tuple(v) for k, v in within.items()},
        contains={k: tuple(v) for k, v in contains.items()},
        pairings_by_place={k: tuple(v) for k, v in pairings_by_place.items()},
        people_by_name={k: tuple(v) for k, v in people_by_name.items()},
        nicknames_by_place={k: tuple(v) for k, v in nicknames_by_place.items()},
        release_by_doc=release_by_doc,
    )
