"""Dates: the release date, event dates resolved against it, and "since"/"end of" years."""

from __future__ import annotations

import datetime as dt
import re

from pearlbot.corpus.facts.models import DateFact, Provenance
from pearlbot.corpus.facts.text import MONTH_ALT, MONTHS, Sentence
from pearlbot.corpus.models import Document

_DAY = re.compile(
    rf"\b(?:(?P<lead>[Oo]n|[Bb]y|[Ff]rom)\s+)?(?P<month>{MONTH_ALT})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
)
# "On 12 June": day before month.
_DAY_FIRST = re.compile(
    rf"\b(?:(?P<lead>[Oo]n|[Bb]y|[Ff]rom)\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+"
    rf"(?P<month>{MONTH_ALT})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b"
)
# "last November", "this March": a month placed by the release date.
_RELATIVE_MONTH = re.compile(rf"\b(?P<lead>[Ll]ast|[Tt]his)\s+(?P<month>{MONTH_ALT})\b")
_MONTH = re.compile(
    rf"\b(?P<lead>[Ii]n|[Ss]ince|[Bb]y|[Ff]rom)\s+(?P<month>{MONTH_ALT})\s+(?P<year>(?:19|20)\d\d)\b"
)
_YEAR = re.compile(
    r"\b(?P<lead>at the end of|at the beginning of|at the start of|in early|in late|in mid-"
    r"|since|in|by|from)"
    r"\s+(?P<mid>mid-)?(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
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


def extract_dates(sentence: Sentence) -> list[DateFact]:
    text = sentence.text
    released = sentence.document.released
    facts: list[DateFact] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    day_matches = sorted(
        [*_DAY.finditer(text), *_DAY_FIRST.finditer(text)], key=lambda m: m.start()
    )
    for match in day_matches:
        if not free(match.start(), match.end()):
            continue
        date = _resolve_day(MONTHS[match["month"]], int(match["day"]), match["year"], released)
        if date is None:
            continue
        lead = (match["lead"] or "on").lower()
        span_start = min(match.start("month"), match.start("day"))
        facts.append(
            DateFact(
                id="",
                source=sentence.provenance(match.start(), match.end()),
                date=date.isoformat(),
                precision="day",
                qualifier=lead,
                event=_event(text, match.start(), match.end()),
                text=text[span_start : match.end()],
            )
        )
        taken.append((match.start(), match.end()))
    for match in _RELATIVE_MONTH.finditer(text):
        if released is None or not free(match.start(), match.end()):
            continue
        month = MONTHS[match["month"]]
        this = match["lead"].lower() == "this"
        year = released.year if this or month < released.month else released.year - 1
        facts.append(
            DateFact(
                id="",
                source=sentence.provenance(match.start(), match.end()),
                date=f"{year}-{month:02d}",
                precision="month",
                qualifier=match["lead"].lower(),
                event=_event(text, match.start(), match.end()),
                text=f"{match['month']} {year}",
            )
        )
        taken.append((match.start(), match.end()))
    for match in _MONTH.finditer(text):
        if not free(match.start(), match.end()):
            continue
        facts.append(
            DateFact(
                id="",
                source=sentence.provenance(match.start(), match.end()),
                date=f"{match['year']}-{MONTHS[match['month']]:02d}",
                precision="month",
                qualifier=match["lead"].lower(),
                event=_event(text, match.start(), match.end()),
                text=text[match.start("month") : match.end()],
            )
        )
        taken.append((match.start(), match.end()))
    for match in _YEAR.finditer(text):
        if not free(match.start(), match.end()):
            continue
        lead = match["lead"].lower()
        shown = f"{lead[3:]} {match['year']}" if lead.startswith("at the") else match["year"]
        if match["mid"]:
            shown, lead = f"mid-{match['year']}", f"{lead} mid"
        facts.append(
            DateFact(
                id="",
                source=sentence.provenance(match.start(), match.end()),
                date=match["year"],
                precision="year",
                qualifier=lead.removeprefix("at the ").removeprefix("at "),
                event=_event(text, match.start(), match.end()),
                text=shown,
            )
        )
        taken.append((match.start(), match.end()))
    return facts
