"""About the bot: `/help`, and `/reload` for admins."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from pearlbot.bot.discord_bot.client import Pearlbot
from pearlbot.bot.discord_bot.render import help_embed, notice
from pearlbot.bot.discord_bot.service import ReloadFailed
from pearlbot.retrieval import summary

log = logging.getLogger("pearlbot.discord")

NOT_ALLOWED = "Only members with Manage Server, or the bot's owner, can reload the corpus."


class Meta(commands.Cog):
    def __init__(self, bot: Pearlbot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What Pearlbot knows and how to ask")
    async def help(self, interaction: discord.Interaction[Pearlbot]) -> None:
        kb = self.bot.service.kb
        embed = help_embed(summary(kb), [d.title for d in kb.corpus.documents])
        await interaction.response.send_message(embed=embed.to_discord(), ephemeral=True)

    @app_commands.command(
        name="reload", description="Re-read the articles (Manage Server or owner)"
    )
    @app_commands.default_permissions(manage_guild=True)
    async def reload(self, interaction: discord.Interaction[Pearlbot]) -> None:
        bot = self.bot
        # default_permissions only hides the command; the member's permissions are checked here.
        if not await bot.may_administer(interaction):
            log.info("reload refused to user %s", interaction.user.id)
            await interaction.response.send_message(NOT_ALLOWED, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        old = summary(bot.service.kb)
        try:
            result = await bot.service.reload()
        except ReloadFailed as exc:
            log.warning("reload by user %s failed: %s", interaction.user.id, exc)
            await interaction.followup.send(
                notice(
                    f"Reload failed: {exc}. Still serving the previous corpus"
                    f" ({old['documents']} documents, {old['passages']} passages)."
                ),
                ephemeral=True,
            )
            return
        log.info(
            "corpus reloaded by user %s: %d documents, %d passages",
            interaction.user.id,
            result.documents,
            result.passages,
        )
        skipped = (
            f" Skipped {len(result.skipped)}: " + "; ".join(result.skipped[:5]) + "."
            if result.skipped
            else ""
        )
        await interaction.followup.send(
            notice(
                f"Reloaded: {result.documents} documents, {result.passages} passages,"
                f" {result.facts} facts.{skipped}"
            ),
            ephemeral=True,
        )


async def setup(bot: Pearlbot) -> None:
    await bot.add_cog(Meta(bot))
