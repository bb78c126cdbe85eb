"""Answers and facts for people to read: fact lines every front end shares, and the terminal text.

Facts render through `FactLine`s (kind, label, statement, where), so a front end picks the parts
it shows and never splits a rendered string back apart. The terminal's `render_answer` styles its
parts by name through a `Style`; Discord builds embeds from the same lines in
`discord_bot/render.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pearlbot.corpus.facts.models import Fact
from pearlbot.corpus.models import Frozen
from pearlbot.retrieval import Answer

Style = Callable[..., str]  # (text, *style names) -> text, e.g. wrapped in terminal colours

KIND_LABELS = {
    "pairing": "Pairing",
    "figure": "Figure",
    "person": "Person",
    "date": "Date",
    "place": "Place",
}


class FactLine(Frozen):
    """What one fact states, in parts: its kind and label, the statement, and where it is stated."""

    kind: str  # "pairing", "figure", ...: the fact's kind as the corpus names it
    label: str  # "Pairing", "Figure", ...: the kind as a heading
    statement: str  # "Xinwu District ↔ Minhe County (inferred from list order)"
    where: str  # a passage id, or "<doc id> (metadata)" for facts read from the release line


def fact_statement(fact: Fact) -> str:
    """What a fact states, in one line, without its kind."""
    match fact.kind:
        case "pairing":
            left = fact.assisting or "(no partner named)"
            right = fact.assisted or "(no partner named)"
            extra = " (inferred from list order)" if fact.inferred_from_order else ""
            return f"{left} ↔ {right}{extra}"
        case "figure":
            qualifier = f"{fact.qualifier} " if fact.qualifier else ""
            return f"{fact.measure}: {qualifier}{fact.text}"
        case "person":
            titles = "; ".join(fact.titles) or "no title given"
            role = f" ({fact.role})" if fact.role else ""
            return f"{fact.name}, {titles}{role}"
        case "date":
            return f"{fact.event}: {fact.text} ({fact.date})"
        case _:
            if fact.relation == "within":
                return f"{fact.name} is in {fact.within}"
            if fact.relation == "nickname":
                return f"{fact.name} is called “{fact.nickname}”"
            return f"{fact.name} ({fact.place_type})"


def fact_line(fact: Fact) -> FactLine:
    """A fact as structured parts for a front end to lay out."""
    return FactLine(
        kind=fact.kind,
        label=KIND_LABELS.get(fact.kind, fact.kind.title()),
        statement=fact_statement(fact),
        where=fact.source.passage_id or f"{fact.source.doc_id} (metadata)",
    )


def describe_fact(fact: Fact) -> str:
    """One plain line saying what a fact states, led by its kind ("pairing: A ↔ B")."""
    return f"{fact.kind}: {fact_statement(fact)}"


def plain(text: str, *_styles: str) -> str:
    """The `Style` that styles nothing."""
    return text


def _highlighted(text: str, spans: tuple[tuple[int, int], ...], paint: Style) -> str:
    out, last = [], 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(paint(text[start:end], "bold", "yellow"))
        last = end
    out.append(text[last:])
    return "".join(out)


def render_answer(
    answer: Answer, paint: Style = plain, urls: Mapping[str, str] | None = None
) -> str:
    """The answer as text: short answer first, then why, then where it comes from.

    `paint` styles parts of it by name ("bold", "green", "dim", ...); plain text by default.
    `urls` (document id -> web address) adds the article's address under its citation."""
    lines: list[str] = []
    if answer.answer is not None:
        lines.append(paint(answer.answer, "bold", "green"))
    else:
        lines.append(paint("Not in the source.", "bold", "red"))
    if answer.note:
        lines.append(answer.note)
    lines.extend(paint(f"Caveat: {c}", "yellow") for c in answer.caveats)
    if answer.did_you_mean:
        lines.append("Did you mean: " + ", ".join(answer.did_you_mean) + "?")
    lines.extend(paint("• " + describe_fact(fact), "cyan") for fact in answer.facts)
    if answer.passages:
        heading = (
            "Sources" if answer.answer is not None else "Closest passages (they do not answer it)"
        )
        lines.append(paint(heading + ":", "dim"))
    for hit in answer.passages:
        released = hit.released.isoformat() if hit.released else "undated"
        lines.append(f"  “{_highlighted(hit.text, hit.highlights, paint)}”")
        where = f"    — {hit.doc_title}, released {released}, [{hit.id}], score {hit.score:.2f}"
        lines.append(paint(where, "dim"))
        if urls and hit.doc_id in urls:
            lines.append(paint(f"      {urls[hit.doc_id]}", "dim"))
    return "\n".join(lines)
