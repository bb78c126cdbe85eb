"""Asking: `/ask`, mentions in channels, DMs, and the buttons under each answer."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from pearlbot.bot.discord_bot.client import Pearlbot
from pearlbot.bot.discord_bot.render import cooldown_notice, notice
from pearlbot.bot.discord_bot.service import question_from_message
from pearlbot.bot.discord_bot.views import (
    DOWN_ID,
    EXPIRED,
    PREFIX,
    UP_ID,
    AnswerView,
    thanks,
    vote_from_message,
)
from pearlbot.retrieval import MAX_QUESTION_CHARS, Answer, question_problem

log = logging.getLogger("pearlbot.discord")

ANSWER_K = 10  # the answer's passage plus three pages of three for "More passages"
HOW_TO_ASK = (
    "Ask me about the news releases, for example"
    " `@Pearlbot which Wuxi district pairs with Minhe County?`, or use `/ask` and `/help`."
)


async def send_answer(
    bot: Pearlbot,
    answer: Answer,
    *,
    interaction: discord.Interaction[Any] | None = None,
    message: discord.Message | None = None,
    label: str | None = None,
) -> discord.Message | None:
    """Send the answer embed with its buttons, as an interaction response or a reply."""
    asker = interaction.user if interaction is not None else message.author  # type: ignore[union-attr]
    view = AnswerView(
        bot, answer, asker_id=asker.id, label=label, timeout=bot.settings.view_timeout
    )
    embed = view.embed_for(0).to_discord()
    if interaction is not None:
        sent = await bot.deliver(
            f"answer to interaction {interaction.id}",
            lambda: bot.respond(interaction, embed=embed, view=view),
        )
    else:
        assert message is not None
        sent = await bot.deliver(
            f"answer to message {message.id}",
            lambda: message.reply(
                embed=embed, view=view, mention_author=False, nonce=reply_nonce(message)
            ),
        )
    if sent is None:
        view.stop()
        return None
    view.message = sent
    bot.views.add(sent.id, view)
    bot.stats.answered += 1
    return sent


def reply_nonce(message: discord.Message) -> str:
    # Discord enforces nonces: a retried reply to the same message is created only once.
    return f"pb{message.id}"


class Ask(commands.Cog):
    def __init__(self, bot: Pearlbot) -> None:
        self.bot = bot

    @app_commands.command(name="ask", description="Ask a question about the news releases")
    @app_commands.describe(question="For example: which Wuxi district pairs with Minhe County?")
    async def ask(
        self,
        interaction: discord.Interaction[Pearlbot],
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
    ) -> None:
        bot = self.bot
        bot.stats.count("ask")
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
        answer = await bot.within_deadline(interaction, bot.service.answer(question, ANSWER_K))
        await send_answer(bot, answer, interaction=interaction)

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
        bot.stats.count("mention" if message.guild else "dm")
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
        await send_answer(bot, answer, message=message)

    async def _reply(self, message: discord.Message, text: str, what: str) -> None:
        await self.bot.deliver(
            f"{what} for message {message.id}",
            lambda: message.reply(notice(text), mention_author=False, nonce=reply_nonce(message)),
        )

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Pearlbot]) -> None:
        """Buttons whose view is gone (timed out, evicted, or from before a restart)."""
        if interaction.type is not discord.InteractionType.component:
            return
        data: dict[str, object] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        message = interaction.message
        if not custom_id.startswith(PREFIX) or message is None:
            return
        # discord.py starts a live view's task before this listener's: if a view claimed the
        # click it is in `seen` by now. Deciding on that (not on whether a view exists now)
        # also covers a click that raced ahead of the reply's own HTTP response.
        await asyncio.sleep(0)
        if not self.bot.first_time(interaction, quiet=True):
            return
        try:
            if custom_id in (UP_ID, DOWN_ID):
                value = 1 if custom_id == UP_ID else -1
                recorded = await self.bot.record_vote(
                    vote_from_message(message, interaction.user.id, value)
                )
                await interaction.response.send_message(thanks(value, recorded), ephemeral=True)
            else:
                await interaction.response.send_message(EXPIRED, ephemeral=True)
        except Exception as exc:
            await self.bot.report_error(exc, where=f"button {custom_id}", interaction=interaction)


async def setup(bot: Pearlbot) -> None:
    await bot.add_cog(Ask(bot))
