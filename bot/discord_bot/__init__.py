"""The Discord front end. Importing this package does not import discord.py.

Modules: `settings` (environment), `service` (answering, cooldown, dedupe; no discord.py),
`feedback` (SQLite; no discord.py), `render` (Answer -> embed, pure), `client` (the Bot
subclass and the runner), `views` (buttons), and `exts/` (one extension per feature).
"""
