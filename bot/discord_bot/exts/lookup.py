"""Looking things up: `/pair` (with place autocomplete), `/facts`, `/source`."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from pearlbot.bot.discord_bot.client import Pearlbot
from pearlbot.bot.discord_bot.render import (
    CHOICE_COUNT_LIMIT,
    KIND_PLURALS,
    choices,
    cooldown_notice,
    document_embed,
    facts_embed,
    notice,
    one_line,
    passage_embed,
    truncate,
)
from pearlbot.bot.discord_bot.replies import Asked, send_answer
from pearlbot.retrieval import KnowledgeBase, facts_of_kind, pair_answer, suggest_places

KIND_CHOICES = [
    app_commands.Choice(name=plural, value=kind) for kind, plural in KIND_PLURALS.items()
]


def source_choices(kb: KnowledgeBase, current: str) -> list[tuple[str, str]]:
    """Documents, then passages, whose id or text contains what was typed; ids as values."""
    needle = current.strip().casefold()
    found: list[tuple[str, str]] = []
    for doc in kb.corpus.documents:
        if not needle or needle in doc.id.casefold() or needle in doc.title.casefold():
            found.append((f"{doc.id} — {doc.title}", doc.id))
    for passage in kb.passages:
        if len(found) >= CHOICE_COUNT_LIMIT:
            break
        if not needle or needle in passage.id.casefold() or needle in passage.text.casefold():
            found.append((f"{passage.id} — {one_line(passage.text)}", passage.id))
    return [
        (truncate(name, 100), value)
        for name, value in found[:CHOICE_COUNT_LIMIT]
        if len(value) <= 100
    ]


class Lookup(commands.Cog):
    def __init__(self, bot: Pearlbot) -> None:
        self.bot = bot

    @app_commands.command(
        name="pair", description="Which place a district or county is paired with"
    )
    @app_commands.describe(place="A district or county (either side); empty for the whole table")
    async def pair(
        self,
        interaction: discord.Interaction[Pearlbot],
        place: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        bot = self.bot
        asked = Asked("pair", interaction.guild_id, interaction.channel_id)
        wait = bot.cooldown.retry_after(interaction.user.id)
        if wait:
            bot.stats.refused += 1
            text = cooldown_notice(wait, bot.cooldown.rate, bot.cooldown.per)
            await interaction.response.send_message(text, ephemeral=True)
            return
        kb = bot.service.kb
        answer = await bot.within_deadline(interaction, bot.service.run(pair_answer, kb, place))
        label = f"Pairing of {place}" if place else "All pairings"
        await send_answer(bot, answer, interaction=interaction, label=label, asked=asked)

    @pair.autocomplete("place")
    async def place_autocomplete(
        self, interaction: discord.Interaction[Pearlbot], current: str
    ) -> list[app_commands.Choice[str]]:
        kb = self.bot.service.kb
        names = await self.bot.service.run(suggest_places, kb, current, CHOICE_COUNT_LIMIT)
        return [app_commands.Choice(name=n, value=v) for n, v in choices(names)]

    @app_commands.command(name="facts", description="Figures, people, dates and pairings, cited")
    @app_commands.describe(kind="Which facts to list (all when empty)")
    @app_commands.choices(kind=KIND_CHOICES)
    async def facts(
        self,
        interaction: discord.Interaction[Pearlbot],
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        value = kind.value if kind is not None else None
        found = facts_of_kind(self.bot.service.kb, value)
        await interaction.response.send_message(embed=facts_embed(found, value).to_discord())

    @app_commands.command(
        name="source", description="A passage or a whole article with its metadata"
    )
    @app_commands.describe(passage="A passage id (document#n) or a document id; type to search")
    async def source(
        self,
        interaction: discord.Interaction[Pearlbot],
        passage: app_commands.Range[str, 1, 200],
    ) -> None:
        # Only ids of the loaded corpus are looked up; nothing the user types is read as a path.
        kb = self.bot.service.kb
        wanted = passage.strip()
        found = kb.passage(wanted)
        if found is not None:
            embed = passage_embed(kb.document(found.doc_id), found)
        else:
            document = kb.corpus.document(wanted)
            if document is None:
                await interaction.response.send_message(
                    notice(
                        f"No passage or document `{truncate(wanted, 100)}` in the loaded corpus."
                        " Start typing in the option to pick one."
                    ),
                    ephemeral=True,
                )
                return
            count = sum(1 for p in kb.passages if p.doc_id == document.id)
            embed = document_embed(document, count)
        await interaction.response.send_message(embed=embed.to_discord())

    @source.autocomplete("passage")
    async def source_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        found = await self.bot.service.run(source_choices, self.bot.service.kb, current)
        return [app_commands.Choice(name=n, value=v) for n, v in found]


async def setup(bot: Pearlbot) -> None:
    await bot.add_cog(Lookup(bot))
