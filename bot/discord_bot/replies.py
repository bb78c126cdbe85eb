"""Sending an answer, shared by every extension: the embed and its buttons, in a reply, an
interaction response or a thread; then the answer kept for its buttons and the question logged."""

from __future__ import annotations

import time
from typing import Any

import discord

from pearlbot.bot.database import LoggedQuestion, StoredAnswer
from pearlbot.bot.discord_bot.client import Pearlbot
from pearlbot.bot.discord_bot.render import truncate
from pearlbot.bot.discord_bot.views import ANSWER_K, answer_view, embed_for
from pearlbot.bot.sources import answer_url
from pearlbot.retrieval import Answer, question_intent

__all__ = ["ANSWER_K", "Asked", "reply_nonce", "send_answer"]

THREAD_NAME_LIMIT = 100
DOCUMENTS_LOGGED = 3


class Asked:
    """Where a question came from and when: what the question log keeps (never who)."""

    def __init__(self, via: str, guild_id: int | None, channel_id: int | None) -> None:
        self.via = via
        self.guild_id = guild_id
        self.channel_id = channel_id
        self.started = time.perf_counter()

    def entry(self, bot: Pearlbot, answer: Answer) -> LoggedQuestion:
        """The log entry for the answer given, with the time taken so far."""
        documents: list[str] = []
        for hit in answer.passages:
            if hit.doc_id not in documents:
                documents.append(hit.doc_id)
        return LoggedQuestion(
            question=answer.question,
            answered=answer.answer is not None,
            latency_ms=(time.perf_counter() - self.started) * 1000,
            intent=question_intent(bot.service.kb, answer.question),
            documents=tuple(documents[:DOCUMENTS_LOGGED]),
            guild_id=self.guild_id,
            channel_id=self.channel_id,
            via=self.via,
        )


def reply_nonce(message: discord.Message) -> str:
    """Discord enforces nonces: a retried reply to the same message is created only once."""
    return f"pb{message.id}"


async def send_answer(
    bot: Pearlbot,
    answer: Answer,
    *,
    interaction: discord.Interaction[Any] | None = None,
    message: discord.Message | None = None,
    label: str | None = None,
    private: bool = False,
    asked: Asked | None = None,
) -> discord.Message | None:
    """Send the answer embed with its buttons, as an interaction response or a reply (in a new
    thread when PEARLBOT_REPLY_IN_THREAD is on); keep it for the buttons and log the question."""
    asker = interaction.user if interaction is not None else message.author  # type: ignore[union-attr]
    url = answer_url(bot.service.kb, answer)
    view = answer_view(answer, asker_id=asker.id, url=url)
    embed = embed_for(answer, 0, label).to_discord()
    if url:
        embed.url = url
    sent: discord.Message | None
    if interaction is not None:
        sent = await bot.deliver(
            f"answer to interaction {interaction.id}",
            lambda: bot.respond(interaction, embed=embed, view=view, ephemeral=private),
        )
    else:
        assert message is not None
        if _starts_thread(bot, message):
            sent = await _answer_in_thread(bot, message, embed, view, answer.question)
        else:
            sent = await bot.deliver(
                f"answer to message {message.id}",
                lambda: message.reply(
                    embed=embed, view=view, mention_author=False, nonce=reply_nonce(message)
                ),
            )
    entry = asked.entry(bot, answer) if asked is not None else None
    if sent is None:
        if entry is not None:
            await bot.log_question(entry)
        return None
    bot.stats.answered += 1
    stored = StoredAnswer(
        message_id=sent.id,
        question=answer.question,
        answer=answer.answer,
        passage_ids=tuple(p.id for p in answer.passages),
        label=label,
    )
    await bot.remember(stored, entry)
    return sent


def _starts_thread(bot: Pearlbot, message: discord.Message) -> bool:
    """Threads are on, and the question is in a guild text channel (not already a thread)."""
    return bot.settings.reply_in_thread and isinstance(message.channel, discord.TextChannel)


async def _answer_in_thread(
    bot: Pearlbot,
    message: discord.Message,
    embed: discord.Embed,
    view: discord.ui.View,
    question: str,
) -> discord.Message | None:
    name = truncate(" ".join(question.split()) or "Question", THREAD_NAME_LIMIT)
    thread = await bot.deliver(
        f"thread for message {message.id}", lambda: message.create_thread(name=name)
    )
    if thread is None:
        return None
    return await bot.deliver(
        f"answer in thread {thread.id}", lambda: thread.send(embed=embed, view=view)
    )
