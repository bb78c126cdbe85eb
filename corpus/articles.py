"""Parse one release-style article: title, release date, photo credit, clean body."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from corpus.models import Document

# Labels that introduce a release date in this genre of page ("Release time:2019-08-07").
_DATE_LINE = re.compile(
    r"^\s*(?:release\s*time|release\s*date|released|published|date)\s*[:：]\s*"
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})",
    re.IGNORECASE,
)
# Site chrome: whole lines that belong to the web page, not to the article.
_CHROME_LINE = re.compile(
    r"^\s*(?:browse\s*[:：]?\s*\d*|all rights reserved\b.*|copyright\b.*|©.*|sponsored by\b.*"
    r"|technical support\s*[:：].*|network support\s*[:：].*|security support\s*[:：].*"
    r"|print|close|share\s*[:：]?.*)\s*$",
    re.IGNORECASE,
)
# A trailing "(Photo/Wuxi Daily)"-style credit: metadata, not passage text.
_CREDIT = re.compile(
    r"\s*[(（]\s*(?:photos?|source|text|reporter|editor|image)\s*[/:：]\s*([^()（）\n]{1,80})[)）]\s*$",
    re.IGNORECASE,
)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def clean_line(line: str) -> str:
    """Normalise width and spacing without changing wording (NBSPs, zero-width marks, tabs)."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    line = "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch) != "Cc")
    return _SPACES.sub(" ", line).strip()


def _parse_date(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _paragraphs(lines: list[str]) -> list[str]:
    """Group non-empty lines into paragraphs; a blank line ends a paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def parse_article(raw: str, *, doc_id: str, source: str) -> Document:
    """Turn the raw text of a release into a Document. Raises ValueError if nothing is left."""
    lines = [clean_line(line) for line in raw.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise ValueError("the file is empty")
    title = _MARKDOWN_HEADING.sub("", lines.pop(0)).strip()

    released: dt.date | None = None
    body: list[str] = []
    for line in lines:
        date_match = _DATE_LINE.match(line)
        if date_match and released is None:
            released = _parse_date(date_match)
            continue
        if _CHROME_LINE.match(line):
            continue
        body.append(line)

    paragraphs = _paragraphs(body)
    credit: str | None = None
    if paragraphs:
        credit_match = _CREDIT.search(paragraphs[-1])
        if credit_match:
            credit = credit_match[1].strip()
            paragraphs[-1] = paragraphs[-1][: credit_match.start()].rstrip()
            if not paragraphs[-1]:
                paragraphs.pop()
    if not title or not paragraphs:
        raise ValueError("no article text after the title")
    return Document(
        id=doc_id,
        title=title,
        released=released,
        credit=credit,
        source=source,
        text="\n\n".join(paragraphs),
    )
