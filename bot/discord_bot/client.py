"""The Bot subclass, its command tree, and the runner behind `pearlbot run` and `pearlbot sync`."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import secrets
import signal
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from pearlbot.bot.database import Database, LoggedQuestion, StoredAnswer, Vote
from pearlbot.bot.discord_bot.render import notice
from pearlbot.bot.discord_bot.service import AnswerService, Cooldown, RecentIds, Stats
from pearlbot.bot.discord_bot.settings import DEVELOPER_PORTAL, DiscordSettings

log = logging.getLogger("pearlbot.discord")
T = TypeVar("T")

EXTENSIONS = (
    "pearlbot.bot.discord_bot.exts.ask",
    "pearlbot.bot.discord_bot.exts.lookup",
    "pearlbot.bot.discord_bot.exts.meta",
    "pearlbot.bot.discord_bot.exts.check",
)
SHUTDOWN_SECONDS = 5.0
RECENT_ANSWERS = 1000  # answers kept in memory too, for clicks that race the database write
RACE_SECONDS = 3.0  # how long a click on a just-sent answer waits for it to be recorded
MAX_RETRY_WAIT = 10.0
# Failures worth another try: Discord's 5xx, a dropped connection, a timeout.
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, asyncio.TimeoutError, OSError)


class PearlbotTree(app_commands.CommandTree["Pearlbot"]):
    async def interaction_check(self, interaction: discord.Interaction[Pearlbot]) -> bool:
        # An interaction replayed after a RESUME must not be answered twice.
        return self.client.first_time(interaction)

    async def on_error(
        self, interaction: discord.Interaction[Pearlbot], error: app_commands.AppCommandError
    ) -> None:
        name = interaction.command.qualified_name if interaction.command else "unknown command"
        await self.client.report_error(error, where=f"/{name}", interaction=interaction)


def gateway_intents() -> discord.Intents:
    """Only what the bot reads: guilds (channels, threads), messages in guilds and in DMs.
    No typing, reactions, voice or presence events, and no privileged intent: a message's
    text reaches the bot when it mentions the bot, in DMs, and in interactions' resolved data."""
    return discord.Intents(guilds=True, guild_messages=True, dm_messages=True)


class Pearlbot(commands.AutoShardedBot):
    """Answers questions about the loaded news releases by slash command, context menu,
    mention and DM. Auto-sharded: Discord's recommended shard count, unless
    PEARLBOT_SHARD_COUNT (and PEARLBOT_SHARD_IDS) pick this process's slice."""

    def __init__(
        self,
        settings: DiscordSettings,
        service: AnswerService,
        database: Database | None = None,
        *,
        identify_delay: float = 5.0,
        retry_delay: float = 0.5,
        **options: Any,
    ) -> None:
        options.setdefault("max_messages", None)  # no message cache: the bot reads each once
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=gateway_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=PearlbotTree,
            # User installs: a person can use Pearlbot in DMs and group DMs too.
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
            chunk_guilds_at_startup=False,
            **options,
        )
        self.settings = settings
        self.service = service
        # Votes, the answers behind the buttons and the question log; in memory when not given.
        self.database = database if database is not None else Database("sqlite://")
        self.recent_answers: OrderedDict[int, StoredAnswer] = OrderedDict()
        self.identify_delay = identify_delay
        self.retry_delay = retry_delay
        self.send_attempts = 3
        self.cooldown = Cooldown(settings.cooldown_rate, settings.cooldown_seconds)
        self.seen = RecentIds(10_000)
        self.stats = Stats()

    # -- lifecycle ---------------------------------------------------------------------------

    async def setup_hook(self) -> None:
        from pearlbot.bot.discord_bot.translations import PearlbotTranslator

        await self.tree.set_translator(PearlbotTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.sync_commands:
            await self.sync_commands()

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]:
        """Register the slash commands: with a guild at once, globally within the hour."""
        guild_id = guild_id or self.settings.guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))
        return synced

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py waits 5 s before each re-IDENTIFY (Discord's identify rate limit).
        if not initial and self.identify_delay > 0:
            await asyncio.sleep(self.identify_delay)

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: questions in messages are handled by the ask extension."""

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        ref = secrets.token_hex(3)
        self.stats.errors += 1
        log.exception("error %s in event %s", ref, event_method)

    async def close(self) -> None:
        await super().close()
        await self.service.close()
        await asyncio.to_thread(self.database.close)

    # -- helpers for the extensions ----------------------------------------------------------

    def first_time(self, interaction: discord.Interaction[Any], *, quiet: bool = False) -> bool:
        """Claim an interaction; False if it was already handled (replayed, or claimed)."""
        if self.seen.first_time(("interaction", interaction.id)):
            return True
        if not quiet:
            self.stats.duplicates += 1
            log.info("interaction %s delivered again; already handled", interaction.id)
        return False

    async def may_administer(self, interaction: discord.Interaction[Any]) -> bool:
        """Manage Server in the interaction's own permissions (from Discord), or the owner."""
        if interaction.guild_id is not None and interaction.permissions.manage_guild:
            return True
        return await self.is_owner(interaction.user)

    async def within_deadline(
        self, interaction: discord.Interaction[Any], work: Awaitable[T], *, ephemeral: bool = False
    ) -> T:
        """Await `work`; defer first if it is not done `defer_after` after the interaction
        was created (Discord allows 3 s), counting the time it waited in a backlog."""
        task = asyncio.ensure_future(work)
        age = (discord.utils.utcnow() - interaction.created_at).total_seconds()
        budget = self.settings.defer_after - max(age, 0.0)
        try:
            return await asyncio.wait_for(asyncio.shield(task), max(budget, 0.0))
        except TimeoutError:
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
            return await task

    async def respond(
        self, interaction: discord.Interaction[Any], **kwargs: Any
    ) -> discord.Message | None:
        """Send the response, or a follow-up if already deferred; return the message sent."""
        if interaction.response.is_done():
            return await interaction.followup.send(wait=True, **kwargs)
        sent = await interaction.response.send_message(**kwargs)
        resource = sent.resource if sent is not None else None
        if isinstance(resource, discord.Message):
            return resource
        if kwargs.get("ephemeral"):
            return None
        return await interaction.original_response()

    async def deliver(self, what: str, send: Callable[[], Awaitable[T]]) -> T | None:
        """Send with retries on transient failures; a send that finally fails is logged."""
        for attempt in range(1, self.send_attempts + 1):
            try:
                return await send()
            except (discord.HTTPException, *TRANSIENT) as exc:
                wait = retry_after(exc)
                if wait is None or attempt == self.send_attempts:
                    self.stats.lost += 1
                    log.error("lost %s after %d attempt(s): %s", what, attempt, _describe(exc))
                    return None
                log.warning("retrying %s (attempt %d): %s", what, attempt, _describe(exc))
                await asyncio.sleep(min(max(wait, self.retry_delay * attempt), MAX_RETRY_WAIT))
        return None

    async def report_error(
        self,
        error: BaseException,
        *,
        where: str,
        interaction: discord.Interaction[Any] | None = None,
        message: discord.Message | None = None,
    ) -> str:
        """The one error handler: log the traceback with a reference id, tell the user briefly."""
        ref = secrets.token_hex(3)
        original = getattr(error, "original", None) or error
        self.stats.errors += 1
        log.error(
            "error %s in %s",
            ref,
            where,
            exc_info=(type(original), original, original.__traceback__),
        )
        text = notice(f"Sorry, something went wrong on my side (reference `{ref}`).")
        try:
            if interaction is not None:
                if interaction.type is discord.InteractionType.autocomplete:
                    return ref
                if interaction.response.is_done():
                    await interaction.followup.send(text, ephemeral=True)
                else:
                    await interaction.response.send_message(text, ephemeral=True)
            elif message is not None:
                await message.reply(text, mention_author=False)
        except (discord.HTTPException, *TRANSIENT) as exc:
            log.warning("could not tell the user about error %s: %s", ref, _describe(exc))
        return ref

    async def record_vote(self, vote: Vote) -> None:
        """Keep a 👍/👎 in the database."""
        await asyncio.to_thread(self.database.record, vote)
        self.stats.feedback += 1
        log.info("feedback %+d on message %s", vote.vote, vote.message_id)

    async def stored_answer(self, message: discord.Message | None) -> StoredAnswer | None:
        """The answer a message of ours shows: just sent (in memory), else from the database
        (restarts included). A click can race ahead of the reply's own HTTP response: a
        message younger than RACE_SECONDS is waited for that long."""
        if message is None:
            return None
        found = self.recent_answers.get(message.id)
        if found is None:
            found = await asyncio.to_thread(self.database.answer_for, message.id)
        age = (discord.utils.utcnow() - message.created_at).total_seconds()
        deadline = asyncio.get_running_loop().time() + max(RACE_SECONDS - age, 0.0)
        while found is None and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.02)
            found = self.recent_answers.get(message.id)
        return found

    async def remember(self, stored: StoredAnswer, entry: LoggedQuestion | None) -> None:
        """Keep an answer for its buttons and log its question; a database failure is logged,
        never shown to the asker (the answer was sent)."""
        self.recent_answers[stored.message_id] = stored
        while len(self.recent_answers) > RECENT_ANSWERS:
            self.recent_answers.popitem(last=False)
        try:
            await asyncio.to_thread(self.database.remember_answer, stored)
            if entry is not None:
                await asyncio.to_thread(self.database.log_question, entry)
        except Exception:
            self.stats.errors += 1
            log.exception("could not record answer %s in the database", stored.message_id)

    async def log_question(self, entry: LoggedQuestion) -> None:
        """Add a question to the log (failures are logged, not raised)."""
        try:
            await asyncio.to_thread(self.database.log_question, entry)
        except Exception:
            self.stats.errors += 1
            log.exception("could not log a question")


def retry_after(exc: BaseException) -> float | None:
    """Seconds to wait before sending again, or None when another try cannot help."""
    if isinstance(exc, discord.RateLimited):
        return exc.retry_after
    if isinstance(exc, discord.HTTPException):
        if exc.status >= 500:
            return 0.0
        headers = getattr(exc.response, "headers", None) or {}
        # A 429 with Via is Discord's (retries ran out); without, a Cloudflare ban: stop.
        if exc.status == 429 and headers.get("Via"):
            try:
                return float(headers.get("Retry-After") or 0.0)
            except ValueError:
                return 0.0
        return None
    if isinstance(exc, TRANSIENT):
        return 0.0
    return None


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def create_bot(
    settings: DiscordSettings,
    service: AnswerService,
    database: Database | None = None,
    **options: Any,
) -> Pearlbot:
    """The bot: all shards Discord recommends, or the slice PEARLBOT_SHARD_COUNT/IDS name."""
    if settings.sharded:
        options.update(shard_count=settings.shard_count)
        if settings.shard_ids is not None:
            options.update(shard_ids=list(settings.shard_ids))
    return Pearlbot(settings, service, database, **options)


@contextlib.contextmanager
def discord_endpoints(settings: DiscordSettings) -> Iterator[None]:
    """Point discord.py at DISCORD_API_BASE (and DISCORD_GATEWAY_URL) for the duration."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = settings.api_base
    if settings.gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


async def login(bot: Pearlbot) -> None:
    """Log in (REST); off Discord, find the gateway unless DISCORD_GATEWAY_URL names it."""
    settings = bot.settings
    if settings.token is None:
        raise discord.LoginFailure("no token")
    await bot.login(settings.token.get_secret_value())
    if bot.shard_count is None or (not settings.uses_discord and not settings.gateway_url):
        # Discord's recommended shard count (and, off Discord, the gateway's address).
        shards, url, _limits = await bot.http.get_bot_gateway()
        if bot.shard_count is None:
            bot.shard_count = shards
            log.info("Discord recommends %d shard(s)", shards)
        if not settings.gateway_url:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
            log.info("gateway from %s/gateway/bot: %s", settings.api_base, url)


async def start(bot: Pearlbot, *, freeze_heap: bool = False) -> None:
    """Log in and stay connected until the bot is closed (the tests' entry point)."""
    await login(bot)
    if freeze_heap:
        # The corpus, index and modules live for good: keep them out of full collections.
        gc.collect()
        gc.freeze()
    await bot.connect(reconnect=True)


class Fatal(Exception):
    """A start-up problem the user must fix: one line, exit code 2."""


def explain(exc: BaseException, settings: DiscordSettings) -> Fatal | None:
    """A one-line explanation for the start-up failures a user can fix, else None."""
    if isinstance(exc, discord.LoginFailure):
        return Fatal(
            "Discord rejected the token (401 Unauthorized). Reset it in the Developer Portal"
            f" ({DEVELOPER_PORTAL} → your app → Bot → Reset Token) and set DISCORD_TOKEN again."
        )
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return Fatal(
            "Discord refused a privileged gateway intent that is not enabled for this app"
            " (close code 4014). Pearlbot needs none: check the app under Bot → Privileged"
            " Gateway Intents and that you run an unmodified Pearlbot."
        )
    if isinstance(exc, discord.ConnectionClosed) and exc.code in (4004, 4011, 4013, 4014):
        if exc.code == 4004:
            return Fatal("the gateway rejected the token (close code 4004); check DISCORD_TOKEN.")
        if exc.code == 4011:
            return Fatal(
                "Discord requires sharding for this many servers (close code 4011). Unset"
                " PEARLBOT_SHARD_COUNT so Pearlbot takes Discord's recommended count, or raise"
                " it (and give each process its PEARLBOT_SHARD_IDS); see the README."
            )
        return Fatal(f"the gateway refused the intents (close code {exc.code}).")
    if isinstance(exc, aiohttp.ClientConnectorError | discord.GatewayNotFound):
        return Fatal(f"cannot reach Discord at {settings.api_base}: {_describe(exc)}")
    return None


async def run(bot: Pearlbot) -> int:
    """`pearlbot run`: serve until SIGTERM/Ctrl-C, then close within 5 s. Returns an exit code."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    # SIGHUP: update the knowledge store from the articles and serve it; every other process
    # on the store follows within seconds (`AnswerService.follow_store`).
    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        loop.add_signal_handler(signal.SIGHUP, bot.service.reload_soon)
    with discord_endpoints(bot.settings):
        serving = asyncio.create_task(start(bot, freeze_heap=True), name="pearlbot-serve")
        stopping = asyncio.create_task(stop.wait(), name="pearlbot-stop")
        following = asyncio.create_task(bot.service.follow_store(), name="pearlbot-follow")
        try:
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stopping.done():
                log.info("signal received: closing the gateway and the database")
                try:
                    await asyncio.wait_for(bot.close(), SHUTDOWN_SECONDS)
                except TimeoutError:
                    log.warning(
                        "shutdown took longer than %.0f s; exiting anyway", SHUTDOWN_SECONDS
                    )
                serving.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await serving
                log.info("stopped")
                return 0
            exc = serving.exception()
            if exc is None:
                return 0
            fatal = explain(exc, bot.settings)
            if fatal is not None:
                raise fatal
            raise exc
        finally:
            stopping.cancel()
            following.cancel()
            with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
                loop.remove_signal_handler(signal.SIGHUP)
            for sig in signals:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(sig)
            if not bot.is_closed():
                await bot.close()
            else:
                await asyncio.to_thread(bot.database.close)


async def sync_only(bot: Pearlbot, guild_id: int | None) -> list[app_commands.AppCommand]:
    """`pearlbot sync`: log in over REST only, register the commands, close."""
    with discord_endpoints(bot.settings):
        async with bot:
            try:
                await bot.login(bot.settings.token.get_secret_value() if bot.settings.token else "")
            except Exception as exc:
                fatal = explain(exc, bot.settings)
                if fatal is not None:
                    raise fatal from None
                raise
            return await bot.sync_commands(guild_id)
