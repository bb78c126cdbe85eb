"""Figures: a value, its unit and qualifier, and what it measures."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from pearlbot.corpus.facts.models import FigureFact
from pearlbot.corpus.facts.places import PlaceBook
from pearlbot.corpus.facts.text import MONTH_ALT, MONTHS, SPELLED_NUMBERS, Sentence

# Word patterns read ASCII words: case-insensitive matching never folds "ı", "İ" or "ſ" in.
_I = re.IGNORECASE | re.ASCII

# Number words, every size: "nine", "twenty-six", "three hundred and forty-two", "two million".
_UNIT_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen".split()
)
_TENS_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALE_WORDS = ("hundred", "thousand", "million", "billion", "trillion")
_SMALL = (
    rf"(?:(?:{'|'.join(_TENS_WORDS)})(?:-(?:{'|'.join(_UNIT_WORDS[:9])}))?"
    rf"|{'|'.join(sorted(_UNIT_WORDS, key=len, reverse=True))})"
)
_SPELLED_RUN = rf"{_SMALL}(?:(?:\s+and\s+|\s+|-)(?:{_SMALL}|{'|'.join(_SCALE_WORDS)})(?![\w-]))*"
# Scale words after digits: "5 million", "7.25 hundred million", "1.85bn", "75 mln", "419m".
SCALE_VALUES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "万": 1e4,
    "亿": 1e8,
}
_SCALE = (
    r"(?:\s*(?:万亿|亿|万)|\s?(?:bn|mln|m|k)(?![\w-])"
    # "21million Yuan": pages drop the space
    r"|\s*(?:hundred|thousand|million|billion|trillion)\b(?:\s+(?:thousand|million|billion))?)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A hyphen after a number is part of the amount only before a unit: "a 300,000-yuan grant".
_AMOUNT_END = r"(?!\w)(?!-(?!(?:yuan|dollars?|euros?|thousand|million|billion)\b))"
# ASCII semantics throughout: a Turkish "ı" or "İ" never matches "i", and "٣" is not a digit here.
_NUMBER = re.compile(
    # Not inside a word or number, but "RMB500", "MOP100,000" glue a currency code to it.
    rf"(?:(?<![\w.,-])|(?<=RMB)|(?<=MOP)|(?<=CNY)|(?<=HKD)|(?<=USD))"
    rf"(?P<num>{_DIGITS}|(?i:{_SPELLED_RUN}))(?P<scale>(?i:{_SCALE}))?"
    # A range's second number; never after a year ("from 40.5 percent in 2015 to 3.14 percent").
    rf"(?:(?<!(?:19|20)\d\d)\s*(?:-|–|—|~|to)\s*(?P<high>{_DIGITS})(?P<high_scale>(?i:{_SCALE}))?)?"
    rf"{_AMOUNT_END}",
    re.ASCII,
)
_QUALIFIER = re.compile(
    r"(?i:(more than|over|nearly|almost|about|around|approximately|at least|up to|less than"
    r"|fewer than|exceeded|exceeding|surpassed|above|below|some))\s+$"
)
_CURRENCY = re.compile(
    r"^\s*-?\s*(yuan|RMB|CNY|U\.S\. dollars|US dollars|hong kong dollars|hk dollars|dollars"
    r"|euros|patacas?|元)(?![A-Za-z])",
    _I,
)
# "RMB 500 million", "¥419 million", "CNY 5m", "US$4.7 million".
_CURRENCY_BEFORE = re.compile(r"(?<![A-Za-z])(RMB|CNY|US\$|USD|HK\$|HKD|MOP\$?|\$|¥|￥)\s*$")
_CURRENCY_NAMES = {
    "RMB": "yuan",
    "CNY": "yuan",
    "¥": "yuan",
    "￥": "yuan",
    "元": "yuan",
    "US$": "dollars",
    "HK$": "hong kong dollars",
    "HKD": "hong kong dollars",
    "HK DOLLARS": "hong kong dollars",
    "MOP": "patacas",
    "MOP$": "patacas",
    "PATACA": "patacas",
    "USD": "dollars",
    "$": "dollars",
}
# A Chinese count's measure word after the number: "3万人", "120名教师".
# Chinese measure words that count something; "备13028878号" (a licence number) counts nothing.
_CJK_UNIT = re.compile(r"^\s*([人名个户家所项亩吨座台次位条套辆批场元])")
# "(about $42.71 million)": a conversion of the figure just before, not a figure of its own.
_CONVERSION = re.compile(r"[(（]\s*(?:about|around|approximately|roughly|some|or)?\s*$", _I)
_MONTH_ABBREVIATION = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+$")
_CJK_BEFORE = re.compile(r"([\u4e00-\u9fff]{1,8})\s*$")
CONTEXT_CHARS = 400  # of a sentence on each side of a number that can say what it counts
_PERCENT = re.compile(r"^\s*(percent|per cent|%)", _I)
_MEASURE_UNIT = re.compile(
    r"^\s*(mu|hectares|tons|tonnes|kilometers|kilometres|km|square meters|square metres)\b",
    _I,
)
# Spans of time ("over the past three years") are when, not how much.
_TIME_UNIT = re.compile(r"^\s*(?:years?|months?|weeks?|days?|hours?|decades?)\b", _I)
# Words before a number that make it refer back ("the two places", "all six districts").
_ANAPHORIC = re.compile(r"(?:\b(?:the|these|those|both|all|its|their)|'s|’s)\s+$", _I)
_DATE_CONTEXT = re.compile(
    rf"(?:{MONTH_ALT})\s+$|\b(?:in|since|of|by|from|to|end of|early|late)\s+$", _I
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
    r"|hit)(?:\s+(?:by|to|at))?\s+$"
    # "Upland received 60 million yuan": the recipient is what the figure is of.
    rf"|\s+(?:{_AUX}\s+)?(?:received|obtained|got|attracted|drew|been\s+(?:given|allocated|granted))"
    r"\s+$",
    _I,
)
_PERCENT_VERB = re.compile(
    rf"\s+(?:{_AUX}\s+)?(?:fell|fallen|rose|risen|dropped|grew|grown|stood|reached|increased"
    r"|declined|went|was|were)\b",
    _I,
)
_TOTAL_OF = re.compile(r"\b(?:the\s+)?total\s+(?:amount|number|value|sum|volume)\s+of\s+", _I)
# "with a total investment of", "agreements worth": the words before name the measure.
_MEASURE_OF = re.compile(
    r"((?:[a-z]+\s+){0,2}(?:investment|value|output|volume|sales|turnover|income|funding|funds"
    r"|worth))\s+(?:of\s+)?$|((?:[A-Za-z'’-]+\s+){1,3})worth\s+$",
    _I,
)
_CLAUSE_START = re.compile(r"(?:^|[;:]\s*|,\s*(?:and|while|but|where)\s+|\.\s+)", _I)
# Openers that are not part of what is measured: "By the end of last year, the ...".
_LEADING = re.compile(
    r"^(?:(?:by|at|in|on|as of|over|during|this|last|since)\b[^,]{0,40},\s*|in\s+addition,\s*"
    r"|of\s+(?:that|this|the)\s+(?:sum|amount|total|money|funding),\s*|of\s+(?:them|which),\s*"
    r"|moreover,\s*|a\s+total\s+of\s+|the\s+|a\s+|an\s+)+",
    _I,
)
_IRREGULAR_PAST = frozenset(
    "sent spent built set made given brought held paid won lent bought taken put".split()
)
_PLAIN_PAST = "left|went|came|rose|grew|fell|got|won|took|became|began|saw|gave|found|ran|met"
# The counted words when no auxiliary follows: up to a verb or a preposition.
_COUNTED_WORDS = re.compile(
    rf"\s*((?:(?!(?:and|with|in|to|from|for|at|{_PLAIN_PAST}|\w+ed)\b)"
    r"[A-Za-z][\w'’-]*\s*){1,4})",
    re.ASCII,
)
# "... escaped poverty", "... left the county seat": a past verb and up to three words after it.
_PLAIN_PREDICATE = re.compile(
    rf"\s*((?:[a-z]+ed|{_PLAIN_PAST})\b(?:\s+(?!and\b|as\b|with\b|while\b|in\b|to\b|by\b"
    r"|from\b|on\b|at\b|for\b)[a-z][\w'’-]*){0,3})",
    re.ASCII,
)
_REFERS_BACK = re.compile(r"^\s+of\s+them\b|^\s+(?:in|to)\s+[A-Z]", _I)


# What the end-anchored patterns' matches end with, before their trailing spaces (case-folded):
# text that ends otherwise is not searched. The pattern tries every position of the tail, a
# suffix test costs a tenth of that (docs/speed.md; tests/corpus/facts/test_guards.py checks
# each entry against its pattern on real text).
_ENDINGS: dict[re.Pattern[str], tuple[str, ...]] = {
    _QUALIFIER: (
        "than", "over", "nearly", "almost", "about", "around", "approximately", "least", "to",
        "exceeded", "exceeding", "surpassed", "above", "below", "some",
    ),
    _DATE_CONTEXT: (
        *(m.casefold() for m in MONTHS), "in", "since", "of", "by", "from", "to", "early", "late",
    ),
    _ANAPHORIC: ("the", "these", "those", "both", "all", "its", "their", "'s", "’s"),
    _MEASURE_OF: (
        "investment", "value", "output", "volume", "sales", "turnover", "income", "funding",
        "funds", "worth", "of",
    ),
    _CURRENCY_BEFORE: ("rmb", "cny", "us$", "usd", "hk$", "hkd", "mop", "mop$", "$", "¥", "￥"),
    _MONTH_ABBREVIATION: tuple(
        f"{m}{dot}"
        for m in "jan feb mar apr jun jul aug sep sept oct nov dec".split()
        for dot in ("", ".")
    ),
    _CONVERSION: ("(", "（", "about", "around", "approximately", "roughly", "some", "or"),
}  # fmt: skip


def _tail_search(pattern: re.Pattern[str], text: str, tail: int = 80) -> re.Match[str] | None:
    """Search an end-anchored pattern in the last `tail` characters only (offsets into text)."""
    endings = _ENDINGS.get(pattern)
    if endings:
        # rstrip scans from the end only; no ending is longer than the 20 characters kept.
        # ASCII only: the patterns' IGNORECASE folds a few letters ("İ") unlike casefold.
        last = text.rstrip()[-20:]
        if last.isascii() and not last.casefold().endswith(endings):
            return None
    return pattern.search(text, max(0, len(text) - tail))


_YEAR_AFTER = re.compile(r"^\s*(?:in|at the end of|by the end of|as of|by)\s+((?:19|20)\d\d)\b", _I)
_YEAR_OPENER = re.compile(
    r"^\s*(?:in|at the end of|by the end of|as of|by)\s+((?:19|20)\d\d)\s*,", _I
)


def _as_of(after: str, clause: str) -> str | None:
    """ "40.5 percent in 2015", "At the end of 2017, ... 7.5 percent": the figure's year."""
    match = _YEAR_AFTER.match(after) or _YEAR_OPENER.match(clause)
    return match[1] if match else None


def scale_factor(scale: str | None) -> float:
    """ "hundred million" -> 1e8, "bn" -> 1e9, "万" -> 1e4; None or "" -> 1."""
    factor = 1.0
    for word in re.findall(r"[A-Za-z]+|万|亿", scale or ""):
        factor *= SCALE_VALUES[word.lower()]
    return factor


def number_value(number: str, scale: str | None = None) -> float | None:
    """The value of "1,200", "5.03" with "hundred million", or "three hundred and forty-two";
    None for words that are no number (text2num reads the spelled ones, any size)."""
    if number[:1].isdigit():
        try:
            value = float(number.replace(",", ""))
        except ValueError:
            return None
    else:
        from text_to_num import text2num  # a spelled number: rare, so its import waits

        words = number.lower()
        try:
            value = float(
                SPELLED_NUMBERS[words] if words in SPELLED_NUMBERS else text2num(words, "en")
            )
        except (ValueError, KeyError):
            return None
    return value * scale_factor(scale)


class Amount(NamedTuple):
    """A number as the text states it: its value, and low/high when it is a range."""

    value: float
    low: float | None
    high: float | None


def amount(match: re.Match[str]) -> Amount | None:
    """The value of one `_NUMBER` match; "50-60 million" is 50 to 60 million (value: low)."""
    high_scale = match["high_scale"]
    low = number_value(match["num"], match["scale"] or high_scale)
    if low is None:
        return None
    if not match["high"]:
        return Amount(low, None, None)
    high = number_value(match["high"], high_scale or match["scale"])
    if high is None or high < low:
        return None
    return Amount(low, low, high)


def read_amounts(text: str) -> list[tuple[str, Amount]]:
    """Every number `text` states, with its value: what the figure reader sees."""
    found = []
    for match in _NUMBER.finditer(text):
        value = amount(match)
        if value is not None:
            found.append((match[0], value))
    return found


_A_TOTAL_OF_END = re.compile(r"\ba\s+total\s+of\s+$", _I)


def _verb_before(before: str) -> str | None:
    """ "invested", "implemented", "employing" right before the number (past "a total of")."""
    if before.rstrip()[-2:].casefold() == "of":
        before = _A_TOTAL_OF_END.sub("", before)
    words = before.rsplit(None, 1)  # the last word is all it reads
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


@lru_cache(maxsize=16)  # a figure asks for the clause of the same text two or three times
def _clause(before: str) -> str:
    starts = [m.end() for m in _CLAUSE_START.finditer(before)]
    return before[starts[-1] if starts else 0 :]


_SPACES = re.compile(r"\s+")
_HEAD_END = re.compile(r",|\s+(?:of|from|in|at|for|and|that|who|with)\s+")


def _tidy(text: str) -> str:
    text = _LEADING.sub("", text.strip(" ,;"))
    return _SPACES.sub(" ", text).strip(" ,")


def _head(counted: str) -> str:
    """The counted noun: last word before any of/from/in modifier or list comma."""
    head = _HEAD_END.split(counted.strip(), maxsplit=1)[0]
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
        value = amount(match)
        if value is None:
            continue
        qualifier_match = _tail_search(_QUALIFIER, before)
        qualifier = qualifier_match[1].lower() if qualifier_match else None
        start = window + qualifier_match.start() if qualifier_match else match.start()
        lead = before[: qualifier_match.start()] if qualifier_match else before

        unit_match = _CURRENCY.match(after) or _PERCENT.match(after) or _MEASURE_UNIT.match(after)
        text_start = match.start()
        unit = None
        rest, end = after, match.end()
        prefix = _tail_search(_CURRENCY_BEFORE, lead)
        conversion = _tail_search(_CONVERSION, lead[: prefix.start()] if prefix else lead)
        if conversion and (prefix or re.match(r"\s*(?:U\.S\.|US)?\s*dollars", after)):
            continue  # "(about $42.7 million)", "(roughly 18.6 million U.S. dollars)"
        if prefix and not unit_match:
            # "RMB 500 million": the currency comes first.
            unit = _CURRENCY_NAMES.get(prefix[1].upper(), prefix[1].lower())
            start = window + prefix.start() if not qualifier_match else start
            text_start = window + prefix.start()  # "¥50 million": the sign is part of it
            lead = lead[: prefix.start()]
        elif unit_match:
            unit = unit_match[1].lower().replace("per cent", "percent").replace("%", "percent")
            unit = _CURRENCY_NAMES.get(unit_match[1].upper(), unit)
            rest, end = after[unit_match.end() :], match.end() + unit_match.end()
        if (scale or "").strip().lower() in ("m", "k") and unit not in ("yuan", "dollars"):
            continue  # "419m" is millions only beside a currency; "4,000m" is an altitude
        cjk_unit = _CJK_UNIT.match(after) if unit is None else None
        if cjk_unit or (unit == "yuan" and unit_match and unit_match[1] == "元"):
            # "投资5.03亿元", "3万人": Chinese wording, measured by the words before it.
            cjk_before = _CJK_BEFORE.search(lead)
            unit = unit or (cjk_unit[1] if cjk_unit else "yuan")
            end = match.end() + (
                cjk_unit.end() if cjk_unit else unit_match.end() if unit_match else 0
            )
            facts.append(
                _figure(
                    sentence,
                    start,
                    end,
                    value,
                    unit,
                    qualifier,
                    cjk_before[1] if cjk_before else unit,
                )
            )
            continue

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
        fact = _figure(sentence, start, end, value, unit, qualifier, measure)
        facts.append(
            fact.model_copy(
                update={
                    "text": text[text_start:end].strip(),
                    "subject": _subject_place(_clause(lead), book),
                    "as_of": _as_of(text[end : end + 40], _clause(before)),
                }
            )
        )
    return facts


def _figure(
    sentence: Sentence,
    start: int,
    end: int,
    value: Amount,
    unit: str,
    qualifier: str | None,
    measure: str,
) -> FigureFact:
    return FigureFact(
        id="",
        source=sentence.provenance(start, end),
        value=value.value,
        low=value.low,
        high=value.high,
        unit=unit,
        qualifier=qualifier,
        measure=measure,
        text=sentence.text[start:end].strip(),
    )


_YEAR_NUMBER = re.compile(r"(?:19|20)\d\d")
_MONTH_AFTER = re.compile(rf"\s+(?:{MONTH_ALT})\b")


def _skip(
    text: str, match: re.Match[str], number: str, scale: str | None, before: str, after: str
) -> bool:
    spelled = not number[:1].isdigit()
    if _YEAR_NUMBER.fullmatch(number) and not scale:
        return True  # a year (or a span of years, "2016-2020")
    if _MONTH_AFTER.match(after) or _tail_search(_MONTH_ABBREVIATION, before):
        return True  # "12 June", "Sept 25-27": a date
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


Measured = tuple[str | None, str | None, int]  # (measure, unit, end of the figure's text)


@dataclass(frozen=True)
class _Around:
    """What stands around one number: the text before it (and without its qualifier), after
    it, its unit, where its text ends, and the figures read before it in the sentence."""

    before: str
    lead: str
    rest: str
    unit: str | None
    end: int
    number_end: int
    facts: list[FigureFact]

    @cached_property
    def clause(self) -> str:
        return _clause(self.before)

    @cached_property
    def subject_verb(self) -> re.Match[str] | None:
        return _tail_search(_SUBJECT_VERB, self.clause)

    @cached_property
    def verb(self) -> str | None:
        return _verb_before(self.lead)


def _by_total_of(a: _Around) -> Measured | None:
    """ "the total amount of X has reached 1,200": X."""
    totals = list(_TOTAL_OF.finditer(a.clause))
    if totals and a.subject_verb and totals[-1].end() <= a.subject_verb.start():
        measure = _tidy(a.clause[totals[-1].end() : a.subject_verb.start()])
        return measure, a.unit or _head(measure), a.end
    return None


def _by_subject(a: _Around) -> Measured | None:
    """ "Donations ... exceeded 10 million yuan": the verb's subject."""
    if a.subject_verb is None:
        return None
    subject = _tidy(a.clause[: a.subject_verb.start()])
    if a.unit == "percent" and subject.lower() in ("", "up", "down"):
        subject = f"growth of {a.facts[-1].measure}" if a.facts else "growth"
    return (subject or None), a.unit or _head(subject), a.end


# ", the Upland region 124 million yuan": a list that leaves out the verb it shares.
_GAPPED = re.compile(
    r"(?:,\s*(?:and\s+)?|\s+and\s+)((?:the\s+)?(?:[A-Z][\w'’-]*\s+)+(?:[a-z]+\s+){0,3}?"
    r"(?:(?:of|in)\s+[A-Z][\w'’-]*\s+)?)$"
)


def _by_gapped_subject(a: _Around) -> Measured | None:
    """ "Upland received 600 million yuan, Lowland 124 million yuan": the second figure's
    subject, when the figure before it in the sentence was measured by its own subject."""
    if not a.facts or not a.unit:
        return None
    before = a.facts[-1]
    if before.unit != a.unit or before.measure in (None, before.unit):
        return None
    gapped = _GAPPED.search(a.lead)
    if gapped is None or re.search(rf"\b(?:{_AUX}|\w+ed|of|in|worth|with)\s*$", gapped[1]):
        return None
    return _tidy(gapped[1]), a.unit, a.end


def _by_percent(a: _Around) -> Measured | None:
    """A percentage: growth of the figure before, or what rose or fell to it."""
    if a.unit != "percent":
        return None
    if re.search(r"\b(?:up|down)\s+$", a.lead) and a.facts:
        return f"growth of {a.facts[-1].measure}", a.unit, a.end
    # "the poverty incidence of X fell from 40.5 percent in 2015 to": what fell is measured.
    subject = _PERCENT_VERB.split(a.clause, maxsplit=1)[0]
    return _tidy(re.sub(r"\s+(?:by|of|to|at|from)\s*$", "", subject)) or None, a.unit, a.end


def _by_measure_of(a: _Around) -> Measured | None:
    """ "an investment of 50 million yuan": the noun before "of"."""
    if not a.unit or a.verb:  # the cheap tests first: the search is this module's dearest
        return None
    measure_of = _tail_search(_MEASURE_OF, a.lead)
    if not measure_of:
        return None
    measure = _tidy(measure_of[1] or measure_of[2] or "")
    predicate = _PREDICATE.match(a.rest)
    return " ".join(p for p in (measure, predicate[1] if predicate else None) if p), a.unit, a.end


def _by_of_phrase(a: _Around) -> Measured | None:
    """ "50 million yuan of assistance funds": the phrase after "of"."""
    if not a.unit:
        return None
    of_phrase = re.match(
        r"\s+of\s+((?:[\w'’-]+\s+){0,5}?[\w'’-]+?)(?=\s+(?:in|to|for|and|with)\b|[,.;]|$)", a.rest
    )
    if of_phrase:
        return " ".join(p for p in (of_phrase[1], a.verb) if p), a.unit, a.end
    return None


# "8 million yuan ($1.3 million) for building a school in Westvale": money and its purpose.
_PURPOSE = re.compile(
    r"^(?:\s*\([^)]*\))?\s+(for|to\s+(?:build|fund|support|help|buy|set\s+up|upgrade|improve))\s+"
    r"((?:(?:\d[\d,.]*\d|[\w'’-]+)\s+){0,7}?(?:\d[\d,.]*\d|[\w'’-]+))"
    r"(?=\s*[;.](?!\d)|,\s|\s+(?:while|and|but|which|as|so)\b|$)"
)


def _by_purpose(a: _Around) -> Measured | None:
    """ "set aside 8 million yuan for building a school": what the money is for, with the
    verb that gave it."""
    if a.unit not in ("yuan", "dollars", "euros", "hong kong dollars", "patacas"):
        return None
    purpose = _PURPOSE.match(a.rest)
    if purpose is None:
        return None
    words = f"{purpose[1]} {purpose[2]}"
    return " ".join(p for p in (a.verb, words) if p), a.unit, a.end


# The counted words as the figure's text shows them: up to a preposition, verb or comma.
_COUNTED_SHOWN = re.compile(
    r"\s*[\w'’-]+(?:\s+[\w'’-]+)*?(?=\s+(?:of|from|in|for|have|has|had|were|was|and)\b"
    rf"|\s+(?:\w+ed|{_PLAIN_PAST})\b|[,.;]|$)"
)


def _by_counted(a: _Around) -> Measured | None:
    """What the number counts and what it did ("9,000 households escaped poverty")."""
    unit, end = a.unit, a.end
    counted_match = _COUNTED.match(a.rest)
    counted = counted_match[1].strip(" ,") if counted_match else ""
    predicate = _PREDICATE.match(a.rest[counted_match.end(1) :]) if counted_match else None
    if not counted:
        # No auxiliary verb: the counted words run to the first verb or preposition, and the
        # verb's phrase says what they did: "9,000 households escaped poverty".
        words = _COUNTED_WORDS.match(a.rest)
        counted = words[1].strip() if words else ""
        if words and predicate is None and (acted := _PLAIN_PREDICATE.match(a.rest, words.end(1))):
            predicate = acted
    if not unit:
        if not counted:
            return None, None, end
        unit = _head(counted)
        shown = _COUNTED_SHOWN.match(a.rest)
        end = a.number_end + (shown.end() if shown else 0)
    parts = (counted, a.verb, predicate[1] if predicate else None)
    return " ".join(p for p in parts if p) or unit, unit, end


# What a figure measures, highest precedence first: the first rule that reads it decides. A
# "total of X" before the verb names it most plainly, then the verb's subject, then what a
# percentage rose or fell, "an X of N", "N of X", what money is for, the subject a list shares
# a verb with ("A received X, B Y"), and last what the number counts.
MEASURE_RULES: tuple[Callable[[_Around], Measured | None], ...] = (
    _by_total_of,
    _by_subject,
    _by_percent,
    _by_measure_of,
    _by_of_phrase,
    _by_purpose,
    _by_gapped_subject,
    _by_counted,
)


def _measure(
    before: str,
    lead: str,
    rest: str,
    unit: str | None,
    end: int,
    number_end: int,
    facts: list[FigureFact],
) -> Measured:
    """(measure, unit, end of the figure's text) by MEASURE_RULES; `lead` is `before` without
    the qualifier."""
    around = _Around(before, lead, rest, unit, end, number_end, facts)
    for rule in MEASURE_RULES:
        found = rule(around)
        if found is not None:
            return found
    return None, None, end
