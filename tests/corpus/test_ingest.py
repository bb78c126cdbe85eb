"""`pearlbot corpus add/list/show/remove`: HTML extraction, stored files, duplicates, bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pearlbot.bot.cli import main
from pearlbot.corpus import load_corpus, parse_article
from pearlbot.corpus.ingest import (
    ArticleRecord,
    add_articles,
    clean_title,
    decode_html,
    extract_html,
    read_html,
    read_record,
    release_text,
    text_digest,
)
from tests.conftest import DATA, SEED_FILE

HTML = DATA / "html"
EXPECTED = json.loads((HTML / "expected.json").read_text(encoding="utf-8"))
# trafilatura keeps an image caption that sits in its own <p>; the one known extra paragraph.
KNOWN_EXTRA = {"huzhu-hospital.html": ["The opening ceremony of the telemedicine centre"]}
CHROME = (
    "Browse", "Release time", "All rights reserved", "Related", "Hot News", "Most Read",
    "Comments", "Editor", "Copyright", "Share", "Print", "You may also like", "Sponsored",
)  # fmt: skip
FIXED_NOW = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)


def _add(folder: Path, *paths: Path):
    return add_articles(folder, list(paths), now=lambda: FIXED_NOW)


def _extract(name: str):
    page = extract_html(read_html(HTML / name))
    return page, parse_article(page.release, doc_id="x", source=name)


# --- HTML extraction ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_html_title_date_canonical_and_credit(name):
    expected = EXPECTED[name]
    page, doc = _extract(name)
    assert doc.title == expected["title"]
    assert doc.released == dt.date.fromisoformat(expected["released"])
    assert page.source_url == expected["source_url"]
    assert doc.credit == expected["credit"]
    assert page.extractor.startswith("trafilatura ")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_html_body_is_the_article_paragraphs(name):
    _, doc = _extract(name)
    paragraphs = doc.text.split("\n\n")
    extra = [p for p in paragraphs if p not in EXPECTED[name]["paragraphs"]]
    assert [p for p in paragraphs if p not in extra] == EXPECTED[name]["paragraphs"]
    assert extra == KNOWN_EXTRA.get(name, [])
    for chrome in CHROME:
        assert chrome not in doc.text, chrome


def test_page_without_an_article_is_refused():
    with pytest.raises(ValueError, match="no article"):
        extract_html(read_html(HTML / "news-index.html"))
    with pytest.raises(ValueError, match="no article"):
        extract_html("")


def test_charset_declared_or_not():
    gbk = (HTML / "hualong-salmon-gbk.html").read_bytes()
    assert "海东市人民政府" in decode_html(gbk)
    assert decode_html("<p>Café</p>".encode()) == "<p>Café</p>"
    # Undeclared and not UTF-8: charset-normalizer's guess, never a refusal.
    assert decode_html("<p>Café au lait</p>".encode("latin-1")).startswith("<p>Caf")
    with pytest.raises(ValueError, match="binary"):
        decode_html(b"\x89PNG\r\n\x1a\n\x00\x00")


@pytest.mark.parametrize(
    ("title", "page", "expected"),
    [
        ("Wuxi opens a school | Wuxi News", "", "Wuxi opens a school"),
        ("Wuxi opens a school_Haidong Municipal People's Government", "", "Wuxi opens a school"),
        ("Wuxi opens a school - Liangxi", "<h1>Wuxi opens a school</h1>", "Wuxi opens a school"),
        ("Haidong - a year on the plateau", "", "Haidong - a year on the plateau"),
        ("Short | Wuxi News", "", "Short | Wuxi News"),
    ],
)  # fmt: skip
def test_clean_title_drops_the_site_name(title, page, expected):
    assert clean_title(title, page) == expected


# --- adding to a corpus folder -----------------------------------------------------------


def test_added_page_is_stored_as_release_text_with_a_sidecar(tmp_path):
    report = _add(tmp_path, HTML / "minhe-cooperatives.html")
    (added,) = report.added
    assert added.doc_id == "minhe-cooperatives" and not report.skipped
    stored = tmp_path / "minhe-cooperatives.txt"
    text = stored.read_text(encoding="utf-8")
    assert text.startswith(
        "Wuxi helps Minhe farmers set up cooperatives\nRelease time:2019-10-21\n"
    )
    assert text.rstrip().endswith("were sold in Wuxi. (Photo/Haidong Daily)")
    record = read_record(stored)
    assert record == ArticleRecord(
        article="minhe-cooperatives.txt",
        original_name="minhe-cooperatives.html",
        original_format="html",
        original_sha256=record.original_sha256,
        source_url="http://www.haidong.gov.cn/html/en/2019-10/21/content_88412.html",
        extractor=record.extractor,
        added_at=FIXED_NOW,
    )
    assert len(record.original_sha256) == 64 and record.extractor.startswith("trafilatura")
    # The ordinary loader reads the stored file back as the same document.
    (doc,) = load_corpus(tmp_path).documents
    assert (doc.id, doc.released, doc.credit) == (
        "minhe-cooperatives",
        dt.date(2019, 10, 21),
        "Haidong Daily",
    )


def test_txt_and_md_are_stored_normalised(tmp_path):
    md = tmp_path / "in" / "doctors.md"
    md.parent.mkdir()
    md.write_text(
        "---\ntitle: Wuxi doctors arrive\ndate: 2019-07-11\n---\n\n"
        "Twelve **doctors** arrived in [Minhe](http://x.org) on July 10.\n\n(Source/Wuxi Daily)\n",
        encoding="utf-8",
    )
    report = _add(tmp_path / "corpus", md, SEED_FILE)
    assert [a.doc_id for a in report.added] == ["doctors", "wuxi-haidong-2019-08-07"]
    stored = (tmp_path / "corpus" / "doctors.txt").read_text(encoding="utf-8")
    assert stored == (
        "Wuxi doctors arrive\nRelease time:2019-07-11\n\n"
        "Twelve doctors arrived in Minhe on July 10. (Source/Wuxi Daily)\n"
    )
    seed = load_corpus(SEED_FILE).documents[0]
    again = load_corpus(tmp_path / "corpus").document("wuxi-haidong-2019-08-07")
    assert again.model_dump(exclude={"source"}) == seed.model_dump(exclude={"source"})
    assert (
        "Technical Support" not in (tmp_path / "corpus" / "wuxi-haidong-2019-08-07.txt").read_text()
    )


def test_same_article_as_html_and_txt_is_added_once(tmp_path):
    report = _add(tmp_path, HTML / "wuxi-haidong-visit.html", SEED_FILE)
    assert [a.doc_id for a in report.added] == ["wuxi-haidong-visit"]
    (skipped,) = report.skipped
    assert skipped.path == str(SEED_FILE)
    assert "same article as wuxi-haidong-visit" in skipped.reason
    assert "Investigate the counterpart assistance work in Qinghai" in skipped.reason


def test_article_already_in_the_folder_is_skipped_on_a_later_add(tmp_path):
    _add(tmp_path, SEED_FILE)
    md = tmp_path.parent / f"{tmp_path.name}-copy.md"  # the same text, reformatted as Markdown
    raw = SEED_FILE.read_text(encoding="utf-8")
    md.write_text("# " + raw.replace("Wuxi Daily", "Someone Else"), encoding="utf-8")
    report = _add(tmp_path, md, HTML / "wuxi-haidong-visit.html")
    assert not report.added
    assert [p.reason.split(" (")[0] for p in report.skipped] == [
        "same article as wuxi-haidong-2019-08-07"
    ] * 2
    assert len(load_corpus(tmp_path).documents) == 1


def test_digest_ignores_spacing_case_and_punctuation():
    a = parse_article("T\n\nWuxi  invested 503 million yuan.", doc_id="a", source="a")
    b = parse_article("Other\n\nwuxi invested “503” million yuan", doc_id="b", source="b")
    assert text_digest(a) == text_digest(b)


def test_taken_names_get_a_suffix(tmp_path):
    (tmp_path / "in").mkdir()
    other = tmp_path / "in" / "minhe-cooperatives.txt"
    other.write_text("A different article\n\nIt says something else entirely.\n")
    report = _add(tmp_path / "c", HTML / "minhe-cooperatives.html", other)
    assert [a.doc_id for a in report.added] == ["minhe-cooperatives", "minhe-cooperatives-2"]
    assert {d.id for d in load_corpus(tmp_path / "c").documents} == {
        "minhe-cooperatives",
        "minhe-cooperatives-2",
    }


def test_each_bad_input_is_one_reason_and_the_rest_is_added(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "notes.pdf").write_bytes(b"%PDF-1.4")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (bad / "latin1.txt").write_bytes("Café title\n\nbody".encode("latin-1"))
    (bad / "empty.md").write_text("")
    (bad / "index.html").write_bytes((HTML / "news-index.html").read_bytes())
    paths = [bad / n for n in ("missing.txt", "notes.pdf", "binary.txt", "latin1.txt", "empty.md")]
    report = _add(tmp_path / "c", *paths, bad / "index.html", HTML / "xunhua-tourism.html")
    # Latin-1 is not refused any more: charset-normalizer reads it (tests/corpus/test_input.py).
    assert [a.doc_id for a in report.added] == ["latin1", "xunhua-tourism"]
    reasons = {Path(p.path).name: p.reason for p in report.skipped}
    assert reasons == {
        "missing.txt": "no such file",
        "notes.pdf": "unsupported file type (.pdf); add .txt, .md or .html",
        "binary.txt": "is a binary file, not text",
        "empty.md": "the file is empty",
        "index.html": "no article found in the page (no paragraph of prose)",
    }


def test_a_folder_is_walked(tmp_path):
    report = _add(tmp_path / "c", HTML)
    assert len(report.added) == len(EXPECTED)
    assert [Path(p.path).name for p in report.skipped] == ["news-index.html"]  # not the .json


def test_release_text_round_trips():
    doc = load_corpus(SEED_FILE).documents[0]
    again = parse_article(release_text(doc), doc_id=doc.id, source=doc.source)
    assert again == doc


# --- the command line --------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch, capsys):
    monkeypatch.delenv("PEARLBOT_CORPUS", raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_add_needs_a_corpus_folder(cli):
    code, _, err = cli("corpus", "add", str(SEED_FILE))
    assert code == 2 and err.count("\n") == 1
    assert "read-only" in err and "--corpus" in err


def test_add_refuses_the_packaged_seeds(cli):
    code, _, err = cli("--corpus", str(SEED_FILE.parent), "corpus", "add", str(SEED_FILE))
    assert code == 2 and "read-only" in err and err.count("\n") == 1


def test_add_reports_each_problem_and_exits_2_only_if_nothing_was_added(cli, tmp_path):
    folder = str(tmp_path / "c")
    page = str(HTML / "minhe-cooperatives.html")
    code, out, err = cli("--corpus", folder, "corpus", "add", str(tmp_path / "nope.txt"), page)
    assert code == 0 and "added minhe-cooperatives  2019-10-21" in out
    assert err.splitlines() == [f"pearlbot: skipped {tmp_path / 'nope.txt'}: no such file"]
    code, _, err = cli("corpus", "add", "--corpus", folder, str(HTML / "news-index.html"))
    assert code == 2 and "news-index.html: no article found" in err
    # Adding what is already there again is not an error.
    code, out, err = cli("corpus", "--corpus", folder, "add", str(HTML / "minhe-cooperatives.html"))
    assert code == 0 and "0 added, 1 skipped" in out
    assert "same article as minhe-cooperatives" in err


def test_list_show_remove(cli, tmp_path):
    folder = str(tmp_path)
    cli("--corpus", folder, "corpus", "add", str(HTML / "xunhua-tourism.html"), str(SEED_FILE))
    for args in (["corpus"], ["corpus", "list"], ["corpus", "--passages"]):
        code, out, _ = cli("--corpus", folder, *args)
        assert code == 0 and "2 documents" in out
        assert "xunhua-tourism  2020-06-30  9 passages" in out
    code, out, _ = cli("corpus", "list", "--passages", "--corpus", folder)
    assert "[xunhua-tourism#1] 0-" in out
    code, out, _ = cli("corpus", "show", "xunhua-tourism", "--corpus", folder)
    assert code == 0
    assert "source    https://en.qinghai.example/news/2020-06/30/c_551234.htm" in out
    assert "from xunhua-tourism.html (html, trafilatura" in out
    assert "[xunhua-tourism#5] " in out
    code, out, _ = cli("corpus", "show", "--json", "xunhua-tourism", "--corpus", folder)
    shown = json.loads(out)
    assert shown["record"]["original_name"] == "xunhua-tourism.html"
    assert shown["document"]["released"] == "2020-06-30" and len(shown["passages"]) == 9
    code, _, err = cli("corpus", "show", "xunhua", "--corpus", folder)
    assert code == 2 and "did you mean xunhua-tourism?" in err
    code, out, _ = cli("corpus", "remove", "xunhua-tourism", "--corpus", folder)
    assert code == 0 and "removed xunhua-tourism" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "wuxi-haidong-2019-08-07.meta.json",
        "wuxi-haidong-2019-08-07.txt",
    ]
    code, _, err = cli("corpus", "remove", "xunhua-tourism", "--corpus", folder)
    assert code == 2 and "no document 'xunhua-tourism'" in err


def test_seed_articles_cannot_be_removed(cli):
    code, _, err = cli("corpus", "remove", "wuxi-haidong-2019-08-07")
    assert code == 2 and "read-only" in err
    assert SEED_FILE.exists()


def test_ask_and_corpus_list_do_not_import_the_html_extractor():
    code = (
        "import sys; from bot.cli import main; main(['ask', 'hi']); main(['corpus']);"
        " print(sorted(m for m in ('trafilatura', 'lxml', 'justext') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("[]"), out.stdout + out.stderr


def test_add_writes_to_pearlbot_corpus(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("PEARLBOT_CORPUS", str(tmp_path / "env-corpus"))
    code, out, _ = cli("corpus", "add", str(HTML / "huzhu-hospital.html"))
    assert code == 0 and "added huzhu-hospital" in out
    assert (tmp_path / "env-corpus" / "huzhu-hospital.txt").is_file()
    monkeypatch.setenv("PEARLBOT_CORPUS", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    code, _, err = cli("corpus", "add", str(HTML / "huzhu-hospital.html"))
    assert code == 2 and "one folder; 2 were given" in err
