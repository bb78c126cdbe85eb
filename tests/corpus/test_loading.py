"""Hostile corpus folders: each bad file is named with its reason and the rest keeps serving."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pearlbot.corpus import CorpusError, load_corpus, loading
from tests.conftest import SEED_FILE

GOOD = "Good title\nRelease time:2020-01-02\n\nLake District has paired with Pine County.\n"


def _problems(corpus) -> dict[str, str]:
    return {Path(p.path).name: p.reason for p in corpus.problems}


def test_each_bad_file_is_reported_and_the_good_one_loads(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "latin1.md").write_bytes("Caf\xe9\n\nbody".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "title-only.txt").write_text("Only a title\n")
    with open(tmp_path / "huge.txt", "wb") as f:  # sparse: 50 MB without writing 50 MB
        f.truncate(50 * 1024 * 1024)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")  # not an article suffix: ignored
    corpus = load_corpus(tmp_path)
    # Latin-1 is read with the encoding charset-normalizer detects, and a note says so.
    assert [d.id for d in corpus.documents] == ["good", "latin1"]
    assert "not UTF-8; read as" in {Path(n.path).name: n.reason for n in corpus.notes}["latin1.md"]
    problems = _problems(corpus)
    assert "binary" in problems["binary.txt"]
    assert "empty" in problems["empty.txt"]
    assert "no article text" in problems["title-only.txt"]
    assert "too large" in problems["huge.txt"] and "50.0 MB" in problems["huge.txt"]
    assert "notes.pdf" not in problems


def test_duplicate_articles_are_indexed_once(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text(GOOD.replace("\n\n", "\n\n\n"))  # same words, other spacing
    corpus = load_corpus(tmp_path)
    assert len(corpus.documents) == 1
    assert "duplicate of" in _problems(corpus)["b.txt"]


def test_no_release_line_still_loads(tmp_path):
    (tmp_path / "undated.txt").write_text("Undated\n\nLake District has paired with Pine County.\n")
    (doc,) = load_corpus(tmp_path).documents
    assert doc.released is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_does_not_hang(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    corpus = load_corpus(tmp_path)
    assert [d.id for d in corpus.documents] == ["good"]
    assert "cannot be read" in _problems(corpus)["dangling.txt"]


def test_file_that_disappears_while_loading(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD)
    gone = tmp_path / "gone.txt"
    gone.write_text(GOOD.replace("Lake", "River"))
    listed = list(loading.article_files(tmp_path))
    gone.unlink()  # listed, then removed before it is read
    monkeypatch.setattr(loading, "article_files", lambda root: iter(listed))
    corpus = load_corpus(tmp_path)
    assert [d.id for d in corpus.documents] == ["good"]
    assert "cannot be read" in _problems(corpus)["gone.txt"]


def test_unreadable_permissions(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads everything")
    locked = tmp_path / "locked.txt"
    locked.write_text(GOOD)
    locked.chmod(0)
    assert "cannot be read" in _problems(load_corpus(tmp_path))["locked.txt"]


def test_empty_folder_and_missing_path_are_errors(tmp_path):
    with pytest.raises(CorpusError, match=r"no \.txt or \.md articles"):
        load_corpus(tmp_path)
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")


def test_same_file_twice_in_the_path_list_loads_once(tmp_path):
    corpus = load_corpus([SEED_FILE, SEED_FILE.parent])
    assert len(corpus.documents) == 1
