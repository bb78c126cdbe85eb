"""Load a corpus from a file or a folder of articles, reporting what had to be skipped."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from pearlbot.corpus.articles import parse_article
from pearlbot.corpus.models import Corpus, Document, LoadProblem, Passage
from pearlbot.corpus.passages import chunk_document

ARTICLE_SUFFIXES = (".txt", ".md")
# A release is a few KB; anything this large is not an article of this genre.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class CorpusError(Exception):
    """The corpus as a whole cannot be used (missing path, nothing loadable)."""


def _doc_id(path: Path) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", path.stem).strip("-").lower()
    return stem or "article"


def article_files(root: Path) -> Iterator[Path]:
    """Article files under root, sorted, without following directory symlinks (no loops)."""
    if root.is_file():
        yield root
        return
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                yield Path(folder) / name


def read_article_text(path: Path) -> str:
    """Read a file as UTF-8 text or raise ValueError saying why it is not an article."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ValueError(
                f"too large for an article ({size / 2**20:.1f} MB"
                f" > {MAX_ARTICLE_BYTES / 2**20:.0f} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc.__class__.__name__})") from None
    if b"\x00" in data:
        raise ValueError("is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"is not valid UTF-8 (byte {exc.start})") from None


def _normalized_digest(document: Document) -> str:
    words = re.findall(r"\w+", (document.title + " " + document.text).casefold())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def load_corpus(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *, window: int = 1
) -> Corpus:
    """Read every article under each path. Unreadable files become LoadProblems, not errors."""
    roots = [Path(paths)] if isinstance(paths, str | os.PathLike) else [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise CorpusError(f"corpus path does not exist: {root}")
    documents: list[Document] = []
    passages: list[Passage] = []
    problems: list[LoadProblem] = []
    seen_ids: set[str] = set()
    seen_texts: dict[str, str] = {}
    files = [file for root in roots for file in article_files(root)]
    for file in files:
        shown = str(file)
        try:
            raw = read_article_text(file)
            doc_id = _doc_id(file)
            while doc_id in seen_ids:
                doc_id += "-2"
            document = parse_article(raw, doc_id=doc_id, source=shown)
        except ValueError as exc:
            problems.append(LoadProblem(path=shown, reason=str(exc)))
            continue
        digest = _normalized_digest(document)
        if digest in seen_texts:
            problems.append(
                LoadProblem(path=shown, reason=f"duplicate of {seen_texts[digest]}; skipped")
            )
            continue
        seen_texts[digest] = shown
        seen_ids.add(doc_id)
        documents.append(document)
        passages.extend(chunk_document(document, window=window))
    if not files:
        raise CorpusError("no .txt or .md articles in " + ", ".join(map(str, roots)))
    return Corpus(documents=tuple(documents), passages=tuple(passages), problems=tuple(problems))
