"""Dates: the release date, event dates resolved against it, and "since"/"end of" years."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from pearlbot.corpus.facts.models import DateFact, Provenance
from pearlbot.corpus.facts.text import (
    MONTH_ALT,
    MONTH_STEMS,
    MONTHS,
    NAMES_A_MONTH,
    Guarded,
    Sentence,
)
from pearlbot.corpus.models import Document

_DAY = re.compile(
    rf"\b(?:(?P<lead>[Oo]n|[Bb]y|[Ff]rom)\s+)?(?P<month>{MONTH_ALT})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
)
# "On 12 June": day before month.
_DAY_FIRST = re.compile(
    rf"\b(?:(?P<lead>[Oo]n|[Bb]y|[Ff]rom)\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<month>{MONTH_ALT})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
)
# "Sept 18", "Feb. 25, 2021": the abbreviated months real pages write.
_ABBREVIATED = {
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
    "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
_SHORT_DAY = re.compile(
    r"\b(?:(?P<lead>[Oo]n|[Bb]y|[Ff]rom)\s+)?(?P<month>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov"
    r"|Dec)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?(?!\w|,\d)"
)
# "from 8 to 10 November", "8-10 November 2019": a range written day first.
_DAY_FIRST_RANGE = re.compile(
    rf"\b(?:(?P<lead>[Ff]rom)\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-|–|—|to|until|through)\s*"
    rf"(?P<end_day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{MONTH_ALT})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
)
# "the 7th of August, 2019": read by dateparser, the fallback behind the regexes.
_OF_DAY = re.compile(
    rf"\b(?:(?P<lead>[Oo]n|[Bb]y|[Ff]rom)\s+)?(?:the\s+)?(?P<when>\d{{1,2}}(?:st|nd|rd|th)\s+of\s+"
    rf"(?:{MONTH_ALT})(?:,?\s+(?:19|20)\d\d)?)\b"
)
# What turns a day into a range of days: "June 3-4", "July 4 to 6", "July 30 to August 1".
_RANGE_END = re.compile(
    rf"\s*(?:-|–|—|to|until|through)\s*(?:(?P<month>{MONTH_ALT}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?"
    r"|Oct|Nov|Dec)\.?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?(?!\d|,\d)"
)
# "last November", "this March": a month placed by the release date.
_RELATIVE_MONTH = re.compile(rf"\b(?P<lead>[Ll]ast|[Tt]his)\s+(?P<month>{MONTH_ALT})\b")
# "in April last year", "March this year": a month of a year placed by the release date.
_MONTH_OF_RELATIVE_YEAR = re.compile(
    rf"\b(?:(?P<lead>[Ii]n|[Ss]ince|[Bb]y)\s+)?(?P<month>{MONTH_ALT})\s+(?P<which>last|this)\s+year\b"
)
_MONTH = re.compile(
    rf"\b(?P<lead>[Ii]n|[Ss]ince|[Bb]y|[Ff]rom)\s+(?P<month>{MONTH_ALT})\s+(?P<year>(?:19|20)\d\d)\b"
)
_YEAR = re.compile(
    r"\b(?P<lead>at the end of|at the beginning of|at the start of|in early|in late|in mid-"
    r"|since|in|by|from)"
    r"\s+(?P<mid>mid-)?(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE | re.ASCII,
)
_SINCE_EVENT = re.compile(r"\b[Ss]ince\s+(?:the\s+)?(.+?)\s*$")


def release_fact(document: Document) -> DateFact | None:
    if document.released is None:
        return None
    iso = document.released.isoformat()
    return DateFact(
        id="",
        source=Provenance(
            doc_id=document.id, passage_id=None, start=0, end=0, quote=f"Release time:{iso}"
        ),
        date=iso,
        precision="day",
        qualifier=None,
        event="release of the article",
        text=document.released.strftime("%B %-d, %Y"),
    )


def _event(text: str, start: int, end: int) -> str:
    """What happened at the date: "Since the X at the end of 2016" -> X, else the clause."""
    since = _SINCE_EVENT.search(text[:start])
    if since and "," not in since[1]:
        return since[1]
    clause = text[:start] + text[end:]
    clause = re.sub(r"^\s*[,;]\s*|\s+", " ", clause).strip(" ,.")
    return clause[:200]


def _resolve_day(
    month: int, day: int, year: str | None, released: dt.date | None
) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year), month, day)
        if released is None:
            return None
        guess = dt.date(released.year, month, day)
        # A release reports past events: "On December 30" in a January release is last year.
        return guess if guess <= released else dt.date(released.year - 1, month, day)
    except ValueError:
        return None


def _parse_loose(text: str, released: dt.date | None) -> dt.date | None:
    """A date the regexes leave to dateparser; without a year, the last one before release."""
    import dateparser  # heavy: only for the rare wordings the regexes do not read

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if released is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(released, dt.time())
    elif not re.search(r"\d{4}", text):
        return None
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed else None


def _day_range(
    sentence: Sentence, match: re.Match[str], month: int, released: dt.date | None
) -> DateFact | None:
    """ "June 3-4", "From May 12 to 15", "July 30 to August 1, 2019": a range of days."""
    text = sentence.text
    if match["year"]:
        return None  # "June 3, 2020 to ..." is rare; the day alone is read
    tail = _RANGE_END.match(text, match.end())
    if tail is None:
        return None
    end_month = (
        (MONTHS.get(tail["month"]) or _ABBREVIATED[tail["month"]]) if tail["month"] else month
    )
    year = tail["year"]
    start = _resolve_day(month, int(match["day"]), year, released)
    end = _resolve_day(end_month, int(tail["day"]), year, released)
    if start is None or end is None:
        return None
    if end < start and end_month < month and not year:
        start = start.replace(year=start.year - 1)  # "December 30 to January 2"
    if not 0 < (end - start).days <= 62:
        return None
    span_start = match.start("month")
    return DateFact(
        id="",
        source=sentence.provenance(match.start(), tail.end()),
        date=start.isoformat(),
        end=end.isoformat(),
        precision="range",
        qualifier=(match["lead"] or "from").lower(),
        event=_event(text, match.start(), tail.end()),
        text=text[span_start : tail.end()],
    )


# A date rule reads one match into a fact (or None) and says how far it reaches.
DateRule = Callable[[Sentence, "re.Match[str]"], tuple[DateFact, int] | None]


def _day_fact(sentence: Sentence, match: re.Match[str]) -> tuple[DateFact, int] | None:
    """ "On August 6", "6 August 2019", "Aug. 6", "the 7th of August" (dateparser), a range."""
    text, released = sentence.text, sentence.document.released
    if "when" in match.re.groupindex:
        date = _parse_loose(match["when"], released)
        span_start = match.start("when")
    else:
        month = MONTHS.get(match["month"]) or _ABBREVIATED[match["month"]]
        span_start = min(match.start("month"), match.start("day"))
        if match.start("month") < match.start("day"):  # month first: a range may follow
            found = _day_range(sentence, match, month, released)
            if found is not None:
                return found, found.source.end - sentence.start
        date = _resolve_day(month, int(match["day"]), match["year"], released)
    if date is None:
        return None
    fact = DateFact(
        id="",
        source=sentence.provenance(match.start(), match.end()),
        date=date.isoformat(),
        precision="day",
        qualifier=(match["lead"] or "on").lower(),
        event=_event(text, match.start(), match.end()),
        text=text[span_start : match.end()],
    )
    return fact, match.end()


def _day_first_range_fact(sentence: Sentence, match: re.Match[str]) -> tuple[DateFact, int] | None:
    """ "from 8 to 10 November": a range of days in one month, day first."""
    month, released = MONTHS[match["month"]], sentence.document.released
    start = _resolve_day(month, int(match["day"]), match["year"], released)
    end = _resolve_day(month, int(match["end_day"]), match["year"], released)
    if start is None or end is None or not start < end:
        return None
    fact = DateFact(
        id="",
        source=sentence.provenance(match.start(), match.end()),
        date=start.isoformat(),
        end=end.isoformat(),
        precision="range",
        qualifier=(match["lead"] or "from").lower(),
        event=_event(sentence.text, match.start(), match.end()),
        text=sentence.text[match.start("day") : match.end()],
    )
    return fact, match.end()


def _relative_month_fact(sentence: Sentence, match: re.Match[str]) -> tuple[DateFact, int] | None:
    """ "last March", "this June": resolved from the release date."""
    released = sentence.document.released
    if released is None:
        return None
    month = MONTHS[match["month"]]
    this = match["lead"].lower() == "this"
    year = released.year if this or month < released.month else released.year - 1
    fact = DateFact(
        id="",
        source=sentence.provenance(match.start(), match.end()),
        date=f"{year}-{month:02d}",
        precision="month",
        qualifier=match["lead"].lower(),
        event=_event(sentence.text, match.start(), match.end()),
        text=f"{match['month']} {year}",
    )
    return fact, match.end()


def _month_of_relative_year_fact(
    sentence: Sentence, match: re.Match[str]
) -> tuple[DateFact, int] | None:
    """ "in April last year": the month, in the year before the release's."""
    released = sentence.document.released
    if released is None:
        return None
    year = released.year - (1 if match["which"] == "last" else 0)
    fact = DateFact(
        id="",
        source=sentence.provenance(match.start(), match.end()),
        date=f"{year}-{MONTHS[match['month']]:02d}",
        precision="month",
        qualifier=(match["lead"] or "in").lower(),
        event=_event(sentence.text, match.start(), match.end()),
        text=f"{match['month']} {year}",
    )
    return fact, match.end()


def _month_fact(sentence: Sentence, match: re.Match[str]) -> tuple[DateFact, int] | None:
    """ "in March 2019"."""
    fact = DateFact(
        id="",
        source=sentence.provenance(match.start(), match.end()),
        date=f"{match['year']}-{MONTHS[match['month']]:02d}",
        precision="month",
        qualifier=match["lead"].lower(),
        event=_event(sentence.text, match.start(), match.end()),
        text=sentence.text[match.start("month") : match.end()],
    )
    return fact, match.end()


def _year_fact(sentence: Sentence, match: re.Match[str]) -> tuple[DateFact, int] | None:
    """ "since 2013", "at the end of 2016", "in mid-2018"."""
    lead = match["lead"].lower()
    shown = f"{lead[3:]} {match['year']}" if lead.startswith("at the") else match["year"]
    if match["mid"]:
        shown, lead = f"mid-{match['year']}", f"{lead} mid"
    fact = DateFact(
        id="",
        source=sentence.provenance(match.start(), match.end()),
        date=match["year"],
        precision="year",
        qualifier=lead.removeprefix("at the ").removeprefix("at "),
        event=_event(sentence.text, match.start(), match.end()),
        text=shown,
    )
    return fact, match.end()


def _day_matches(text: str) -> list[re.Match[str]]:
    """Day patterns in reading order, then dateparser's loose "the 7th of August" last."""
    if NAMES_A_MONTH.search(text) is None:
        return []  # each of them names a month
    regexes = [*_DAY.finditer(text), *_DAY_FIRST.finditer(text), *_SHORT_DAY.finditer(text)]
    return [*sorted(regexes, key=lambda m: m.start()), *_OF_DAY.finditer(text)]


# Date rules, highest precedence first: the most precise statement of a span wins, and a
# span once read is not read again by a later rule (a day's year is not a year fact).
DATE_RULES: tuple[tuple[Callable[[str], Iterable[re.Match[str]]], DateRule], ...] = (
    (Guarded(_DAY_FIRST_RANGE, MONTH_STEMS), _day_first_range_fact),
    (_day_matches, _day_fact),
    (Guarded(_MONTH_OF_RELATIVE_YEAR, MONTH_STEMS), _month_of_relative_year_fact),
    (Guarded(_RELATIVE_MONTH, MONTH_STEMS), _relative_month_fact),
    (Guarded(_MONTH, MONTH_STEMS), _month_fact),
    (_YEAR.finditer, _year_fact),
)


def extract_dates(sentence: Sentence) -> list[DateFact]:
    """Every date the sentence states, read by DATE_RULES in their order of precedence."""
    facts: list[DateFact] = []
    taken: list[tuple[int, int]] = []
    for find, build in DATE_RULES:
        for match in find(sentence.text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            read = build(sentence, match)
            if read is not None:
                facts.append(read[0])
                taken.append((match.start(), read[1]))
    return facts
