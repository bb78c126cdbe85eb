"""Figures: a value, its unit and qualifier, and what it measures."""

from __future__ import annotations

import re

from corpus.facts.models import FigureFact
from corpus.facts.places import PlaceBook
from corpus.facts.text import MONTH_ALT, SCALES, SPELLED_NUMBERS, Sentence

_SPELLED = "|".join(sorted(SPELLED_NUMBERS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,-])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?i:{_SPELLED}))"
    rf"(?![\w-])(?:\s+(?P<scale>(?i:thousand|million|billion|trillion|hundred)))?"
)
_QUALIFIER = re.compile(
    r"(?i:(more than|over|nearly|almost|about|around|approximately|at least|up to|less than"
    r"|fewer than|exceeded|exceeding|surpassed|above|below|some))\s+$"
)
_CURRENCY = re.compile(r"^\s*(yuan|RMB|US dollars|dollars|euros)\b", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(percent|per cent|%)", re.IGNORECASE)
_MEASURE_UNIT = re.compile(
    r"^\s*(mu|hectares|tons|tonnes|kilometers|kilometres|km|square meters|square metres)\b",
    re.IGNORECASE,
)
# Words that end a noun phrase: verbs, prepositions, conjunctions, punctuation.
_NP_STOP = frozenset(
    """have has had is are was were been be will would and or but to in into for with from by
    at on as that which who whose than while since through during among including""".split()
)
# Participles and past forms that say what happened to the counted thing.
_IRREGULAR_PAST = frozenset(
    """sent spent built set made given brought led held paid won lent bought taken put""".split()
)
_DATE_CONTEXT = re.compile(
    rf"(?:{MONTH_ALT})\s+$|(?:in|since|of|by|from|to|end of|early|late)\s+$", re.I
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|its|their)\s+", re.IGNORECASE)


def _value(number: str, scale: str | None) -> float:
    word = number.lower()
    value = (
        float(SPELLED_NUMBERS[word]) if word in SPELLED_NUMBERS else float(number.replace(",", ""))
    )
    return value * SCALES[scale.lower()] if scale else value


def _is_past(word: str) -> bool:
    return word.endswith("ed") or word in _IRREGULAR_PAST


def _noun_phrase(words: list[str]) -> list[str]:
    """Leading words up to the first verb, preposition or clause break."""
    phrase: list[str] = []
    for word in words:
        bare = word.strip(',.;:"“”()')
        if not bare or bare.lower() in _NP_STOP or (phrase and _is_past(bare.lower())):
            break
        if bare.lower() == "of" and not phrase:
            break
        phrase.append(bare)
        if word != bare:  # punctuation attached: the phrase ends here
            break
    return phrase


def _predicate(after: str) -> str | None:
    """ "have successfully landed in Haidong" -> "landed in Haidong"."""
    match = re.match(
        r"\s*(?:have|has|had|were|was|are|is)\s+(?:been\s+)?(?:\w+ly\s+)?(?:also\s+)?"
        r"([a-z]+(?:ed|en|t)\b(?:\s+(?:up|out))?(?:\s+(?:in|to|for|at|into|from)\s+[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)?)",
        after,
    )
    return match[1] if match else None


def _verb_before(before: str) -> str | None:
    words = before.split()
    if words and _is_past(words[-1].lower()):
        return words[-1].lower()
    return None


def _subject(before: str, book: PlaceBook) -> str | None:
    """The place that is the clause's subject: "..., Wuxi has invested"."""
    clause = re.split(r"[,;]", before)[-1]
    mentions = book.find(clause)
    return mentions[0].name if mentions else None


def _total_of(before: str) -> tuple[str, str] | None:
    """ "the total number of rural students assisted ... has reached" -> (measure, head noun)."""
    clause = re.split(r"[,;]", before)[-1]
    match = re.search(
        r"\b(?:the\s+)?total\s+(?:amount|number|value|sum|volume)\s+of\s+(.+?)\s+"
        r"(?:has|have|had)\s+(?:\w+\s+)?"
        r"(?:reached|exceeded|hit|totaled|totalled|surpassed|stood at|been)\s+$",
        clause,
        re.IGNORECASE,
    )
    if not match:
        return None
    measure = _LEADING_ARTICLE.sub("", match[1])
    return measure, _head(_noun_phrase(measure.split())) or measure.split()[0]


def _head(phrase: list[str]) -> str:
    """The counted noun: the last word before any "of" modifier ("personnel of various kinds")."""
    words = phrase[: phrase.index("of")] if "of" in phrase else phrase
    return words[-1].lower() if words else ""


def extract_figures(sentence: Sentence, book: PlaceBook) -> list[FigureFact]:
    text = sentence.text
    facts: list[FigureFact] = []
    for match in _NUMBER.finditer(text):
        number, scale = match["num"], match["scale"]
        before, after = text[: match.start()], text[match.end() :]
        is_year = re.fullmatch(r"(?:19|20)\d\d", number) and not scale
        if is_year or (_DATE_CONTEXT.search(before) and not scale and number.isdigit()):
            continue
        if number.lower() == "one" and not scale:
            continue  # "one of the ...": a pronoun far more often than a count
        if re.search(r"\b(?:the|these|those|both)\s+$", before, re.IGNORECASE):
            continue  # "the two places": refers back to things, counts nothing new
        qualifier_match = _QUALIFIER.search(before)
        qualifier = qualifier_match[1].lower() if qualifier_match else None
        start = qualifier_match.start() if qualifier_match else match.start()

        unit_match = _CURRENCY.match(after) or _PERCENT.match(after) or _MEASURE_UNIT.match(after)
        rest = after[unit_match.end() :] if unit_match else after
        end = match.end() + (unit_match.end() if unit_match else 0)
        unit = unit_match[1].lower().replace("per cent", "percent") if unit_match else None
        if unit == "%":
            unit = "percent"

        total = _total_of(before)
        verb = _verb_before(before[: qualifier_match.start()] if qualifier_match else before)
        if total:
            measure, head = total
            unit = unit or head
        else:
            of_phrase = re.match(r"\s+of\s+(.*)", rest) if unit else None
            phrase = _noun_phrase((of_phrase[1] if of_phrase else rest).split())
            if not unit:
                if not phrase:
                    continue  # a bare number with nothing counted: not a figure
                unit = _head(phrase)
                counted = phrase[: phrase.index("of")] if "of" in phrase else phrase
                end = match.end() + len(
                    re.match(r"\s*" + r"\s+".join(map(re.escape, counted)), rest)[0]
                )
            tail_start = len(of_phrase[0]) if of_phrase else 0
            consumed = " ".join(phrase)
            tail = (
                rest[tail_start:]
                if of_phrase
                else rest[len(re.match(r"\s*", rest)[0]) + len(consumed) :]
            )
            predicate = _predicate(tail if phrase else rest)
            if unit == "percent":
                clause = re.split(r"[,;]|\bwhile\b|\band\b", before)[-1]
                measure = _LEADING_ARTICLE.sub("", clause.strip())
                measure = re.sub(r"\s+(?:by|of|to)$", "", measure)
            else:
                measure = " ".join(p for p in (consumed, verb, predicate) if p) or unit
        facts.append(
            FigureFact(
                id="",
                source=sentence.provenance(start, end),
                value=_value(number, scale),
                unit=unit,
                qualifier=qualifier,
                measure=measure.strip(),
                text=text[match.start() : end].strip(),
                subject=_subject(before, book),
            )
        )
    return facts
