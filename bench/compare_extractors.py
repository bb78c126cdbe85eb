"""Compare HTML extraction libraries on saved news pages whose article text is known.

    .venv/bin/pip install readability-lxml justext   # optional rivals; trafilatura is a dependency
    .venv/bin/python -m bench.compare_extractors [--pages tests/data/html] [--per-page]

Pages and truth: tests/data/html/*.html with tests/data/html/expected.json (title, release
date, canonical URL, article paragraphs without title, date line, credit, captions or bylines).
"tuning" pages were written first and pearlbot's cleanup was adjusted on them; "held-out"
pages were written after it was frozen, so their row is the honest estimate.
Body precision and recall are over word tokens (casefolded, with multiplicity): precision =
share of extracted words that belong to the article, recall = share of article words extracted.
A library that does not provide a field scores "n/a" there, not zero.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT / "tests" / "data" / "html"


class Extraction(BaseModel):
    model_config = ConfigDict(frozen=True)

    title: str | None = None
    date: str | None = None
    url: str | None = None
    body: str = ""
    provides: frozenset[str] = frozenset({"title", "date", "url"})


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.casefold()))


def _trafilatura(page: str) -> Extraction:
    import trafilatura

    result = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False)
    if result is None:
        return Extraction()
    return Extraction(title=result.title, date=result.date, url=result.url, body=result.text or "")


def _readability(page: str) -> Extraction:
    import lxml.html
    from readability import Document

    document = Document(page)
    body = lxml.html.fromstring(document.summary(html_partial=True)).text_content()
    return Extraction(title=document.short_title(), body=body, provides=frozenset({"title"}))


def _justext(page: str) -> Extraction:
    import justext

    paragraphs = justext.justext(page.encode(), justext.get_stoplist("English"))
    body = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return Extraction(body=body, provides=frozenset())


def _pearlbot(page: str) -> Extraction:
    from pearlbot.corpus.articles import parse_article
    from pearlbot.corpus.ingest import extract_html

    try:
        extracted = extract_html(page)
    except ValueError:
        return Extraction()
    document = parse_article(extracted.release, doc_id="page", source="page.html")
    released = document.released.isoformat() if document.released else None
    return Extraction(
        title=document.title, date=released, url=extracted.source_url, body=document.text
    )


EXTRACTORS: dict[str, Callable[[str], Extraction]] = {
    "trafilatura": _trafilatura,
    "readability-lxml": _readability,
    "justext": _justext,
    "pearlbot (trafilatura + cleanup)": _pearlbot,
}


def _version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    package = {"pearlbot (trafilatura + cleanup)": "trafilatura"}.get(name, name)
    try:
        return version(package)
    except PackageNotFoundError:
        return "not installed"


def score(pages: Path, page_set: str | None = None, per_page: bool = False) -> str:
    """A Markdown table: one row per library over the pages of `page_set` (None: all)."""
    truth = json.loads((pages / "expected.json").read_text(encoding="utf-8"))
    truth = {k: v for k, v in truth.items() if page_set in (None, v.get("set"))}
    from pearlbot.corpus.ingest import decode_html  # the same decoding for every library

    html = {name: decode_html((pages / name).read_bytes()) for name in truth}
    rows = [
        "| library | version | title | date | canonical URL | body precision | body recall "
        "| ms/page |",
        "|---|---|---|---|---|---|---|---|",
    ]
    details = [
        "",
        "| library | page | title | date | URL | P | R |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, extract in EXTRACTORS.items():
        version = _version(name)
        if version == "not installed":
            rows.append(f"| {name} | not installed | | | | | | |")
            continue
        extract(next(iter(html.values())))  # warm-up: imports and lazy tables
        hits = Counter[str]()
        precisions, recalls, times = [], [], []
        provides: frozenset[str] = frozenset()
        for page_name, expected in truth.items():
            start = time.perf_counter()
            got = extract(html[page_name])
            times.append(time.perf_counter() - start)
            provides = got.provides
            checks = {
                "title": (got.title or "").strip() == expected["title"],
                "date": (got.date or "")[:10] == (expected["released"] or ""),
                "url": got.url == expected["source_url"],
            }
            hits.update(field for field, ok in checks.items() if ok)
            article, extracted = _words(" ".join(expected["paragraphs"])), _words(got.body)
            common = sum((article & extracted).values())
            precisions.append(common / max(1, sum(extracted.values())))
            recalls.append(common / max(1, sum(article.values())))
            marks = [
                "n/a" if f not in provides else ("ok" if checks[f] else "✗")
                for f in ("title", "date", "url")
            ]
            details.append(
                f"| {name} | {page_name} | {' | '.join(marks)}"
                f" | {precisions[-1]:.3f} | {recalls[-1]:.3f} |"
            )
        total = len(truth)
        cells = [f"{hits[f]}/{total}" if f in provides else "n/a" for f in ("title", "date", "url")]
        rows.append(
            f"| {name} | {version} | {' | '.join(cells)} | {statistics.mean(precisions):.3f}"
            f" | {statistics.mean(recalls):.3f} | {1000 * statistics.mean(times):.1f} |"
        )
    return "\n".join(rows + (details if per_page else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--per-page", action="store_true", help="also print one row per page")
    args = parser.parse_args()
    for page_set, heading in (
        ("tuning", "Pages written first; pearlbot's cleanup was tuned on them"),
        ("held-out", "Pages written after the cleanup was frozen"),
        (None, "All pages"),
    ):
        print(f"\n### {heading}\n")
        print(score(args.pages, page_set, args.per_page and page_set is None))


if __name__ == "__main__":
    main()
