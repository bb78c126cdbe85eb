"""Fact lines and the terminal renderer: the parts front ends lay out, never split back."""

from __future__ import annotations

from pearlbot.bot.discord_bot.render import escape_markdown, fact_field, facts_embed
from pearlbot.bot.rendering import KIND_LABELS, describe_fact, fact_line, render_answer
from pearlbot.corpus.facts.models import FigureFact, Provenance
from pearlbot.retrieval.answer import answer_question

MINHE = "which Wuxi district pairs with Minhe County?"


def _figure_with_colons() -> FigureFact:
    source = Provenance(doc_id="d", passage_id="d#1", start=0, end=4, quote="text")
    return FigureFact(
        id="f", source=source, value=3.0, unit="", measure="ratio: of a to b", text="3: 1"
    )


def test_every_seed_fact_renders_as_label_statement_and_place(seed_kb):
    """Each fact gives its kind's label, the statement and its passage, as separate parts."""
    for fact in seed_kb.facts:
        line = fact_line(fact)
        assert line.label == KIND_LABELS[fact.kind]
        assert describe_fact(fact) == f"{fact.kind}: {line.statement}"
        name, value = fact_field(fact)
        assert name == line.label
        assert value == f"{escape_markdown(line.statement)}\n— passage `{line.where}`"


def test_a_statement_with_colons_reaches_discord_whole():
    """Colons inside a fact's text no longer decide where its kind ends (no string splitting)."""
    fact = _figure_with_colons()
    assert fact_line(fact).statement == "ratio: of a to b: 3: 1"
    assert fact_field(fact)[0] == "Figure"
    assert "ratio: of a to b: 3: 1 — `d#1`" in facts_embed([fact], "figure").description


def test_terminal_rendering_leads_with_the_answer(seed_kb):
    """The plain terminal text starts with the short answer and cites the passage."""
    text = render_answer(answer_question(seed_kb, MINHE))
    assert text.splitlines()[0] == "Xinwu District"
    assert "[wuxi-haidong-2019-08-07#6]" in text
