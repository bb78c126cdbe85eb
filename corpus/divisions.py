"""China's administrative divisions by their English names: the type of a bare place name.

Releases of this genre name most places bare ("Eastport has helped Westvale since 2013"), so a
document's own wording often never says which is a city and which a county. The table in
data/china_divisions.tsv (made by scripts/make_divisions.py from cpca's division codes) gives
the type; where a place lies is still read only from the article. The table is data about the
country, like the vocabulary: no article's facts are in it.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files
from typing import Final

from pearlbot.corpus.vocabulary import NOT_DIVISION_NAMES, PLACE_RANK, PROVINCE_SIDES, Side

# The table's types as place types: a county-level city is a county that is written bare
# ("Westvale" or "Westvale City", never "Westvale County").
_PLACE_TYPE: Final[dict[str, str]] = {
    "province": "province",
    "city": "city",
    "county": "county",
    "county-city": "county",
    "district": "district",
}


@cache
def division_types() -> dict[str, str]:
    """English spelling -> the highest-ranked type a division of that name has.

    Some names are a city in one province and a county in another: this genre writes about the
    prefecture-level pairs far more often, and the article's own type word wins anyway."""
    types: dict[str, str] = {}
    for row in _rows():
        place_type = _PLACE_TYPE.get(row["type"])
        if place_type is None:
            continue
        for name in _names(row):
            known = types.get(name)
            if known is None or PLACE_RANK[place_type] < PLACE_RANK[known]:
                types[name] = place_type
    return types


@cache
def written_bare() -> frozenset[str]:
    """Names of county-level cities (and nothing of a higher rank): their name is written bare."""
    types = division_types()
    return frozenset(
        name
        for row in _rows()
        if row["type"] == "county-city"
        for name in _names(row)
        if types.get(name) == "county"
    )


def _names(row: dict[str, str]) -> list[str]:
    names = [row["name"], *filter(None, row["also"].split("|"))]
    return [n for n in names if n not in NOT_DIVISION_NAMES and not _ONE_SYLLABLE.fullmatch(n)]


# One pinyin syllable ("Nang", "Yuan"): bare, as often a surname or a word as a place; such a
# place is read only with its type word ("Nang County").
_ONE_SYLLABLE: Final = re.compile(r"(?:Zh|Ch|Sh|[BPMFDTNLGKHJQXRZCSYW])?[aeiouv]+(?:n|ng|r)?")


@cache
def _rows() -> list[dict[str, str]]:
    table = (files("pearlbot.corpus") / "data" / "china_divisions.tsv").read_text("utf-8")
    return list(csv.DictReader(table.splitlines(), delimiter="\t"))


@cache
def _provinces() -> dict[str, frozenset[str]]:
    """English spelling -> the provinces its highest-ranked divisions lie in (itself for one)."""
    types = division_types()
    found: dict[str, set[str]] = {}
    for row in _rows():
        for name in _names(row):
            if types.get(name) == _PLACE_TYPE.get(row["type"]):
                found.setdefault(name, set()).add(row["province"] or row["name"])
    return {name: frozenset(provinces) for name, provinces in found.items()}


@cache
def _prefectures() -> dict[str, frozenset[str]]:
    """English spelling -> the prefectures its districts and counties lie in."""
    found: dict[str, set[str]] = {}
    for row in _rows():
        if row["prefecture"]:
            for name in _names(row):
                found.setdefault(name, set()).add(row["prefecture"])
    return {name: frozenset(prefectures) for name, prefectures in found.items()}


_TYPE_WORDS: Final = re.compile(
    r"\s+(?:Autonomous\s+)?(?:Province|Prefecture|Region|City|County|District)$"
)


def division_key(place: str) -> str:
    """ "Westvale County" -> "Westvale": a place's name as the division table spells it."""
    return _TYPE_WORDS.sub("", place)


def provinces_of(place: str) -> frozenset[str]:
    """The provinces a place of this name lies in (empty when the table does not know it)."""
    return _provinces().get(division_key(place), frozenset())


def prefectures_of(place: str) -> frozenset[str]:
    """The prefectures a district or county of this name lies in (empty for larger places)."""
    return _prefectures().get(division_key(place), frozenset())


def side_of(place: str) -> Side | None:
    """Which side of East-West assistance a place's province is on, when that is one side."""
    sides = {s for p in provinces_of(place) if (s := PROVINCE_SIDES.get(p)) is not None}
    return sides.pop() if len(sides) == 1 else None


def warm_divisions() -> None:
    """Read the table and its indexes now (about 20 ms), so that no question pays for it."""
    division_types()
    written_bare()
    _provinces()
    _prefectures()
