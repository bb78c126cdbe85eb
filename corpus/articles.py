"""Parse one release-style article: title, release date, photo credit, clean body.

Markdown articles (`.md`, front matter, or a `# Title` first line) are first reduced to the
same plain release format, so passages and their offsets are over clean text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from pearlbot.corpus.models import Document
from pearlbot.corpus.vocabulary import MONTHS

# Labels that introduce a release date in this genre of page ("Release time:2019-08-07").
_DATE_LABEL = re.compile(
    r"^\s*(?:release\s*time|release\s*date|released|published|date)\s*[:：]\s*",
    re.IGNORECASE | re.ASCII,
)
_NUMERIC_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
# "August 7, 2019" and "7 August 2019", the two English orders releases use.
_WORDY_DATE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<year2>\d{4})"
)
# Site chrome: whole lines that belong to the web page, not to the article.
_CHROME_LINE = re.compile(
    r"^\s*(?:browse\s*[:：]?\s*\d*|all rights reserved\b.*|copyright\b.*|©.*|sponsored by\b.*"
    r"|technical support\s*[:：].*|network support\s*[:：].*|security support\s*[:：].*"
    r"|print|close|share\s*[:：]?.*)\s*$",
    re.IGNORECASE | re.ASCII,
)
# A trailing "(Photo/Eastport Daily)"-style credit: metadata, not passage text.
_CREDIT = re.compile(
    r"\s*[(（]\s*(?:photos?|source|text|reporter|editor|image)\s*[/:：]\s*([^()（）\n]{1,80})[)）]\s*$",
    re.IGNORECASE | re.ASCII,
)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# The control characters (category Cc: U+0000-001F and U+007F-009F, fixed by Unicode's
# stability policy) but the tab: one regex instead of unicodedata.category on every character.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def clean_line(line: str) -> str:
    """Normalise width and spacing without changing wording (NBSPs, zero-width marks, tabs)."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    line = _CONTROL.sub("", line)
    return _SPACES.sub(" ", line).strip()


def _make_date(year: str, month: str | int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The date `text` starts with: 2019-08-07, 2019/8/7, 2019年8月7日, Aug 7, 2019, 7 Aug 2019;
    else what dateparser reads in it ("7th of August 2019", "Wednesday, 7 August, 2019")."""
    text = text.strip()
    if match := _NUMERIC_DATE.match(text):
        return _make_date(match[1], match[2], match[3])
    if match := _WORDY_DATE.match(text):
        return _wordy(match)
    return parse_date_fallback(text)


def _wordy(match: re.Match[str]) -> dt.date | None:
    month = MONTHS.get((match["month"] or match["month2"]).lower())
    if month is None:
        return None
    return _make_date(match["year"] or match["year2"], month, match["day"] or match["day2"])


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first full date anywhere in `text`, with its span (regexes only)."""
    found = []
    if match := _NUMERIC_DATE.search(text):
        date = _make_date(match[1], match[2], match[3])
        if date:
            found.append((date, match.start(), match.end()))
    for match in _WORDY_DATE.finditer(text):
        date = _wordy(match)
        if date:
            found.append((date, match.start(), match.end()))
            break
    return min(found, key=lambda f: f[1]) if found else None


# dateparser reads what the regexes do not; a date must name its day, month and year.
_DATEPARSER_SETTINGS = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}
MAX_FALLBACK_CHARS = 60  # dateparser is slow on long text, and a header date is short


def parse_date_fallback(text: str) -> dt.date | None:
    """dateparser behind the regexes, for a short text that holds a digit and nothing else
    the regexes know ("7th of August 2019"); None when it reads no full date."""
    text = text.strip()
    if len(text) > MAX_FALLBACK_CHARS or not re.search(r"\d", text):
        return None
    import dateparser  # heavy (regex tables, timezone data): only for dates the regexes miss

    try:
        parsed = dateparser.parse(text, languages=["en", "zh"], settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    return parsed.date() if parsed else None


def date_line(line: str) -> tuple[bool, dt.date | None]:
    """(is a labelled release-date line, its date if valid): "Release time:2019-08-07 Browse:"."""
    label = _DATE_LABEL.match(line)
    if label is None:
        return False, None
    rest = line[label.end() :]
    if not (_NUMERIC_DATE.match(rest) or _WORDY_DATE.match(rest)):
        date = parse_date_fallback(rest)
        return (True, date) if date else (False, None)
    return True, parse_date(rest)


# --- Page leftovers: site lines, breadcrumbs and date lines around the headline -------------

# Labels a page puts before its date ("Updated: ...", "Released on: ...", "Time: ...").
_HEADER_LABEL = re.compile(
    r"(?:release\s*time|release\s*date|released(?:\s+on)?|published(?:\s+on)?|posted(?:\s+on)?"
    r"|updated?(?:\s*time)?|last\s+updated|date|time|from|source|views?|editor|by)\s*[:：]?",
    re.IGNORECASE | re.ASCII,
)
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_BREADCRUMB = re.compile(
    r"(?:^|\s)(?:>>?|»|›|→)(?:\s|$)|^(?:position|location|you are here|current location)\s*[:：]"
    r"|^home\s*(?:page)?\s*(?:>|/|»|›)|^home>|>\s*$",
    re.IGNORECASE | re.ASCII,
)
_DOMAIN = re.compile(
    r"^\(?(?:www\.|en\.|english\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|cn|net|org|gov|info|io)"
    r"(?:\.[a-z]{2})?(?:/\S*)?\)?$",
    re.IGNORECASE | re.ASCII,
)
_SECTION_WORDS = frozenset(
    """news latest hot top stories story home page policies policy events society china world
    business english index report category culture travel opinion sports photos video local
    national international press center centre updates focus headlines features and & online
    dictionary advertorial global edition regional provincial city today""".split()
)
_UI_LINE = re.compile(
    r"^(?:print|close|share\b.*|font\s*size\b.*|text\s*size\b.*|text\s*[:：]\s*a\s+a\s+a.*"
    r"|a\s+a\s+a\b.*|print\s+mail\b.*|views?\s*[:：]\s*\d*|by\s*[:：]?|editor\s*[:：].*"
    r"|editors?\s*[:：].*|source\s*[:：].*|date\s*[:：]\s*\|.*|[\w.-]+\.(?:png|jpe?g|gif|webp))$",
    re.IGNORECASE | re.ASCII,
)
PROSE_WORDS = 12  # a line this long that ends a sentence is the body, not the header
LONG_LINE_WORDS = 25  # a line this long is the body whatever its end
HEADER_LINES = 15  # non-empty lines a page's leftovers can take before the headline


def _is_prose(line: str) -> bool:
    words = len(line.split())
    return words >= LONG_LINE_WORDS or (
        words >= PROSE_WORDS and bool(re.search(r"[.!?。！？][\"'”’)\]]*$", line))
    )


def _is_chrome(line: str) -> bool:
    """A site line, menu, section name or page control, never part of the article."""
    if _DOMAIN.match(line) or _UI_LINE.match(line) or _CHROME_LINE.match(line):
        return True
    if _is_page_control(line):
        return True  # "Print | Share"
    if line.endswith((":", "：")) and len(line.split()) <= 4:
        return True  # "Eyesight Protection:", a label whose value the page lost
    if line.count("|") >= 2 and find_date(line) is None and not _is_prose(line):
        return True  # "Global Edition | ASIA | 中文": a menu
    words = re.findall(r"[^\s|]+", line.casefold())
    return 0 < len(words) <= 5 and all(word in _SECTION_WORDS for word in words)


def header_date(line: str) -> dt.date | None:
    """The date of a header line that is only a date with its label, clock, source or byline:
    "Updated: 2022-07-11 09:30", "(Xinhua) 09:12, March 05, 2021", "By X | China Daily |
    Updated: ...", "Time:2023/4/4 13:54:24". None for a headline that mentions a date."""
    if len(line.split()) > 16:
        return None
    found = find_date(line)
    if found is None:
        is_date, date = date_line(line)
        return date if is_date else None
    date, start, end = found
    rest = _CLOCK.sub(" ", line[:start] + " " + line[end:])
    labelled = bool(
        re.match(r"\s*[(（]?\s*" + _HEADER_LABEL.pattern, line, re.IGNORECASE | re.ASCII)
    )
    rest = _HEADER_LABEL.sub(" ", rest)
    if "|" in line or labelled:
        return date
    # What is left must be names (a source, a weekday), not a headline's lower-case words.
    leftover = re.findall(r"[A-Za-z][\w'’.-]*", rest)
    if all(word[0].isupper() or "." in word for word in leftover) and len(leftover) <= 4:
        return date
    return None


def _looks_like_a_site_name(line: str) -> bool:
    """ "Upland Online", "Eastvale Daily": a few capitalised words and nothing else."""
    words = line.split()
    return 0 < len(words) <= 4 and all(word[:1].isupper() or word in ("of", "&") for word in words)


def _after_site_name(lines: list[str], candidates: list[int], dates_at: list[int]) -> int:
    """With no breadcrumb, a site name may stand above the headline: when the first candidate
    looks like one and another candidate sits right above the page's date line (bylines aside),
    that one is the headline."""
    first = candidates[0]
    if not dates_at or not _looks_like_a_site_name(lines[first]):
        return first
    above = [
        n
        for n in candidates
        if n < dates_at[0] and not re.match(r"\s*by\b", lines[n], re.IGNORECASE | re.ASCII)
    ]
    return above[-1] if len(above) > 1 else first


class Header(NamedTuple):
    """What a page's leftovers around the headline say, and which lines they take."""

    title: str
    released: dt.date | None
    dropped: frozenset[int]  # indices of lines that are not the article (chrome, date lines)


def read_header(lines: list[str]) -> Header:
    """The headline and release date among a page's leftovers: the headline is the first line
    after the last breadcrumb that is no site line, section name, page control or date line.
    Lines before it, and chrome and date lines among the leftovers, are dropped; a byline that
    carries the date ("By X | China Daily | Updated: ...") stays for who wrote the article."""
    nonempty = [n for n, line in enumerate(lines) if line]
    region: list[int] = []
    for n in nonempty[:HEADER_LINES]:
        if _is_prose(lines[n]):
            break
        region.append(n)
    if not region:
        return Header(lines[nonempty[0]], None, frozenset({nonempty[0]}))
    crumbs = [n for n in region if _BREADCRUMB.search(lines[n])]
    after = crumbs[-1] if crumbs else -1
    dropped: set[int] = {n for n in region if n <= after}
    released: dt.date | None = None
    title_at: int | None = None
    candidates: list[int] = []
    dates_at: list[int] = []
    for n in region:
        line = lines[n]
        date = header_date(line)
        if date is not None:
            dates_at.append(n)
            released = released or date
            if not re.match(r"\s*by\b", line, re.IGNORECASE | re.ASCII):
                dropped.add(n)
            continue
        if _is_chrome(line):
            dropped.add(n)
            continue
        if n > after and title_at is None:
            title_at = n
        if n > after:
            candidates.append(n)
    if not crumbs and title_at is not None and len(candidates) > 1:
        title_at = _after_site_name(lines, candidates, dates_at)
    if title_at is None:  # nothing looked like a headline: the first line, as ever
        title_at = next(n for n in nonempty if n not in dropped or n == nonempty[0])
    dropped.add(title_at)
    before_title = {n for n in region if n < title_at and n not in crumbs}
    # Lines above the headline are the page's, except a byline or date line kept for later.
    dropped |= {
        n for n in before_title if not re.match(r"\s*by\b", lines[n], re.IGNORECASE | re.ASCII)
    }
    return Header(_MARKDOWN_HEADING.sub("", lines[title_at]).strip(), released, frozenset(dropped))


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
    if is_markdown(raw, source):
        raw = markdown_to_release(raw)
    lines = [clean_line(line) for line in raw.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise ValueError("the file is empty")
    header = read_header(lines)
    title = header.title
    released = header.released

    body: list[str] = []
    for n, line in enumerate(lines):
        if n in header.dropped:
            continue
        is_date, date = date_line(line)
        # Date lines above the body are header (front matter may already have set the date).
        if is_date and (released is None or not any(body)):
            released = released or date
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
    while len(paragraphs) > 1 and _is_page_control(paragraphs[-1]):
        paragraphs.pop()  # "Print | Close", "Leave your comment 0 comments"
    if len(paragraphs) > 1 and (trailing := _date_only(paragraphs[-1])):
        # "July 8, 2019" alone at the end: the page's date line under the article.
        released = released or trailing
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


_CONTROL_WORDS = frozenset(
    "print close mail email large medium small share leave your comment comments top back to"
    " font size wechat weibo facebook twitter".split()
)


def _is_page_control(paragraph: str) -> bool:
    """A paragraph of page controls only: "Print | Close", "Print Mail Large Medium Small"."""
    words = re.findall(r"[a-z]+", paragraph.casefold())
    rest = re.sub(r"[A-Za-z]+|[\d\s|/·•-]", "", paragraph)
    return bool(words) and not rest and all(word in _CONTROL_WORDS for word in words)


def _date_only(paragraph: str) -> dt.date | None:
    """The date a paragraph consists of, and nothing else but a clock time or a label."""
    if len(paragraph) > 40:
        return None
    found = find_date(paragraph)
    if found is None:
        return None
    date, start, end = found
    rest = _HEADER_LABEL.sub(" ", _CLOCK.sub(" ", paragraph[:start] + paragraph[end:]))
    return date if not re.search(r"[A-Za-z0-9]", rest) else None


# --- Markdown -------------------------------------------------------------------------------
#
# Markdown is read by a CommonMark parser (markdown-it-py, with GitHub's tables and
# strikethrough) and its front matter as YAML; the blocks become the release format's plain
# paragraphs. Code blocks and HTML blocks are not prose: they never become passages.

MARKDOWN_SUFFIXES = (".md", ".markdown")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w -]*?)\s*:\s*(.*?)\s*$")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = frozenset(
    {"date", "release_time", "release_date", "released", "published", "publish_date", "pubdate"}
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Not CommonMark, but common in articles: footnote marks, and reference links never defined.
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")


def is_markdown(raw: str, source: str) -> bool:
    """A `.md` file, or text that opens with YAML front matter or a `# Title` heading."""
    if source.lower().endswith(MARKDOWN_SUFFIXES):
        return True
    first = next((line for line in raw.lstrip("\ufeff").splitlines() if line.strip()), "")
    return first.strip() == "---" or bool(_MARKDOWN_HEADING.match(first))


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only Markdown articles pay for the parser

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


def _scalar(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(_scalar(v) for v in value)
    return "" if value is None else str(value).strip()


def front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split YAML front matter (between `---` fences) off the text: its scalar fields, keys
    lower-cased with `_` for spaces and dashes. A block that YAML cannot read is read as simple
    `key: value` lines; one that is not a mapping, or never closes, is no front matter."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return {}, lines
    for end in range(start + 1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            block = "\n".join(lines[start + 1 : end])
            fields = _yaml_fields(block)
            if fields is None:
                return {}, lines
            return fields, lines[end + 1 :]
    return {}, lines  # an opening rule that never closes is a horizontal rule, not metadata


def _yaml_fields(block: str) -> dict[str, str] | None:
    import yaml  # only articles with front matter pay for it

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        data = {}
        for line in block.splitlines():  # lenient: one "key: value" per line
            if match := _FRONT_MATTER_KEY.match(line):
                data.setdefault(match[1], match[2].strip("\"'"))
    if data is None:
        return {}
    if not isinstance(data, dict):
        return None
    fields: dict[str, str] = {}
    for key, value in data.items():
        name = re.sub(r"[\s-]+", "_", str(key).strip().lower())
        if not isinstance(value, dict):
            fields.setdefault(name, _scalar(value))
    return fields


def _inline_text(children: list[Token]) -> str:
    """The words of an inline token stream: markup, images and inline HTML dropped."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    text = "".join(parts)
    text = _REFERENCE_LINK.sub(r"\1", text)
    return _FOOTNOTE_REF.sub("", text)


def markdown_inline(text: str) -> str:
    """Reduce inline Markdown to its plain words: links, emphasis, code, escapes, inline HTML."""
    tokens = _parser().parseInline(text)
    return _inline_text(tokens[0].children or []) if tokens else text


def _markdown_blocks(text: str) -> list[str]:
    """Block structure to plain lines: headings, paragraphs, list items and table rows become
    paragraphs; code blocks, HTML blocks and rules are dropped."""
    out: list[str] = []
    row: list[str] = []
    in_cell = False
    for token in _parser().parse(text):
        if token.type in ("code_block", "fence", "html_block", "hr"):
            out.append("")
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type in ("th_close", "td_close"):
            in_cell = False
        elif token.type == "tr_close":
            out += ["", "; ".join(cell for cell in row if cell), ""]
        elif token.type == "inline":
            words = _inline_text(token.children or [])
            if in_cell:
                row.append(" ".join(words.split()))
            else:
                out += ["", *words.splitlines(), ""]
    return out


def markdown_to_release(raw: str) -> str:
    """Markdown -> the plain release format: title line, `Release time:` line, paragraphs."""
    raw = _COMMENT.sub("", raw.lstrip("\ufeff"))
    fields, lines = front_matter(raw.splitlines())
    body = _markdown_blocks("\n".join(lines))
    title = markdown_inline(next((fields[k] for k in _TITLE_KEYS if fields.get(k)), ""))
    title = " ".join(title.split())
    if title:
        first = next((n for n, line in enumerate(body) if line.strip()), None)
        if first is not None and clean_line(body[first]).casefold() == title.casefold():
            del body[first]  # the heading repeats the front-matter title
    else:
        while body and not body[0].strip():
            body.pop(0)
        title = body.pop(0) if body else ""
    header = [title]
    date_value = next((fields[k] for k in sorted(_DATE_KEYS) if fields.get(k)), None)
    released = parse_date(date_value) if date_value else None
    if released:
        header.append(f"Release time:{released.isoformat()}")
    return "\n".join([*header, "", *body])
