"""Asking: `/ask` (private if asked), the "Ask Pearlbot" message context menu, mentions in
channels and threads, and DMs."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from pearlbot.bot.discord_bot.client import Pearlbot
from pearlbot.bot.discord_bot.render import cooldown_notice, notice
from pearlbot.bot.discord_bot.replies import ANSWER_K, Asked, reply_nonce, send_answer
from pearlbot.bot.discord_bot.service import question_from_message
from pearlbot.bot.discord_bot.views import DYNAMIC_ITEMS, EXPIRED, PREFIX
from pearlbot.retrieval import MAX_QUESTION_CHARS, question_problem

log = logging.getLogger("pearlbot.discord")

CONTEXT_MENU = "Ask Pearlbot"
HOW_TO_ASK = (
    "Ask me about the news releases, for example"
    " `@Pearlbot which Wuxi district pairs with Minhe County?`, or use `/ask` and `/help`."
)
NO_TEXT = "That message has no text to ask about."
# Custom ids of the buttons older versions posted: they carried state in a live view only.
LEGACY_IDS = frozenset({PREFIX + "more", PREFIX + "up", PREFIX + "down"})


class Ask(commands.Cog):
    def __init__(self, bot: Pearlbot) -> None:
        self.bot = bot
        self.context_menu = app_commands.ContextMenu(name=CONTEXT_MENU, callback=self.ask_message)
        bot.tree.add_command(self.context_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(CONTEXT_MENU, type=discord.AppCommandType.message)

    @app_commands.command(name="ask", description="Ask a question about the news releases")
    @app_commands.describe(
        question="For example: which Wuxi district pairs with Minhe County?",
        private="Only you see the answer",
    )
    async def ask(
        self,
        interaction: discord.Interaction[Pearlbot],
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        private: bool = False,
    ) -> None:
        self.bot.stats.count("ask")
        await self.answer_interaction(interaction, question, private=private, via="ask")

    async def ask_message(
        self, interaction: discord.Interaction[Pearlbot], message: discord.Message
    ) -> None:
        """Right-click a message → Apps → Ask Pearlbot: its text, from the interaction's
        resolved data (no message content intent needed)."""
        self.bot.stats.count("context")
        text = " ".join(message.content.split())
        if not text:
            await interaction.response.send_message(notice(NO_TEXT), ephemeral=True)
            return
        await self.answer_interaction(interaction, text[:MAX_QUESTION_CHARS], via="context")

    async def answer_interaction(
        self,
        interaction: discord.Interaction[Pearlbot],
        question: str,
        *,
        via: str,
        private: bool = False,
    ) -> None:
        bot = self.bot
        asked = Asked(via, interaction.guild_id, interaction.channel_id)
        wait = bot.cooldown.retry_after(interaction.user.id)
        if wait:
            bot.stats.refused += 1
            text = cooldown_notice(wait, bot.cooldown.rate, bot.cooldown.per)
            await bot.service.pace()
            await bot.deliver(
                f"cooldown notice for interaction {interaction.id}",
                lambda: interaction.response.send_message(text, ephemeral=True),
            )
            return
        problem = question_problem(question)
        if problem:
            await interaction.response.send_message(
                notice(f"Can't answer: {problem}."), ephemeral=True
            )
            return
        answer = await bot.within_deadline(
            interaction, bot.service.answer(question, ANSWER_K), ephemeral=private
        )
        await send_answer(bot, answer, interaction=interaction, private=private, asked=asked)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        bot = self.bot
        me = bot.user
        if me is None or message.author.bot or message.webhook_id is not None:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return
        role_ids = tuple(
            role.id
            for role in message.role_mentions
            if role.tags is not None and role.tags.bot_id == me.id
        )
        question = question_from_message(
            message.content,
            bot_id=me.id,
            is_dm=message.guild is None,
            mentioned=any(user.id == me.id for user in message.mentions) or bool(role_ids),
            role_ids=role_ids,
        )
        if question is None:
            return  # plain chatter
        if not bot.seen.first_time(("message", message.id)):
            bot.stats.duplicates += 1
            log.info("message %s delivered again; already handled", message.id)
            return
        try:
            await self.answer_message(message, question)
        except Exception as exc:
            await bot.report_error(exc, where=f"message {message.id}", message=message)

    async def answer_message(self, message: discord.Message, question: str) -> None:
        bot = self.bot
        via = "mention" if message.guild else "dm"
        bot.stats.count(via)
        asked = Asked(via, message.guild.id if message.guild else None, message.channel.id)
        if not question:
            await self._reply(message, HOW_TO_ASK, "how-to")
            return
        wait = bot.cooldown.retry_after(message.author.id)
        if wait:
            bot.stats.refused += 1
            await bot.service.pace()
            await self._reply(
                message, cooldown_notice(wait, bot.cooldown.rate, bot.cooldown.per), "notice"
            )
            return
        problem = question_problem(question)
        if problem:
            await self._reply(message, notice(f"Can't answer: {problem}."), "refusal")
            return
        answer = await bot.service.answer(question, ANSWER_K)
        await send_answer(bot, answer, message=message, asked=asked)

    async def _reply(self, message: discord.Message, text: str, what: str) -> None:
        await self.bot.deliver(
            f"{what} for message {message.id}",
            lambda: message.reply(notice(text), mention_author=False, nonce=reply_nonce(message)),
        )

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Pearlbot]) -> None:
        """Buttons posted by versions before the restart-proof ones: say they have expired."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: dict[str, object] = dict(interaction.data or {})
        if str(data.get("custom_id", "")) not in LEGACY_IDS:
            return
        await asyncio.sleep(0)
        if not self.bot.first_time(interaction, quiet=True):
            return
        try:
            await interaction.response.send_message(EXPIRED, ephemeral=True)
        except Exception as exc:
            await self.bot.report_error(exc, where="legacy button", interaction=interaction)


async def setup(bot: Pearlbot) -> None:
    # The answer buttons work on any answer ever posted: registered once, not per message.
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    await bot.add_cog(Ask(bot))
