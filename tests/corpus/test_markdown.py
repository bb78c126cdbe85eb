"""Markdown articles: title and date from headings, labels or front matter; plain passages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pearlbot.corpus import chunk_document, load_corpus, parse_article
from pearlbot.corpus.articles import markdown_inline, parse_date

ARTICLE_MD = """\
---
title: "Wuxi doctors arrive in Minhe: a year of work ahead"
date: 2019-07-11T09:30:00+08:00  # local time
tags: [health, assistance]
---

# Wuxi doctors arrive in Minhe: a year of work ahead

Twelve doctors from [Wuxi People's Hospital](https://example.com/h "the hospital") arrived in
_Minhe County_ on July 10 for a **one-year** assignment.

## What they will do

- Train 40 local doctors in `surgery` and paediatrics.
* Open a clinic for *chronic diseases* &amp; diabetes.
1. Visit 12 villages.
2. Report to Binhu\\_District every month.

Since 2017, the two places have exchanged 120 doctors (see <https://example.com/more>).
2016. That year the pairing began, and the snake_case_word stays as it is.
![a photo of the team](team.jpg)

| District | Funds |
|---|---|
| Binhu | 26 million yuan |

> "We will stay as long as we are needed," said ***Wang Hua***.

*(Photo/Wuxi Daily)*
"""


@pytest.fixture(scope="module")
def doc():
    return parse_article(ARTICLE_MD, doc_id="md", source="wuxi-doctors.md")


def test_front_matter_title_and_date(doc):
    assert doc.title == "Wuxi doctors arrive in Minhe: a year of work ahead"
    assert doc.released == dt.date(2019, 7, 11)
    assert doc.credit == "Wuxi Daily"
    assert "title:" not in doc.text and "tags:" not in doc.text and "---" not in doc.text
    # The heading that repeats the front-matter title is not body text.
    assert not doc.text.startswith("Wuxi doctors arrive")


def test_inline_markdown_is_reduced_to_plain_words(doc):
    assert doc.text.startswith(
        "Twelve doctors from Wuxi People's Hospital arrived in Minhe County on July 10"
        " for a one-year assignment."
    )
    assert "(see https://example.com/more)" in doc.text
    assert "Open a clinic for chronic diseases & diabetes." in doc.text
    assert "Report to Binhu_District every month." in doc.text  # escaped underscore
    assert "snake_case_word" in doc.text  # underscores inside words are not emphasis
    assert '"We will stay as long as we are needed," said Wang Hua.' in doc.text
    for syntax in ("**", "](", "`", "![", "team.jpg", "# ", "|", "&amp;", "> "):
        assert syntax not in doc.text, syntax


def test_blocks_become_their_own_passages(doc):
    texts = [p.text for p in chunk_document(doc)]
    assert "What they will do" in texts  # a body heading, without its hashes
    assert "Train 40 local doctors in surgery and paediatrics." in texts
    assert "Visit 12 villages." in texts and "Report to Binhu_District every month." in texts
    assert "District; Funds" in texts and "Binhu; 26 million yuan" in texts
    # "2016." after a paragraph line is prose, not an ordered list item.
    assert any(t.startswith("2016.") for t in texts)


def test_passage_offsets_are_exact_over_the_cleaned_text(doc):
    passages = chunk_document(doc)
    assert len(passages) >= 10
    for passage in passages:
        assert doc.text[passage.start : passage.end] == passage.text
        assert "*" not in passage.text and "[" not in passage.text


def test_heading_and_date_line():
    raw = "# Wuxi and Haidong sign an agreement\n\nDate: 2021-03-04\n\nThe two cities signed it."
    doc = parse_article(raw, doc_id="h", source="h.md")
    assert doc.title == "Wuxi and Haidong sign an agreement"
    assert doc.released == dt.date(2021, 3, 4)
    assert doc.text == "The two cities signed it."


def test_emphasised_release_line_and_setext_title():
    raw = "Haidong opens a school\n======================\n\n**Release time:** 2020-07-01\n\nBody."
    doc = parse_article(raw, doc_id="s", source="s.md")
    assert (doc.title, doc.released, doc.text) == (
        "Haidong opens a school",
        dt.date(2020, 7, 1),
        "Body.",
    )


def test_front_matter_date_wins_over_a_later_date_line_which_is_dropped():
    raw = "---\ndate: '2019-08-07'\n---\n# T\n\nRelease time: 2019-08-06\n\nBody text here."
    doc = parse_article(raw, doc_id="f", source="f.md")
    assert doc.released == dt.date(2019, 8, 7) and doc.text == "Body text here."


def test_unclosed_front_matter_is_a_rule_not_metadata():
    raw = "---\ntitle: nothing closes this\n\nBody."
    doc = parse_article(raw, doc_id="u", source="u.md")
    assert doc.title == "title: nothing closes this"


def test_plain_txt_keeps_its_asterisks():
    doc = parse_article("T\n\nOutput rose *sharply* in 2019.", doc_id="t", source="t.txt")
    assert doc.text == "Output rose *sharply* in 2019."


def test_md_files_in_a_corpus_folder_are_parsed_as_markdown(tmp_path):
    (tmp_path / "a.md").write_text(ARTICLE_MD, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    (doc,) = corpus.documents
    assert doc.released == dt.date(2019, 7, 11) and "**" not in doc.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-08-07 Browse:", dt.date(2019, 8, 7)),
        ("2019年8月7日", dt.date(2019, 8, 7)),
        ("August 7, 2019", dt.date(2019, 8, 7)),
        ("7 Aug. 2019", dt.date(2019, 8, 7)),
        ("Sept 30th, 2020", dt.date(2020, 9, 30)),
        ("Smarch 7, 2019", None),
        ("2019-02-30", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_wordy_date_line_in_a_plain_article():
    doc = parse_article("T\nPublished: June 30, 2020 | Views: 5\n\nBody.", doc_id="w", source="w")
    assert doc.released == dt.date(2020, 6, 30) and doc.text == "Body."


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("[a [b]](http://x.org/a_(b))", "a [b]"),
        ("**bold _and em_**", "bold and em"),
        ("`**not bold**`", "**not bold**"),
        ("a <span class='x'>b</span> c", "a b c"),
        ("if a<3 and b>2", "if a<3 and b>2"),
        ("5 * 3 * 2", "5 * 3 * 2"),
        ("~~gone~~ kept", "gone kept"),
        ("note[^1] here", "note here"),
        ("[ref link][1]", "ref link"),
    ],
)
def test_markdown_inline(markdown, plain):
    assert markdown_inline(markdown) == plain


MARKDOWN_BITS = st.sampled_from(
    ["# ", "## ", "- ", "1. ", "> ", "**", "_", "*", "`", "[", "](", ")", "<", ">", "|", "---",
     "\n", "\n\n", " ", "word", "Wuxi.", "2019-08-07", "Date: ", "(Photo/X)", "\\", "&amp;"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(MARKDOWN_BITS, max_size=60).map("".join))
def test_any_markdown_parses_or_is_rejected_cleanly(raw):
    try:
        doc = parse_article("Title\n\n" + raw, doc_id="p", source="p.md")
    except ValueError:
        return
    for passage in chunk_document(doc):
        assert doc.text[passage.start : passage.end] == passage.text
        assert passage.text.strip() == passage.text and passage.text
