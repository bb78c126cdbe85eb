"""Hostile input: any text through the question path and the parser, and regexes on 100k inputs."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pearlbot.bot.discord_bot.render import (
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    TITLE_LIMIT,
    answer_embed,
)
from pearlbot.corpus import Document, chunk_document, parse_article, split_sentences
from pearlbot.corpus.facts import extract_facts
from pearlbot.retrieval.answer import answer_question

# The kinds of text people paste into chat, mixed freely.
PIECES = st.sampled_from(
    [
        "", " ", "\n", "\t", "\x00", "\x1b[31m", "\u200b", "\u200f", "\u202e", "\ufeff", "🙂",
        "👍🏽", "民和县", "无锡", "Минхе", "مينخه", "@everyone", "@here", "<@&123456>", "<@42>",
        "<#99>", "```py\nprint(1)\n```", "**bold**", "> quote", "# heading", "||spoiler||",
        "Minhe County", "which Wuxi district pairs with", "?", "1,860", "1.26 billion yuan",
        "Deputy Mayor of", "respectively", '"Taihu Pearl"', "Ping'an", "\\", "%s", "{}", "ﷺ",
    ]
)  # fmt: skip
CHAT_TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=30).map("".join),
)
BOUND_SECONDS = 2.0


def _embed_fits(answer) -> None:
    embed = answer_embed(answer)
    assert len(embed.title) <= TITLE_LIMIT and len(embed.description) <= DESCRIPTION_LIMIT
    assert len(embed.fields) <= FIELD_COUNT_LIMIT
    assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in embed.fields)
    assert len(embed.footer) <= FOOTER_LIMIT and embed.total <= EMBED_TOTAL_LIMIT


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=CHAT_TEXT)
def test_any_question_is_answered_quickly_as_valid_json_that_fits_discord(seed_kb, text):
    start = time.perf_counter()
    answer = answer_question(seed_kb, text)
    assert time.perf_counter() - start < BOUND_SECONDS
    assert answer.question == text
    assert json.loads(json.dumps(answer.model_dump(mode="json")))["question"] == text
    _embed_fits(answer)


@pytest.mark.parametrize(
    "text",
    [
        "x" * 100_000,
        "Minhe County " * 8_000,
        "@everyone " * 10_000,
        "民和县" * 30_000,
        "\u200b" * 100_000,
        "which " * 20_000 + "?",
    ],
)
def test_huge_questions_are_refused_fast_and_still_fit(seed_kb, text):
    start = time.perf_counter()
    answer = answer_question(seed_kb, text)
    assert time.perf_counter() - start < 1.0
    assert answer.answer is None and "too long" in answer.note
    _embed_fits(answer)


@settings(max_examples=200, deadline=None)
@given(raw=CHAT_TEXT)
def test_any_article_text_parses_or_is_refused_and_offsets_hold(raw):
    try:
        doc = parse_article(raw, doc_id="x", source="x")
    except ValueError:
        return
    passages = chunk_document(doc)
    for passage in passages:
        assert doc.text[passage.start : passage.end] == passage.text
    for fact in extract_facts(doc, passages):
        if fact.source.passage_id:
            assert doc.text[fact.source.start : fact.source.end] == fact.source.quote


# --- regular expressions against adversarial 100k-character inputs --------------------------

ADVERSARIAL = {
    "no full stops": "Eastport has invested in " * 4_000,
    "numbers everywhere": " ".join(str(n) for n in range(20_000)),
    "commas and names": "Zhang San, Deputy Mayor of Eastport, " * 3_000,
    "suffix-less capitals": "Abc " * 25_000,
    "place lists": "Lake District, " * 7_000 + "have paired with " + "Pine County, " * 7_000,
    "open quotes": '"Big Pearl ' * 10_000,
    "since without year": "Since the establishment of " * 4_000,
    "total of": "the total number of students has reached " * 2_500,
    "dots": "1." * 50_000,
    "apostrophes": "Ping'an's " * 10_000,
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_parsing_and_extraction_have_no_catastrophic_backtracking(name):
    text = ADVERSARIAL[name][:100_000]
    start = time.perf_counter()
    list(split_sentences(text))
    doc = parse_article("Title\nRelease time:2020-01-02\n\n" + text, doc_id="a", source="a")
    passages = chunk_document(doc)
    extract_facts(doc, passages)
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"{name}: {elapsed:.1f} s"


def test_documents_of_many_short_sentences_extract_in_linear_time():
    body = "Lake District has paired with Pine County. " * 2_000
    doc = Document(id="d", title="t", source="s", text=body)
    start = time.perf_counter()
    facts = extract_facts(doc, chunk_document(doc))
    assert time.perf_counter() - start < 5.0
    assert facts
