"""Buttons under an answer: "More passages" (asker only) and 👍/👎 feedback.

They are `discord.ui.DynamicItem`s, so they work on any answer the bot ever posted, restarts
included: the asker and the page to show next live in the custom id, and the question behind
the message lives in the database by message id (`Database.remember_answer`). Nothing is read
back out of the embed.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from pearlbot.bot.database import StoredAnswer, Vote
from pearlbot.bot.discord_bot.render import EmbedSpec, answer_embed, page_count, passages_page
from pearlbot.bot.sources import answer_url
from pearlbot.retrieval import Answer

if TYPE_CHECKING:
    from pearlbot.bot.discord_bot.client import Pearlbot

log = logging.getLogger("pearlbot.discord")

PREFIX = "pearlbot:"
ONLY_ASKER = "Only the person who asked can page through these passages."
EXPIRED = "These buttons are from an older Pearlbot. Ask again to page through the passages."
UNKNOWN_ANSWER = "I no longer have this answer on record. Ask again, please."
ANSWER_K = 10  # the answer's passage plus three pages of three for "More passages"


def thanks(vote: int) -> str:
    """The ephemeral reply to a vote."""
    if vote > 0:
        return "Thanks, noted 👍"
    return "Thanks, noted 👎. The team reviews answers marked this way."


def embed_for(answer: Answer, page: int, label: str | None) -> EmbedSpec:
    """Page 0 is the answer itself; the others page through its passages."""
    if page == 0:
        return answer_embed(answer, label=label, pages=page_count(answer))
    return passages_page(answer, page)


class MoreButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pearlbot:more:(?P<asker>[0-9]+):(?P<page>[0-9]+)",
):
    """Shows the next page of passages; its custom id holds the asker and that page."""

    def __init__(self, asker_id: int, page: int, *, pages: int = 2) -> None:
        label = "Back to the answer" if page == 0 and pages > 1 else "More passages"
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"{PREFIX}more:{asker_id}:{page}",
                disabled=pages <= 1,
            )
        )
        self.asker_id = asker_id
        self.page = page

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> MoreButton:
        return cls(int(match["asker"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: Pearlbot = interaction.client
        if not bot.first_time(interaction):
            return
        try:
            if interaction.user.id != self.asker_id:
                await interaction.response.send_message(ONLY_ASKER, ephemeral=True)
                return
            stored = await bot.stored_answer(interaction.message)
            if stored is None:
                await interaction.response.send_message(UNKNOWN_ANSWER, ephemeral=True)
                return
            answer = await bot.service.answer(stored.question, ANSWER_K)
            pages = page_count(answer)
            page = self.page % pages if pages else 0
            url = answer_url(bot.service.kb, answer)
            view = answer_view(
                answer, asker_id=self.asker_id, next_page=(page + 1) % pages, url=url
            )
            embed = embed_for(answer, page, stored.label).to_discord()
            if url:
                embed.url = url
            await interaction.response.edit_message(embed=embed, view=view)
        except Exception as exc:
            await bot.report_error(exc, where="button more", interaction=interaction)


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"pearlbot:vote:(?P<value>up|down)",
):
    """👍 or 👎 on the answer the message shows (found in the database by message id)."""

    def __init__(self, value: int) -> None:
        super().__init__(
            discord.ui.Button(
                emoji="👍" if value > 0 else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{PREFIX}vote:{'up' if value > 0 else 'down'}",
            )
        )
        self.value = value

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> VoteButton:
        return cls(1 if match["value"] == "up" else -1)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: Pearlbot = interaction.client
        if not bot.first_time(interaction):
            return
        try:
            message = interaction.message
            stored = await bot.stored_answer(message)
            if stored is None or message is None:
                await interaction.response.send_message(UNKNOWN_ANSWER, ephemeral=True)
                return
            await bot.record_vote(vote_on(stored, interaction, self.value))
            await interaction.response.send_message(thanks(self.value), ephemeral=True)
        except Exception as exc:
            await bot.report_error(exc, where="button vote", interaction=interaction)


def vote_on(stored: StoredAnswer, interaction: discord.Interaction[Any], value: int) -> Vote:
    """The vote a click makes on a stored answer."""
    return Vote(
        message_id=stored.message_id,
        user_id=interaction.user.id,
        vote=value,
        question=stored.question,
        answer=stored.answer,
        passage_ids=stored.passage_ids,
        guild_id=interaction.guild_id,
        channel_id=interaction.channel_id,
    )


def answer_view(
    answer: Answer, *, asker_id: int, next_page: int = 1, url: str | None = None
) -> discord.ui.View:
    """The buttons under an answer: More passages, 👍, 👎, and "Open source" when it has a URL."""
    view = discord.ui.View(timeout=None)
    view.add_item(MoreButton(asker_id, next_page, pages=page_count(answer)))
    view.add_item(VoteButton(1))
    view.add_item(VoteButton(-1))
    if url:
        view.add_item(discord.ui.Button(label="Open source", url=url))
    return view


DYNAMIC_ITEMS = (MoreButton, VoteButton)
