"""Extracted facts and the corpus's words, cached per corpus like the index.

Reading facts out of tens of thousands of articles takes minutes; loading them back takes
seconds. The key hashes every document, every passage boundary and the extraction code, so a
changed article or rule never meets a stale entry; a damaged entry is rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import logging
import os
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

import pearlbot.corpus.facts
from pearlbot.corpus import Corpus, Passage
from pearlbot.corpus.facts import extract_facts
from pearlbot.corpus.facts.models import Fact
from pearlbot.progress import progress
from pearlbot.retrieval.search.analyzer import words
from pearlbot.retrieval.search.index_store import CACHE_MIN_PASSAGES, KEEP_ENTRIES, cache_dir

log = logging.getLogger(__name__)
FORMAT = 1  # bump when the file layout changes
_FACTS = TypeAdapter(list[Fact])
SURFACE_MIN_CHARS = 4  # shorter words are never typo-corrected


def _extraction_fingerprint() -> bytes:
    digest = hashlib.sha256()
    for module in sorted(Path(inspect.getfile(pearlbot.corpus.facts)).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.digest()


def facts_key(corpus_: Corpus) -> str:
    digest = hashlib.sha256(f"pearlbot-facts/{FORMAT}\0".encode() + _extraction_fingerprint())
    for doc in corpus_.documents:
        digest.update(f"{doc.id}\0{doc.title}\0{doc.released}\0{len(doc.text)}\0".encode())
        digest.update(doc.text.encode("utf-8", "surrogatepass"))
    for passage in corpus_.passages:
        digest.update(f"{passage.id}:{passage.start}:{passage.end}\0".encode())
    return digest.hexdigest()[:40]


def extract_all(corpus_: Corpus) -> tuple[tuple[Fact, ...], frozenset[str]]:
    """Every document's facts, and the corpus's words as written (for typo correction)."""
    by_doc: dict[str, list[Passage]] = {}
    for passage in corpus_.passages:
        by_doc.setdefault(passage.doc_id, []).append(passage)
    documents = progress(corpus_.documents, desc="extracting facts", unit=" documents")
    facts = tuple(f for doc in documents for f in extract_facts(doc, by_doc.get(doc.id, [])))
    surface = frozenset(
        w for p in corpus_.passages for w in words(p.text) if len(w) >= SURFACE_MIN_CHARS
    )
    return facts, surface


def cached_facts(corpus_: Corpus) -> tuple[tuple[Fact, ...], frozenset[str]]:
    """`extract_all`, through the cache for corpora big enough to be worth it."""
    directory = cache_dir()
    if directory is None or len(corpus_.passages) < CACHE_MIN_PASSAGES:
        return extract_all(corpus_)
    path = directory / f"facts-{facts_key(corpus_)}.json"
    try:
        data = json.loads(path.read_bytes())
        facts = tuple(_FACTS.validate_python(data["facts"]))
        return facts, frozenset(data["surface"])
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        log.warning("fact cache entry %s is unusable (%s); rebuilding", path.name, exc)
        with contextlib.suppress(OSError):
            path.unlink()
    facts, surface = extract_all(corpus_)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        payload = {
            "facts": _FACTS.dump_python(list(facts), mode="json"),
            "surface": sorted(surface),
        }
        temporary = path.with_suffix(f".tmp{os.getpid()}")
        temporary.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, path)  # readers see the whole entry or none of it
        _prune(directory, path)
    except OSError as exc:
        log.info("fact cache not written (%s); the next start extracts again", exc)
    return facts, surface


def _prune(directory: Path, keep: Path) -> None:
    entries = sorted(directory.glob("facts-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        if old != keep:
            with contextlib.suppress(OSError):
                old.unlink()
