"""The knowledge store: a corpus's documents, passages, facts, words and postings, kept per
document so that a restart reads no article text and an update touches only what changed.

Change detection: path, size and modification time, then (same size, other time) the content
hash. A store written by other code, other settings or another format is rebuilt, with a
message; a damaged one too. Updates take an exclusive lock, readers none (SQLite WAL, and
postings that are never modified in place).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import hashlib
import inspect
import json
import logging
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, overload

import numpy as np
from pydantic import BaseModel

import pearlbot.corpus.facts
from pearlbot.corpus import Corpus, CorpusError, Document, LoadProblem, Passage
from pearlbot.corpus.facts.models import Fact
from pearlbot.corpus.loading import ARTICLE_SUFFIXES, _doc_id
from pearlbot.corpus.vocabulary import MONTH_NAMES, ORGANISATION_HEADS
from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze
from pearlbot.retrieval.search.engine import Postings
from pearlbot.retrieval.search.index_store import CacheError, _analyzer_fingerprint
from pearlbot.retrieval.store import database, postings
from pearlbot.retrieval.store.folder import check_folder, prepare_folder
from pearlbot.retrieval.store.records import FileTask, Record, process_files

log = logging.getLogger(__name__)

FORMAT = 3  # bump when the layout of the database or the postings changes


class StoreDamaged(Exception):
    """The store cannot be trusted (damaged, half written, or built by other code)."""


class StoreStale(Exception):
    """Article files changed since the store was last updated."""


@dataclass(frozen=True)
class Scanned:
    """An article file as found on disk."""

    path: str
    size: int
    mtime_ns: int


@dataclass
class SyncReport:
    """What an update did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    rebuilt: bool = False
    seconds: float = 0.0


@dataclass
class StoreStatus:
    """What `pearlbot index status` shows."""

    folder: Path
    exists: bool
    documents: int = 0
    passages: int = 0
    facts: int = 0
    skipped: int = 0
    bytes_on_disk: int = 0
    generation: int = 0
    problem: str | None = None  # why the store would be rebuilt
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def stale(self) -> bool:
        return bool(self.problem or self.new or self.changed or self.removed)


@dataclass(frozen=True)
class Loaded:
    """Everything a knowledge base is made of, read from the store."""

    corpus: Corpus
    postings: Postings
    facts: tuple[Fact, ...]
    corpus_words: frozenset[str]
    doc_words: dict[str, str]  # newline-joined, with a newline before and after
    proper_words: frozenset[str]
    stem_words: dict[str, str]
    place_words: frozenset[str]
    title_docs: dict[str, list[str]]  # word -> the documents whose title has it, in order
    passage_counts: list[int]  # passages of each document, in order
    passage_rows: Mapping[str, int]  # passage id -> row
    generation: int


def scan(roots: Sequence[Path]) -> list[Scanned]:
    """Article files under the roots in `load_corpus`'s order; CorpusError as it raises it."""
    for root in roots:
        if not root.exists():
            raise CorpusError(f"corpus path does not exist: {root}")
    found = []
    seen: set[str] = set()  # a file under two roots (nested, or one given twice) is one file
    stat = os.stat
    for root in roots:
        for file in article_paths(root):
            if file in seen:
                continue
            seen.add(file)
            try:
                info = stat(file)
            except OSError:
                found.append(Scanned(file, -1, -1))
                continue
            found.append(Scanned(file, info.st_size, info.st_mtime_ns))
    if not found:
        raise CorpusError("no .txt or .md articles in " + ", ".join(map(str, roots)))
    return found


def article_paths(root: Path) -> Iterator[str]:
    """`str(path) for path in article_files(root)`, without a Path object a file: pathlib took
    two thirds of a scan of 50,000 files."""
    if root.is_file():
        yield str(root)
        return
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = str(Path(folder))  # as Path(folder) / name spells it
        prefix = "" if base == "." else base if base.endswith(os.sep) else base + os.sep
        for name in sorted(names):
            if name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith("."):
                yield prefix + name


def scan_digest(files: Sequence[Scanned]) -> str:
    """A digest of the files' paths, sizes and modification times, in order: equal to the one
    the last update stored, the store is up to date without comparing a row."""
    digest = hashlib.sha256()
    for f in files:
        digest.update(f"{f.path}\0{f.size}\0{f.mtime_ns}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def fingerprint(window: int, analyzer: AnalyzerSettings) -> str:
    """What the stored data depends on besides the articles: the code that extracts facts and
    analyses text, the store's own code, and the settings."""
    digest = hashlib.sha256(f"pearlbot-store/{FORMAT}/{window}/".encode())
    # Facts are marshalled: another Python may write another marshal format.
    digest.update(f"{sys.version_info[:2]}/{marshal.version}/".encode())
    digest.update(analyzer.model_dump_json().encode() + _analyzer_fingerprint())
    corpus = Path(inspect.getfile(pearlbot.corpus.facts)).parent.parent
    store = Path(__file__).resolve().parent
    # Parsing, chunking, extraction and the genre vocabulary they read; and this package.
    for module in sorted([*corpus.glob("*.py"), *corpus.glob("facts/*.py"), *store.glob("*.py")]):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:32]


_FIELDS: dict[type, frozenset[str]] = {}


def _setter(name: str) -> Callable[[object, object], None]:
    """`object.__setattr__(obj, name, value)` for one of a pydantic model's slots, as the
    slot's own descriptor: a frozen model's __setattr__ would refuse, and this is quicker."""
    return vars(BaseModel)[name].__set__  # type: ignore[no-any-return]


def _construct(cls: type, values: dict[str, object]) -> object:
    """A frozen model from trusted stored values, without validating each one again (a
    million passages load in a second instead of six)."""
    obj: object = object.__new__(cls)
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = _FIELDS[cls] = frozenset(cls.model_fields)  # type: ignore[attr-defined]
    _SET_DICT(obj, values)
    _SET_FIELDS(obj, fields)
    _SET_EXTRA(obj, None)
    _SET_PRIVATE(obj, None)
    return obj


_SET_DICT = _setter("__dict__")
_SET_FIELDS = _setter("__pydantic_fields_set__")
_SET_EXTRA = _setter("__pydantic_extra__")
_SET_PRIVATE = _setter("__pydantic_private__")


LAZY_PASSAGES = 400_000  # from this many passages, each Passage is made when first read
_PASSAGE_FIELDS = frozenset(Passage.model_fields)


def _passage(passage_id: str, doc_id: str, text: str, start: int, end: int) -> Passage:
    """_construct for a Passage, inlined: it runs once per passage."""
    passage: Passage = object.__new__(Passage)
    _SET_DICT(passage, {"id": passage_id, "doc_id": doc_id, "text": text, "start": start,
                        "end": end})  # fmt: skip
    _SET_FIELDS(passage, _PASSAGE_FIELDS)
    _SET_EXTRA(passage, None)
    _SET_PRIVATE(passage, None)
    return passage


class StoredPassages(Sequence[Passage]):
    """A large corpus's passages as the store keeps them (its documents' text and two offsets
    a passage), each Passage made the first time a row is read and kept: making a million at
    every start took a second. Reads as the tuple it stands for (equality, slices, pickling)."""

    def __init__(self, documents: Sequence[Document], counts: Sequence[int], bounds: np.ndarray):
        self._documents = documents
        self._row_docs = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
        self._first = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).tolist()
        self._bounds = bounds  # int32, start and end of each passage in turn
        self._made: list[Passage | None] = [None] * len(self._row_docs)

    def __len__(self) -> int:
        return len(self._made)

    @overload
    def __getitem__(self, index: int) -> Passage: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Passage, ...]: ...

    def __getitem__(self, index: int | slice) -> Passage | tuple[Passage, ...]:
        if isinstance(index, slice):
            return tuple(self[row] for row in range(*index.indices(len(self))))
        made = self._made[index]  # IndexError as a tuple raises it
        if made is None:
            row = index % len(self._made)
            d = int(self._row_docs[row])
            doc = self._documents[d]
            start, end = int(self._bounds[2 * row]), int(self._bounds[2 * row + 1])
            made = _passage(f"{doc.id}#{row - self._first[d] + 1}", doc.id, doc.text[start:end],
                            start, end)  # fmt: skip
            self._made[row] = made
        return made

    def __iter__(self) -> Iterator[Passage]:
        for row in range(len(self._made)):
            yield self[row]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple | list | StoredPassages):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"StoredPassages({len(self):,} passages)"

    def __reduce__(self) -> tuple[type, tuple[tuple[Passage, ...]]]:
        return tuple, (tuple(self),)


class PassageRows(Mapping[str, int]):
    """Passage id -> row for StoredPassages, read off the id ("doc#n") instead of a dictionary
    of a million ids."""

    def __init__(self, doc_ids: Sequence[str], counts: Sequence[int]) -> None:
        self._docs = {doc_id: n for n, doc_id in enumerate(doc_ids)}
        self._doc_ids = doc_ids
        self._counts = counts
        self._first = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).tolist()

    def get(self, passage_id: str, default: int | None = None) -> int | None:  # type: ignore[override]
        doc_id, mark, number = passage_id.rpartition("#")
        d = self._docs.get(doc_id) if mark else None
        if d is None or not (number.isascii() and number.isdigit()) or number[0] == "0":
            return default
        n = int(number)
        return self._first[d] + n - 1 if n <= self._counts[d] else default

    def __getitem__(self, passage_id: str) -> int:
        row = self.get(passage_id)
        if row is None:
            raise KeyError(passage_id)
        return row

    def __contains__(self, passage_id: object) -> bool:
        return isinstance(passage_id, str) and self.get(passage_id) is not None

    def __len__(self) -> int:
        return int(self._first[-1])

    def __iter__(self) -> Iterator[str]:
        for doc_id, count in zip(self._doc_ids, self._counts, strict=True):
            for n in range(1, count + 1):
                yield f"{doc_id}#{n}"


class KnowledgeStore:
    """The store of one corpus (its article folders, passage window and analyzer)."""

    def __init__(
        self,
        folder: Path,
        roots: Sequence[str | os.PathLike[str]],
        window: int = 1,
        analyzer: AnalyzerSettings | None = None,
    ) -> None:
        self.folder = Path(folder)
        # Absolute: the same articles reached by a relative and an absolute path are the same
        # rows, not a re-read of all (symlinks are kept: a file's name gives its document id).
        self.roots = [Path(os.path.abspath(r)) for r in roots]
        self.window = window
        self.analyzer = analyzer or AnalyzerSettings()
        self.db_path = self.folder / database.DB_NAME
        self._fingerprint: str | None = None

    @property
    def fingerprint(self) -> str:
        if self._fingerprint is None:
            self._fingerprint = fingerprint(self.window, self.analyzer)
        return self._fingerprint

    # ----- reading -------------------------------------------------------------------------

    def generation(self) -> int | None:
        """The store's update counter (None if it has never been built): processes compare
        it to learn that another process updated the store."""
        if not self.db_path.exists():
            return None
        try:
            with contextlib.closing(database.connect(self.db_path, read_only=True)) as db:
                value = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.Error:
            return None
        return int(value[0]) if value else None

    def _check_meta(self, meta: dict[str, str]) -> None:
        if not meta:
            raise StoreDamaged("empty or half-written store")
        if meta.get("format") != str(FORMAT):
            raise StoreDamaged(f"store format {meta.get('format')}, this code reads {FORMAT}")
        if meta.get("fingerprint") != self.fingerprint:
            raise StoreDamaged("built by other extraction code or settings")

    def load(self, files: list[Scanned] | None = None) -> Loaded:
        """Read the store. StoreStale if an article changed since its last update,
        StoreDamaged if it cannot be trusted."""
        files = scan(self.roots) if files is None else files
        check_folder(self.folder)  # FileNotFoundError: never built
        if not self.db_path.exists():
            raise StoreStale("not built yet")
        try:
            with contextlib.closing(database.connect(self.db_path, read_only=True)) as db:
                db.execute("BEGIN")  # one snapshot: rows and postings of one generation
                meta = database.get_meta(db)
                self._check_meta(meta)
                # The files as the last update saw them: then no row needs comparing.
                if meta.get("scan") != scan_digest(files):
                    stale = self._stale(files, database.stats(db))
                    if stale:
                        raise StoreStale(f"{len(stale)} article files changed, e.g. {stale[0]}")
                return self._read(db, meta)
        except sqlite3.Error as exc:
            raise StoreDamaged(f"database unreadable ({exc})") from None

    @staticmethod
    def _stale(files: list[Scanned], stored: dict[str, tuple]) -> list[str]:  # type: ignore[type-arg]
        out = [f.path for f in files if (row := stored.get(f.path)) is None or row[:2] != (
            f.size, f.mtime_ns)]  # fmt: skip
        if len(stored) != len(files) - len(out):
            present = {f.path for f in files}
            out += [p for p in stored if p not in present]
        return out

    def _read(self, db: sqlite3.Connection, meta: dict[str, str]) -> Loaded:
        layout: list[str] = json.loads(meta["layout"])
        problems = [LoadProblem(path=p, reason=r) for p, r in json.loads(meta["problems"])]
        rows = database.documents(db)
        aggregates = database.get_aggregates(db)
        documents: list[Document] = []
        passages: list[Passage] = []
        fact_values: list[dict[str, Any]] = []
        doc_words: dict[str, str] = {}
        counts: list[int] = []
        passage_rows: dict[str, int] = {}
        spans_of: list[bytes] = []
        construct = _construct
        passage = _passage
        # A large corpus's passages are made when read (StoredPassages), a small one's now.
        lazy = sum(len(rows[path][6]) for path in layout) // 8 >= LAZY_PASSAGES
        try:
            for path in layout:
                (_, doc_id, title, released, credit, text, spans, facts, words_) = rows[path]
                doc = construct(Document, {
                    "id": doc_id, "title": title,
                    "released": dt.date.fromisoformat(released) if released else None,
                    "credit": credit, "source": path, "text": text,
                })  # fmt: skip
                documents.append(doc)  # type: ignore[arg-type]
                counts.append(len(spans) // 8)
                if lazy:
                    spans_of.append(spans)
                else:
                    bounds = np.frombuffer(spans, dtype=np.int32).tolist()
                    prefix = f"{doc_id}#"
                    for n in range(0, len(bounds), 2):
                        start, end = bounds[n], bounds[n + 1]
                        passage_id = f"{prefix}{n // 2 + 1}"
                        passage_rows[passage_id] = len(passages)
                        passages.append(passage(passage_id, doc_id, text[start:end], start, end))
                fact_values.extend(marshal.loads(facts))
                doc_words[doc_id] = f"\n{words_ or ''}\n"  # every word between two newlines
            all_facts = facts_from_values(fact_values)
        except (KeyError, ValueError, TypeError, AttributeError, EOFError) as exc:
            raise StoreDamaged(f"stored documents unreadable ({exc.__class__.__name__})") from None
        table: Sequence[Passage] = tuple(passages)
        rows_of: Mapping[str, int] = passage_rows
        if lazy:
            bounds_all = np.frombuffer(b"".join(spans_of), dtype=np.int32)
            table = StoredPassages(documents, counts, bounds_all)
            rows_of = PassageRows([d.id for d in documents], counts)
        info = json.loads(meta["postings"])
        try:
            index = postings.read(self.folder / info["folder"], info, len(table))
        except CacheError as exc:
            raise StoreDamaged(str(exc)) from None
        corpus = Corpus.model_construct(  # StoredPassages reads as the tuple it stands for
            documents=tuple(documents),
            passages=table,  # type: ignore[arg-type]
            problems=tuple(problems),
        )
        return Loaded(
            corpus=corpus,
            postings=index,
            facts=all_facts,
            corpus_words=frozenset(_lines(aggregates["corpus_words"])),
            doc_words=doc_words,
            proper_words=frozenset(_lines(aggregates["proper_words"])),
            stem_words=json.loads(aggregates["stem_words"]),
            place_words=frozenset(_lines(aggregates["place_words"])),
            title_docs=json.loads(aggregates["title_docs"]),
            passage_counts=counts,
            passage_rows=rows_of,
            generation=int(meta["generation"]),
        )

    # ----- updating ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.folder / "lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one updater at a time; readers never wait
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def sync(
        self,
        files: list[Scanned] | None = None,
        done: Callable[[int], None] | None = None,
        total: Callable[[int], None] | None = None,
    ) -> SyncReport:
        """Bring the store up to date with the article files, reading only those that changed.
        OSError or sqlite3.Error if it cannot be written (read-only, disk full)."""
        start = time.perf_counter()
        prepare_folder(self.folder)
        with self._locked(), collector_paused():
            files = scan(self.roots) if files is None else files
            report = self._sync(files, done, total)
        report.seconds = time.perf_counter() - start
        return report

    def _open_for_update(self) -> tuple[sqlite3.Connection, dict[str, str], bool]:
        """The database, its metadata, and whether it had to be started afresh."""
        problem = None
        try:
            db = database.connect(self.db_path)
            meta = database.get_meta(db)
            if meta:
                self._check_meta(meta)
                info = json.loads(meta["postings"])
                stored = database.stats(db)
                n_passages = sum(stored[path][6] for path in json.loads(meta["layout"]))
                try:
                    postings.read(self.folder / info["folder"], info, n_passages)
                except CacheError as exc:
                    raise StoreDamaged(str(exc)) from None
            return db, meta, not meta
        except (sqlite3.Error, StoreDamaged, KeyError, ValueError) as exc:
            problem = str(exc)
        with contextlib.suppress(NameError):
            db.close()
        log.warning("knowledge store %s: %s; rebuilding it from the articles", self.folder, problem)
        self.clear()
        db = database.connect(self.db_path)
        return db, {}, True

    def clear(self) -> None:
        """Remove the store's files (never the articles: they are the source of truth)."""
        for name in (database.DB_NAME, database.DB_NAME + "-wal", database.DB_NAME + "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()
        postings.remove_other_folders(self.folder, keep=())

    def _sync(
        self,
        files: list[Scanned],
        done: Callable[[int], None] | None,
        total: Callable[[int], None] | None,
    ) -> SyncReport:
        db, meta, fresh = self._open_for_update()
        report = SyncReport(rebuilt=fresh)
        with contextlib.closing(db):
            stored = database.stats(db)
            touched: list[tuple[str, int, int]] = []
            todo: dict[str, Scanned] = {}
            for f in files:
                row = stored.get(f.path)
                if row is not None and row[:2] == (f.size, f.mtime_ns):
                    continue
                if row is not None and row[0] == f.size:
                    with contextlib.suppress(OSError):
                        sha = hashlib.sha256(Path(f.path).read_bytes()).hexdigest()
                        if sha == row[2]:  # touched, not changed
                            touched.append((f.path, f.size, f.mtime_ns))
                            continue
                todo[f.path] = f
            present = {f.path for f in files}
            removed = [p for p in stored if p not in present]
            records: dict[str, Record] = {}
            status = {
                p: (row[3], row[4], row[5]) for p, row in stored.items()
            }  # id, problem, digest
            if total:
                total(len(todo))
            for _attempt in range(4):
                ids = self._assign_ids(files, status, todo, records)
                for f in files:  # an id another file now takes: that document is read again
                    known = status.get(f.path)
                    if (
                        f.path not in todo
                        and known
                        and known[1] is None
                        and known[0] != ids[f.path]
                    ):
                        todo[f.path] = f
                tasks = [FileTask(p, ids[p]) for p in todo if p not in records or
                         records[p].doc_id != ids[p]]  # fmt: skip
                if not tasks:
                    break
                for record in process_files(tasks, self.window, self.analyzer, done=done):
                    records[record.path] = record
                    status[record.path] = (record.doc_id, record.problem, record.digest)
                done = None  # a second round (renumbered ids) is not shown twice
            layout, problems, ids = self._layout(files, status, todo, records)
            report.added = sum(1 for p in todo if p not in stored)
            report.changed = len(todo) - report.added
            report.removed = len(removed)
            report.unchanged = len(files) - len(todo)
            if not todo and not removed and meta:
                db.execute("BEGIN IMMEDIATE")
                db.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                               [(s, m, p) for p, s, m in touched])  # fmt: skip
                database.set_meta(db, {"scan": scan_digest(files)})
                db.execute("COMMIT")
                return report
            new_postings = self._postings(db, meta, layout, records, stored)
            aggregates = self._aggregates(db, layout, records)
            generation = int(meta.get("generation", "0")) + 1
            folder = self.folder / f"postings-{generation}"
            info = postings.write(folder, new_postings)
            db.execute("BEGIN IMMEDIATE")
            try:
                database.delete(db, removed)
                database.put(db, records.values())
                database.set_aggregates(db, aggregates)
                db.executemany("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                               [(s, m, p) for p, s, m in touched])  # fmt: skip
                database.set_meta(db, {
                    "format": str(FORMAT), "fingerprint": self.fingerprint,
                    "generation": str(generation), "postings": info, "layout": layout,
                    "problems": problems, "updated": dt.datetime.now(dt.UTC).isoformat(),
                    "scan": scan_digest(files),
                })  # fmt: skip
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                postings.remove_other_folders(self.folder, keep=(meta_folder(meta),))
                raise
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            # Keep the previous generation a while: a reader may have just read its name.
            postings.remove_other_folders(self.folder, keep=(folder.name, meta_folder(meta)))
        return report

    @staticmethod
    def _assign_ids(
        files: list[Scanned],
        status: dict[str, tuple[str, str | None, str]],
        todo: dict[str, Scanned],
        records: dict[str, Record],
    ) -> dict[str, str]:
        """Each file's document id as `load_corpus` gives it (a taken id gets "-2")."""
        ids: dict[str, str] = {}
        seen_ids: set[str] = set()
        seen_texts: set[str] = set()
        for f in files:
            doc_id = _doc_id(Path(f.path))
            while doc_id in seen_ids:
                doc_id += "-2"
            ids[f.path] = doc_id
            known = status.get(f.path) if (f.path not in todo or f.path in records) else None
            if known is None:  # not read yet: assume it is a new, usable article
                seen_ids.add(doc_id)
                continue
            _, problem, digest = known
            if problem is None and digest not in seen_texts:
                seen_texts.add(digest)
                seen_ids.add(doc_id)
        return ids

    @staticmethod
    def _layout(
        files: list[Scanned],
        status: dict[str, tuple[str, str | None, str]],
        todo: dict[str, Scanned],
        records: dict[str, Record],
    ) -> tuple[list[str], list[tuple[str, str]], dict[str, str]]:
        """The corpus's documents (file paths, in order) and what was skipped, and why."""
        layout: list[str] = []
        problems: list[tuple[str, str]] = []
        seen_texts: dict[str, str] = {}
        ids: dict[str, str] = {}
        for f in files:
            doc_id, problem, digest = status[f.path]
            if problem is not None:
                problems.append((f.path, problem))
            elif digest in seen_texts:
                problems.append((f.path, f"duplicate of {seen_texts[digest]}; skipped"))
            else:
                seen_texts[digest] = f.path
                layout.append(f.path)
                ids[f.path] = doc_id
        return layout, problems, ids

    def _postings(
        self,
        db: sqlite3.Connection,
        meta: dict[str, str],
        layout: list[str],
        records: dict[str, Record],
        stored: dict[str, tuple],  # type: ignore[type-arg]
    ) -> Postings:
        """The new postings: the old ones merged with the changed documents' terms."""
        old_layout: list[str] = json.loads(meta["layout"]) if meta else []
        old: Postings | None = None
        if meta:
            info = json.loads(meta["postings"])
            n_old = sum(stored[p][6] for p in old_layout)
            try:
                old = postings.read(self.folder / info["folder"], info, n_old)
            except CacheError as exc:
                log.warning("knowledge store %s: %s; analysing every passage again",
                            self.folder, exc)  # fmt: skip
        # Where each old document's passages were, and where each document's go now.
        old_start: dict[str, int] = {}
        row = 0
        for path in old_layout:
            old_start[path] = row
            row += stored[path][6]
        n_old_rows = row
        keep = np.full(n_old_rows, -1, dtype=np.int64)
        added: list[tuple[int, list[str]]] = []
        missing: list[tuple[int, str]] = []  # kept documents whose terms must be re-read
        row = 0
        for path in layout:
            record = records.get(path)
            if record is not None:
                n = len(record.spans)
                added.extend((row + i, tokens) for i, tokens in enumerate(record.tokens))
            else:
                n = stored[path][6]
                if old is not None and path in old_start:
                    begin = old_start[path]
                    keep[begin : begin + n] = np.arange(row, row + n)
                else:
                    missing.append((row, path))
            row += n
        if old is None:
            keep = np.zeros(0, dtype=np.int64)
            old = Postings((), np.zeros(1, np.int64), np.zeros(0, np.int32),
                           np.zeros(0, np.uint16), np.zeros(0, np.int32))  # fmt: skip
        if missing:
            rows = database.documents(db)
            for first, path in missing:
                text, spans = rows[path][5], np.frombuffer(rows[path][6], np.int32).tolist()
                for i in range(0, len(spans), 2):
                    terms = analyze(str(text)[spans[i] : spans[i + 1]], self.analyzer)
                    added.append((first + i // 2, terms))
        added.sort(key=lambda pair: pair[0])
        if not len(old.docs) and added and len(added) == row:
            return postings.from_tokens([terms for _, terms in added])  # a cold build
        return postings.rebuild(old, keep, added)

    def _aggregates(
        self, db: sqlite3.Connection, layout: list[str], records: dict[str, Record]
    ) -> dict[str, str]:
        """The corpus-wide word look-ups, from every document's words: the words to correct
        typos towards, the words only ever written capitalised, a word for each stem, the
        words written where places stand, and which documents' titles hold each word."""
        surface: set[str] = set()
        upper: set[str] = set()
        lower: set[str] = set()
        places: set[str] = set()
        title_docs: dict[str, list[str]] = {}
        stored = {
            path: (surf, up, low, plc, tw, doc_id)
            for path, surf, up, low, plc, tw, doc_id in db.execute(
                "SELECT path, surface, upper, lower, places, title_words, doc_id"
                " FROM files WHERE problem IS NULL"
            )
        }
        for path in layout:
            record = records.get(path)
            if record is not None:
                surface.update(record.surface)
                upper.update(record.upper)
                lower.update(record.lower)
                places.update(record.places)
                doc_id, title = record.doc_id, record.title_words
            else:
                surf, up, low, plc, tw, doc_id = stored[path]
                for target, text in ((surface, surf), (upper, up), (lower, low), (places, plc)):
                    if text:
                        target.update(text.split("\n"))
                title = _lines(tw)
            for word in title:
                title_docs.setdefault(word, []).append(doc_id)
        before = database.get_aggregates(db).get("stems")
        known: dict[str, str] = json.loads(before) if before else {}
        stems = {w: known[w] if w in known else " ".join(analyze(w, self.analyzer))
                 for w in surface}  # fmt: skip
        stem_words: dict[str, str] = {}
        for word in sorted(surface):
            for term in stems[word].split():
                stem_words.setdefault(term, word)
        # Months ("in April") and the heads of organisations ("School in X County") are not places.
        not_places = {m.casefold() for m in MONTH_NAMES} | set(ORGANISATION_HEADS)
        return {
            "corpus_words": "\n".join(sorted(surface)),
            "proper_words": "\n".join(sorted(upper - lower)),
            "stem_words": json.dumps(stem_words, ensure_ascii=False),
            "stems": json.dumps(stems, ensure_ascii=False),
            "place_words": "\n".join(sorted(places - not_places)),
            "title_docs": json.dumps(title_docs, ensure_ascii=False),
        }

    # ----- status --------------------------------------------------------------------------

    def status(self) -> StoreStatus:
        """Documents, passages, facts, size on disk, and what is stale."""
        out = StoreStatus(folder=self.folder, exists=self.db_path.exists())
        if not out.exists:
            out.problem = "not built yet"
            return out
        out.bytes_on_disk = sum(p.stat().st_size for p in self.folder.rglob("*") if p.is_file())
        try:
            with contextlib.closing(database.connect(self.db_path, read_only=True)) as db:
                meta = database.get_meta(db)
                self._check_meta(meta)
                stored = database.stats(db)
                counts = db.execute(
                    "SELECT count(*), sum(passages), sum(n_facts) FROM files WHERE problem IS NULL"
                ).fetchone()
        except (sqlite3.Error, StoreDamaged) as exc:
            out.problem = str(exc)
            return out
        layout = json.loads(meta["layout"])
        out.documents = len(layout)
        out.passages = sum(stored[p][6] for p in layout)
        out.facts = int(counts[2] or 0) if counts[0] == len(layout) else out.facts
        out.skipped = len(json.loads(meta["problems"]))
        out.generation = int(meta["generation"])
        files = scan(self.roots)
        present = {f.path for f in files}
        for f in files:
            row = stored.get(f.path)
            if row is None:
                out.new.append(f.path)
            elif row[:2] != (f.size, f.mtime_ns):
                out.changed.append(f.path)
        out.removed = [p for p in stored if p not in present]
        return out


@contextlib.contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """Python's cycle collector paused while many long-lived objects are made: a store update
    holds millions of lists and strings until it ends (the collector walked them again and
    again, a third of the 1M build's time after extraction), and a knowledge base's objects all
    live on (loading 100,000 passages: 2.3 s with it, 0.6 s without). `freeze`: keep them out
    of later collections too (`gc.freeze`): the first question paid 0.5 s for one otherwise."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


_KINDS: dict[str, type] = {}


def facts_from_values(values_list: list[dict[str, Any]]) -> tuple[Fact, ...]:
    """Facts from the JSON values the store wrote (`records.facts_blob`), built without
    validating each field again; tuples come back as tuples."""
    from pearlbot.corpus.facts import models

    if not _KINDS:
        for cls in (models.PairingFact, models.FigureFact, models.PersonFact, models.DateFact,
                    models.PlaceFact):  # fmt: skip
            _KINDS[cls.model_fields["kind"].default] = cls
    construct = _construct
    provenance = models.Provenance
    out = []
    for values in values_list:
        values["source"] = construct(provenance, values["source"])
        if "titles" in values:
            values["titles"] = tuple(values["titles"])
            values["roles"] = tuple(values["roles"])
        out.append(construct(_KINDS[values["kind"]], values))
    return tuple(out)  # type: ignore[arg-type]


def meta_folder(meta: dict[str, str]) -> str:
    """The postings folder the metadata names ('' if none)."""
    try:
        return str(json.loads(meta["postings"])["folder"])
    except (KeyError, ValueError, TypeError):
        return ""
