"""Rendering answers as embeds: pure functions, no Discord involved."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from pearlbot.bot.discord_bot.render import (
    AUTHOR_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    TITLE_LIMIT,
    answer_embed,
    choices,
    cooldown_notice,
    escape_markdown,
    facts_embed,
    help_embed,
    make_embed,
    notice,
    page_count,
    passages_page,
    quote,
    truncate,
)
from pearlbot.corpus.facts.models import PairingFact, Provenance
from pearlbot.retrieval.answer import Answer, PassageHit, answer_question
from tests.bot.discord.harness import MINHE, seed_kb


def within_limits(spec) -> bool:
    return (
        len(spec.title) <= TITLE_LIMIT
        and len(spec.description) <= DESCRIPTION_LIMIT
        and len(spec.fields) <= FIELD_COUNT_LIMIT
        and all(
            0 < len(f.name) <= 256 and 0 < len(f.value) <= FIELD_VALUE_LIMIT for f in spec.fields
        )
        and len(spec.footer) <= 2048
        and len(spec.author) <= AUTHOR_LIMIT
        and spec.total <= EMBED_TOTAL_LIMIT
    )


def hit(text: str, highlights=(), n: int = 1) -> PassageHit:
    return PassageHit(
        id=f"doc#{n}",
        doc_id="doc",
        doc_title="A *title*",
        released=dt.date(2019, 8, 7),
        text=text,
        start=0,
        end=len(text),
        score=1.0,
        highlights=tuple(highlights),
    )


def pairing(n: int, *, inferred: bool = False) -> PairingFact:
    quote_text = f"District {n} pairs with County {n}"
    return PairingFact(
        id=f"p{n}",
        source=Provenance(
            doc_id="doc", passage_id="doc#1", start=0, end=len(quote_text), quote=quote_text
        ),
        level="district",
        assisting=f"District {n}",
        assisted=f"County {n}",
        inferred_from_order=inferred,
    )


def test_seed_answer_embed_has_answer_quote_facts_caveat_and_citation() -> None:
    answer = answer_question(seed_kb(), MINHE, k=10)
    spec = answer_embed(answer, pages=page_count(answer))
    assert spec.title == "Xinwu District" or "Xinwu District" in spec.description
    assert spec.description.startswith("> ") and "**Minhe**" in spec.description
    assert spec.author == f"Q: {MINHE}"
    footer = spec.footer
    assert "Investigate the counterpart" in footer and "2019-08-07" in footer
    assert "wuxi-haidong-2019-08-07#6" in footer
    if answer.facts:  # facts extraction may or may not be present
        assert any("Xinwu District" in f.value for f in spec.fields)
    if answer.caveats:
        assert any(f.name == "Caveats" for f in spec.fields)
    assert within_limits(spec)


def test_abstention_is_titled_not_in_the_source() -> None:
    answer = Answer(
        question="population of Haidong?",
        answer=None,
        note="The source doesn't say.",
        passages=(hit("Haidong is in Qinghai."),),
    )
    spec = answer_embed(answer)
    assert spec.title == "Not in the source"
    assert "doesn't say" in spec.description
    assert "does not answer" in spec.description


def test_no_passages_at_all() -> None:
    spec = answer_embed(Answer(question="hi", answer=None, note="Can't answer: empty."))
    assert spec.footer == "No passage matched" and within_limits(spec)


def test_markdown_in_source_text_is_escaped_and_highlights_are_bold() -> None:
    text = "Use *stars* and _under_ with `code`, ||spoilers|| and [links](x) <@123>"
    assert quote(text, [(4, 11)]) == (
        "> Use **\\*stars\\*** and \\_under\\_ with \\`code\\`, \\|\\|spoilers\\|\\|"
        " and \\[links\\](x) \\<@123>"
    )
    assert escape_markdown("# title\n- item\n1. one\n> q") == "\\# title\n\\- item\n1\\. one\n\\> q"
    assert escape_markdown(":smile:") == "\\:smile\\:"


def test_overlapping_and_out_of_range_highlights_do_not_break_markup() -> None:
    out = quote("abcdef", [(2, 4), (1, 3), (5, 99), (-5, 0)])
    assert out == "> a**bcd**e**f**"


@given(
    st.text(min_size=0, max_size=3000),
    st.lists(st.tuples(st.integers(-5, 3005), st.integers(-5, 3005)), max_size=30),
    st.integers(3, 1100),
)
def test_quote_never_exceeds_its_limit_nor_splits_bold(text: str, spans, limit: int) -> None:
    out = quote(text, spans, limit)
    assert len(out) <= limit
    assert re.sub(r"\\.", "", out).count("**") % 2 == 0  # every bold run is closed
    assert "****" not in out  # no empty bold between two runs


@given(
    st.text(max_size=400),
    st.text(max_size=6000),
    st.lists(st.tuples(st.text(max_size=300), st.text(max_size=1500)), max_size=40),
    st.text(max_size=3000),
    st.text(max_size=400),
)
def test_make_embed_always_fits(title, description, fields, footer, author) -> None:
    spec = make_embed(title, description, fields, footer=footer, author=author)
    assert within_limits(spec)


def test_many_facts_become_at_most_25_fields_with_a_count_of_the_rest() -> None:
    answer = Answer(
        question="pairings",
        answer="40 pairings",
        facts=tuple(pairing(n) for n in range(40)),
        caveats=("Some pairs are inferred.",),
    )
    spec = answer_embed(answer, label="All pairings")
    assert len(spec.fields) == 25
    assert spec.fields[-1].name == "… and 17 more"
    assert within_limits(spec)


def test_huge_text_everywhere_is_truncated_with_an_ellipsis() -> None:
    long = "word " * 3000
    answer = Answer(
        question=long,
        answer=long,
        note=long,
        caveats=(long, long),
        passages=(hit(long, [(0, 4)]),),
        did_you_mean=("x" * 500,),
    )
    spec = answer_embed(answer, pages=2)
    assert within_limits(spec)
    assert spec.title.endswith("…") and spec.author.endswith("…")


def test_passage_pages() -> None:
    answer = Answer(
        question="q", answer="a", passages=tuple(hit(f"passage {n}", n=n) for n in range(1, 9))
    )
    assert page_count(answer) == 4  # the answer, then 7 passages 3 at a time
    first = passages_page(answer, 1)
    assert first.title == "More passages: 2–4 of 8"
    assert [f.value.splitlines()[-1] for f in first.fields] == [
        "— passage `doc#2`",
        "— passage `doc#3`",
        "— passage `doc#4`",
    ]
    last = passages_page(answer, 3)
    assert last.title == "More passages: 8–8 of 8" and "page 4 of 4" in last.footer
    assert page_count(Answer(question="q", answer=None)) == 1


def test_facts_embed_lists_with_citations_and_counts_what_does_not_fit() -> None:
    spec = facts_embed([pairing(n, inferred=n == 0) for n in range(300)], "pairing")
    assert spec.title == "300 pairings"
    assert "District 0 ↔ County 0 \\(inferred" not in spec.description  # parentheses stay plain
    assert "`doc#1`" in spec.description
    assert re.search(r"… and \d+ more$", spec.description)
    assert within_limits(spec)
    empty = facts_embed([], "figure")
    assert empty.title == "No figures in the source"


def test_help_embed_counts() -> None:
    spec = help_embed({"documents": 1, "passages": 9, "facts": 49}, ["Title *one*"])
    assert "**1** document," in spec.description and "**9** passages" in spec.description
    assert "Title \\*one\\*" in spec.fields[0].value


def test_notices_and_choices_fit() -> None:
    assert len(notice("x" * 5000)) == 2000
    assert truncate("abc", 2) == "a…" and truncate("abc", 3) == "abc" and truncate("abc", 0) == ""
    assert "Try again in 13 s" in cooldown_notice(12.6, 5, 30)
    names = [f"place {n} " + "y" * 150 for n in range(40)] + ["", "place 0 " + "y" * 150]
    found = choices(names)
    assert len(found) == 25
    assert all(len(name) <= 100 and len(value) <= 100 for name, value in found)
    assert len({value for _, value in found}) == 25
