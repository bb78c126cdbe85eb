"""The Discord front end. Importing this package does not import discord.py.

Modules: `settings` (environment), `service` (answering, cooldown, dedupe; no discord.py),
`feedback` (votes as CSV or JSON), `render` (Answer -> embed, pure), `client` (the Bot
subclass and the runner), `views` (buttons), and `exts/` (one extension per feature).
"""
