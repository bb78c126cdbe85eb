"""Load a corpus from a file or a folder of articles, reporting what had to be skipped."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pearlbot.corpus.articles import parse_article
from pearlbot.corpus.models import Corpus, Document, LoadProblem, Passage
from pearlbot.corpus.passages import chunk_document
from pearlbot.corpus.similarity import NearDuplicates

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
# A release is a few KB; anything this large is not an article of this genre.
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
REASON_CHARS = 200  # of an unexpected exception's message, in the one-line reason
# charset-normalizer's chaos score above which a guess is no better than noise (0 = clean).
MAX_CHAOS = 0.3


class CorpusError(Exception):
    """The corpus as a whole cannot be used (missing path, nothing loadable)."""


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def document_id(name: str) -> str:
    """A stable id from a file name: lower case ASCII and dashes. Chinese is written in pinyin
    ("民和县结对帮扶" -> "min-he-xian-jie-dui-bang-fu"), accented Latin transliterated
    ("Café Ümlaut" -> "cafe-umlaut"); ASCII names keep the id they always had."""
    if not name.isascii():
        name = _CJK_RUN.sub(lambda m: f" {_pinyin(m[0])} ", name)
        from text_unidecode import unidecode  # small: only names that are not ASCII pay

        name = unidecode(unicodedata.normalize("NFKC", name))
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-").lower()
    return stem or "article"


def _pinyin(chars: str) -> str:
    from pypinyin import lazy_pinyin  # loads its dictionary: only for Chinese file names

    return "-".join(lazy_pinyin(chars))


def _doc_id(path: Path) -> str:
    return document_id(path.stem)


def file_ids(files: Iterable[Path]) -> dict[Path, str]:
    """Each file's document id, in order; a repeated id gets "-2" (and so on) appended. Every
    file reserves its id whether or not it parses, so ids never shift when one file breaks."""
    ids: dict[Path, str] = {}
    seen: set[str] = set()
    for file in files:
        doc_id = _doc_id(file)
        while doc_id in seen:
            doc_id += "-2"
        seen.add(doc_id)
        ids[file] = doc_id
    return ids


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


def read_article(path: Path) -> tuple[str, str | None]:
    """(text, note) of an article file. UTF-8 is read as it is; other text is decoded with the
    encoding charset-normalizer detects (GB18030, Big5, Shift-JIS, windows-125x), and the note
    says which. ValueError saying why a file is not an article."""
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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "read as UTF-16 (byte order mark)"
        except UnicodeDecodeError:
            raise ValueError("is not valid UTF-16 despite its byte order mark") from None
    if b"\x00" in data:
        raise ValueError("is a binary file, not text")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    encoding = detect_encoding(data)
    if encoding is None:
        raise ValueError(
            f"is not valid UTF-8 (byte {utf8_error}) and its encoding could not be detected"
        )
    return data.decode(encoding, errors="replace"), f"not UTF-8; read as {encoding}"


def detect_encoding(data: bytes) -> str | None:
    """The encoding charset-normalizer finds for bytes that are not UTF-8, or None."""
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    encoding = best.encoding
    return "gb18030" if encoding in ("gb2312", "gbk") else encoding


def read_article_text(path: Path) -> str:
    """Read an article file as text (UTF-8, else the detected encoding) or raise ValueError."""
    return read_article(path)[0]


def _normalized_digest(document: Document) -> str:
    words = re.findall(r"\w+", (document.title + " " + document.text).casefold())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def _one_line(exc: Exception) -> str:
    """An unexpected exception as a one-line reason: its class and the first line of it."""
    message = str(exc).splitlines()[0] if str(exc) else ""
    shown = f": {message[:REASON_CHARS]}" if message else ""
    return f"could not be read as an article ({exc.__class__.__name__}{shown})"


def corpus_roots(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """The paths to load as Paths; CorpusError for an empty path (it would read the current
    folder) or one that does not exist."""
    given = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    if not given:
        raise CorpusError("no corpus path given")
    roots = []
    for path in given:
        if not os.fspath(path).strip():
            raise CorpusError("the corpus path is empty; give a file or a folder of articles")
        root = Path(path)
        if not root.exists():
            raise CorpusError(f"corpus path does not exist: {root}")
        roots.append(root)
    return roots


def load_corpus(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *, window: int = 1
) -> Corpus:
    """Read every article under each path. A file that cannot be read or parsed, for whatever
    reason, becomes a LoadProblem naming it; it never stops the others. Exact and near
    duplicates (a release re-published with small edits) load once and are reported."""
    roots = corpus_roots(paths)
    documents: list[Document] = []
    passages: list[Passage] = []
    problems: list[LoadProblem] = []
    notes: list[LoadProblem] = []
    seen_texts: dict[str, str] = {}
    near = NearDuplicates()
    files = [file for root in roots for file in article_files(root)]
    for file, doc_id in file_ids(files).items():
        shown = str(file)
        try:
            raw, note = read_article(file)
            document = parse_article(raw, doc_id=doc_id, source=shown)
            chunks = chunk_document(document, window=window)
        except ValueError as exc:
            problems.append(LoadProblem(path=shown, reason=str(exc)))
            continue
        except Exception as exc:  # a parser bug on one file never stops the others
            log.debug("%s: unexpected error while loading", shown, exc_info=True)
            problems.append(LoadProblem(path=shown, reason=_one_line(exc)))
            continue
        digest = _normalized_digest(document)
        if digest in seen_texts:
            problems.append(
                LoadProblem(path=shown, reason=f"duplicate of {seen_texts[digest]}; skipped")
            )
            continue
        similar = near.add(shown, f"{document.title}\n{document.text}")
        if similar is not None:
            other, score = similar
            reason = f"near-duplicate of {other} (similarity {score:.2f}); skipped"
            problems.append(LoadProblem(path=shown, reason=reason))
            continue
        if note:
            notes.append(LoadProblem(path=shown, reason=note))
        seen_texts[digest] = shown
        documents.append(document)
        passages.extend(chunks)
    if not files:
        raise CorpusError("no .txt or .md articles in " + ", ".join(map(str, roots)))
    return Corpus(
        documents=tuple(documents),
        passages=tuple(passages),
        problems=tuple(problems),
        notes=tuple(notes),
    )
