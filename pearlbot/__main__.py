"""`python -m pearlbot`: the same as the `pearlbot` command."""

from pearlbot.bot.cli import entry

entry()
