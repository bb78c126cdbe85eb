"""Buttons under an answer: "More passages" (asker only) and 👍/👎 feedback."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from pearlbot.bot.discord_bot.feedback import Vote
from pearlbot.bot.discord_bot.render import EmbedSpec, answer_embed, page_count, passages_page
from pearlbot.retrieval import Answer

if TYPE_CHECKING:
    from pearlbot.bot.discord_bot.client import Pearlbot

log = logging.getLogger("pearlbot.discord")

PREFIX = "pearlbot:"
MORE_ID = PREFIX + "more"
UP_ID = PREFIX + "up"
DOWN_ID = PREFIX + "down"
ONLY_ASKER = "Only the person who asked can page through these passages."
EXPIRED = "These buttons have expired. Ask again to page through the passages."
_FOOTER_PASSAGE = re.compile(r"passage (\S+)")


def thanks(vote: int, recorded: bool) -> str:
    if not recorded:
        return "Thanks! (Feedback isn't being recorded on this bot.)"
    if vote > 0:
        return "Thanks, noted 👍"
    return "Thanks, noted 👎. The team reviews answers marked this way."


class AnswerView(discord.ui.View):
    """Pages through an answer's passages; disabled after `timeout` seconds."""

    def __init__(
        self, bot: Pearlbot, answer: Answer, *, asker_id: int, label: str | None, timeout: float
    ) -> None:
        super().__init__(timeout=timeout)
        self.bot = bot
        self.answer = answer
        self.asker_id = asker_id
        self.label = label
        self.page = 0
        self.pages = page_count(answer)
        self.message: discord.Message | None = None
        self.more.disabled = self.pages <= 1

    def embed_for(self, page: int) -> EmbedSpec:
        if page == 0:
            return answer_embed(self.answer, label=self.label, pages=self.pages)
        return passages_page(self.answer, page)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return self.bot.first_time(interaction)

    @discord.ui.button(
        label="More passages", style=discord.ButtonStyle.secondary, custom_id=MORE_ID
    )
    async def more(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        if interaction.user.id != self.asker_id:
            await interaction.response.send_message(ONLY_ASKER, ephemeral=True)
            return
        self.page = (self.page + 1) % self.pages
        button.label = "Back to the answer" if self.page == self.pages - 1 else "More passages"
        await interaction.response.edit_message(
            embed=self.embed_for(self.page).to_discord(), view=self
        )

    @discord.ui.button(emoji="👍", style=discord.ButtonStyle.secondary, custom_id=UP_ID)
    async def up(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._vote(interaction, 1)

    @discord.ui.button(emoji="👎", style=discord.ButtonStyle.secondary, custom_id=DOWN_ID)
    async def down(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._vote(interaction, -1)

    async def _vote(self, interaction: discord.Interaction[Any], value: int) -> None:
        message = interaction.message
        vote = Vote(
            message_id=message.id if message else interaction.id,
            user_id=interaction.user.id,
            vote=value,
            question=self.answer.question,
            answer=self.answer.answer,
            passage_ids=tuple(p.id for p in self.answer.passages),
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
        )
        recorded = await self.bot.record_vote(vote)
        await interaction.response.send_message(thanks(value, recorded), ephemeral=True)

    async def on_timeout(self) -> None:
        self.bot.views.discard(self.message.id if self.message else None)
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except (discord.HTTPException, discord.ClientException) as exc:
                log.debug("could not disable buttons on %s: %s", self.message.id, exc)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        custom_id = getattr(item, "custom_id", "?")
        await self.bot.report_error(error, where=f"button {custom_id}", interaction=interaction)


def vote_from_message(message: discord.Message, user_id: int, value: int) -> Vote:
    """A vote on an answer whose view is gone (timed out, evicted, restarted): read the embed."""
    embed = message.embeds[0] if message.embeds else None
    question = ""
    answer = None
    passages: tuple[str, ...] = ()
    if embed is not None:
        author = embed.author.name or ""
        question = author[3:] if author.startswith("Q: ") else author
        answer = None if embed.title in (None, "Not in the source") else embed.title
        found = _FOOTER_PASSAGE.search(embed.footer.text or "")
        passages = (found[1],) if found else ()
    return Vote(
        message_id=message.id,
        user_id=user_id,
        vote=value,
        question=question,
        answer=answer,
        passage_ids=passages,
        guild_id=message.guild.id if message.guild else None,
        channel_id=message.channel.id,
    )
