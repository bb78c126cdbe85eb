"""Facts arranged for lookup, built once per corpus: by kind, by passage, by place."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.facts.models import Fact, PlaceFact


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
    for fact in facts:
        by_kind[fact.kind].append(fact)
        if fact.source.passage_id:
            by_passage[fact.source.passage_id].append(fact)
        if fact.kind == "pairing" and fact.level == "city":
            doc_cities[fact.source.doc_id].update(n for n in (fact.assisting, fact.assisted) if n)
        if fact.kind == "place" and fact.relation == "within" and fact.within:
            within[fact.name].append(fact)
            contains[fact.within].append(fact)
    return FactIndex(
        facts=facts,
        by_kind={k: tuple(v) for k, v in by_kind.items()},
        by_passage={k: tuple(v) for k, v in by_passage.items()},
        doc_cities={k: frozenset(v) for k, v in doc_cities.items()},
        within={k: tuple(v) for k, v in within.items()},
        contains={k: tuple(v) for k, v in contains.items()},
    )
