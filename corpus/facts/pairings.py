"""Pairings: which assisting-city district is paired with which assisted-city county."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from pearlbot.corpus.divisions import division_key, prefectures_of, provinces_of, side_of
from pearlbot.corpus.facts.models import PairingFact, PlaceFact
from pearlbot.corpus.facts.places import Mention, PlaceBook, place_lists
from pearlbot.corpus.facts.text import Sentence
from pearlbot.corpus.vocabulary import MONTH_NAMES, REFERENCE_TYPES

# "have paired with", "is now paired up with", "has been twinned with", and the transitive
# "assist", "supports", "has helped" (but not "supported by").
_PAIRED_WITH = re.compile(
    r"\b(?:(?:have|has|had|is|are|was|were)\s+(?:(?:been|also|now|respectively)\s+){0,2})?"
    r"(?:(?:paired|pairs|pair|twinned|matched|partnered)(?:\s+up)?\s+with"
    r"|(?:assists?|assisted|assisting|supports?|supported|supporting|helps?|helped|helping"
    r"|(?<=\bto\s)aid|aids|aided|aiding|takes?\s+responsibility\s+for|(?:is|are)\s+responsible\s+for"
    r"|looks?\s+after)(?!\s+by\b))\b",
    re.IGNORECASE,
)
# Between a subject list and its verb: nothing, an adverb, or a relative clause.
_SUBJECT_GAP = re.compile(r"^(?:\s*,\s*(?:which|who)\b[^,]*,)?(?:\s+\w+){0,3}\s*$")
# "A and X, B and Y, as well as C and Z have formed paired relationships".
_FORMED_PAIRS = re.compile(
    r"\b(?:formed|established|set up|built|signed)\s+(?:an?\s+)?(?:one-to-one\s+)?"
    r"(?:(?:pair|paired|pairing|twinning|counterpart)(?:\s+(?:relationship|partnership)s?)?"
    r"|(?<=one-to-one )(?:relationship|partnership)s?)\b",
    re.IGNORECASE,
)
# "the establishment of a pair relationship with Westvale": the city-level pair.
_RELATIONSHIP_WITH = re.compile(
    r"\b(?:pair|paired|pairing|twinning|counterpart)\s+(?:relationship|partnership|cooperation)"
    r"\s+with\b",
    re.IGNORECASE,
)
# "Westvale ..., which was supported by Eastport": who assists whom.
_SUPPORTED_BY = re.compile(
    r"\bwhich\s+(?:is|was|has been)\s+(?:supported|assisted|aided|helped)\s+by\b", re.IGNORECASE
)
# "Eastport has invested ... in Westvale", "Eastport has so far allocated ... to Westvale".
_INVESTED_IN = re.compile(
    r"\b(?:has|have|had)\s+(?:\w+\s+){0,3}(?:invested|allocated|provided|donated|sent)\b"
    r"(?:[^.;]|\.\d)*?"
    r"\b(?:in|to)\s+$",
    re.IGNORECASE,
)
# "Eastport began its counterpart assistance to Westvale".
_ASSISTANCE_TO = re.compile(
    r"\b(?:counterpart\s+)?(?:assistance|support|aid|help)\s+(?:to|for)\s+$", re.IGNORECASE
)
_PAIRED_WORD = re.compile(r"\b(?:paired|pairing|pair|twinned)\b", re.IGNORECASE)
_BETWEEN = re.compile(
    r"\b(?:pairing|partnership|cooperation|relationship)\s+between\b", re.IGNORECASE
)
_SINCE = re.compile(
    # "Since 2013, ..." opens many a sentence: the keyword in either case.
    r"\b((?i:since|from|in|at the end of|at the beginning of|in early|in late))\s+"
    rf"((?:mid-)?(?:(?:{'|'.join(MONTH_NAMES)})\s+)?(?:19|20)\d\d)\b"
)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


@dataclass(frozen=True)
class CityPair:
    assisting: str
    assisted: str


def _cities(mentions: list[Mention], book: PlaceBook) -> list[Mention]:
    return [m for m in mentions if book.types.get(m.name) == "city"]


def _since(text: str, start: int) -> str | None:
    match = _SINCE.search(text, start)
    if not match:
        return None
    return match[2] if match[1].lower() in ("since", "from", "in") else f"{match[1]} {match[2]}"


def _year(since: str | None) -> int:
    """The year of a "since" ("end of 2016" -> 2016); no year sorts last."""
    found = re.search(r"(?:19|20)\d\d", since or "")
    return int(found[0]) if found else 10_000


Found = tuple[CityPair, tuple[int, int]] | None  # a pair and the span that states it


def _by_relationship_with(text: str, book: PlaceBook) -> Found:
    """ "Eastport has ... a pair relationship with Westvale" (the last such statement)."""
    found: Found = None
    for match in _RELATIONSHIP_WITH.finditer(text):
        after = _cities(book.find(text[match.end() :]), book)
        if not after:
            continue
        assisted = after[0].name
        # The clause's subject city: the one named right before its verb ("Eastport has").
        subjects = [
            m
            for m in _cities(book.find(text), book)
            if m.name != assisted and re.match(r"\s+(?:has|have|had)\b", text[m.end :])
        ]
        if subjects:
            span = (
                min(match.start(), subjects[0].start),
                max(match.end() + after[0].end, subjects[0].end),
            )
            found = (CityPair(subjects[0].name, assisted), span)
    return found


def _by_supported_by(text: str, book: PlaceBook) -> Found:
    """ "Westvale ..., which was supported by Eastport"."""
    found: Found = None
    for match in _SUPPORTED_BY.finditer(text):
        before = _cities(book.find(text[: match.start()]), book)
        after = _cities(book.find(text[match.end() :]), book)
        if before and after and before[-1].name != after[0].name:
            span = (before[-1].start, match.end() + after[0].end)
            found = (CityPair(after[0].name, before[-1].name), span)
    return found


def _by_between(text: str, book: PlaceBook) -> Found:
    """ "the pairing between Eastport and Westvale"."""
    found: Found = None
    for match in _BETWEEN.finditer(text):
        after = _cities(book.find(text[match.end() : match.end() + 60]), book)
        if len(after) >= 2:
            found = (
                CityPair(after[0].name, after[1].name),
                (match.start(), match.end() + after[1].end),
            )
    return found


def _by_invested_in(text: str, book: PlaceBook) -> Found:
    """ "Eastport has invested ... in Westvale" (the first such statement)."""
    mentions = _cities(book.find(text), book)
    for i, target in enumerate(mentions[1:], 1):
        # The verb ("has invested ... in") sits close before the assisted city.
        lead = text[max(0, target.start - 300) : target.start]
        if not (_INVESTED_IN.search(lead) or _ASSISTANCE_TO.search(lead)):
            continue
        before = {m.name for m in mentions[:i]} - {target.name}
        if not _INVESTED_IN.search(lead) and len(before) > 1:
            continue  # "officials of A and B discussed aid for X": whose aid is not said
        subject = next((m for m in reversed(mentions[:i]) if m.name != target.name), None)
        if subject:
            return (CityPair(subject.name, target.name), (subject.start, target.end))
    return None


def _by_two_cities(text: str, book: PlaceBook) -> Found:
    """Two cities and "paired" in one sentence: the first named is the assisting one."""
    mentions = _cities(book.find(text), book)
    distinct = list(dict.fromkeys(m.name for m in mentions))
    only_cities = all(book.types.get(m.name) in ("city", "province") for m in book.find(text))
    if len(distinct) == 2 and only_cities and _PAIRED_WORD.search(text):
        first = next(m for m in mentions if m.name == distinct[0])
        second = next(m for m in mentions if m.name == distinct[1])
        return (CityPair(first.name, second.name), (first.start, second.end))
    return None


def _by_paired_with(text: str, book: PlaceBook) -> Found:
    """ "Eastport has paired with Westvale", "Eastport helps Westvale" (the last such)."""
    found: Found = None
    for match in _PAIRED_WITH.finditer(text):
        before = _cities(book.find(text[: match.start()]), book)
        after = _cities(book.find(text[match.end() :]), book)
        gap = text[before[-1].end : match.start()].strip(" ,") if before else None
        if before and after and gap in ("", "has", "have"):
            span = (before[-1].start, match.end() + after[0].end)
            found = (CityPair(before[-1].name, after[0].name), span)
    return found


# "Eastport's paired assistance in Westvale", "Eastport's aid to Westvale", "Eastport's support
# for Westvale": a possessive helper, a word of helping, the helped place.
_POSSESSIVE_HELP = re.compile(
    r"['’]s\s+(?:[\w-]+\s+){0,2}?(?:assistance|aid|support|help)\s+(?:in|to|for)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _by_possessive_help(text: str, book: PlaceBook) -> Found:
    """ "Eastport's paired assistance in Westvale got under way" (the first such)."""
    mentions = [m for m in book.find(text) if book.types.get(m.name) in _PAIR_LEVELS]
    for helper, helped in itertools.pairwise(mentions):
        if helper.name != helped.name and _POSSESSIVE_HELP.match(text[helper.end : helped.start]):
            return (CityPair(helper.name, helped.name), (helper.start, helped.end))
    return None


# Words that put a sentence about two places on the subject of who helps whom.
_PAIRING_CUE = re.compile(
    r"\b(?:help|assist|support|aid|partner|pair|twinn|counterpart|link|back|benefact|match"
    r"|joint|cooperat|collaborat)\w*",
    re.IGNORECASE,
)
# "Eastport in Coastal province", "Eastport's Newfield district", "Upland's Westvale": one
# place phrase, the named place inside its container.
_CONTAINER_GAP = re.compile(
    # "Upland Province and Westvale City" (helping together): the city is the side
    r"^(?:\s+in\s+(?:\w+\s+China's\s+)?(?:(?:north|south|east|west|central)\w*\s+)?|['’]s\s+|,\s+"
    r"|\s+and\s+"
    r"|,\s+(?:administered\s+by|under|part\s+of|located\s+in)\s+(?:the\s+)?"
    # "Westvale, a prefecture-level city of Upland"
    r"|,\s+an?\s+(?:[\w-]+\s+){0,3}(?:city|county|district|prefecture)\s+(?:of|in)\s+"
    r"(?:(?:north|south|east|west|central)\w*\s+)?)$"
)


def _innermost(mentions: list[Mention], text: str) -> list[Mention]:
    """Drop a place written in one phrase with a place inside it: "Eastport in Coastal
    province", "Eastport's Newfield district"; the inner one is the pair's side."""
    out = []
    for m in mentions:
        key = division_key(m.name)
        inner = [
            o
            for o in mentions
            if o is not m
            and (key in prefectures_of(o.name) or key in provinces_of(o.name))
            and _CONTAINER_GAP.match(text[min(m.end, o.end) : max(m.start, o.start)])
        ]
        if not inner:
            out.append(m)
    return out


def _by_sides(text: str, book: PlaceBook) -> Found:
    """One place on each side of East-West assistance, in a sentence about helping.

    The sentence does not say who helps whom in a form the rules above read ("Eastport became
    Westvale's partner", "with the assistance of Upland province"); which province each place
    lies in does. Two places on one side make it ambiguous: no pair."""
    if not _PAIRING_CUE.search(text):
        return None
    places = _innermost(
        [m for m in book.find(text) if book.types.get(m.name) in _PAIR_LEVELS], text
    )
    kept = set(places)
    # A list of places on one side ("A, B and C have helped X, Y and Z") is for the list rules;
    # "Eastport and Westvale formed their pairing" or "Coastal Province and Eastport City" (a
    # place and one inside it) is not such a list.
    listed = {
        m
        for run in place_lists(text, book)
        for m in run
        if m in kept and sum(o in kept and side_of(o.name) == side_of(m.name) for o in run) > 1
    }
    by_side: dict[str, set[str]] = {"assisting": set(), "assisted": set()}
    chosen: dict[str, Mention] = {}
    for m in places:
        side = side_of(m.name)
        if side is not None:
            if m in listed:
                return None
            by_side[side].add(m.name)
            chosen.setdefault(side, m)
    if len(by_side["assisting"]) != 1 or len(by_side["assisted"]) != 1:
        return None
    a, b = chosen["assisting"], chosen["assisted"]
    if _LOCATIVE.search(text[: a.start]):
        return None  # "two parks, one in Eastport and one in Upland": where, not who helps
    return (CityPair(a.name, b.name), (min(a.start, b.start), max(a.end, b.end)))


_LOCATIVE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")


_PAIR_LEVELS = frozenset({"province", "city", "county", "district"})
# "His city is helping Westvale", "the province will keep supporting Westvale": one side named
# by a reference to a place the document named before.
_SIDE_REFERENCE = re.compile(
    r"\b(?:his|her|its|their|the|this|that)\s+(city|province|county|district|prefecture)\b"
    r"(?!\s+(?:of\s+)?(?-i:[A-Z]))",
    re.IGNORECASE,
)


def _by_reference(text: str, book: PlaceBook, named: list[str]) -> Found:
    """One side named, the other referred to ("His city is helping Westvale"): the place of
    the referred type and the other side that the document named last before the sentence."""
    if not _PAIRING_CUE.search(text):
        return None
    places = _innermost(
        [m for m in book.find(text) if book.types.get(m.name) in _PAIR_LEVELS], text
    )
    sides = {side_of(m.name) for m in places} - {None}
    reference = _SIDE_REFERENCE.search(text)
    if reference is None or len(sides) != 1 or len({m.name for m in places}) != 1:
        return None
    (side,) = sides
    other = "assisted" if side == "assisting" else "assisting"
    types = REFERENCE_TYPES[reference[1].casefold()]
    before = next(
        (n for n in reversed(named) if book.types.get(n) in types and side_of(n) == other), None
    )
    if before is None:
        return None
    here = places[0]
    pair = CityPair(here.name, before) if side == "assisting" else CityPair(before, here.name)
    return pair, (min(here.start, reference.start()), max(here.end, reference.end()))


def _oriented(pair: CityPair) -> CityPair:
    """A pair written the other way round ("Westvale was paired with Eastport") turned by
    which side of East-West assistance each place is on, when the table knows both."""
    if side_of(pair.assisting) == "assisted" and side_of(pair.assisted) == "assisting":
        return CityPair(pair.assisted, pair.assisting)
    return pair


# City-pair rules, highest precedence first: the first that finds a pair in a sentence decides.
# A pairing verb between the two cities is the plainest statement; "between A and B", "which
# was supported by", "a pair relationship with" come next; "invested ... in" and two cities
# beside the word "paired" are the weakest evidence.
CITY_PAIR_RULES: tuple[Callable[[str, PlaceBook], Found], ...] = (
    _by_paired_with,
    _by_between,
    _by_supported_by,
    _by_relationship_with,
    _by_invested_in,
    _by_possessive_help,
    _by_two_cities,
    _by_sides,
)


def city_pairs(sentences: list[Sentence], book: PlaceBook) -> list[tuple[CityPair, PairingFact]]:
    """City-level pairs, with the assisting city first."""
    found: list[tuple[CityPair, PairingFact]] = []
    named: list[str] = []  # places in the order the document names them, for references
    for sentence in sentences:
        text = sentence.text
        if not book.find(text):
            continue  # every rule pairs places the sentence names (the cheap test first)
        if _NEGATED.search(text):
            named.extend(m.name for m in book.find(text))
            continue  # "Westvale, not yet paired with any city, ...": no pairing stated
        pair: CityPair | None = None
        span = (0, len(text))
        for rule in CITY_PAIR_RULES:
            result = rule(text, book)
            if result is not None:
                pair, span = result
                break
        if pair is None:
            result = _by_reference(text, book, named)
            if result is not None:
                pair, span = result
        named.extend(m.name for m in book.find(text))
        if pair is None:
            continue
        pair = _oriented(pair)
        fact = PairingFact(
            id="",
            source=sentence.provenance(*span),
            level="city",
            assisting=pair.assisting,
            assisted=pair.assisted,
            assisting_city=pair.assisting,
            assisted_city=pair.assisted,
            since=_since(text, 0),
        )
        same = [i for i, (p, _) in enumerate(found) if p == pair]
        if any(p == CityPair(pair.assisted, pair.assisting) for p, _ in found):
            continue  # a later, looser sentence must not reverse a stated direction
        if not same:
            found.append((pair, fact))
        elif _year(fact.since) < _year(found[same[0]][1].since):
            # Prefer the sentence that says when the pairing began: the earliest year stated
            # ("formed in 2017" before "aid since 2022 for the coffee industry").
            found[same[0]] = (pair, fact)
    return _without_covered(found)


def _without_covered(
    found: list[tuple[CityPair, PairingFact]],
) -> list[tuple[CityPair, PairingFact]]:
    """Drop "Eastport helps Upland" when "Eastport helps Westvale" names a place in Upland."""

    def covers(broad: str, narrow: str) -> bool:
        return broad != narrow and division_key(broad) in provinces_of(narrow)

    pairs = [p for p, _ in found]
    return [
        (p, f)
        for p, f in found
        if not any(
            (o.assisting == p.assisting and covers(p.assisted, o.assisted))
            or (o.assisted == p.assisted and covers(p.assisting, o.assisting))
            for o in pairs
        )
    ]


# A pairing the sentence denies: "not yet paired with", "has no partner".
_NEGATED = re.compile(
    r"\bnot\s+(?:yet\s+)?(?:been\s+)?(?:paired|twinned|matched|helped|assisted|supported)\b"
    r"|\bno\s+(?:partner|counterpart|pairing)\b",
    re.IGNORECASE,
)


def district_pairings(
    sentences: list[Sentence], book: PlaceBook, cities: list[CityPair], within: list[PlaceFact]
) -> list[PairingFact]:
    """District/county pairs from "A, B paired with X, Y respectively" and similar sentences."""
    parent: dict[str, str | None] = {
        f.name: f.within for f in within if f.relation == "within" and f.within
    }
    # The city-level pairs the districts' cities come from; a district or county pair read
    # by the city rules ("Newfield District has helped Pine County") is one of the districts'.
    large = ("city", "province")
    cities = [
        c
        for c in cities
        if book.types.get(c.assisting) in large and book.types.get(c.assisted) in large
    ]
    facts: list[PairingFact] = []
    for sentence in sentences:
        if not book.find(sentence.text) or _NEGATED.search(sentence.text):
            continue  # no place named (the cheap test first), or a pairing denied
        facts.extend(_paired_with_lists(sentence, book, cities, parent))
        facts.extend(_formed_pairs(sentence, book, cities, parent))
    return facts


def _orient(
    left: str, right: str, cities: list[CityPair], parent: dict[str, str | None]
) -> tuple[str, str, CityPair | None]:
    """(assisting, assisted, city pair): by which city each place lies in, else as written."""
    for pair in cities:
        if parent.get(left) == pair.assisted or parent.get(right) == pair.assisting:
            return right, left, pair
        if parent.get(right) == pair.assisted or parent.get(left) == pair.assisting:
            return left, right, pair
    return left, right, cities[0] if len(cities) == 1 else None


def _make(
    sentence: Sentence,
    span: tuple[int, int],
    assisting: str | None,
    assisted: str | None,
    city: CityPair | None,
    *,
    inferred: bool = False,
    since: str | None = None,
) -> PairingFact:
    return PairingFact(
        id="",
        source=sentence.provenance(*span),
        level="district",
        assisting=assisting,
        assisted=assisted,
        assisting_city=city.assisting if city else None,
        assisted_city=city.assisted if city else None,
        since=since,
        inferred_from_order=inferred,
    )


def _paired_with_lists(
    sentence: Sentence, book: PlaceBook, cities: list[CityPair], parent: dict[str, str | None]
) -> list[PairingFact]:
    text = sentence.text
    facts: list[PairingFact] = []
    verbs = list(_PAIRED_WITH.finditer(text))
    runs = _split_between_verbs(place_lists(text, book), verbs, text)
    for verb in verbs:
        left_runs = [r for r in runs if r[-1].end <= verb.start()]
        right_runs = [r for r in runs if r[0].start >= verb.end()]
        if not left_runs or not right_runs:
            continue
        left, right = left_runs[-1], right_runs[0]
        # "A in Upland province was paired with Upland's X": the places inside are the sides.
        inside = [r for r in runs if r[-1].end <= left[0].start]
        if inside and re.fullmatch(
            r"\s+in\s+(?:the\s+)?", text[inside[-1][-1].end : left[0].start]
        ):
            left = inside[-1]
        outer = [r for r in runs if r[0].start >= right[-1].end]
        if outer and re.fullmatch(r"['’]s\s+", text[right[-1].end : outer[0][0].start]):
            right = outer[0]
        if not _OBJECT_GAP.match(text[verb.end() : right[0].start]):
            continue  # "helped 20 Eastport firms sell in Northfield": not the verb's object
        # The subject list must end right before the verb (an adverb, "have", "which ...,").
        if not _SUBJECT_GAP.match(text[left[-1].end : verb.start()]):
            continue
        # The pair's own cities are context here; a county-level "X City" is a partner.
        pair_cities = {
            name
            for pair in cities
            for name in (pair.assisting, pair.assisted)
            if book.types.get(name) in ("city", "province")
        }
        left = [m for m in left if m.name not in pair_cities] or left
        right = [m for m in right if m.name not in pair_cities]
        if not right or all(m.name in pair_cities for m in left):
            continue
        # "since 2018" belongs to this clause only, not to the next ", and B has helped Y since".
        clause = re.search(r",\s+and\b|;|$", text[right[-1].end :])
        clause_end = (clause.start() if clause else 0) + right[-1].end
        since = _since(text[:clause_end], right[-1].end)
        span = (left[0].start, right[-1].end)
        respectively = _RESPECTIVELY.search(text, left[0].start)
        if len(left) == 1 or len(right) == 1:
            pairs = [(a, b) for a in left for b in right]
            facts.extend(_pair_facts(sentence, span, pairs, cities, parent, False, since))
            continue
        # Two lists: aligned by position only when the sentence says "respectively".
        inferred = respectively is None or len(left) != len(right)
        pairs = list(zip(left, right, strict=False))
        facts.extend(_pair_facts(sentence, span, pairs, cities, parent, inferred, since))
        for extra in left[len(right) :]:
            facts.append(_unmatched(sentence, span, extra.name, cities, parent, side="left"))
        for extra in right[len(left) :]:
            facts.append(_unmatched(sentence, span, extra.name, cities, parent, side="right"))
    return facts


# Between a pairing verb and its object list: nothing, an article, or a few plain words
# ("paired with southern Upland's Westvale"), but no number or clause.
_OBJECT_GAP = re.compile(r"^(?:\s*(?:the\s+)?(?:[A-Za-z'’]+\s+){0,3})?\s*$")


def _split_between_verbs(
    runs: list[list[Mention]], verbs: list[re.Match[str]], text: str
) -> list[list[Mention]]:
    """ "A supports X, and B has helped Y": [X, B] is one comma list but two clauses."""
    out: list[list[Mention]] = []
    for run in runs:
        after_verb = any(text[v.end() : run[0].start].strip() == "" for v in verbs)
        before_verb = any(
            _SUBJECT_GAP.match(text[run[-1].end : v.start()])
            for v in verbs
            if v.start() >= run[-1].end
        )
        cut = None
        if after_verb and before_verb:
            cut = next(
                (
                    k
                    for k in range(len(run) - 1, 0, -1)
                    if re.fullmatch(
                        r",\s*(?:and|as well as)\s+", text[run[k - 1].end : run[k].start]
                    )
                ),
                None,
            )
        out.extend([run[:cut], run[cut:]] if cut else [run])
    return out


def _pair_facts(
    sentence: Sentence,
    span: tuple[int, int],
    pairs: list[tuple[Mention, Mention]],
    cities: list[CityPair],
    parent: dict[str, str | None],
    inferred: bool,
    since: str | None,
) -> list[PairingFact]:
    out = []
    for a, b in pairs:
        assisting, assisted, city = _orient(a.name, b.name, cities, parent)
        out.append(_make(sentence, span, assisting, assisted, city, inferred=inferred, since=since))
    return out


def _unmatched(
    sentence: Sentence,
    span: tuple[int, int],
    name: str,
    cities: list[CityPair],
    parent: dict[str, str | None],
    side: str,
) -> PairingFact:
    """A listed place the sentence gives no partner for: recorded with an empty side."""
    for pair in cities:
        if parent.get(name) == pair.assisted:
            return _make(sentence, span, None, name, pair, inferred=True)
        if parent.get(name) == pair.assisting:
            return _make(sentence, span, name, None, pair, inferred=True)
    city = cities[0] if len(cities) == 1 else None
    if side == "left":
        return _make(sentence, span, name, None, city, inferred=True)
    return _make(sentence, span, None, name, city, inferred=True)


def _formed_pairs(
    sentence: Sentence, book: PlaceBook, cities: list[CityPair], parent: dict[str, str | None]
) -> list[PairingFact]:
    text = sentence.text
    verb = _FORMED_PAIRS.search(text)
    if not verb:
        return []
    before = text[: verb.start()]
    facts = []
    # Each "A and X" chunk between commas / "as well as" is one pair.
    for chunk in re.finditer(r"[^,;]+", before):
        part = re.sub(r"^\s*(?:as well as|and)\s+", "", chunk[0])
        mentions = [m for m in book.find(part) if book.types.get(m.name) != "city"]
        if len(mentions) == 2 and re.fullmatch(
            r"\s+and\s+", part[mentions[0].end : mentions[1].start]
        ):
            assisting, assisted, city = _orient(mentions[0].name, mentions[1].name, cities, parent)
            offset = chunk.start() + (len(chunk[0]) - len(part))
            span = (offset + mentions[0].start, offset + mentions[1].end)
            facts.append(
                _make(sentence, span, assisting, assisted, city, since=_since(text, verb.end()))
            )
    return facts
