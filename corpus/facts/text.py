"""Shared patterns for reading this genre of release: names, places, numbers, months."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pearlbot.corpus.facts.models import Provenance
from pearlbot.corpus.models import Document, Passage
from pearlbot.corpus.passages import paragraph_spans, split_sentences
from pearlbot.corpus.vocabulary import MONTH_NAMES

# A capitalised word of a romanised name: "Riverbend", "Dong'ao", "Lu’an".
NAME_WORD = r"[A-Z][a-z]+(?:['’-][a-z]+)?"
# Place-type words that end a place name, longest first so "Autonomous County" wins.
PLACE_SUFFIXES: dict[str, str] = {
    "Autonomous Prefecture": "city",
    "Autonomous County": "county",
    "Autonomous Region": "province",
    "Province": "province",
    "Prefecture": "city",
    "City": "city",
    "District": "district",
    "County": "county",
    "Township": "town",
    "Town": "town",
    "Village": "town",
    "New Area": "district",
    "Zone": "district",
}
_SUFFIX_ALT = "|".join(re.escape(s) for s in PLACE_SUFFIXES)
# Capitalised words that start sentences or titles and are never part of a place name.
NOT_NAME_WORDS = frozenset(
    """The A An And Of In On At To From With For By Since During After Before Moreover
    Meanwhile Also However Besides Furthermore Both All Each Every This That These Those Its
    Their Our His Her Secretary Deputy Vice Mayor Director Governor Chairman Chairwoman Party
    Standing Committee Municipal Provincial People Congress Government Office CPC Daily
    Release Photo Since Nine Ten East West North South Central Team Group Bureau Department
    Association Company Corps Headquarters Center Centre School Hospital University""".split()
)
# "Stone Miao and Yao Autonomous County": a name, the peoples, then the type.
AUTONOMOUS_PLACE = re.compile(
    rf"\b({NAME_WORD})((?: {NAME_WORD}){{0,2}}(?: and {NAME_WORD}(?: {NAME_WORD})?)?)"
    r" Autonomous (County|Prefecture|Region)\b"
)
# The type word in either case: newsrooms write "Eastvale County" and "Eastvale county".
SUFFIXED_PLACE = re.compile(rf"\b((?:{NAME_WORD} ){{0,2}}{NAME_WORD}) ((?i:{_SUFFIX_ALT}))\b")


def place_suffix(written: str) -> str:
    """The canonical spelling of a type word as written ("county" -> "County")."""
    return " ".join(w.capitalize() for w in written.split())


# "Eastport Municipal Committee", "Upland Provincial People's Congress".
MUNICIPAL = re.compile(rf"\b({NAME_WORD}) Municipal\b")
PROVINCIAL = re.compile(rf"\b({NAME_WORD}) Provincial\b")
MAYOR_OF = re.compile(rf"\bMayor of ({NAME_WORD})\b(?! (?:{_SUFFIX_ALT})\b)")
# "Westvale of Upland Province": a city inside a province.
OF_PROVINCE = re.compile(rf"\b({NAME_WORD}) of ({NAME_WORD}) Province\b")
# "“River Pearl” Eastport", "“Land of Songs” Westvale": a quoted nickname right before a name.
NICKNAME = re.compile(
    rf"[\"“]([A-Z][\w'’-]*(?:\s+(?:of|the|and|a|an|in|on|[A-Z][\w'’-]*)){{0,6}})[\"”]\s+"
    rf"({NAME_WORD})\b"
)

MONTHS = {m: i + 1 for i, m in enumerate(MONTH_NAMES)}
MONTH_ALT = "|".join(MONTHS)
# Every month name, whole or abbreviated ("Sept", "Feb."), holds one of these as written.
MONTH_STEMS = tuple(m[:3] for m in MONTH_NAMES)
NAMES_A_MONTH = re.compile("|".join(MONTH_STEMS))  # may name one: a month's stem is there


@dataclass(frozen=True)
class Guarded:
    """A pattern's finditer that skips text holding none of `words` (words every match of it
    contains as written) or, with `hint`, text the hint finds nothing in (a pattern every match
    contains, opening with a literal that the engine scans for quickly). Either test costs a
    fraction of the pattern's try at every position, and most sentences fail it (docs/speed.md,
    the cold build); tests/corpus/facts/test_guards.py checks each guard on real text."""

    pattern: re.Pattern[str]
    words: tuple[str, ...] = ()
    hint: re.Pattern[str] | None = None
    # Several words are looked for by one alternation: three times faster than a loop of `in`.
    _any_word: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        alternation = "|".join(map(re.escape, self.words))
        object.__setattr__(self, "_any_word", re.compile(alternation) if self.words else None)

    def may_match(self, text: str) -> bool:
        if len(self.words) == 1:
            if self.words[0] not in text:
                return False
        elif self._any_word is not None and self._any_word.search(text) is None:
            return False
        return self.hint is None or self.hint.search(text) is not None

    def __call__(self, text: str) -> Iterable[re.Match[str]]:
        return self.pattern.finditer(text) if self.may_match(text) else ()

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self.may_match(text) else None


# The place patterns' finders, each with the words all its matches hold.
FIND_AUTONOMOUS = Guarded(AUTONOMOUS_PLACE, (" Autonomous ",))
FIND_MUNICIPAL = Guarded(MUNICIPAL, (" Municipal",))
FIND_PROVINCIAL = Guarded(PROVINCIAL, (" Provincial",))
FIND_MAYOR_OF = Guarded(MAYOR_OF, ("Mayor of ",))
FIND_OF_PROVINCE = Guarded(OF_PROVINCE, (" Province",))
FIND_NICKNAME = Guarded(NICKNAME, ('"', "“"))

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen".split()
)
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
# "nine", "twenty", "twenty-six": every spelled number below a hundred.
SPELLED_NUMBERS = (
    {w: i for i, w in enumerate(_UNITS)}
    | _TENS
    | {f"{t}-{u}": tv + uv for t, tv in _TENS.items() for uv, u in enumerate(_UNITS) if 0 < uv < 10}
)
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "hundred": 1e2}


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, with where it sits and which passage holds it."""

    document: Document
    passage_id: str
    start: int
    text: str

    def provenance(self, start: int = 0, end: int | None = None) -> Provenance:
        """Provenance for text[start:end] of this sentence (default: the whole sentence)."""
        end = len(self.text) if end is None else end
        return Provenance(
            doc_id=self.document.id,
            passage_id=self.passage_id,
            start=self.start + start,
            end=self.start + end,
            quote=self.text[start:end],
        )


def sentences(document: Document, passages: list[Passage]) -> Iterator[Sentence]:
    """Every sentence of the document, tagged with the first passage that contains it."""
    for para_start, para_end in paragraph_spans(document.text):
        for start, end in split_sentences(document.text, para_start, para_end):
            holder = next(
                (p for p in passages if p.start <= start and end <= p.end),
                next(p for p in passages if p.start <= start < p.end),
            )
            yield Sentence(document, holder.id, start, document.text[start:end])


def is_name_words(text: str) -> bool:
    return all(word not in NOT_NAME_WORDS for word in text.split())


# Where a capitalised word stands as a place, whatever the house style: "in Westvale", "to the
# Upland area", "Westvale's development", "Lanfeng county".
PLACE_CONTEXT = re.compile(
    r"\b(?:in|to|from|with|between|at|visited|visit|assists?|helps?|supports?)\s+(?:the\s+)?"
    r"([A-Z][a-z]+(?:['’-][a-z]+)?)\b(?!\s+[A-Z])"
    r"|\b([A-Z][a-z]+(?:['’-][a-z]+)?)(?:(?:'s|’s)(?!\s+[A-Z])|\s+(?i:county|city|district|province"
    r"|prefecture|area|region|town|township|village))\b"
    # "Eastport in Upland province": a place inside another.
    r"|(?<![A-Z][a-z] )\b([A-Z][a-z]+(?:['’-][a-z]+)?)\s+in\s+(?:the\s+)?[A-Z][a-z]+\s+(?i:province"
    r"|prefecture|region|county|city)\b"
)
