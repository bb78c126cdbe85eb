"""Places: names and types from the genre's wording, containment, and nicknames."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pearlbot.corpus.divisions import division_types, written_bare
from pearlbot.corpus.facts.models import PlaceFact, PlaceType
from pearlbot.corpus.facts.text import (
    FIND_AUTONOMOUS,
    FIND_MAYOR_OF,
    FIND_MUNICIPAL,
    FIND_NICKNAME,
    FIND_OF_PROVINCE,
    FIND_PROVINCIAL,
    MUNICIPAL,
    NAME_WORD,
    NOT_NAME_WORDS,
    PLACE_SUFFIXES,
    SUFFIXED_PLACE,
    Guarded,
    Sentence,
    is_name_words,
    place_suffix,
)
from pearlbot.corpus.vocabulary import ETHNIC_WORDS, PLACE_RANK, REFERENCE_TYPES


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str  # canonical


@dataclass
class PlaceBook:
    """The places one document names: canonical name -> type, and how to find them in text."""

    types: dict[str, PlaceType] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)  # surface form -> canonical
    _pattern: re.Pattern[str] | None = None
    # find()'s answers for the current surfaces: the pairing rules ask about one sentence
    # about ten times, and most of a document's cost was that search.
    _found: dict[str, list[Mention]] = field(default_factory=dict)

    def add(self, canonical: str, place_type: PlaceType, *surfaces: str) -> str:
        # A city named bare elsewhere keeps its bare name as the canonical one.
        if canonical not in self.types or self.types[canonical] == "place":
            self.types[canonical] = place_type
        for surface in (canonical, *surfaces):
            if surface not in self.surfaces:
                self.surfaces[surface] = canonical
                self._pattern = None
                self._found.clear()
        return canonical

    def canonical(self, surface: str) -> str | None:
        return self.surfaces.get(surface)

    def find(self, text: str) -> list[Mention]:
        """Non-overlapping mentions of known places, longest surface first."""
        if not self.surfaces:
            return []
        found = self._found.get(text)
        if found is not None:
            return list(found)
        if self._pattern is None:
            alternatives = sorted(self.surfaces, key=len, reverse=True)
            self._pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b")
        found = [
            Mention(m.start(), m.end(), self.surfaces[m[0]]) for m in self._pattern.finditer(text)
        ]
        self._found[text] = found
        return list(found)


def _quoted(text: str, start: int, end: int) -> bool:
    return start > 0 and text[start - 1] in '"“' and end < len(text) and text[end] in '"”'


def _is_province_adjective(base: str, suffix: str) -> bool:
    """ "a Guizhou city": a province's name before a lower-case smaller type word."""
    found = PLACE_SUFFIXES.get(suffix)
    return division_types().get(base) == "province" and found not in (None, "province")


def canonical_suffixed(base: str, suffix: str) -> tuple[str, PlaceType]:
    # "Region" alone comes from "... Autonomous Region", written apart by the pattern.
    found = PLACE_SUFFIXES.get(suffix) or PLACE_SUFFIXES[f"Autonomous {suffix}"]
    place_type: PlaceType = found  # type: ignore[assignment]
    # Prefectures are written bare in this genre ("Westvale Prefecture" is "Westvale"); "Westvale
    # City" is another place, the county-level city inside it.
    return (base if place_type == "city" and suffix != "City" else f"{base} {suffix}"), place_type


def collect_places(sentences: list[Sentence]) -> tuple[PlaceBook, list[PlaceFact]]:
    """First pass over a document: every place it names, plus within/nickname facts."""
    book = PlaceBook()
    facts: list[PlaceFact] = []
    first_seen: dict[str, tuple[Sentence, int, int]] = {}

    def note(name: str, sentence: Sentence, start: int, end: int) -> None:
        first_seen.setdefault(name, (sentence, start, end))

    for sentence in sentences:
        text = sentence.text
        autonomous = []
        for match in FIND_AUTONOMOUS(text):
            if not is_name_words(match[1]):
                continue
            suffix = match[3]
            name, place_type = canonical_suffixed(match[1], suffix)
            name = book.canonical(name) or name
            book.add(name, place_type, match[0], f"{match[1]} {suffix}")
            note(name, sentence, match.start(), match.end())
            autonomous.append((match.start(), match.end()))
        for match in SUFFIXED_PLACE.finditer(text):
            base, as_written = match[1], match[2]
            suffix = place_suffix(as_written)
            if as_written.islower() and _is_province_adjective(base, suffix):
                continue  # "one Upland city or prefecture": a city in Upland province
            if _quoted(text, match.start(1), match.end()):
                continue  # "“Harbour City” Eastport" is a nickname, not a place named Harbour
            if any(s <= match.start() < e for s, e in autonomous):
                continue  # "Yao Autonomous County" inside "Stone Miao and Yao ..."
            # Drop leading words that cannot be part of a name ("Secretary of CPC Newfield ...").
            words = base.split()
            # "Southwest China's Tibet autonomous region", "Upland's Westvale county".
            owners = [i for i, w in enumerate(words) if re.search(r"['’]s$", w)]
            words = words[owners[-1] + 1 :] if owners else words
            while words and not is_name_words(words[0]):
                words.pop(0)
            if len(words) > 1 and words[-1] == "Autonomous":
                words.pop()
                suffix = f"Autonomous {suffix}"
            while words and words[-1].casefold() in ETHNIC_WORDS:
                words.pop()  # "Westvale Tibetan autonomous prefecture": the people, not the name
            if not words:
                continue
            written = f"{' '.join(words)} {suffix}"
            if suffix.startswith("Autonomous") and len(words) > 1:
                words = words[
                    :1
                ]  # "Westvale Hui Autonomous Prefecture": Hui is the people, not the name
            base = " ".join(words)
            short_suffix = suffix.removeprefix("Autonomous ")
            name, place_type = canonical_suffixed(base, short_suffix)
            # One place under all its forms: "Stonebridge County" = "Stonebridge Autonomous County".
            name = book.canonical(name) or book.canonical(written) or name
            surfaces = [written, f"{base} {short_suffix}", f"{base} {as_written}"]
            surfaces.append(f"{' '.join(words)} {as_written}")
            if place_type in ("province", "city"):
                surfaces.append(base)
            book.add(name, place_type, *surfaces)
            note(name, sentence, match.end() - len(written), match.end())
        for find, place_type in (
            (FIND_MUNICIPAL, "city"),
            (FIND_MAYOR_OF, "city"),
            (FIND_PROVINCIAL, "province"),
        ):
            for match in find(text):
                if not is_name_words(match[1]):
                    continue
                if place_type == "province":
                    name = book.add(f"{match[1]} Province", "province", match[1])
                else:
                    name = book.add(match[1], "city")
                note(name, sentence, match.start(1), match.end(1))
        for match in FIND_OF_PROVINCE(text):
            if is_name_words(match[1]) and is_name_words(match[2]):
                city = book.add(match[1], "city")
                note(city, sentence, match.start(1), match.end(1))
        for match in FIND_NICKNAME(text):
            if is_name_words(match[2]):
                name = book.add(match[2], "place")
                note(name, sentence, match.start(2), match.end(2))
        for match in FIND_TYPED_BY_APPOSITION(text):
            # "Zogang, a county in Upland": the apposition types a name no table may know.
            # One word: Chinese place names are ("Downtown Zogang, a county" names Zogang).
            bare = match[1].split()[-1]
            if not is_name_words(bare) or book.canonical(bare) is not None:
                continue
            typed: PlaceType = PLACE_SUFFIXES[place_suffix(match[2])]  # type: ignore[assignment]
            suffix = _CANONICAL_SUFFIX.get(typed)
            name = book.add(f"{bare} {suffix}" if suffix else bare, typed, bare)
            note(name, sentence, match.end(1) - len(bare), match.end(1))

    typed_here = set(book.types)
    for sentence in sentences:
        for start, end, name in _bare_divisions(sentence.text, book):
            note(name, sentence, start, end)
    for sentence in sentences:
        facts.extend(_relations(sentence, book))
    facts.extend(_reference_within(sentences, book))
    named = [
        PlaceFact(
            id="",
            source=sentence.provenance(start, end),
            name=name,
            place_type=book.types[name],
            # Its type comes from the table of China's divisions, not from the article.
            inferred=name not in typed_here,
        )
        for name, (sentence, start, end) in first_seen.items()
    ]
    return book, named + facts


# A run of capitalised words: a bare division name counts only when it is the whole run, so
# "Li Jianping" (a person) and "Xinhua News Agency" are not read as places.
_CAPITAL_RUN = re.compile(rf"{NAME_WORD}(?:\s+{NAME_WORD})*")
_CANONICAL_SUFFIX: dict[str, str] = {"county": "County", "district": "District"}
# "Westvale, a county in Upland", "Westvale, a prefecture-level city of Upland": the type an
# apposition gives a name.
TYPED_BY_APPOSITION = re.compile(
    rf"\b({NAME_WORD}(?: {NAME_WORD})?),\s+an?\s+(?:(?:[\w-]+-level|small|remote|mountainous"
    r"|poor|border|rural|pastoral)\s+)*(county|city|district|prefecture|township|town|village)"
    r"\s+(?:in|of|under)\b",
    re.IGNORECASE,
)
FIND_TYPED_BY_APPOSITION = Guarded(TYPED_BY_APPOSITION, hint=re.compile(r",\s+[Aa]"))


_WORD = re.compile(r"\S+")


def _name_segments(text: str) -> list[tuple[int, int, list[str]]]:
    """Runs of capitalised words, cut after a possessive ("Upland's Westvale" is two names),
    without leading words that are never names ("In Westvale") or trailing peoples ("Westvale
    Mongolian-Tibetan autonomous prefecture")."""
    out = []
    for run in _CAPITAL_RUN.finditer(text):
        segment: list[tuple[int, int, str]] = []
        for word in _WORD.finditer(run[0]):
            start = run.start() + word.start()
            plain = word[0][:-2] if word[0].endswith(("'s", "’s")) else word[0]
            segment.append((start, start + len(plain), plain))
            if plain != word[0]:
                out.append(segment)
                segment = []
        out.append(segment)
    cleaned = []
    for segment in out:
        while segment and segment[0][2] in NOT_NAME_WORDS:
            segment = segment[1:]
        while len(segment) > 1 and segment[-1][2].casefold() in ETHNIC_WORDS:
            segment = segment[:-1]
        if segment:
            cleaned.append((segment[0][0], segment[-1][1], [w for _, _, w in segment]))
    return cleaned


def _bare_divisions(text: str, book: PlaceBook) -> list[tuple[int, int, str]]:
    """Places named bare that the document never types: their type from China's divisions."""
    found = []
    known = division_types()
    for start, end, words in _name_segments(text):
        surface = " ".join(words)
        place_type = known.get(surface)
        if place_type is None:
            continue
        name = book.canonical(surface)
        if name is None:
            suffix = None if surface in written_bare() else _CANONICAL_SUFFIX.get(place_type)
            typed = book.canonical(f"{surface} {suffix}") if suffix else None
            name = typed or (f"{surface} {suffix}" if suffix else surface)
            book.add(name, book.types.get(name) or place_type, surface)  # type: ignore[arg-type]
        found.append((start, end, name))
    return found


def _relations(sentence: Sentence, book: PlaceBook) -> list[PlaceFact]:
    text = sentence.text
    facts: list[PlaceFact] = []
    for match in FIND_OF_PROVINCE(text):
        city, province = book.canonical(match[1]), book.canonical(f"{match[2]} Province")
        if city and province:
            facts.append(
                PlaceFact(
                    id="",
                    source=sentence.provenance(match.start(), match.end()),
                    name=city,
                    place_type=book.types[city],
                    relation="within",
                    within=province,
                )
            )
    for match in FIND_NICKNAME(text):
        place = book.canonical(match[2])
        if place:
            facts.append(
                PlaceFact(
                    id="",
                    source=sentence.provenance(match.start(), match.end()),
                    name=place,
                    place_type=book.types[place],
                    relation="nickname",
                    nickname=match[1].strip(),
                )
            )
    facts.extend(_lists_in_city(sentence, book))
    facts.extend(_apposition_within(sentence, book))
    facts.extend(_located_in(sentence, book))
    facts.extend(_delegation_membership(sentence, book))
    return facts


_LIST_SEPARATOR = re.compile(r"^(?:,\s*(?:and\s+|as well as\s+)?|\s+(?:and|as well as)\s+)$")


def place_lists(text: str, book: PlaceBook) -> list[list[Mention]]:
    """Runs of place mentions joined only by commas / "and" / "as well as"."""
    runs: list[list[Mention]] = []
    for mention in book.find(text):
        if runs and _LIST_SEPARATOR.match(text[runs[-1][-1].end : mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    return runs


def _lists_in_city(sentence: Sentence, book: PlaceBook) -> list[PlaceFact]:
    """ "Stone County, ..., and Pine County in Westvale": each listed place lies in Westvale."""
    facts = []
    text = sentence.text
    for run in place_lists(text, book):
        tail = re.match(r"\s+(?:in|of)\s+", text[run[-1].end :])
        if not tail:
            continue
        after = [m for m in book.find(text) if m.start == run[-1].end + tail.end()]
        if not after:
            continue
        container = after[0].name
        order = PLACE_RANK
        for mention in run:
            if order[book.types[container]] < order[book.types[mention.name]]:
                facts.append(
                    PlaceFact(
                        id="",
                        source=sentence.provenance(mention.start, after[0].end),
                        name=mention.name,
                        place_type=book.types[mention.name],
                        relation="within",
                        within=container,
                    )
                )
    return facts


_LOCATED_IN = re.compile(
    r",?\s+(?:which\s+is\s+|located\s+|situated\s+|lying\s+)?in\s+"
    r"(?:the\s+(?:heart|north|south|east|west|northwest|northeast|southwest|southeast|centre"
    r"|center|middle|far\s+\w+)\s+of\s+|(?:north|south|east|west|northwest|northeast|southwest"
    r"|southeast|central|northern|southern|eastern|western)\s+)?"
    r"(?:(?:[A-Z][a-z]+\s+)?China['’]s\s+)?"
    rf"({NAME_WORD})(\s+Province)?\b(?!\s+(?:{'|'.join(PLACE_SUFFIXES)})\b)"
)
_RANK = PLACE_RANK


def _located_in(sentence: Sentence, book: PlaceBook) -> list[PlaceFact]:
    """ "Westvale, in the heart of Upland" / "Westvale, in northwest Upland": a city in a region."""
    facts = []
    text = sentence.text
    for mention in book.find(text):
        if book.types.get(mention.name) != "city":
            continue
        match = _LOCATED_IN.match(text, mention.end)
        if not match or not is_name_words(match[1]):
            continue
        region = book.canonical(match[0].strip(" ,")[-len(match[1] + (match[2] or "")) :])
        region = region or book.canonical(match[1]) or book.canonical(f"{match[1]} Province")
        if region is None:
            # A bare name no sentence types: a region (province-level) by how it is used.
            region = book.add(f"{match[1]} Province", "province", match[1])
        if _RANK[book.types[region]] >= _RANK["city"] or region == mention.name:
            continue
        facts.append(
            PlaceFact(
                id="",
                source=sentence.provenance(mention.start, match.end()),
                name=mention.name,
                place_type="city",
                relation="within",
                within=region,
            )
        )
    return facts


# "Westvale, administered by the Upland prefecture, ...", "Westvale, a county of Upland",
# "Westvale, a prefecture-level city of Upland province": an apposition that places it.
_APPOSITION_WITHIN = re.compile(
    r"^\s*,\s+(?:which\s+is\s+|is\s+)?(?:administered\s+by|under(?:\s+the\s+jurisdiction\s+of)?"
    r"|part\s+of|located\s+in|situated\s+in"
    r"|an?\s+(?:[\w-]+\s+){0,3}(?:county|district|city|prefecture|town|township)\s+(?:in|of|under))"
    r"\s+(?:the\s+)?(?:\w+\s+China's\s+)?$",
    re.IGNORECASE,
)


def _apposition_within(sentence: Sentence, book: PlaceBook) -> list[PlaceFact]:
    """ "Westvale, administered by the Upland prefecture in ...": Westvale lies in Upland."""
    text = sentence.text
    mentions = book.find(text)
    facts = []
    for inner, outer in itertools.pairwise(mentions):
        if not _APPOSITION_WITHIN.match(text[inner.end : outer.start]):
            continue
        if _RANK[book.types[outer.name]] >= _RANK[book.types[inner.name]]:
            continue  # the container must be the larger place
        facts.append(
            PlaceFact(
                id="",
                source=sentence.provenance(inner.start, outer.end),
                name=inner.name,
                place_type=book.types[inner.name],
                relation="within",
                within=outer.name,
            )
        )
    return facts


# "The city comes under the Upland prefecture", "The county, in Upland province, ...": a
# sentence that places the place the one before it named.
_REFERENCE_HEAD = re.compile(r"^(?:The|This)\s+(city|county|prefecture|district)\b", re.IGNORECASE)
_REFERENCE_LINK = re.compile(
    r"^\s*,?\s+(?:(?:also|now)\s+)?(?:(?:comes|came|is|was|lies|lay|sits|belongs|belonged)\s+)?"
    r"(?:under(?:\s+the\s+jurisdiction\s+of)?|in|within|part\s+of|to|administered\s+by"
    r"|located\s+in|situated\s+in)\s+(?:the\s+)?(?:\w+\s+China['’]s\s+)?"
    r"(?:(?:north|south|east|west|centre|center|middle)\w*\s+(?:of\s+)?)?$",
    re.IGNORECASE,
)


def _reference_within(sentences: list[Sentence], book: PlaceBook) -> list[PlaceFact]:
    facts = []
    named_so_far: list[str] = []  # places in the order the document names them
    for sentence in sentences:
        text = sentence.text
        mentions = book.find(text)
        head = _REFERENCE_HEAD.match(text)
        if head:
            types = REFERENCE_TYPES[head[1].casefold()]
            named = [n for n in reversed(named_so_far) if book.types[n] in types][:1]
            after = [m for m in mentions if m.start >= head.end()]
            if named and after and _REFERENCE_LINK.match(text[head.end() : after[0].start]):
                inner, outer = named[0], after[0].name
                if _RANK[book.types[outer]] < _RANK[book.types[inner]]:
                    facts.append(
                        PlaceFact(
                            id="",
                            source=sentence.provenance(0, after[0].end),
                            name=inner,
                            place_type=book.types[inner],
                            relation="within",
                            within=outer,
                        )
                    )
        named_so_far.extend(m.name for m in mentions)
    return facts


_DELEGATION = re.compile(r"delegation from ([A-Z][\w'’ ]+? Province)\b")


def _delegation_membership(sentence: Sentence, book: PlaceBook) -> list[PlaceFact]:
    """A city's leader travelling in a province's delegation: the city is in that province.

    The article does not say so outright, so the fact is marked inferred."""
    match = _DELEGATION.search(sentence.text)
    if not match:
        return []
    province = book.canonical(match[1])
    if not province or book.types.get(province) != "province":
        return []
    for city_match in MUNICIPAL.finditer(sentence.text, match.end()):
        city = book.canonical(city_match[1])
        if city and book.types.get(city) == "city":
            return [
                PlaceFact(
                    id="",
                    source=sentence.provenance(match.start(), city_match.end()),
                    name=city,
                    place_type="city",
                    relation="within",
                    within=province,
                    inferred=True,
                )
            ]
    return []
