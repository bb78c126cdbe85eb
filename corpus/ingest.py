"""Add articles to a corpus folder: `.txt`, `.md` and saved `.html` pages.

Every article is stored the same way, so the corpus stays plain, diffable text:
`<id>.txt` in the seed's release format (title, `Release time:` line, paragraphs, credit),
which the ordinary parser reads back unchanged, beside `<id>.meta.json` saying where it came
from. HTML is extracted with trafilatura, imported only here and only when a page is added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import ValidationError

from pearlbot.corpus.articles import (
    MARKDOWN_SUFFIXES,
    clean_line,
    date_line,
    parse_article,
    parse_date,
)
from pearlbot.corpus.loading import (
    MAX_ARTICLE_BYTES,
    article_files,
    detect_encoding,
    document_id,
    file_ids,
    read_article,
    read_article_text,
)
from pearlbot.corpus.models import Document, Frozen, LoadProblem
from pearlbot.corpus.similarity import NearDuplicates
from pearlbot.progress import progress

if TYPE_CHECKING:
    from lxml.html import HtmlElement

TEXT_SUFFIXES = (".txt", *MARKDOWN_SUFFIXES)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_EXTRA_MISSING = "adding web pages needs the extra pearlbot[html]: pip install 'pearlbot[html]'"
ADDABLE_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES)
RECORD_SUFFIX = ".meta.json"
# Long browser "Save as" names would make unwieldy ids; cut at a word boundary.
MAX_ID_LENGTH = 60
# A page counts as an article only if some paragraph reads like prose, not a link list.
MIN_PROSE_WORDS = 8

Format = Literal["txt", "md", "html"]


class ArticleRecord(Frozen):
    """The `<id>.meta.json` sidecar: where a stored article came from."""

    article: str  # the stored file name, `<id>.txt`
    original_name: str
    original_format: Format
    original_sha256: str
    source_url: str | None = None
    extractor: str | None = None  # "trafilatura 2.3.1" for HTML pages
    added_at: dt.datetime


class AddedArticle(Frozen):
    doc_id: str
    title: str
    released: dt.date | None
    path: str  # the stored article file
    original: str  # the path the user gave
    record: ArticleRecord


class AddReport(Frozen):
    added: tuple[AddedArticle, ...] = ()
    skipped: tuple[LoadProblem, ...] = ()  # bad input and duplicates, one reason each
    notes: tuple[LoadProblem, ...] = ()  # added with a remark: the encoding a text was read in


class ExtractedPage(Frozen):
    """What an HTML page yielded, as release text the ordinary parser reads."""

    release: str
    title: str
    released: dt.date | None
    source_url: str | None
    extractor: str


# --- normalised text ----------------------------------------------------------------------


def text_digest(document: Document) -> str:
    """Digest of the body's words, casefolded: the same article from .html and .txt matches."""
    text = unicodedata.normalize("NFKC", document.text).casefold()
    return hashlib.sha256(" ".join(re.findall(r"\w+", text)).encode()).hexdigest()


def release_text(document: Document, credit_label: str = "Photo") -> str:
    """A Document in the seed's release format; `parse_article` reads it back unchanged."""
    header = [document.title]
    if document.released:
        header.append(f"Release time:{document.released.isoformat()}")
    paragraphs = document.text.split("\n\n")
    if document.credit:
        paragraphs[-1] += f" ({credit_label}/{document.credit})"
    return "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _credit_label(raw: str, credit: str | None) -> str:
    """Keep the original label of a credit ("Photo", "Source", ...) when re-writing it."""
    if credit:
        label = re.search(r"[(（]\s*(\w+)\s*[/:：]\s*" + re.escape(credit) + r"\s*[)）]", raw)
        if label:
            return label[1]
    return "Photo"


# --- HTML ---------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]+>", re.IGNORECASE | re.DOTALL)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*(?:_|--|::|»|\|)\s*")
# Words that mark the tail of a <title> as the site's name, not the article's.
_SITE_WORDS = re.compile(
    r"\b(?:government|news|daily|times|net|network|online|portal|english|china|website|"
    r"people'?s|municipal|media|press|post|com|cn|org)\b",
    re.IGNORECASE,
)
_PROSE_END = re.compile(r"[.!?。！？][\"'”’)]*$")
# Byline and footer lines trafilatura sometimes keeps at the end of the text.
_TAIL_CHROME = re.compile(
    r"^\s*\[?\s*(?:(?:responsible\s+)?editor|editors|reporter|source|translator|proofread(?:er)?"
    r"|address|tel|phone|fax|e-?mail|postcode|contact(?:\s+us)?)\s*[:：].*$"
    r"|^.*\b(?:ICP\b|address\s*[:：]|tel\s*[:：]|postcode|all rights reserved).*$",
    re.IGNORECASE,
)


def decode_html(data: bytes) -> str:
    """Saved pages as browsers decode them: a BOM, else the declared charset by its WHATWG
    label (iso-8859-1 and ascii mean windows-1252, gb2312 means GBK), else UTF-8, else the
    encoding charset-normalizer detects. ValueError saying why a page cannot be read."""
    import webencodings  # the WHATWG Encoding Standard's label table (tiny, pure Python)

    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise ValueError("is a binary file, not a web page")
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif declared := _CHARSET.search(data[:4096]):
        label = declared[1].decode("ascii")
        found = webencodings.lookup(label)
        if found is None:
            raise ValueError(f"declares an unknown charset {label!r}")
        encoding = found.codec_info.name
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            detected = detect_encoding(data)
            if detected is None:
                raise ValueError(
                    f"is not valid UTF-8 (byte {exc.start}), declares no charset, and its"
                    " encoding could not be detected"
                ) from None
            return data.decode(detected, errors="replace")
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"  # the superset Chinese pages actually use under those labels
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ValueError(f"is not valid {encoding} (byte {exc.start})") from None


def _page_lines(page: str) -> list[str]:
    """The page's visible text, one line per element, for `Release time:` lines and headings."""
    text = html.unescape(_TAG.sub("\n", page))
    return [line for line in (clean_line(part) for part in text.splitlines()) if line]


def _headings(page: str) -> list[str]:
    found = re.findall(r"<h[1-3]\b[^>]*>(.*?)</h[1-3]\s*>", page, re.IGNORECASE | re.DOTALL)
    found += re.findall(
        r"<meta\s+[^>]*name=[\"'](?:ArticleTitle|title|headline)[\"'][^>]*content=[\"']([^\"']+)",
        page,
        re.IGNORECASE,
    )
    return [clean_line(html.unescape(_TAG.sub(" ", h))) for h in found]


def clean_title(title: str, page: str, sitename: str | None = None) -> str:
    """Drop the site name a page's <title> carries ("Article | Eastport News" -> "Article")."""
    title = clean_line(title)
    folded = title.casefold()
    prefixes = [
        h for h in _headings(page) if len(h.split()) >= 2 and folded.startswith(h.casefold())
    ]
    if prefixes:
        return max(prefixes, key=len)
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1:
        head, tail = parts[0], title[len(parts[0]) :]
        site = bool(sitename and sitename.casefold() in tail.casefold())
        if (site or _SITE_WORDS.search(tail)) and len(head.split()) >= 3:
            return head.strip()
    return title


def _body_lines(text: str, title: str) -> list[str]:
    lines = [clean_line(line) for line in text.splitlines()]
    lines = [re.sub(r"^[-*•]\s+", "", line) for line in lines if line]  # list bullets
    lines = [_table_row(line) if line.startswith("|") else line for line in lines]
    if lines and lines[0].casefold() == title.casefold():
        lines.pop(0)
    # The release's credit "(Photo/...)" ends the article; what follows is page furniture.
    for n, line in enumerate(lines):
        if re.search(r"[(（]\s*photos?\s*/[^()]{1,80}[)）]\s*$", line, re.IGNORECASE):
            del lines[n + 1 :]
            break
    while lines and _TAIL_CHROME.match(lines[-1]):
        lines.pop()
    return lines


def _is_prose(line: str) -> bool:
    return len(line.split()) >= MIN_PROSE_WORDS and bool(_PROSE_END.search(line))


def _release_date(lines: list[str], page_lines: list[str], title: str) -> dt.date | None:
    """The page's own `Release time:` line (near the title if it is there), else None."""
    for line in lines[:3]:
        is_date, date = date_line(line)
        if is_date and date:
            return date
    start = next((n for n, line in enumerate(page_lines) if line.casefold() == title.casefold()), 0)
    for line in page_lines[start:] + page_lines[:start]:
        is_date, date = date_line(line)
        if is_date and date:
            return date
    return None


# A cell holding paragraphs or blocks is page layout; a cell of bare text is table data.
_LAYOUT_TABLE = ".//td/*[self::p or self::div or self::table or self::ul or self::h1 or self::h2]"
_TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


def _unlayout_tables(page: str) -> HtmlElement:
    """Old government sites lay pages out with tables; read as data, their paragraphs merge."""
    import lxml.etree
    import lxml.html

    # lxml refuses str input that still carries an XML encoding declaration (XHTML pages).
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)
    try:
        tree = lxml.html.document_fromstring(page)
    except lxml.etree.ParserError:
        raise ValueError("no article found in the page (it is empty)") from None
    layout = [
        part
        for table in tree.iter("table")
        if table.xpath(_LAYOUT_TABLE)
        for part in [table, *table.iterdescendants(*_TABLE_PARTS)]
        if part.xpath("ancestor-or-self::table[1]")[0] == table  # not a nested table's parts
    ]
    for part in layout:
        part.tag = "div"
    return tree


def _table_row(line: str) -> str:
    """A data-table row as trafilatura writes it ("| a | b |") -> "a; b", as for Markdown."""
    cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
    return "; ".join(cell for cell in cells if cell)


class MissingExtraError(RuntimeError):
    """An optional dependency (a `pearlbot[...]` extra) is not installed; the message says which."""


def require_html_extra() -> None:
    """MissingExtraError unless trafilatura and lxml (the extra `pearlbot[html]`) import."""
    try:
        import lxml.html  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError:
        raise MissingExtraError(HTML_EXTRA_MISSING) from None


def extract_html(page: str) -> ExtractedPage:
    """Main text and metadata of a saved news page. ValueError if it holds no article;
    MissingExtraError without the extra `pearlbot[html]`."""
    require_html_extra()
    import trafilatura  # heavy (lxml and friends): only `corpus add` of a page pays for it

    result = trafilatura.bare_extraction(
        _unlayout_tables(page),
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_tables=True,
        # Dates from <meta> and structured data only: a full-text search picks sidebar dates.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    # A trafilatura Document (a dict only when asked for one with as_dict=True).
    result = result if isinstance(result, trafilatura.settings.Document) else None
    text = (result.text if result else None) or ""
    title = clean_title(result.title or "", page, result.sitename) if result else ""
    lines = _body_lines(text, title)
    if not any(_is_prose(line) for line in lines):
        raise ValueError("no article found in the page (no paragraph of prose)")
    if not title:
        title = next(iter(_headings(page)), "") or lines.pop(0)
    released = _release_date(lines, _page_lines(page), title)
    if released is None and result and result.date:
        released = parse_date(result.date)
    url = result.url if result and re.match(r"https?://\S+$", result.url or "") else None
    header = [title] + ([f"Release time:{released.isoformat()}"] if released else [])
    return ExtractedPage(
        release="\n".join(header) + "\n\n" + "\n\n".join(lines) + "\n",
        title=title,
        released=released,
        source_url=url,
        extractor=f"trafilatura {trafilatura.__version__}",
    )


def read_html(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ValueError(f"too large for a news page ({size / 1e6:.1f} MB)")
        return decode_html(path.read_bytes())
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None


# --- the corpus folder --------------------------------------------------------------------


def record_path(article: Path) -> Path:
    return article.with_name(article.stem + RECORD_SUFFIX)


def read_record(article: Path) -> ArticleRecord | None:
    """The sidecar of a stored article, or None if it has none (or a broken one)."""
    try:
        return ArticleRecord.model_validate_json(record_path(article).read_bytes())
    except (OSError, ValidationError):
        return None


def remove_article(article: Path) -> list[Path]:
    """Delete a stored article and its sidecar; returns the files removed."""
    removed = []
    for path in (article, record_path(article)):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def slug(name: str) -> str:
    """An id from a file name, as the loader derives ids (pinyin, transliteration, dashes)."""
    stem = document_id(name).strip("-.") or "article"
    if len(stem) > MAX_ID_LENGTH:
        stem = stem[:MAX_ID_LENGTH].rsplit("-", 1)[0] or stem[:MAX_ID_LENGTH]
    return stem


def _addable_files(root: Path) -> list[Path]:
    """Addable files under a folder, sorted, skipping hidden files and folders."""
    found = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [
            Path(folder) / name
            for name in sorted(names)
            if name.lower().endswith(ADDABLE_SUFFIXES) and not name.startswith(".")
        ]
    return found


def _expand(paths: Sequence[Path]) -> Iterator[tuple[Path, str | None]]:
    """Each file to add, or (path, reason) for a path that cannot be; folders are walked."""
    for path in paths:
        if path.is_dir():
            files = _addable_files(path)
            if not files:
                yield path, "no .txt, .md or .html files in this folder"
            yield from ((file, None) for file in files)
        elif not path.exists():
            yield path, "no such file"
        elif not path.name.lower().endswith(ADDABLE_SUFFIXES):
            suffix = path.suffix or "no extension"
            yield path, f"unsupported file type ({suffix}); add .txt, .md or .html"
        else:
            yield path, None


def _existing(folder: Path) -> tuple[set[str], dict[str, tuple[str, str]], NearDuplicates]:
    """Names taken in the folder, digest -> (id, title) of the articles already there, and
    their MinHash signatures for near-duplicates."""
    taken: set[str] = set()
    digests: dict[str, tuple[str, str]] = {}
    near = NearDuplicates()
    if not folder.is_dir():
        return taken, digests, near
    for file, doc_id in file_ids(article_files(folder)).items():
        taken.add(doc_id)
        try:
            document = parse_article(read_article_text(file), doc_id=doc_id, source=str(file))
        except Exception:  # an unreadable article still holds its name, and nothing else
            continue
        digests.setdefault(text_digest(document), (doc_id, document.title))
        near.add(doc_id, f"{document.title}\n{document.text}")
    return taken, digests, near


def _document(path: Path, data: bytes) -> tuple[Document, str, Format, str | None, str | None]:
    """(document, release text to store, format, source url, extractor) for one file."""
    name = path.name.lower()
    if name.endswith(HTML_SUFFIXES):
        page = extract_html(read_html(path))
        document = parse_article(page.release, doc_id="new", source=str(path))
        label = _credit_label(page.release, document.credit)
        return document, release_text(document, label), "html", page.source_url, page.extractor
    raw = read_article_text(path)
    document = parse_article(raw, doc_id="new", source=str(path))
    fmt: Format = "md" if name.endswith(MARKDOWN_SUFFIXES) else "txt"
    return document, release_text(document, _credit_label(raw, document.credit)), fmt, None, None


def _claim(folder: Path, base: str, taken: set[str], content: str) -> Path:
    """Write `content` to a free `<id>.txt`; exclusive creation, so concurrent adds never clash."""
    n = 1
    while True:
        doc_id = base if n == 1 else f"{base}-{n}"
        n += 1
        if doc_id in taken:
            continue
        target = folder / f"{doc_id}.txt"
        try:
            with target.open("x", encoding="utf-8", newline="\n") as out:
                out.write(content)
        except FileExistsError:
            taken.add(doc_id)
            continue
        taken.add(doc_id)
        return target


def add_articles(
    folder: Path,
    paths: Sequence[Path],
    *,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> AddReport:
    """Add each file (or the files in each folder) to `folder`; bad input is reported, not fatal.

    Web pages without the extra `pearlbot[html]` are fatal, before anything is added."""
    added: list[AddedArticle] = []
    skipped: list[LoadProblem] = []
    notes: list[LoadProblem] = []
    files = list(_expand(paths))
    if any(p.name.lower().endswith(HTML_SUFFIXES) for p, problem in files if not problem):
        require_html_extra()
    taken, digests, near = _existing(folder)
    for path, problem in progress(files, desc="adding articles", unit=" files"):
        if problem:
            skipped.append(LoadProblem(path=str(path), reason=problem))
            continue
        try:
            data = path.read_bytes()
            document, content, fmt, url, extractor = _document(path, data)
            stored = parse_article(content, doc_id=document.id, source=document.source)
            if stored != document:
                raise ValueError("cannot be stored without changing its text")
        except OSError as exc:
            reason = f"cannot be read ({exc.strerror or exc.__class__.__name__})"
            skipped.append(LoadProblem(path=str(path), reason=reason))
            continue
        except ValueError as exc:
            skipped.append(LoadProblem(path=str(path), reason=str(exc)))
            continue
        except Exception as exc:  # a parser bug on one file never stops the others
            reason = f"could not be read as an article ({exc.__class__.__name__})"
            skipped.append(LoadProblem(path=str(path), reason=reason))
            continue
        digest = text_digest(document)
        if digest in digests:
            doc_id, title = digests[digest]
            reason = f"same article as {doc_id} ({title!r}), already in the corpus; not added"
            skipped.append(LoadProblem(path=str(path), reason=reason))
            continue
        similar = near.find(f"{document.title}\n{document.text}")
        if similar is not None:
            doc_id, score = similar
            reason = (
                f"near-duplicate of {doc_id} (similarity {score:.2f}), already in the corpus;"
                " not added"
            )
            skipped.append(LoadProblem(path=str(path), reason=reason))
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = _claim(folder, slug(path.stem), taken, content)
        record = ArticleRecord(
            article=target.name,
            original_name=path.name,
            original_format=fmt,
            original_sha256=hashlib.sha256(data).hexdigest(),
            source_url=url,
            extractor=extractor,
            added_at=now().replace(microsecond=0),
        )
        record_path(target).write_text(
            json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        digests[digest] = (target.stem, document.title)
        near.remember(target.stem, f"{document.title}\n{document.text}")
        if fmt != "html" and (note := read_article(path)[1]):
            notes.append(LoadProblem(path=str(path), reason=f"{note}; stored as UTF-8"))
        added.append(
            AddedArticle(
                doc_id=target.stem,
                title=document.title,
                released=document.released,
                path=str(target),
                original=str(path),
                record=record,
            )
        )
    return AddReport(added=tuple(added), skipped=tuple(skipped), notes=tuple(notes))
