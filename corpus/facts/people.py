"""People: "Name, Title and Title, VERBed ..." appositions and their role in the event."""

from __future__ import annotations

import re

from pearlbot.corpus.facts.models import PersonFact
from pearlbot.corpus.facts.places import PlaceBook
from pearlbot.corpus.facts.text import NOT_NAME_WORDS, PLACE_SUFFIXES, Sentence
from pearlbot.corpus.vocabulary import ROLE_VERBS as GENRE_ROLE_VERBS
from pearlbot.corpus.vocabulary import TITLE_HEADS, TITLE_MODIFIERS

# Words a title starts with, in either case ("Deputy Mayor of ...", "deputy secretary of the ...",
# "Party chief of ..."), from the genre vocabulary.
_MODIFIERS = "|".join(sorted((m for m in TITLE_MODIFIERS), key=len, reverse=True))
_HEADS = "|".join(sorted({*TITLE_HEADS, "party"}, key=len, reverse=True))
TITLE_START = re.compile(rf"^(?:the\s+)?(?i:(?:(?:{_MODIFIERS})\s+){{0,2}}(?:{_HEADS}))\b")
# "Deputy Mayor of X and Secretary of Y" is two titles; "Agriculture and Rural Affairs" is not.
_TITLE_SPLIT = re.compile(rf"\s+and\s+(?=(?:the\s+)?(?i:(?:(?:{_MODIFIERS})\s+)*(?:{_HEADS}))\b)")
# The verb that says what a person did at the event, normalised to one word.
ROLE_VERBS = GENRE_ROLE_VERBS
_ROLE = re.compile(r"\b(" + "|".join(sorted(ROLE_VERBS, key=len, reverse=True)) + r")\b")
# A segment that ends in a name: "Zhang San", "and Li Si", "led by Wang Wu".
_NAME = re.compile(
    r"^(?:(?P<pre>.*?\b(?:and|with|by|including|as well as|while|whereas|alongside|besides"
    r"|plus))\s+)?"
    r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})$"
)
# Words before the name that say the role: "led by Wang Wu".
_ROLE_BEFORE = {
    "led by": "led",
    "headed by": "led",
    "accompanied by": "accompanied",
    "met with": "met",
}


_TITLE_BEFORE_NAME = re.compile(
    r"(?P<title>(?:\b(?:[A-Z][\w-]*(?:'s|’s)?)\s+){0,3}"
    rf"(?i:(?:(?:{_MODIFIERS})\s+){{0,2}}(?:{_HEADS})))"
    r"\s+(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\b(?!\s+(?:County|District|City|Province))"
)


_BRACKETED_TITLES = re.compile(
    r"(?P<name>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s*[(（](?P<titles>[^()（）]{3,200})[)）]"
)


_HEAD_LITERALS = tuple(_HEADS.split("|"))


def _may_name_a_title(text: str) -> bool:
    """False when _TITLE_BEFORE_NAME cannot match: ASCII text holding no title head (its
    case-insensitive match is then plain lower-case containment); a fifth of extraction's time."""
    if not text.isascii():
        return True
    low = text.lower()
    return any(head in low for head in _HEAD_LITERALS)


def _is_person_name(name: str, book: PlaceBook) -> bool:
    words = name.replace("-", " ").split()
    if any(w in NOT_NAME_WORDS or w in PLACE_SUFFIXES for w in words):
        return False
    return not book.canonical(name) and not any(book.canonical(w) for w in words)


_SEGMENT = re.compile(r"[^,]+")


def _segments(text: str) -> list[tuple[int, str]]:
    """Comma-separated segments with their offsets."""
    return [(m.start(), m[0]) for m in _SEGMENT.finditer(text)]


def extract_people(sentence: Sentence, book: PlaceBook) -> list[PersonFact]:
    text = sentence.text.rstrip(".")
    segments = _segments(text)
    people: list[tuple[str, list[str], int, int, str | None]] = []  # name, titles, span, role
    i = 0
    while i < len(segments):
        offset, raw = segments[i]
        segment = raw.strip()
        name_match = _NAME.match(segment)
        if not name_match or not _is_person_name(name_match["name"], book):
            i += 1
            continue
        name = name_match["name"]
        pre = (name_match["pre"] or "").lower()
        role_before = next((r for words, r in _ROLE_BEFORE.items() if pre.endswith(words)), None)
        start = offset + raw.index(name)
        end = start + len(name)
        titles: list[str] = []
        j = i + 1
        while j < len(segments):
            title_offset, title_raw = segments[j]
            title_text = title_raw.strip()
            if not TITLE_START.match(title_text):
                break
            # A verb inside the segment ends the title: "Mayor of Westvale accompanied them".
            role = _ROLE.search(title_text)
            if role and role.start() > 0:
                title_text = title_text[: role.start()].strip()
            titles.extend(re.sub(r"^the\s+", "", t).strip() for t in _TITLE_SPLIT.split(title_text))
            end = title_offset + title_raw.index(title_text) + len(title_text)
            j += 1
            if role and role.start() > 0:
                break
        if titles:
            people.append((name, titles, start, end, role_before))
        i = j if titles else i + 1

    # Titles in brackets after the name: "Zhang San (Deputy Secretary of ... and Governor of ...)".
    named = {p[0] for p in people}
    for match in _BRACKETED_TITLES.finditer(text):
        name = match["name"]
        inside = match["titles"].strip()
        if name in named or not _is_person_name(name, book):
            continue
        titles = [
            re.sub(r"^the\s+", "", t).strip()
            for part in re.split(r"[,;]\s*", inside)
            for t in _TITLE_SPLIT.split(part)
            if t.strip()
        ]
        if not any(TITLE_START.match(t) for t in titles):
            continue  # "(Photo/...)", "(left)", a translation: no title inside
        people.append((name, titles, match.start("name"), match.end(), None))
        named.add(name)

    # Titles written before the name: "Governor Zhang San", "Eastport's Party chief Li Si".
    for match in _TITLE_BEFORE_NAME.finditer(text) if _may_name_a_title(text) else ():
        name = match["name"]
        if name in named or not _is_person_name(name, book):
            continue
        title = re.sub(r"^(?:the|The)\s+", "", match["title"]).strip()
        people.append((name, [title], match.start("title"), match.end("name"), None))
        named.add(name)

    facts = []
    for name, titles, start, end, role_before in people:
        # The predicate follows the apposition closely; looking further is slower, not better.
        after = [ROLE_VERBS[m[1]] for m in _ROLE.finditer(text, end, end + 300)]
        roles = tuple(dict.fromkeys([role_before] if role_before else after))
        facts.append(
            PersonFact(
                id="",
                source=sentence.provenance(start, end),
                name=name,
                titles=tuple(titles),
                role=roles[0] if roles else None,
                roles=roles,
            )
        )
    return facts
