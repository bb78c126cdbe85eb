"""Answers, facts and passages as Discord embeds: pure functions over frozen models.

Every function here respects Discord's limits (truncating with an ellipsis, never raising),
escapes Markdown in quoted source text, and imports discord.py only in `EmbedSpec.to_discord`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pearlbot.bot.rendering import fact_line
from pearlbot.corpus.facts.models import Fact
from pearlbot.corpus.models import Document, Frozen, Passage
from pearlbot.retrieval import Answer, CheckResult, PassageHit, Verdict

if TYPE_CHECKING:
    import discord

    from pearlbot.bot.database import UsageStats

# Discord's limits, in characters.
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CHOICE_COUNT_LIMIT = 25
CHOICE_LIMIT = 100

ELLIPSIS = "…"
BLANK = "\u200b"  # Discord rejects empty field names and values
PER_PAGE = 3  # passages per "More passages" page

GREEN = 0x2E9E5B
AMBER = 0xD9822B
BLUE = 0x3B7DD8
RED = 0xC0392B

KIND_PLURALS = {
    "pairing": "pairings",
    "figure": "figures",
    "person": "people",
    "date": "dates",
    "place": "places",
}

# Inline syntax anywhere: emphasis, code, spoilers, masked links, <@mentions>/<t:…>/<#channels>.
_INLINE = re.compile(r"([\\*_~`|\[\]<])")
# Block syntax at the start of a line: quotes, headings, lists.
_LINE_START = re.compile(r"^(\s*)(?:([>#+-])|(\d+)\.)", re.MULTILINE)
_EMOJI_CODE = re.compile(r":(\w+):")


class EmbedField(Frozen):
    name: str
    value: str
    inline: bool = False


class EmbedSpec(Frozen):
    """An embed that already fits Discord's limits (build it with `make_embed`)."""

    title: str
    description: str = ""
    fields: tuple[EmbedField, ...] = ()
    footer: str = ""
    author: str = ""
    colour: int = BLUE

    @property
    def total(self) -> int:
        """Characters Discord counts towards the 6000 limit."""
        return (
            len(self.title)
            + len(self.description)
            + sum(len(f.name) + len(f.value) for f in self.fields)
            + len(self.footer)
            + len(self.author)
        )

    def to_dict(self) -> dict[str, Any]:
        """The embed as Discord's JSON (what the REST API receives)."""
        data: dict[str, Any] = {"type": "rich", "title": self.title, "color": self.colour}
        if self.description:
            data["description"] = self.description
        if self.fields:
            data["fields"] = [f.model_dump() for f in self.fields]
        if self.footer:
            data["footer"] = {"text": self.footer}
        if self.author:
            data["author"] = {"name": self.author}
        return data

    def to_discord(self) -> discord.Embed:
        import discord

        return discord.Embed.from_dict(self.to_dict())


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with an ellipsis when cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    return text[: limit - 1].rstrip() + ELLIPSIS


def one_line(text: str) -> str:
    return " ".join(text.split())


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown, mention and emoji syntax so source text shows as written."""
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m[1] + (f"\\{m[2]}" if m[2] else f"{m[3]}\\."), text)
    return _EMOJI_CODE.sub(r"\\:\1\\:", text)


def _clean_spans(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Spans clamped to the text, sorted, with overlapping or touching ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:  # "****" between two bold runs breaks Markdown
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _piece(raw: str, bold: bool) -> str:
    escaped = escape_markdown(raw).replace("\n", "\n> ")
    return f"**{escaped}**" if bold and escaped.strip() else escaped


def quote(text: str, highlights: Sequence[tuple[int, int]] = (), limit: int = 1024) -> str:
    """`text` as a block quote with the highlighted spans in bold, at most `limit` characters.

    Cutting happens between or inside plain pieces, never inside an escape or a bold marker.
    """
    segments: list[tuple[str, bool]] = []
    last = 0
    for start, end in _clean_spans(highlights, len(text)):
        segments.append((text[last:start], False))
        segments.append((text[start:end], True))
        last = end
    segments.append((text[last:], False))
    out = "> "
    if limit <= len(out):
        return truncate(out, limit)
    for raw, bold in segments:
        if not raw:
            continue
        piece = _piece(raw, bold)
        if len(out) + len(piece) <= limit:
            out += piece
            continue
        low, high = 0, len(raw)  # longest prefix of raw that still fits with the ellipsis
        while low < high:
            mid = (low + high + 1) // 2
            if len(out) + len(_piece(raw[:mid], bold)) + 1 <= limit:
                low = mid
            else:
                high = mid - 1
        cut = out + (_piece(raw[:low], bold) if low else "") + ELLIPSIS
        # No room even for the ellipsis after the pieces that fit: stop at those.
        return cut if len(cut) <= limit else out
    return out


def make_embed(
    title: str,
    description: str = "",
    fields: Sequence[tuple[str, str]] = (),
    *,
    footer: str = "",
    author: str = "",
    colour: int = BLUE,
) -> EmbedSpec:
    """An EmbedSpec with every Discord limit applied: each part, 25 fields, 6000 in total."""
    title = truncate(one_line(title), TITLE_LIMIT) or BLANK
    description = truncate(description, DESCRIPTION_LIMIT)
    footer = truncate(footer, FOOTER_LIMIT)
    author = truncate(one_line(author), AUTHOR_LIMIT)
    items = [
        EmbedField(
            name=truncate(one_line(name), FIELD_NAME_LIMIT) or BLANK,
            value=truncate(value, FIELD_VALUE_LIMIT) or BLANK,
        )
        for name, value in fields
    ]
    if len(items) > FIELD_COUNT_LIMIT:
        dropped = len(items) - (FIELD_COUNT_LIMIT - 1)
        items = [*items[: FIELD_COUNT_LIMIT - 1], _more_field(dropped)]
    spec = EmbedSpec(
        title=title,
        description=description,
        fields=tuple(items),
        footer=footer,
        author=author,
        colour=colour,
    )
    # Over 6000 in total: drop fields from the end, then shorten the description.
    dropped = 0
    while spec.total > EMBED_TOTAL_LIMIT and spec.fields:
        kept = [f for f in spec.fields if not f.name.startswith(ELLIPSIS)][:-1]
        dropped = len(items) - len(kept)
        fields_now = (*kept, _more_field(dropped)) if kept or dropped else ()
        spec = spec.model_copy(update={"fields": fields_now})
        if not kept:
            break
    if spec.total > EMBED_TOTAL_LIMIT:
        room = EMBED_TOTAL_LIMIT - (spec.total - len(spec.description))
        spec = spec.model_copy(update={"description": truncate(spec.description, max(room, 0))})
    return spec


def _more_field(count: int) -> EmbedField:
    return EmbedField(name=f"{ELLIPSIS} and {count} more", value="Not shown: Discord's size limit.")


def _released(hit: PassageHit) -> str:
    return hit.released.isoformat() if hit.released else "undated"


def citation_footer(hit: PassageHit | None, extra: str = "") -> str:
    if hit is None:
        return "No passage matched" + (f" · {extra}" if extra else "")
    parts = [hit.doc_title, f"released {_released(hit)}", f"passage {hit.id}"]
    if extra:
        parts.append(extra)
    return " · ".join(parts)


def page_count(answer: Answer, per_page: int = PER_PAGE) -> int:
    """Pages of the answer: the answer itself, then the other passages `per_page` at a time."""
    rest = max(0, len(answer.passages) - 1)
    return 1 + -(-rest // per_page)


def fact_field(fact: Fact) -> tuple[str, str]:
    """A fact as an embed field (name, value): its kind, what it states, and where."""
    line = fact_line(fact)
    return line.label, f"{escape_markdown(line.statement)}\n— passage `{line.where}`"


def answer_embed(answer: Answer, *, label: str | None = None, pages: int = 1) -> EmbedSpec:
    """The answer: short answer as the title, supporting sentence quoted, facts, caveats."""
    top = answer.passages[0] if answer.passages else None
    answered = answer.answer is not None
    title = answer.answer if answer.answer is not None else "Not in the source"
    parts: list[str] = []
    if answer.note:
        parts.append(escape_markdown(answer.note))
    if answer.did_you_mean:
        parts.append("Did you mean: " + ", ".join(map(escape_markdown, answer.did_you_mean)) + "?")
    if top is not None:
        if not answered:
            parts.append("Closest passage (it does not answer the question):")
        used = sum(len(p) + 2 for p in parts)
        parts.append(quote(top.text, top.highlights, DESCRIPTION_LIMIT - used))
    fields = [fact_field(f) for f in answer.facts]
    if answer.caveats:
        fields.append(("Caveats", "\n".join(f"• {escape_markdown(c)}" for c in answer.caveats)))
    extra = f"page 1 of {pages}" if pages > 1 else ""
    return make_embed(
        title,
        "\n\n".join(parts),
        fields,
        footer=citation_footer(top, extra),
        author=label if label is not None else f"Q: {answer.question}",
        colour=GREEN if answered else AMBER,
    )


def passages_page(answer: Answer, page: int, *, per_page: int = PER_PAGE) -> EmbedSpec:
    """Page `page` (1-based after the answer page 0) of the passages after the first."""
    pages = page_count(answer, per_page)
    page = min(max(page, 1), max(pages - 1, 1))
    rest = answer.passages[1:]
    first = (page - 1) * per_page
    chunk = rest[first : first + per_page]
    total = len(answer.passages)
    if chunk:
        title = f"More passages: {first + 2}–{first + 1 + len(chunk)} of {total}"
    else:
        title = "No more passages"
    description = "" if answer.answer is not None else "These passages do not answer the question."
    fields = []
    for hit in chunk:
        where = f"\n— passage `{hit.id}`"
        fields.append(
            (
                f"{hit.doc_title} ({_released(hit)})",
                quote(hit.text, hit.highlights, FIELD_VALUE_LIMIT - len(where)) + where,
            )
        )
    return make_embed(
        title,
        description,
        fields,
        footer=f"page {page + 1} of {pages} · only the asker can page",
        author=f"Q: {answer.question}",
        colour=BLUE,
    )


def facts_embed(facts: Sequence[Fact], kind: str | None) -> EmbedSpec:
    """Facts of one kind (or all) as cited lines; what does not fit is counted."""
    what = KIND_PLURALS.get(kind or "", "facts")
    if not facts:
        return make_embed(
            f"No {what} in the source",
            "The loaded articles state none, or facts are not extracted yet.",
            colour=AMBER,
        )
    lines = []
    for fact in facts:
        line = fact_line(fact)
        lines.append(f"• **{line.label}**: {escape_markdown(line.statement)} — `{line.where}`")
    description = _fit_lines(lines, DESCRIPTION_LIMIT)
    return make_embed(f"{len(facts)} {what}", description, colour=BLUE)


def _fit_lines(lines: Sequence[str], limit: int) -> str:
    """Whole lines while they fit, then a line counting the rest."""
    out: list[str] = []
    used = 0
    for n, line in enumerate(lines):
        line = truncate(line, limit)
        after = len(lines) - n - 1
        tail_room = len(f"{ELLIPSIS} and {after} more") + 1 if after else 0
        if used + len(line) + tail_room > limit:
            out.append(f"{ELLIPSIS} and {len(lines) - n} more")
            break
        out.append(line)
        used += len(line) + 1
    return truncate("\n".join(out), limit)


def passage_embed(document: Document, passage: Passage) -> EmbedSpec:
    released = document.released.isoformat() if document.released else "undated"
    fields = [
        ("Article", escape_markdown(document.title)),
        ("Released", released),
        ("Passage", f"`{passage.id}`, characters {passage.start}–{passage.end}"),
    ]
    if document.credit:
        fields.append(("Credit", escape_markdown(document.credit)))
    return make_embed(
        f"Passage {passage.id}",
        quote(passage.text, (), DESCRIPTION_LIMIT),
        fields,
        footer=f"{document.title} · released {released} · passage {passage.id}",
    )


def document_embed(document: Document, passages: int) -> EmbedSpec:
    released = document.released.isoformat() if document.released else "undated"
    body = escape_markdown(document.text)
    if len(body) > DESCRIPTION_LIMIT:
        body = truncate(body, DESCRIPTION_LIMIT - 60) + "\n(truncated: use /source with a passage)"
    fields = [
        ("Document", f"`{document.id}`"),
        ("Released", released),
        ("Passages", str(passages)),
        ("Characters", f"{len(document.text):,}"),
    ]
    if document.credit:
        fields.append(("Credit", escape_markdown(document.credit)))
    return make_embed(
        document.title,
        body,
        fields,
        footer=f"{document.title} · released {released} · document {document.id}",
    )


def help_embed(counts: dict[str, int], titles: Sequence[str]) -> EmbedSpec:
    docs = counts.get("documents", 0)
    knows = (
        f"**{docs}** document{'s' * (docs != 1)}, **{counts.get('passages', 0)}** passages,"
        f" **{counts.get('facts', 0)}** facts."
    )
    listing = _fit_lines([f"• {escape_markdown(t)}" for t in titles], 1000) or "(none)"
    how = "\n".join(
        [
            "`/ask question` — an answer with the sentence it comes from.",
            "`/pair place` — which district or county pairs with a place.",
            "`/facts kind` — figures, people, dates and pairings, with citations.",
            "`/source passage` — a passage or a whole article.",
            "Or mention me with a question, or send me a DM.",
        ]
    )
    return make_embed(
        "What Pearlbot knows",
        knows,
        [("Articles", listing), ("How to ask", how)],
        footer="Answers come only from these articles; when they don't say, neither do I.",
    )


def notice(text: str) -> str:
    """Plain message content within Discord's 2000-character limit."""
    return truncate(text, CONTENT_LIMIT) or BLANK


def cooldown_notice(retry_after: float, rate: int, per: float) -> str:
    wait = max(1, round(retry_after))
    return notice(f"Easy there: {rate} questions per {per:g} seconds. Try again in {wait} s.")


def choices(names: Iterable[str]) -> list[tuple[str, str]]:
    """Autocomplete choices as (name, value): at most 25, each at most 100 characters."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in names:
        value = name[:CHOICE_LIMIT]
        if not name.strip() or value in seen:
            continue
        seen.add(value)
        out.append((truncate(one_line(name), CHOICE_LIMIT), value))
        if len(out) == CHOICE_COUNT_LIMIT:
            break
    return out


VERDICT_COLOURS = {Verdict.SUPPORTED: GREEN, Verdict.CONTRADICTED: RED, Verdict.NOT_STATED: AMBER}


def check_embed(result: CheckResult) -> EmbedSpec:
    """A fact check: the verdict word first (the title), what the source says, and its quote."""
    fields: list[tuple[str, str]] = []
    if result.quote:
        fields.append(("Source", quote(result.quote)))
    if result.caveat:
        fields.append(("Caveat", escape_markdown(result.caveat)))
    where = result.passage_id or result.doc_id or ""
    return make_embed(
        f"{result.verdict.value}",
        escape_markdown(result.explanation[:1].upper() + result.explanation[1:]),
        fields,
        footer=where,
        author=f"Claim: {one_line(result.claim)}",
        colour=VERDICT_COLOURS[result.verdict],
    )


def stats_embed(usage: UsageStats) -> EmbedSpec:
    """What `/stats` shows: the same numbers as `pearlbot stats`."""
    rate = f"{usage.thumbs_up_rate:.0%}" if usage.thumbs_up_rate is not None else "–"
    p50 = f"{usage.latency_p50_ms:.0f} ms" if usage.latency_p50_ms is not None else "–"
    p95 = f"{usage.latency_p95_ms:.0f} ms" if usage.latency_p95_ms is not None else "–"
    top = "\n".join(
        f"{item.count}× {escape_markdown(one_line(item.question))}" for item in usage.top_unanswered
    )
    fields = [
        ("Asked", str(usage.asked)),
        ("Unanswered", str(usage.unanswered)),
        ("👍 / 👎", f"{usage.thumbs_up} / {usage.thumbs_down} ({rate} 👍)"),
        ("Latency", f"p50 {p50}, p95 {p95}"),
    ]
    if top:
        fields.append(("Most frequent unanswered", top))
    return make_embed("Pearlbot usage", "", fields)
