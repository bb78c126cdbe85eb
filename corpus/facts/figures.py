"""Figures: a value, its unit and qualifier, and what it measures."""

from __future__ import annotations

import re

from pearlbot.corpus.facts.models import FigureFact
from pearlbot.corpus.facts.places import PlaceBook
from pearlbot.corpus.facts.text import MONTH_ALT, SCALES, SPELLED_NUMBERS, Sentence

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
_CURRENCY_BEFORE = re.compile(r"\b(RMB|US\$|USD|\$|¥)\s*$")
_CURRENCY_NAMES = {"RMB": "yuan", "¥": "yuan", "US$": "dollars", "USD": "dollars", "$": "dollars"}
CONTEXT_CHARS = 400  # of a sentence on each side of a number that can say what it counts
_PERCENT = re.compile(r"^\s*(percent|per cent|%)", re.IGNORECASE)
_MEASURE_UNIT = re.compile(
    r"^\s*(mu|hectares|tons|tonnes|kilometers|kilometres|km|square meters|square metres)\b",
    re.IGNORECASE,
)
# Spans of time ("over the past three years") are when, not how much.
_TIME_UNIT = re.compile(r"^\s*(?:years?|months?|weeks?|days?|hours?|decades?)\b", re.IGNORECASE)
# Words before a number that make it refer back ("the two places", "all six districts").
_ANAPHORIC = re.compile(r"(?:\b(?:the|these|those|both|all|its|their)|'s|’s)\s+$", re.IGNORECASE)
_DATE_CONTEXT = re.compile(
    rf"(?:{MONTH_ALT})\s+$|\b(?:in|since|of|by|from|to|end of|early|late)\s+$", re.IGNORECASE
)
_AUX = r"(?:have|has|had|were|was|are|is)"
# "More than 70 cadres, teachers and doctors have been sent": the counted phrase up to its verb.
_COUNTED = re.compile(rf"^\s*((?:[\w'’-]+(?:,\s*|\s+)){{0,8}}?){_AUX}\b")
_PREDICATE = re.compile(
    rf"^\s*{_AUX}\s+(?:been\s+)?(?:\w+ly\s+)?(?:also\s+|now\s+)?"
    r"((?:[a-z]+ed|[a-z]+en|sent|set|built|found|made|held|put|spent|lent|won)\b"
    r"(?:\s+(?!and\b|with\b|while\b)[\w'’-]+){0,4})"
)
# "... has exceeded", "had fallen to", "grew by": the clause's subject is what is measured.
_SUBJECT_VERB = re.compile(
    rf"\s+{_AUX}\s+(?:\w+ly\s+)?(?:exceeded|reached|hit|totaled|totalled|surpassed|topped|stood at"
    r"|fallen to|dropped to|risen to|fell to|rose to|grew by|grown by|rose by|increased by"
    r"|increased to|declined to|been)\s+$"
    r"|\s+(?:grew|rose|increased|fell|dropped|declined|stood at|reached|exceeded|totaled|topped"
    r"|hit)(?:\s+(?:by|to|at))?\s+$",
    re.IGNORECASE,
)
_PERCENT_VERB = re.compile(
    rf"\s+(?:{_AUX}\s+)?(?:fell|fallen|rose|risen|dropped|grew|grown|stood|reached|increased"
    r"|declined|went|was|were)\b",
    re.IGNORECASE,
)
_TOTAL_OF = re.compile(
    r"\b(?:the\s+)?total\s+(?:amount|number|value|sum|volume)\s+of\s+", re.IGNORECASE
)
# "with a total investment of", "agreements worth": the words before name the measure.
_MEASURE_OF = re.compile(
    r"((?:[a-z]+\s+){0,2}(?:investment|value|output|volume|sales|turnover|income|funding|funds"
    r"|worth))\s+(?:of\s+)?$|((?:[A-Za-z'’-]+\s+){1,3})worth\s+$",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"(?:^|[;:]\s*|,\s*(?:and|while|but|where)\s+|\.\s+)", re.IGNORECASE)
# Openers that are not part of what is measured: "By the end of last year, the ...".
_LEADING = re.compile(
    r"^(?:(?:by|at|in|on|as of|over|during|this|last|since)\b[^,]{0,40},\s*|in\s+addition,\s*"
    r"|moreover,\s*|a\s+total\s+of\s+|the\s+|a\s+|an\s+)+",
    re.IGNORECASE,
)
_IRREGULAR_PAST = frozenset(
    "sent spent built set made given brought held paid won lent bought taken put".split()
)
_REFERS_BACK = re.compile(r"^\s+of\s+them\b|^\s+(?:in|to)\s+[A-Z]", re.IGNORECASE)


def _tail_search(pattern: re.Pattern[str], text: str, tail: int = 80) -> re.Match[str] | None:
    """Search an end-anchored pattern in the last `tail` characters only (offsets into text)."""
    return pattern.search(text, max(0, len(text) - tail))


_YEAR_AFTER = re.compile(
    r"^\s*(?:in|at the end of|by the end of|as of|by)\s+((?:19|20)\d\d)\b", re.IGNORECASE
)
_YEAR_OPENER = re.compile(
    r"^\s*(?:in|at the end of|by the end of|as of|by)\s+((?:19|20)\d\d)\s*,", re.IGNORECASE
)


def _as_of(after: str, clause: str) -> str | None:
    """ "40.5 percent in 2015", "At the end of 2017, ... 7.5 percent": the figure's year."""
    match = _YEAR_AFTER.match(after) or _YEAR_OPENER.match(clause)
    return match[1] if match else None


def _value(number: str, scale: str | None) -> float:
    word = number.lower()
    if word in SPELLED_NUMBERS:
        value = float(SPELLED_NUMBERS[word])
    else:
        value = float(number.replace(",", ""))
    return value * SCALES[scale.lower()] if scale else value


def _verb_before(before: str) -> str | None:
    """ "invested", "implemented", "employing" right before the number (past "a total of")."""
    words = re.sub(r"\ba\s+total\s+of\s+$", "", before, flags=re.IGNORECASE).split()
    if not words:
        return None
    word = words[-1].lower().strip(",")
    if word.endswith(("ed", "ing")) or word in _IRREGULAR_PAST or word in ("employs", "employ"):
        return word
    return None


def _subject_place(before: str, book: PlaceBook) -> str | None:
    """The place that is the clause's subject: "..., Eastport has invested"."""
    for mention in reversed(book.find(before)):
        preposition = re.search(r"\b(?:in|from|of|to|for|by|at)\s+$", before[: mention.start])
        if not preposition and re.match(rf"\s+{_AUX}\b", before[mention.end :]):
            return mention.name
    return None


def _clause(before: str) -> str:
    starts = [m.end() for m in _CLAUSE_START.finditer(before)]
    return before[starts[-1] if starts else 0 :]


def _tidy(text: str) -> str:
    text = _LEADING.sub("", text.strip(" ,;"))
    return re.sub(r"\s+", " ", text).strip(" ,")


def _head(counted: str) -> str:
    """The counted noun: last word before any of/from/in modifier or list comma."""
    head = re.split(
        r",|\s+(?:of|from|in|at|for|and|that|who|with)\s+", counted.strip(), maxsplit=1
    )[0]
    words = head.split()
    return words[-1].lower() if words else ""


def extract_figures(sentence: Sentence, book: PlaceBook) -> list[FigureFact]:
    text = sentence.text
    facts: list[FigureFact] = []
    for match in _NUMBER.finditer(text):
        number, scale = match["num"], match["scale"]
        # Only the words around a number say what it counts; a bounded window also keeps a
        # sentence of 100,000 characters linear.
        window = max(0, match.start() - CONTEXT_CHARS)
        before, after = (
            text[window : match.start()],
            text[match.end() : match.end() + CONTEXT_CHARS],
        )
        if _skip(text, match, number, scale, before, after):
            continue
        qualifier_match = _tail_search(_QUALIFIER, before)
        qualifier = qualifier_match[1].lower() if qualifier_match else None
        start = window + qualifier_match.start() if qualifier_match else match.start()
        lead = before[: qualifier_match.start()] if qualifier_match else before

        unit_match = _CURRENCY.match(after) or _PERCENT.match(after) or _MEASURE_UNIT.match(after)
        unit = None
        rest, end = after, match.end()
        prefix = _tail_search(_CURRENCY_BEFORE, lead)
        if prefix and not unit_match:
            # "RMB 500 million": the currency comes first.
            unit = _CURRENCY_NAMES.get(prefix[1].upper(), prefix[1].lower())
            start = window + prefix.start() if not qualifier_match else start
            lead = lead[: prefix.start()]
        elif unit_match:
            unit = unit_match[1].lower().replace("per cent", "percent").replace("%", "percent")
            rest, end = after[unit_match.end() :], match.end() + unit_match.end()

        measure: str | None = None
        if facts and _REFERS_BACK.match(rest) and unit in (None, "percent"):
            # "900 poor laborers ..., 40 of them in Eastport" (or "about 40 percent of them"):
            # a part of the previous figure.
            previous = facts[-1]
            where = re.search(r"\b(?:in|to)\s+([A-Z][\w'’]*(?:\s+[A-Z][\w'’]*)?)", rest)
            place = f" in {where[1]}" if where else ""
            if unit == "percent":
                measure = f"share of {previous.measure}{place}"
            else:
                unit, measure = previous.unit, previous.measure + place
        else:
            measure, unit, end = _measure(before, lead, rest, unit, end, match.end(), facts)
        if measure is None or unit is None:
            continue
        facts.append(
            FigureFact(
                id="",
                source=sentence.provenance(start, end),
                value=_value(number, scale),
                unit=unit,
                qualifier=qualifier,
                measure=measure,
                text=text[match.start() : end].strip(),
                subject=_subject_place(_clause(lead), book),
                as_of=_as_of(text[end : end + 40], _clause(before)),
            )
        )
    return facts


def _skip(
    text: str, match: re.Match[str], number: str, scale: str | None, before: str, after: str
) -> bool:
    spelled = number.lower() in SPELLED_NUMBERS
    if re.fullmatch(r"(?:19|20)\d\d", number) and not scale:
        return True  # a year
    if re.match(rf"\s+(?:{MONTH_ALT})\b", after):
        return True  # "12 June": a date
    if (
        _tail_search(_DATE_CONTEXT, before)
        and not scale
        and number.isdigit()
        and not _CURRENCY.match(after)
    ):
        return True
    if number.lower() == "one" and not scale:
        return True  # "one of the ...": a pronoun far more often than a count
    if (
        spelled
        and number[0].isupper()
        and before.strip()
        and not before.rstrip().endswith((".", ":"))
    ):
        return True  # "Nine Gates": part of a name
    if before.count('"') % 2 or before.count("“") > before.count("”"):
        return True  # inside a quoted name
    return bool(_tail_search(_ANAPHORIC, before) or _TIME_UNIT.match(after))


def _measure(
    before: str,
    lead: str,
    rest: str,
    unit: str | None,
    end: int,
    number_end: int,
    facts: list[FigureFact],
) -> tuple[str | None, str | None, int]:
    """(measure, unit, end of the figure's text); `lead` is `before` without the qualifier."""
    clause = _clause(before)
    totals = list(_TOTAL_OF.finditer(clause))
    subject_verb = _tail_search(_SUBJECT_VERB, clause)
    if totals and subject_verb and totals[-1].end() <= subject_verb.start():
        measure = _tidy(clause[totals[-1].end() : subject_verb.start()])
        return measure, unit or _head(measure), end
    if subject_verb:
        subject = _tidy(clause[: subject_verb.start()])
        if unit == "percent" and subject.lower() in ("", "up", "down"):
            subject = f"growth of {facts[-1].measure}" if facts else "growth"
        return (subject or None), unit or _head(subject), end
    if unit == "percent":
        if re.search(r"\b(?:up|down)\s+$", lead) and facts:
            return f"growth of {facts[-1].measure}", unit, end
        # "the poverty incidence of X fell from 40.5 percent in 2015 to": what fell is measured.
        subject = _PERCENT_VERB.split(clause, maxsplit=1)[0]
        return _tidy(re.sub(r"\s+(?:by|of|to|at|from)\s*$", "", subject)) or None, unit, end
    measure_of = _tail_search(_MEASURE_OF, lead)
    verb = _verb_before(lead)
    if unit and measure_of and not verb:
        measure = _tidy(measure_of[1] or measure_of[2] or "")
        predicate = _PREDICATE.match(rest)
        return " ".join(p for p in (measure, predicate[1] if predicate else None) if p), unit, end
    of_phrase = (
        re.match(
            r"\s+of\s+((?:[\w'’-]+\s+){0,5}?[\w'’-]+?)(?=\s+(?:in|to|for|and|with)\b|[,.;]|$)", rest
        )
        if unit
        else None
    )
    if of_phrase:
        return " ".join(p for p in (of_phrase[1], verb) if p), unit, end
    counted_match = _COUNTED.match(rest)
    counted = counted_match[1].strip(" ,") if counted_match else ""
    predicate = _PREDICATE.match(rest[counted_match.end(1) :]) if counted_match else None
    if not counted:
        # No auxiliary verb: the counted words run to the first verb or preposition.
        words = re.match(
            r"\s*((?:(?!and\b|with\b|in\b|to\b|from\b|for\b|at\b|\w+ed\b)[A-Za-z][\w'’-]*\s*){1,4})",
            rest,
        )
        counted = words[1].strip() if words else ""
    if not unit:
        if not counted:
            return None, None, end
        unit = _head(counted)
        shown = re.match(
            r"\s*[\w'’-]+(?:\s+[\w'’-]+)*?(?=\s+(?:of|from|in|for|have|has|had|were|was|and)\b"
            r"|\s+\w+ed\b|[,.;]|$)",
            rest,
        )
        end = number_end + (shown.end() if shown else 0)
    parts = (counted, verb, predicate[1] if predicate else None)
    return " ".join(p for p in parts if p) or unit, unit, end
