"""Parse one release-style article: title, release date, photo credit, clean body.

Markdown articles (`.md`, front matter, or a `# Title` first line) are first reduced to the
same plain release format, so passages and their offsets are over clean text.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata

from pearlbot.corpus.models import Document

# Labels that introduce a release date in this genre of page ("Release time:2019-08-07").
_DATE_LABEL = re.compile(
    r"^\s*(?:release\s*time|release\s*date|released|published|date)\s*[:：]\s*", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# "August 7, 2019" and "7 August 2019", the two English orders releases use.
_WORDY_DATE = re.compile(
    r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
    r"|(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month2>[A-Za-z]{3,9})\.?\s+(?P<year2>\d{4})"
)
# Site chrome: whole lines that belong to the web page, not to the article.
_CHROME_LINE = re.compile(
    r"^\s*(?:browse\s*[:：]?\s*\d*|all rights reserved\b.*|copyright\b.*|©.*|sponsored by\b.*"
    r"|technical support\s*[:：].*|network support\s*[:：].*|security support\s*[:：].*"
    r"|print|close|share\s*[:：]?.*)\s*$",
    re.IGNORECASE,
)
# A trailing "(Photo/Eastport Daily)"-style credit: metadata, not passage text.
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


def _make_date(year: str, month: str | int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(text: str) -> dt.date | None:
    """The date `text` starts with: 2019-08-07, 2019/8/7, 2019年8月7日, Aug 7, 2019, 7 Aug 2019."""
    text = text.strip()
    if match := _NUMERIC_DATE.match(text):
        return _make_date(match[1], match[2], match[3])
    if (match := _WORDY_DATE.match(text)) is None:
        return None
    month = _MONTHS.get((match["month"] or match["month2"]).lower())
    if month is None:
        return None
    return _make_date(match["year"] or match["year2"], month, match["day"] or match["day2"])


def date_line(line: str) -> tuple[bool, dt.date | None]:
    """(is a labelled release-date line, its date if valid): "Release time:2019-08-07 Browse:"."""
    label = _DATE_LABEL.match(line)
    if label is None:
        return False, None
    rest = line[label.end() :]
    if not (_NUMERIC_DATE.match(rest) or _WORDY_DATE.match(rest)):
        return False, None
    return True, parse_date(rest)


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
    title = _MARKDOWN_HEADING.sub("", lines.pop(0)).strip()

    released: dt.date | None = None
    body: list[str] = []
    for line in lines:
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


# --- Markdown -------------------------------------------------------------------------------

MARKDOWN_SUFFIXES = (".md", ".markdown")
_FRONT_MATTER_KEY = re.compile(r"^([A-Za-z_][\w -]*?)\s*:\s*(.*?)\s*$")
_TITLE_KEYS = frozenset({"title", "headline"})
_DATE_KEYS = frozenset(
    {"date", "release_time", "release_date", "released", "published", "publish_date", "pubdate"}
)
_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$")
_ORDERED_NOT_ONE = re.compile(r"^\s*(?!1[.)])\d{1,9}[.)]")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_TABLE_CELLS = re.compile(r"(?<!\\)\|")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# Escaped punctuation is parked in the Private Use Area so it cannot start emphasis or links.
_PARKED = re.compile(r"[\ue000-\ue07f]")
_IMAGE = re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])")
_LINK = re.compile(
    r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]"  # link text, one level of nested brackets
    r"\(\s*<?(?:[^()\s<>]|\([^()\s]*\))*>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
)
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^>\s]+|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)>")
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|br|cite|code|del|em|font|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u)"
    r"\b[^<>]*>",
    re.IGNORECASE,
)
_STRONG_STARS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_STRONG_UNDERSCORES = re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_EM_STAR = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*")
_EM_UNDERSCORE = re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")


def is_markdown(raw: str, source: str) -> bool:
    """A `.md` file, or text that opens with YAML front matter or a `# Title` heading."""
    if source.lower().endswith(MARKDOWN_SUFFIXES):
        return True
    first = next((line for line in raw.lstrip("\ufeff").splitlines() if line.strip()), "")
    return first.strip() == "---" or bool(_MARKDOWN_HEADING.match(first))


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        return inner.replace("''", "'") if value[0] == "'" else inner.replace('\\"', '"')
    return re.split(r"\s+#", value, maxsplit=1)[0]  # YAML: " #" starts a comment


def front_matter(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split simple YAML front matter (`key: value` lines between `---` fences) off the text."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or lines[start].strip() != "---":
        return {}, lines
    for end in range(start + 1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            fields: dict[str, str] = {}
            for line in lines[start + 1 : end]:
                if match := _FRONT_MATTER_KEY.match(line):
                    key = re.sub(r"[\s-]+", "_", match[1].strip().lower())
                    fields.setdefault(key, _unquote(match[2]))
            return fields, lines[end + 1 :]
    return {}, lines  # an opening rule that never closes is a horizontal rule, not metadata


def markdown_inline(text: str) -> str:
    """Reduce inline Markdown to its plain words: links, emphasis, code, escapes, inline HTML."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(_inline_outside_code(text[position : match.start()]))
        parts.append(match[2].strip() or match[2])
        position = match.end()
    parts.append(_inline_outside_code(text[position:]))
    return "".join(parts)


def _inline_outside_code(text: str) -> str:
    text = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m[1])), text)
    text = _IMAGE.sub("", text)
    text = _LINK.sub(r"\1", text)
    text = _REFERENCE_LINK.sub(r"\1", text)
    text = _FOOTNOTE_REF.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _INLINE_TAG.sub("", text)
    for pattern in (_STRONG_STARS, _STRONG_UNDERSCORES, _EM_STAR, _EM_UNDERSCORE, _STRIKE):
        previous = None
        while previous != text:  # nested emphasis (***x***) unwraps one layer per pass
            previous, text = text, pattern.sub(r"\1", text)
    text = html.unescape(text)
    return _PARKED.sub(lambda m: chr(ord(m[0]) - 0xE000), text)


def _table_row(line: str) -> str:
    cells = [cell.strip() for cell in _TABLE_CELLS.split(line.strip())]
    if cells and not cells[0]:
        cells.pop(0)
    if cells and not cells[-1]:
        cells.pop()
    return "; ".join(markdown_inline(cell) for cell in cells if cell)


def _markdown_blocks(lines: list[str]) -> list[str]:
    """Block structure to plain lines: headings, list items and table rows become paragraphs."""
    out: list[str] = []
    fence: str | None = None
    in_list = False  # inside a list, "2." starts an item even without a blank line before it
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
                out.append("")
            else:
                out.append(line)
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        if opening := _FENCE.match(line):
            fence = opening[1][0] * 3
            out.append("")
            continue
        if not line.strip() or _REFERENCE_DEFINITION.match(line):
            out.append("")
            in_list = False
            continue
        if heading := _ATX.match(line):
            out += ["", markdown_inline(heading[2] or ""), ""]
            continue
        if i < len(lines) and _SETEXT_UNDERLINE.match(lines[i]) and not _LIST_ITEM.match(line):
            out += ["", markdown_inline(line.strip()), ""]
            i += 1
            continue
        if _RULE.match(line) or (_TABLE_RULE.match(line) and "|" in line):
            out.append("")
            continue
        if line.lstrip().startswith("|"):
            out += ["", _table_row(line), ""]
            continue
        item = _LIST_ITEM.match(line)
        # CommonMark: only "1." may start a list inside a paragraph, so "2016. Since" is prose.
        if item and (in_list or not out or not out[-1] or not _ORDERED_NOT_ONE.match(line)):
            out += ["", markdown_inline(item[1])]
            in_list = True
            continue
        out.append(markdown_inline(line.rstrip().removesuffix("\\")))
    return out


def markdown_to_release(raw: str) -> str:
    """Markdown -> the plain release format: title line, `Release time:` line, paragraphs."""
    raw = _COMMENT.sub("", raw.lstrip("\ufeff"))
    fields, lines = front_matter(raw.splitlines())
    body = _markdown_blocks(lines)
    title = markdown_inline(next((fields[k] for k in _TITLE_KEYS if fields.get(k)), ""))
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
