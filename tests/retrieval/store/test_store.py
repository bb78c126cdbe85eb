"""The knowledge store: what it loads equals a fresh build, updates touch one article, and a
damaged, stale, read-only, shared or unsafe store is handled as docs/speed.md says."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pearlbot.retrieval.knowledge as knowledge
from pearlbot.corpus import CorpusError, load_corpus
from pearlbot.retrieval import answer_question
from pearlbot.retrieval.knowledge import (
    KnowledgeBase,
    build_knowledge_base,
    open_knowledge_base,
    store_status,
)
from pearlbot.retrieval.search.analyzer import analyze, analyze_text
from pearlbot.retrieval.store import StoreRefused, database, store_for
from pearlbot.retrieval.store import store as store_module
from pearlbot.seeds import seeds_path
from tests.conftest import EVAL_ARTICLES, ROOT

NEW_ARTICLE = """Qorvantu County opens a water plant built with Eastport's help
Release time:2021-03-04 Browse:

Qorvantu County opened a water plant on March 2, 2021. The plant cost 77 million yuan and
serves 41,000 residents.

Eastport invested 12 million yuan in the plant.
"""
QUESTION = "How much did the Qorvantu County water plant cost?"


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A corpus folder: the seed, the evaluation articles and the real ones (33 files)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    real = sorted((ROOT / "eval" / "real").glob("*.txt"))
    for source in [*seeds_path().glob("*.txt"), *EVAL_ARTICLES.glob("*.txt"), *real]:
        shutil.copy(source, folder / source.name)
    return folder


@pytest.fixture(params=["passages made at load", "passages made when read"])
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Path:
    """Stores in a private folder, for corpora of any size; every test runs with the passages
    a store reads made at once (small corpora) and made when first read (large ones)."""
    root = tmp_path / "stores"
    monkeypatch.setenv("PEARLBOT_STORE_DIR", str(root))
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")
    monkeypatch.setattr(knowledge, "STORE_MIN_FILES", 1)
    if request.param == "passages made when read":
        monkeypatch.setattr(store_module, "LAZY_PASSAGES", 1)
    return root


def assert_same(a: KnowledgeBase, b: KnowledgeBase) -> None:
    """Two knowledge bases hold the same corpus, facts, words and rankings."""
    assert a.corpus.documents == b.corpus.documents
    assert a.corpus.passages == b.corpus.passages
    assert a.corpus.problems == b.corpus.problems
    assert a.facts == b.facts
    assert a.corpus_words == b.corpus_words
    assert a.doc_words == b.doc_words
    assert a.proper_words == b.proper_words
    assert a.stem_words == b.stem_words
    assert a.vocabulary == b.vocabulary
    assert a.place_words == b.place_words
    assert a.rows_by_doc == b.rows_by_doc
    assert a.row_docs.tolist() == b.row_docs.tolist()
    # A store narrows docs_with by the postings and the titles; a fresh build reads every
    # document's words: both find the same documents for every word of the corpus.
    every = sorted({w for ws in b.doc_words.values() for w in ws} | {"the", "absent"})
    assert [a.docs_with(w) for w in every] == [b.docs_with(w) for w in every]
    for question in ("water plant cost", "Minhe County pairing", "assistance projects funds"):
        terms = analyze(question)
        assert a.index.top(terms, 10) == b.index.top(terms, 10)
    # The postings know each passage's terms exactly as analysing its text does.
    asked = set(analyze("water plant cost Minhe County pairing assistance projects yuan"))
    for kb in (a, b):
        held = kb.terms_in_rows(asked, range(len(kb.passages)))
        assert held == {r: asked & analyze_text(p.text) for r, p in enumerate(kb.passages)}
        assert any(held.values())


def fresh(folder: Path) -> KnowledgeBase:
    return build_knowledge_base(load_corpus(folder))


def test_store_loads_what_a_fresh_build_makes(articles: Path, stores: Path) -> None:
    """The first open builds the store, the second reads it; both equal a build from files."""
    built = open_knowledge_base([articles])
    assert built.store_generation == 1
    again = open_knowledge_base([articles])
    assert again.store_generation == 1
    assert_same(again, fresh(articles))
    assert (stores.iterdir().__next__().stat().st_mode & 0o777) == 0o700


def test_add_change_remove_one_article(articles: Path, stores: Path) -> None:
    """Each update reads only the article that changed and answers from it."""
    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    (articles / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    report = store.sync()
    assert (report.added, report.changed, report.removed) == (1, 0, 0)
    kb = open_knowledge_base([articles])
    assert_same(kb, fresh(articles))
    answer = answer_question(kb, QUESTION)
    assert answer.passages and answer.passages[0].doc_id == "qorvantu"
    assert "77 million" in (answer.answer or "") + answer.passages[0].text

    (articles / "qorvantu.txt").write_text(NEW_ARTICLE.replace("77 million", "93 million"))
    report = store.sync()
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    kb = open_knowledge_base([articles])
    assert_same(kb, fresh(articles))
    answer = answer_question(kb, QUESTION)
    assert "93 million" in (answer.answer or "") + answer.passages[0].text
    assert "77 million" not in (answer.answer or "")

    (articles / "qorvantu.txt").unlink()
    report = store.sync()
    assert (report.added, report.changed, report.removed) == (0, 0, 1)
    kb = open_knowledge_base([articles])
    assert_same(kb, fresh(articles))
    answer = answer_question(kb, QUESTION)
    assert all(hit.doc_id != "qorvantu" for hit in answer.passages)


def test_a_touched_article_is_not_read_again(articles: Path, stores: Path) -> None:
    """Same size and content, a new modification time: the content hash says unchanged."""
    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    victim = next(articles.glob("*.txt"))
    os.utime(victim, ns=(1, 1))
    report = store.sync()
    assert (report.added, report.changed, report.removed) == (0, 0, 0)
    assert report.unchanged == len(list(articles.iterdir()))
    assert store.status().stale is False


def test_one_folder_by_a_relative_and_an_absolute_path_is_one_store(
    articles: Path, stores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store keeps the files' paths resolved: reaching the same folder by another spelling
    reads no article again (it used to count every file removed and added: a full rebuild)."""
    monkeypatch.chdir(articles.parent)
    relative = open_knowledge_base([Path(articles.name)])
    store = store_for([articles.resolve()], 1)
    assert store is not None
    report = store.sync()
    assert (report.added, report.changed, report.removed) == (0, 0, 0)
    assert report.unchanged == len(list(articles.iterdir()))
    absolute = open_knowledge_base([articles.resolve()])
    assert absolute.store_generation == relative.store_generation == 1
    assert [d.source for d in absolute.corpus.documents] == [
        d.source for d in relative.corpus.documents
    ]


def test_a_folder_given_twice_is_read_once(
    articles: Path, stores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same folder by two spellings, or a folder and one inside it: each file once, with
    the ids a plain load gives (no "-2" for a file met twice)."""
    monkeypatch.chdir(articles.parent)
    kb = open_knowledge_base([Path(articles.name), articles])
    ids = [d.id for d in kb.corpus.documents]
    assert ids == [d.id for d in load_corpus(articles).documents]
    assert not any(id_.endswith("-2") for id_ in ids)


def test_an_opened_store_is_updated_when_an_article_changed(articles: Path, stores: Path) -> None:
    """open_knowledge_base notices a new file by itself (no `index build` needed)."""
    open_knowledge_base([articles])
    (articles / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    kb = open_knowledge_base([articles])
    assert kb.store_generation == 2
    assert kb.corpus.document("qorvantu") is not None


@pytest.mark.parametrize("damage", ["garbage", "truncated", "half-written", "postings", "meta"])
def test_a_damaged_store_is_rebuilt_with_a_message(
    articles: Path, stores: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever is wrong, the store is rebuilt from the articles, never trusted."""
    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    db = store.db_path
    if damage == "garbage":
        db.write_bytes(b"not a database" * 1000)
    elif damage == "truncated":
        with contextlib_closing(sqlite3.connect(db)) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 3])
    elif damage == "half-written":
        # An update that stopped after the rows, before the metadata that makes them current.
        with contextlib_closing(sqlite3.connect(db)) as c:
            c.execute("DELETE FROM meta")
            c.commit()
    elif damage == "postings":
        folder = next(store.folder.glob("postings-*"))
        docs = folder / "docs.npy"
        data = bytearray(docs.read_bytes())
        data[-3] ^= 0x01  # one bit of one posting
        docs.write_bytes(bytes(data))
    else:
        with contextlib_closing(sqlite3.connect(db)) as c:
            c.execute("UPDATE meta SET value = 'other' WHERE key = 'fingerprint'")
            c.commit()
    with caplog.at_level(logging.WARNING, logger="pearlbot"):
        kb = open_knowledge_base([articles])
    assert "knowledge store" in caplog.text and "rebuild" in caplog.text
    assert_same(kb, fresh(articles))
    assert list(articles.iterdir())  # the articles themselves are never touched
    assert open_knowledge_base([articles]).store_generation == kb.store_generation


def contextlib_closing(connection: sqlite3.Connection):  # type: ignore[no-untyped-def]
    import contextlib

    return contextlib.closing(connection)


def _writes_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder or a full disk does to the store: every write fails. (Tests run
    as root, whom chmod does not stop, so the database refuses writes instead.)"""
    real = database.connect

    def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
        if not read_only:
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(path, read_only=True)

    monkeypatch.setattr(database, "connect", connect)


def test_a_read_only_store_still_answers(
    articles: Path, stores: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Up to date: read as it is. Out of date: the articles are read into memory instead."""
    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    for path in store.folder.rglob("*"):
        path.chmod(0o400 if path.is_file() else 0o500)
    store.folder.chmod(0o500)
    _writes_fail(monkeypatch)
    try:
        kb = open_knowledge_base([articles])
        assert kb.store_generation == 1
        (articles / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="pearlbot"):
            kb = open_knowledge_base([articles])
        assert "answering from memory" in caplog.text
        assert kb.store_generation is None
        assert answer_question(kb, QUESTION).passages[0].doc_id == "qorvantu"
    finally:
        for path in [store.folder, *store.folder.rglob("*")]:
            path.chmod(0o700)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod; see the test above")
def test_a_chmod_read_only_store_still_answers(articles: Path, stores: Path) -> None:
    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    store.folder.chmod(0o500)
    try:
        (articles / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        kb = open_knowledge_base([articles])
        assert kb.corpus.document("qorvantu") is not None
    finally:
        store.folder.chmod(0o700)


def test_an_unsafe_folder_is_refused(
    articles: Path, stores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writable by others, or owned by someone else: refused in one line naming the folder."""
    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    store.folder.chmod(0o777)
    with pytest.raises(StoreRefused, match=str(store.folder)) as refused:
        open_knowledge_base([articles])
    assert isinstance(refused.value, CorpusError) and "\n" not in str(refused.value)
    store.folder.chmod(0o720)
    with pytest.raises(StoreRefused, match="other users"):
        store_status([articles])
    store.folder.chmod(0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(store.folder).st_uid + 1)
    with pytest.raises(StoreRefused, match="another user"):
        open_knowledge_base([articles])


def test_the_cli_refuses_an_unsafe_store_in_one_line(
    articles: Path, stores: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pearlbot.bot.cli import main

    open_knowledge_base([articles])
    store = store_for([articles], 1)
    assert store is not None
    store.folder.chmod(0o777)
    assert main(["--corpus", str(articles), "ask", "what?"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(store.folder) in err


_OPEN = """
import json, sys
import pearlbot.retrieval.knowledge as knowledge
knowledge.STORE_MIN_FILES = 1
kb = knowledge.open_knowledge_base([sys.argv[1]])
print(json.dumps([len(kb.corpus.documents), len(kb.passages), len(kb.facts), kb.store_generation]))
"""


def test_two_processes_open_one_store_at_once(articles: Path, stores: Path) -> None:
    """Both build or read the same store; one builds it, the other waits and reads it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN, str(articles)], stdout=subprocess.PIPE, env=env, text=True
        )
        for _ in range(2)
    ]
    outputs = [json.loads(run.communicate(timeout=300)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    expected = fresh(articles)
    for documents, passages, facts, generation in outputs:
        assert (documents, passages, facts) == (
            len(expected.corpus.documents),
            len(expected.passages),
            len(expected.facts),
        )
        assert generation == 1  # built once: the second process found it built


def test_postings_are_memory_mapped(
    articles: Path, stores: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sparse engine scores straight from the store's mapped files: shared by processes."""
    monkeypatch.setenv("PEARLBOT_BM25_ENGINE", "numpy")
    open_knowledge_base([articles])
    kb = open_knowledge_base([articles])
    docs = kb.index._impl.postings.docs  # type: ignore[union-attr]
    assert isinstance(docs, np.memmap) or isinstance(getattr(docs, "base", None), np.memmap)


def test_index_build_and_status_commands(
    articles: Path, stores: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pearlbot.bot.cli import main

    assert main(["--corpus", str(articles), "index", "status"]) == 0
    assert "not built yet" in capsys.readouterr().out
    assert main(["--corpus", str(articles), "index", "build"]) == 0
    out = capsys.readouterr().out
    count = len(list(articles.iterdir()))
    assert f"{count} added" in out
    assert main(["--corpus", str(articles), "index", "status"]) == 0
    out = capsys.readouterr().out
    assert f"documents    {count}" in out and "up to date" in out
    (articles / "qorvantu.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert main(["--corpus", str(articles), "index", "status"]) == 0
    assert "1 new" in capsys.readouterr().out


def test_small_corpora_and_the_seeds_need_no_store(
    articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under STORE_MIN_FILES files (and always for the packaged seeds) the articles are read
    directly: a store would cost more to open than they take to read."""
    root = tmp_path / "stores"
    monkeypatch.setenv("PEARLBOT_STORE_DIR", str(root))
    assert len(list(articles.iterdir())) < knowledge.STORE_MIN_FILES
    assert open_knowledge_base([articles]).store_generation is None
    assert open_knowledge_base().store_generation is None
    assert not root.exists()
    monkeypatch.setenv("PEARLBOT_STORE_DIR", "off")
    monkeypatch.setattr(knowledge, "STORE_MIN_FILES", 1)
    assert open_knowledge_base([articles]).store_generation is None


def test_the_scan_lists_files_as_load_corpus_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """store.article_paths spells and orders paths as str(p) for corpus.article_files."""
    from pearlbot.corpus.loading import article_files
    from pearlbot.retrieval.store.store import article_paths

    for name in ("b.txt", "A.TXT", "c.md", ".hidden.txt", "notes.rst", "sub/x.txt",
                 "sub/deeper/y.MD", ".git/z.txt", "Sub2/w.txt"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for root in (tmp_path, Path("."), Path("sub"), Path("./sub/"), Path("b.txt")):
        expected = [str(p) for p in article_files(root)]
        assert expected and list(article_paths(root)) == expected, root
    assert "sub/deeper/y.MD" in list(article_paths(Path(".")))


def test_passages_made_when_read_read_as_a_tuple(articles: Path, stores: Path) -> None:
    """StoredPassages and PassageRows stand in for the tuple and the dictionary exactly."""
    import pickle

    from pearlbot.retrieval.store.store import PassageRows, StoredPassages

    kb = open_knowledge_base([articles])
    made = fresh(articles)
    passages, expected = kb.corpus.passages, made.corpus.passages
    if not isinstance(passages, StoredPassages):
        assert isinstance(passages, tuple)
        return
    assert passages[-1] == expected[-1] and passages[3:9:2] == expected[3:9:2]
    assert passages[5] is passages[5]  # made once
    assert list(passages) == list(expected) and passages == expected and expected == passages
    assert pickle.loads(pickle.dumps(passages)) == expected
    with pytest.raises(IndexError):
        passages[len(expected)]
    rows = kb.passage_rows
    assert isinstance(rows, PassageRows) and len(rows) == len(made.passage_rows)
    assert dict(rows) == made.passage_rows
    first = expected[0].doc_id
    for wrong in (f"{first}#0", f"{first}#01", f"{first}#99999", f"{first}#²", "absent#1", first):
        assert wrong not in rows and rows.get(wrong) is None
        with pytest.raises(KeyError):
            rows[wrong]
