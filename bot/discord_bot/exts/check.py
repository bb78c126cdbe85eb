"""Fact checks and usage: `/check claim:<text>` and `/stats` (Manage Server)."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from pearlbot.bot.database import LoggedQuestion
from pearlbot.bot.discord_bot.client import Pearlbot
from pearlbot.bot.discord_bot.render import check_embed, cooldown_notice, notice, stats_embed
from pearlbot.retrieval import MAX_QUESTION_CHARS, Verdict, check_claim, question_problem

log = logging.getLogger("pearlbot.discord")

NOT_ALLOWED = "Only members with Manage Server, or the bot's owner, can see the stats."


class Check(commands.Cog):
    def __init__(self, bot: Pearlbot) -> None:
        self.bot = bot

    @app_commands.command(name="check", description="Check a claim against the news releases")
    @app_commands.describe(claim="For example: Xinwu District is paired with Minhe County")
    async def check(
        self,
        interaction: discord.Interaction[Pearlbot],
        claim: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
    ) -> None:
        bot = self.bot
        bot.stats.count("check")
        started = asyncio.get_running_loop().time()
        wait = bot.cooldown.retry_after(interaction.user.id)
        if wait:
            bot.stats.refused += 1
            text = cooldown_notice(wait, bot.cooldown.rate, bot.cooldown.per)
            await interaction.response.send_message(text, ephemeral=True)
            return
        problem = question_problem(claim)
        if problem:
            await interaction.response.send_message(
                notice(f"Can't check: {problem}."), ephemeral=True
            )
            return
        kb = bot.service.kb
        result = await bot.within_deadline(interaction, bot.service.run(check_claim, kb, claim))
        embed = check_embed(result).to_discord()
        await bot.deliver(
            f"check for interaction {interaction.id}",
            lambda: bot.respond(interaction, embed=embed),
        )
        await bot.log_question(
            LoggedQuestion(
                question=claim,
                answered=result.verdict is not Verdict.NOT_STATED,
                latency_ms=(asyncio.get_running_loop().time() - started) * 1000,
                intent="check",
                documents=(result.doc_id,) if result.doc_id else (),
                guild_id=interaction.guild_id,
                channel_id=interaction.channel_id,
                via="check",
            )
        )

    @app_commands.command(
        name="stats",
        description="Questions asked, unanswered ones, votes and latency (Manage Server)",
    )
    @app_commands.default_permissions(manage_guild=True)
    async def stats(self, interaction: discord.Interaction[Pearlbot]) -> None:
        bot = self.bot
        if not await bot.may_administer(interaction):
            log.info("stats refused to user %s", interaction.user.id)
            await interaction.response.send_message(NOT_ALLOWED, ephemeral=True)
            return
        usage = await asyncio.to_thread(bot.database.stats)
        await interaction.response.send_message(
            embed=stats_embed(usage).to_discord(), ephemeral=True
        )


async def setup(bot: Pearlbot) -> None:
    await bot.add_cog(Check(bot))
