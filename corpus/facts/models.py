"""Facts: frozen models, each with the provenance of the text that states it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from pearlbot.corpus.models import Frozen

PlaceType = Literal["province", "city", "district", "county", "town", "place"]
Side = Literal["assisting", "assisted"]


class Provenance(Frozen):
    """Where a fact is stated: `document.text[start:end] == quote`, inside passage `passage_id`.

    Facts read from the article's metadata (its release line) have no passage: passage_id is
    None and the quote is the metadata as stated."""

    doc_id: str
    passage_id: str | None
    start: int
    end: int
    quote: str


class _Fact(Frozen):
    id: str
    source: Provenance


class PairingFact(_Fact):
    """`assisting` is paired with `assisted`; one side is None when the source names no partner."""

    kind: Literal["pairing"] = "pairing"
    level: Literal["city", "district"]
    assisting: str | None
    assisted: str | None
    assisting_city: str | None = None
    assisted_city: str | None = None
    since: str | None = None
    inferred_from_order: bool = False


class FigureFact(_Fact):
    kind: Literal["figure"] = "figure"
    value: float  # a range's low end ("50-60 million" -> 5e7, with low and high below)
    unit: str
    qualifier: str | None = None
    measure: str
    text: str
    subject: str | None = None
    as_of: str | None = None  # the year the text ties this figure to ("9.5 percent in 2017")
    low: float | None = None  # a range's bounds; None for a single number
    high: float | None = None


class PersonFact(_Fact):
    kind: Literal["person"] = "person"
    name: str
    titles: tuple[str, ...] = ()
    role: str | None = None  # the first thing they did at the event ("led", "accompanied")
    roles: tuple[str, ...] = ()  # everything they did, in order


class DateFact(_Fact):
    kind: Literal["date"] = "date"
    date: str  # ISO 8601, as precise as the text: "2019-08-06", "2017-04", "2016"; a range's start
    precision: Literal["day", "month", "year", "range"]  # "range": days, "June 3-4", "May 12 to 15"
    qualifier: str | None = None  # "end of", "since", "in", "on"
    event: str
    text: str
    end: str | None = None  # a range's last day, ISO 8601


class PlaceFact(_Fact):
    kind: Literal["place"] = "place"
    name: str
    place_type: PlaceType
    relation: Literal["named", "within", "nickname"] = "named"
    within: str | None = None
    nickname: str | None = None
    inferred: bool = False


Fact = Annotated[
    PairingFact | FigureFact | PersonFact | DateFact | PlaceFact, Field(discriminator="kind")
]
FACT_KINDS: tuple[str, ...] = ("pairing", "figure", "person", "date", "place")
