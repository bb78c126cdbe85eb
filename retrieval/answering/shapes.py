"""Question shapes that are not one fact: help, two-part questions, comparisons, and questions
about the article itself (who took the photos, who wrote it)."""

from __future__ import annotations

import re
from typing import Final

from pearlbot.corpus.vocabulary import SCALE_WORDS

HELP_REQUEST: Final = re.compile(r"^\s*/?(?:help|usage|commands|\?)\s*[?!.]*\s*$", re.IGNORECASE)
USAGE: Final = (
    "Ask about the news releases in plain words: which district pairs with a county, how much "
    "one city has invested in another, who led the delegation, when the visit was, where a "
    "place is, what an official's title is, or just a name. Every answer cites the passages it "
    "comes from; when the source doesn't say, Pearlbot says so."
)

# "who led the delegation and when did it arrive?": a second wh-question after "and" or ";".
_SECOND_QUESTION = re.compile(
    r"(?:\s*[,;]\s*|\s+)(?:and|also)\s+(?:(?:in|for|by|with|to|from|at)\s+)?"
    r"(?=(?:who|what|when|where|which|how|whom|whose)\b)"
    r"|\?\s+(?=\S)|;\s+(?=(?:who|what|when|where|which|how)\b)",
    re.IGNORECASE,
)


# "where and when was the conference held?": one question per wh-word.
_TWO_WH = re.compile(
    r"^\s*(?P<a>who|what|when|where|which)\s+and\s+(?P<b>who|what|when|where|which)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)


def split_question(question: str) -> list[str]:
    """The parts of a two-part question (one part when it asks one thing); a second part that
    only points back ("... and how much were they worth?", "... and when?") carries what the
    first part is about."""
    both = _TWO_WH.match(question)
    if both:
        return [f"{both['a']} {both['rest']}", f"{both['b']} {both['rest']}"]
    lone = _LONE_WH.search(question)
    if lone and len(question[: lone.start()].split()) >= 3:
        first = question[: lone.start()].strip()
        return [first, f"{lone['wh']} {_about(first)}"]
    parts = [p.strip() for p in _SECOND_QUESTION.split(question) if p and p.strip(" ?")]
    if len(parts) != 2 or not all(len(p.split()) >= 2 for p in parts):
        return [question]
    if _POINTS_BACK.search(parts[1]) and not _names_its_own_thing(parts[1]):
        parts[1] = f"{parts[1].rstrip(' ?')} {_about(parts[0])}"
    return parts


_SMALL_WORDS = frozenset(
    "how much many what which who when where is are was were did does do has have had will "
    "it its they them their this that these those the a an of".split()
)


def _names_its_own_thing(part: str) -> bool:
    """ "what were their sales" names what it asks; "how much were they worth" does not."""
    own = [w for w in re.findall(r"[a-z]+", part.casefold()) if w not in _SMALL_WORDS]
    return len(own) > 1 or any(w.endswith("s") and not w.endswith("ss") for w in own)


# "... and when?", "... and where?": a second question of one wh-word.
_LONE_WH = re.compile(r"\s+and\s+(?P<wh>when|where|who)\s*\??\s*$", re.IGNORECASE)
# A second part about what the first named: "how much were they worth", "who signed it".
_POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those)\b", re.IGNORECASE)
# The first part's wh-phrase and auxiliary: what is left is what the question is about.
_WH_LEAD = re.compile(
    r"^\s*(?:how\s+(?:much|many|big|long|large)|what|which|who|when|where)"
    r"(?:\s+(?:did|does|do|is|are|was|were|has|have|had|will))?\s+",
    re.IGNORECASE,
)


def _about(part: str) -> str:
    """ "how much did Upland give the village" -> "Upland give the village"."""
    lead = _WH_LEAD.match(part)
    return (part[lead.end() :] if lead else part).strip(" ?")


# "which is bigger, the funds or the donations?" / "is A larger than B?"
COMPARED: Final = re.compile(
    r"(?:bigger|larger|greater|higher|more|smaller|less|lower|fewer)\b[^,:]*[,:]\s*"
    r"(?P<a>.+?)\s+or\s+(?P<b>.+?)\s*\??\s*$"
    # "was A bigger than B?"
    r"|^(?:is|was|are|were|did|does)\s+(?P<a2>.+?)\s+(?:bigger|larger|greater|higher|more"
    r"|smaller|less|lower|fewer)\s+than\s+(?P<b2>.+?)\s*\??\s*$"
    # "did X spend more on A or on B?"
    r"|\b(?:more|less)\s+(?P<prep>on|to|for|in)\s+(?P<a3>.+?)\s+or\s+(?:(?P=prep)\s+)?"
    r"(?P<b3>.+?)\s*\??\s*$",
    re.IGNORECASE,
)


def compared_sides(match: re.Match[str]) -> tuple[str, str]:
    """The two things a comparison weighs."""
    for a, b in (("a", "b"), ("a2", "b2"), ("a3", "b3")):
        if match[a] and match[b]:
            return match[a].strip(" ,"), match[b].strip(" ?.,")
    raise ValueError("no sides")


_VALUE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(hundred million|[a-z]+)?", re.IGNORECASE)


def figure_value(text: str) -> float | None:
    """The number a short figure answer states, with its scale ("12 million yuan" -> 1.2e7)."""
    match = _VALUE.search(text)
    if match is None:
        return None
    value = float(match[1].replace(",", ""))
    scale = (match[2] or "").casefold()
    return value * SCALE_WORDS.get(scale, 1.0)


# Photo credits and bylines as pages print them.
_CREDIT_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"\((?:photos?|images?|pictures?)\s*(?:/|:|by)\s*([^()]{2,60})\)", re.IGNORECASE),
    re.compile(r"\[(?:photos?|images?)\s*(?:/|:|by)\s*([^\[\]]{2,60})\]", re.IGNORECASE),
    re.compile(r"\b(?:photos?|images?|pictures?)\s+by\s+([A-Z][\w'’ .-]{1,40}?)(?=[.,)\n]|$)"),
    re.compile(
        r"^(?:photos?|photographer|photo credit|images?)\s*[:：|/]\s*(.{2,60})$",
        re.IGNORECASE | re.M,
    ),
    # A caption's credit in capitals: "... in Westvale. LI MING/CHINA DAILY".
    re.compile(r"\b([A-Z]{2,}(?:[ -][A-Z]{2,}){1,2})\s*/\s*(?:FOR\s+)?[A-Z][A-Z .]{2,30}\b"),
    re.compile(r"\((?:Xinhua|CNS|IC|VCG|China Daily)\s*/\s*([^()]{2,40})\)"),
)
_AUTHOR_PATTERNS: Final[tuple[re.Pattern[str], ...]] = (
    re.compile(r"^By\s*[:：]?\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})", re.M),
    re.compile(
        r"^(?:author|reporter|writer|written by|text)\s*[:：]\s*(.{2,60}?)\s*$",
        re.IGNORECASE | re.M,
    ),
    re.compile(r"\((?:text|reporter|writer)\s*[/:：]\s*([^()]{2,60})\)", re.IGNORECASE),
)


def credit_line(text: str, kind: str, credit: str | None = None) -> str | None:
    """Who took the photos (kind "credit") or who wrote the article (kind "author")."""
    if kind == "credit":
        if credit:
            return credit
        patterns = _CREDIT_PATTERNS
    else:
        patterns = _AUTHOR_PATTERNS
    for pattern in patterns:
        match = pattern.search(text)
        if match:
            return match[1].strip(" .,|")
    return None


# "how many teachers and doctors ...", "how much X and Y funding": two things asked at once.
_TWO_THINGS = re.compile(
    r"^(?P<lead>how (?:many|much))\s+(?P<a>[a-z-]+(?:\s+[a-z-]+){0,2}?)\s+and\s+"
    r"(?P<b>[a-z-]+(?:\s+[a-z-]+){0,2}?)"
    r"(?P<rest>\s+(?:did|does|do|has|have|had|is|are|was|were|will|would)\b.*)$",
    re.IGNORECASE,
)


def split_pair_of_things(question: str) -> list[str]:
    """ "how many teachers and doctors did X send" -> one question per counted thing."""
    match = _TWO_THINGS.match(question.strip())
    if match is None:
        return [question]
    lead, rest = match["lead"], match["rest"]
    return [f"{lead} {match['a']}{rest}", f"{lead} {match['b']}{rest}"]
