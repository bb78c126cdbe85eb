"""Real-world input never breaks a corpus (issue 15): one test per kind of input, each with its
own invented text. The closing note of the issue lists what each input gets."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from pearlbot.bot.cli import main
from pearlbot.corpus import chunk_document, load_corpus, parse_article
from pearlbot.corpus.facts import extract_facts
from pearlbot.corpus.facts import figures as figure_module
from pearlbot.corpus.ingest import add_articles, decode_html
from pearlbot.corpus.loading import document_id
from pearlbot.corpus.models import Document
from pearlbot.retrieval import answer_question, build_knowledge_base
from tests.conftest import SEED_FILE

GOOD = """Lakeport and Hillcrest sign a school agreement
Release time:2021-05-06

Lakeport District has paired with Hillcrest County since 2018.

Lakeport has sent 14 teachers to Hillcrest County this year.
"""

TURKISH = """Ridgeway opens a clinic
Release time:2021-05-07

Ridgeway sent sıx teachers and NİNE doctors to Stonebrook County in İzmir week.

The clinic treated 120 patients in its first month.
"""


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")
    monkeypatch.delenv("PEARLBOT_CORPUS", raising=False)


def _facts(text: str, title: str = "T") -> list:
    document = Document(id="d", title=title, source="d.txt", text=text)
    return extract_facts(document, chunk_document(document))


# --- fault isolation ------------------------------------------------------------------------


def test_a_turkish_article_loads_and_the_corpus_answers_and_removes(tmp_path, capsys):
    """ı and İ never match i: no crash, the other article answers, `corpus remove` works."""
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "turkish.txt").write_text(TURKISH, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert {d.id for d in corpus.documents} == {"good", "turkish"}
    kb = build_knowledge_base(corpus)
    figures = [f for f in kb.facts if f.kind == "figure" and f.source.doc_id == "turkish"]
    assert [f.value for f in figures] == [120]  # "sıx" and "NİNE" are no numbers
    answer = answer_question(kb, "Which county is Lakeport District paired with?")
    assert answer.answer and "Hillcrest" in answer.answer
    assert main(["--corpus", str(tmp_path), "corpus", "remove", "turkish"]) == 0
    assert "removed turkish" in capsys.readouterr().out
    assert not (tmp_path / "turkish.txt").exists()


def test_one_failing_extractor_costs_only_its_facts(monkeypatch, caplog):
    """A bug in one step of one sentence: that step's facts go, the others stay, one warning."""

    def broken(sentence, book):
        raise ValueError("could not convert string to float: 'x'\nsecond line")

    monkeypatch.setattr("pearlbot.corpus.facts.extract_figures", broken)
    with caplog.at_level(logging.WARNING, logger="pearlbot"):
        facts = _facts(
            "Lakeport District has paired with Hillcrest County. It sent 14 teachers in 2019."
        )
    kinds = {f.kind for f in facts}
    assert "figure" not in kinds and {"pairing", "date"} <= kinds
    warnings = [r.getMessage() for r in caplog.records if "figures not read" in r.getMessage()]
    assert len(warnings) == 1 and "d.txt" in warnings[0] and "second line" not in warnings[0]


def test_a_file_whose_parser_crashes_is_one_problem_and_the_rest_loads(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.txt").write_text(GOOD.replace("Lakeport", "Brokenvale"), encoding="utf-8")
    real = parse_article

    def crashing(raw, *, doc_id, source):
        if "Brokenvale" in raw:
            raise KeyError("Region")
        return real(raw, doc_id=doc_id, source=source)

    monkeypatch.setattr("pearlbot.corpus.loading.parse_article", crashing)
    corpus = load_corpus(tmp_path)
    assert [d.id for d in corpus.documents] == ["good"]
    (problem,) = corpus.problems
    assert problem.path.endswith("bad.txt") and "KeyError" in problem.reason


def test_corpus_list_and_remove_work_on_a_folder_where_nothing_loads(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01 binary")
    assert main(["--corpus", str(tmp_path), "corpus", "list"]) == 0
    out = capsys.readouterr()
    assert "0 documents" in out.out and "empty.txt" in out.err and "binary.txt" in out.err
    assert main(["--corpus", str(tmp_path), "corpus", "remove", "binary"]) == 0
    assert not (tmp_path / "binary.txt").exists()


# --- the corpus path ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["ask", "what?"], ["corpus", "list"], ["corpus", "add", "x"]])
def test_an_empty_corpus_path_is_a_usage_error(command, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # what "" would read: it must not
    assert main(["--corpus", "", *command]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "empty" in err


def test_an_empty_pearlbot_corpus_is_unset(monkeypatch, capsys):
    monkeypatch.setenv("PEARLBOT_CORPUS", "")
    assert main(["corpus", "list"]) == 0
    assert SEED_FILE.stem in capsys.readouterr().out


# --- encodings ------------------------------------------------------------------------------

NICKNAME_PAGE = """<html><head><meta charset="iso-8859-1"><title>Eastvale welcomes visitors</title>
</head><body><h1>Eastvale welcomes visitors</h1>
<p>Release time:2021-03-04</p>
<p>The \u201cRiver Pearl\u201d Eastvale welcomed a delegation of forty visitors from Northgate
City on Monday, and the two sides agreed to work together on tourism.</p>
<p>Eastvale has invested 12 million yuan in Northgate City since 2019, officials said.</p>
</body></html>"""


def test_an_iso_8859_1_page_is_read_as_windows_1252(tmp_path):
    """Browsers read the label iso-8859-1 as windows-1252: curly quotes survive."""
    data = NICKNAME_PAGE.encode("cp1252")
    assert "\u201cRiver Pearl\u201d" in decode_html(data)
    page = tmp_path / "eastvale.html"
    page.write_bytes(data)
    report = add_articles(tmp_path / "corpus", [page])
    assert [a.doc_id for a in report.added] == ["eastvale"]
    corpus = load_corpus(tmp_path / "corpus")
    (doc,) = corpus.documents
    assert "\u201cRiver Pearl\u201d Eastvale" in doc.text
    nicknames = [
        f for f in extract_facts(doc, list(corpus.passages)) if f.kind == "place" and f.nickname
    ]
    assert [(f.name, f.nickname) for f in nicknames] == [("Eastvale", "River Pearl")]


GBK_TEXT = (
    "东谷县与北岭区结对帮扶\n\n"
    "二〇二一年春天，北岭区向东谷县派出了十二名教师和八名医生，帮助当地发展教育和医疗事业。"
    "双方还签订了旅游合作协议，计划在今后三年内共同开发山区的旅游资源，增加农民的收入。\n"
)


def test_an_undeclared_gbk_page_and_text_file_load(tmp_path):
    page = f"<html><body><h1>东谷县</h1><p>{GBK_TEXT}</p></body></html>".encode("gbk")
    assert "北岭区向东谷县派出" in decode_html(page)
    (tmp_path / "gbk.txt").write_bytes(GBK_TEXT.encode("gbk"))
    corpus = load_corpus(tmp_path)
    (doc,) = corpus.documents
    assert doc.title == "东谷县与北岭区结对帮扶"
    (note,) = corpus.notes
    assert "not UTF-8; read as gb18030" in note.reason
    report = add_articles(tmp_path / "added", [tmp_path / "gbk.txt"])
    assert [a.doc_id for a in report.added] == ["gbk"]
    assert "read as gb18030; stored as UTF-8" in report.notes[0].reason
    stored = (tmp_path / "added" / "gbk.txt").read_text(encoding="utf-8")
    assert stored.startswith("东谷县与北岭区结对帮扶")


# --- Markdown -------------------------------------------------------------------------------

MARKDOWN = """---
title: >
  Northgate teachers
  arrive in Eastvale
date: 2022-03-01
---

Forty teachers from Northgate arrived in Eastvale on Monday for a term of work.

<div class="advert">
<p>Subscribe to our newsletter today and win a prize.</p>
</div>

    print("this is code, not prose")

They will teach in six schools.
"""


def test_markdown_front_matter_html_and_code_blocks():
    doc = parse_article(MARKDOWN, doc_id="m", source="m.md")
    assert doc.title == "Northgate teachers arrive in Eastvale"  # a folded block scalar
    assert doc.released == dt.date(2022, 3, 1)
    assert [p.text for p in chunk_document(doc)] == [
        "Forty teachers from Northgate arrived in Eastvale on Monday for a term of work.",
        "They will teach in six schools.",
    ]


# --- traditional Chinese --------------------------------------------------------------------


def test_a_traditional_chinese_question_is_answered(seed_kb):
    answer = answer_question(seed_kb, "民和縣和哪個區結對？")
    assert answer.answer == "Xinwu District"


# --- numbers and dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "value", "low", "high", "unit"),
    [
        ("Northgate invested ¥503 million in the county.", 503e6, None, None, "yuan"),
        ("The fund reached 1.37bn yuan last year.", 1.37e9, None, None, "yuan"),
        ("Northgate gave 503m yuan to the county.", 503e6, None, None, "yuan"),
        ("The roads will cost 50-60 million yuan in all.", 50e6, 50e6, 60e6, "yuan"),
        ("Each family received a 300,000-yuan grant from Northgate.", 3e5, None, None, "yuan"),
        ("The county raised 5.03 hundred million yuan for roads.", 503e6, None, None, "yuan"),
        ("Three hundred and forty-two teachers were sent to the county.", 342, None, None,
         "teachers"),
        ("Northgate sent two thousand and six nurses to the county.", 2006, None, None, "nurses"),
        ("The CNY 20 million fund was set up.", 20e6, None, None, "yuan"),
        ("北岭投资5.03亿元。", 503e6, None, None, "yuan"),
        ("北岭帮助3万人就业。", 3e4, None, None, "人"),
        ("The plan sets aside RMB 7 billion for schools.", 7e9, None, None, "yuan"),
    ],
)  # fmt: skip
def test_each_number_form_reads_its_value(sentence, value, low, high, unit):
    (figure,) = [f for f in _facts(sentence) if f.kind == "figure"]
    assert (figure.value, figure.low, figure.high, figure.unit) == (value, low, high, unit)


def test_a_currency_sign_before_the_number_is_part_of_its_text():
    (figure,) = [
        f for f in _facts("Northgate has invested ¥50 million there.") if f.kind == "figure"
    ]
    assert figure.text == "¥50 million" and figure.source.quote.endswith("¥50 million")


@pytest.mark.parametrize(
    "sentence",
    [
        "Peaks rise above 4,000m in the county.",  # metres, not millions
        "The projects cost 30 million yuan (about $4.6 million) in all.",  # one figure, not two
        "Income rose from 40.5 percent in 2015 to 12.5 percent last year.",
    ],
)
def test_what_is_not_a_figure_of_its_own(sentence):
    values = [f.value for f in _facts(sentence) if f.kind == "figure"]
    assert 4000 not in values and 4.6e6 not in values and 2015 not in values


def test_no_number_pattern_reads_non_ascii_letters_or_digits():
    for text in ("sıx", "NİNE", "ſix", "٣ teachers", "३ doctors", "１２ teachers"):
        assert figure_module.read_amounts(text) == [], text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Wednesday, August 7, 2019", dt.date(2019, 8, 7)),
        ("Date: 7th of August 2019", dt.date(2019, 8, 7)),  # dateparser behind the regexes
        ("Released on: July 11, 2022", dt.date(2022, 7, 11)),
        ("Updated: 2022-07-11 09:30", dt.date(2022, 7, 11)),
        ("(Xinhua) 09:12, March 05, 2021", dt.date(2021, 3, 5)),
        ("Time: 2021-05-06 10:12:33", dt.date(2021, 5, 6)),
        ("By Lin Rui | Eastvale Daily | Updated: 2021-05-06 10:12", dt.date(2021, 5, 6)),
    ],
)
def test_header_dates(line, expected):
    raw = f"Northgate teachers arrive in Eastvale\n{line}\n\nForty teachers arrived on Monday."
    assert parse_article(raw, doc_id="h", source="h.txt").released == expected


PAGE_LEFTOVERS = """Eastvale Online
www.eastvale-news.cn
Home > News > Local News

Northgate teachers arrive in Eastvale
Source: Eastvale Daily
Editor: Lin Rui
Updated: 2022-07-11 09:30
Print | Share

Forty teachers from Northgate arrived in Eastvale on Monday for a term of work in six schools.

The two sides have been paired since 2016.

Print | Close
"""


def test_title_and_date_among_page_leftovers():
    doc = parse_article(PAGE_LEFTOVERS, doc_id="p", source="p.txt")
    assert doc.title == "Northgate teachers arrive in Eastvale"
    assert doc.released == dt.date(2022, 7, 11)
    assert doc.text.startswith("Forty teachers") and doc.text.endswith("since 2016.")


def test_a_date_line_under_the_article_is_its_release_date():
    raw = (
        "Eastvale opens a school\n\nThe school opened on Monday with 300 pupils.\n\nJuly 8, 2019\n"
    )
    doc = parse_article(raw, doc_id="u", source="u.txt")
    assert doc.released == dt.date(2019, 7, 8) and doc.text.endswith("300 pupils.")


def test_a_headline_that_mentions_a_date_is_still_the_headline():
    raw = "Work began on August 7, 2019 at the new school\n\nBuilders arrived early that day."
    doc = parse_article(raw, doc_id="w", source="w.txt")
    assert doc.title.startswith("Work began") and doc.released is None


# --- document ids ---------------------------------------------------------------------------


def test_ids_from_chinese_and_accented_names_are_readable_and_stable(tmp_path):
    assert document_id("民和县结对帮扶") == "min-he-xian-jie-dui-bang-fu"
    assert document_id("Café Ümlaut") == "cafe-umlaut"
    assert document_id("northgate-2021-05-06") == "northgate-2021-05-06"  # ASCII: as ever
    (tmp_path / "北岭结对.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "Café Ümlaut.txt").write_text(TURKISH, encoding="utf-8")
    ids = {d.id for d in load_corpus(tmp_path).documents}
    assert ids == {"bei-ling-jie-dui", "cafe-umlaut"}
    assert ids == {d.id for d in load_corpus(tmp_path).documents}
    report = add_articles(tmp_path / "added", [tmp_path / "北岭结对.txt"])
    assert [a.doc_id for a in report.added] == ["bei-ling-jie-dui"]


# --- near-duplicates ------------------------------------------------------------------------

RELEASE = """Northgate and Eastvale sign a tourism agreement
Release time:2021-04-01

Northgate District and Eastvale County signed a tourism agreement on Tuesday in Eastvale.

Under the agreement, Northgate will send 40 guides to Eastvale and help the county build
three visitor centres in its mountain villages over the next two years.

Northgate has invested 12 million yuan in Eastvale since 2018, and 35 companies from the
district have opened branches in the county, creating 1,200 local jobs.

Officials from both sides said the agreement would bring more visitors to the villages and
raise the incomes of farmers who run guest houses along the river.
"""


def test_a_near_duplicate_is_reported_and_loaded_once(tmp_path):
    edited = RELEASE.replace("on Tuesday", "on Tuesday afternoon").replace("40 guides", "45 guides")
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(edited, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [d.id for d in corpus.documents] == ["a"]
    (problem,) = corpus.problems
    assert problem.path.endswith("b.txt") and "near-duplicate of" in problem.reason
    report = add_articles(tmp_path / "added", [tmp_path / "a.txt", tmp_path / "b.txt"])
    assert [a.doc_id for a in report.added] == ["a"]
    assert "near-duplicate of a" in report.skipped[0].reason


def test_two_different_releases_are_not_near_duplicates(tmp_path):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD, encoding="utf-8")
    assert len(load_corpus(tmp_path).documents) == 2


@pytest.mark.parametrize(
    ("sentence", "date", "shown"),
    [
        ("Northgate held a news conference on Sept 18.", "2021-09-18", "Sept 18"),
        ("Work began on Feb. 25, 2021.", "2021-02-25", "Feb. 25, 2021"),
        ("The fair opened on the 7th of August, 2019.", "2019-08-07", "7th of August, 2019"),
        ("Wednesday, August 7, 2019 was the opening day.", "2019-08-07", "August 7, 2019"),
    ],
)
def test_body_dates_abbreviated_or_left_to_dateparser(sentence, date, shown):
    document = Document(
        id="d", title="T", source="d.txt", text=sentence, released=dt.date(2021, 9, 20)
    )
    dates = [f for f in extract_facts(document, chunk_document(document)) if f.kind == "date"]
    assert [(f.date, f.text) for f in dates if f.source.passage_id] == [(date, shown)]


def test_a_month_and_year_is_no_day():
    dates = [f for f in _facts("Output reached 1,200 tons by Dec 2020.") if f.kind == "date"]
    assert all(f.precision != "day" for f in dates)


@pytest.mark.parametrize(
    ("sentence", "start", "end", "shown"),
    [
        ("On June 3-4, a delegation visited Eastvale.", "2021-06-03", "2021-06-04", "June 3-4"),
        ("From May 12 to 15, the fair was held.", "2021-05-12", "2021-05-15", "May 12 to 15"),
        ("The tour ran from July 30th to August 1st.", "2021-07-30", "2021-08-01",
         "July 30th to August 1st"),
    ],
)  # fmt: skip
def test_day_ranges_keep_both_ends(sentence, start, end, shown):
    document = Document(
        id="d", title="T", source="d.txt", text=sentence, released=dt.date(2021, 9, 20)
    )
    facts = extract_facts(document, chunk_document(document))
    (fact,) = [f for f in facts if f.kind == "date" and f.source.passage_id]
    assert (fact.date, fact.end, fact.precision, fact.text) == (start, end, "range", shown)


def test_a_number_after_a_day_is_no_range():
    dates = [f for f in _facts("From May 12 to 15,000 people came.") if f.kind == "date"]
    assert all(f.precision != "range" for f in dates)


def test_a_count_without_an_auxiliary_keeps_what_it_did():
    (figure,) = [
        f for f in _facts("Last year 812 households escaped poverty.") if f.kind == "figure"
    ]
    assert (figure.value, figure.unit, figure.measure) == (
        812,
        "households",
        "households escaped poverty",
    )
    (figure,) = [f for f in _facts("Seven Northgate nurses left the town.") if f.kind == "figure"]
    assert (figure.unit, figure.text) == ("nurses", "Seven Northgate nurses")


def test_a_site_name_above_the_headline_without_breadcrumbs():
    raw = (
        "Eastvale Daily\nNorthgate teachers arrive in Eastvale\nUpdated: 2022-07-11\n\n"
        "Forty teachers from Northgate arrived in Eastvale on Monday for a term of work."
    )
    doc = parse_article(raw, doc_id="s", source="s.txt")
    assert (doc.title, doc.released) == (
        "Northgate teachers arrive in Eastvale",
        dt.date(2022, 7, 11),
    )
    assert doc.text.startswith("Forty teachers")


def test_a_title_case_headline_with_a_release_line_stays_the_headline():
    raw = "Northgate Opens New School\nRelease time:2020-01-01\n\nThe school opened on Monday."
    assert parse_article(raw, doc_id="t", source="t.txt").title == "Northgate Opens New School"
