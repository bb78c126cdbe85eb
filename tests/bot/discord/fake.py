"""A fake Discord on 127.0.0.1: REST under /api/v10 and the gateway websocket.

The real, unmodified discord.py client runs against it. It behaves like Discord where the
client can tell: zlib-stream compression, sessions that RESUME with replay of missed events,
RECONNECT (op 7) and INVALID_SESSION (op 9), 429s with a Via header, 5xx, interaction
callbacks that can be acknowledged once, follow-ups that fill a deferred response, enforced
nonces, and the size limits on messages, embeds and autocomplete choices.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import re
import secrets
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import WSMsgType, web

API = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000
BOT_ID = 1100000000000000001
APP_ID = BOT_ID  # a bot's user id is its application id
OWNER_ID = 1100000000000000002
GUILD_ID = 1100000000000000010
CHANNEL_ID = 1100000000000000011
BOT_ROLE_ID = 1100000000000000012
MANAGE_GUILD = 1 << 5
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | MANAGE_GUILD
EPHEMERAL = 1 << 6
LOADING = 1 << 7
PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content

T = TypeVar("T")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


_counter = itertools.count(1)


def snowflake() -> int:
    """Increasing ids shaped like Discord's (milliseconds since 2015, then a counter)."""
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | (next(_counter) % (1 << 22))


def _option_type(value: Any) -> int:
    """Discord's option type of a value: BOOLEAN 5, INTEGER 4, STRING 3."""
    if isinstance(value, bool):
        return 5
    return 4 if isinstance(value, int) else 3


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


BOT_USER = user_payload(BOT_ID, "Pearlbot", bot=True)


@dataclass
class Request:
    """One REST request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    at: float
    status: int = 200

    @property
    def allowed_mentions(self) -> Any:
        data = self.body.get("data", self.body) if isinstance(self.body, dict) else {}
        return (data or {}).get("allowed_mentions")


@dataclass
class Fault:
    """Answer the next `times` matching requests with `status` instead of serving them."""

    method: str
    pattern: re.Pattern[str]
    status: int
    times: int = 1
    retry_after: float = 0.01
    via: bool = True
    is_global: bool = False
    after_create: bool = False  # serve it, then report an error (a lost response)


@dataclass
class Session:
    id: str
    shard: tuple[int, int] | None
    seq: int = 0
    frames: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=50_000))
    conn: Connection | None = None
    dispatched_at: dict[int, float] = field(default_factory=dict)


@dataclass
class Connection:
    ws: web.WebSocketResponse
    request: web.Request
    compress: str | None
    query: dict[str, str]
    compressor: Any = None
    session: Session | None = None
    closed_by_fake: int | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class Interaction:
    id: int
    token: str
    type: int
    payload: dict[str, Any]
    acknowledged: int | None = None  # callback type
    original_id: int | None = None
    ephemeral: bool = False
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)


class FakeDiscord:
    """Start with `async with FakeDiscord() as fake:`; point the bot at `fake.api_base`."""

    def __init__(
        self,
        *,
        token: str = "fake-token-0123456789",
        heartbeat_ms: int = 41_250,
        replay_overlap: int = 0,
        refuse_intents: int = 0,
        guild_count: int = 1,
    ) -> None:
        self.token = token
        self.heartbeat_ms = heartbeat_ms
        self.replay_overlap = replay_overlap  # also resend this many already-delivered events
        self.refuse_intents = refuse_intents  # close with 4014 when these intents are asked for
        # Guild ids one shard-step apart, so with two shards each shard gets a guild.
        self.guild_ids = [GUILD_ID + (n << 22) for n in range(guild_count)]
        self.requests: list[Request] = []
        self.unknown_routes: list[str] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.bot_messages: list[dict[str, Any]] = []
        self.interactions: dict[int, Interaction] = {}
        self.by_token: dict[str, Interaction] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.sessions: dict[str, Session] = {}
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        self.connections: list[Connection] = []
        self.faults: list[Fault] = []
        self.nonces: dict[tuple[int, str], dict[str, Any]] = {}
        self.dm_channels: dict[int, int] = {}
        self.threads: dict[int, dict[str, Any]] = {}  # started by the bot, by thread id
        self.channel_guild: dict[int, int | None] = {
            gid + 1: gid for gid in self.guild_ids
        }  # the first text channel of each guild
        self.answered_at: dict[int, float] = {}  # first response (an interaction's ack)
        self.final_at: dict[int, float] = {}  # the answer itself (after a deferral too)
        self.attempts: Counter[int] = Counter()  # answer attempts per question id
        self.closed_codes: list[int | None] = []
        self.extra_routes: list[tuple[str, str, Any]] = []  # (method, path, handler)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        for method, path, handler in self.extra_routes:
            app.router.add_route(method, path, handler)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # -- waiting -----------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], T], timeout: float = 5.0) -> T:
        """Wait until predicate() is truthy (re-checked after every change); return it."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            changed = self._changed
            result = predicate()
            if result:
                return result
            left = deadline - asyncio.get_running_loop().time()
            if left <= 0:
                recent = [f"{r.method} {r.path} -> {r.status}" for r in self.requests[-8:]]
                raise AssertionError(f"timed out waiting; last requests: {recent}")
            # Also poll: the predicate may look at the bot's state, not only the fake's.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(left, 0.01))

    async def wait_ready(self, shard: int | None = None, *, sessions: int = 1) -> Session:
        """Wait for an identified, connected session (of `shard`), the `sessions`-th one."""

        def ready() -> Session | None:
            matching = [
                s
                for s in self.sessions.values()
                if shard is None or (s.shard is not None and s.shard[0] == shard)
            ]
            if len(matching) >= sessions and matching[-1].conn is not None:
                return matching[-1]
            return None

        return await self.wait_until(ready)

    def session(self, shard: int = 0) -> Session:
        live = [s for s in self.sessions.values() if s.shard is None or s.shard[0] == shard]
        return live[-1]

    # -- faults ------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float = 0.01,
        via: bool = True,
        is_global: bool = False,
        after_create: bool = False,
    ) -> Fault:
        fault = Fault(
            method,
            re.compile(path_regex),
            status,
            times,
            retry_after,
            via,
            is_global,
            after_create,
        )
        self.faults.append(fault)
        return fault

    async def close_gateway(self, code: int = 4000, shard: int = 0) -> None:
        """The gateway closes the connection with `code` (4000: unknown error, resumable)."""
        conn = self.session(shard).conn
        assert conn is not None
        conn.closed_by_fake = code
        self.session(shard).conn = None
        await conn.ws.close(code=code)

    async def send_reconnect(self, shard: int = 0) -> None:
        """op 7: the client should reconnect and RESUME."""
        conn = self.session(shard).conn
        assert conn is not None
        await self._send(conn, {"op": 7, "d": None, "s": None, "t": None})

    async def send_invalid_session(self, resumable: bool = False, shard: int = 0) -> None:
        """op 9: with d=false the session is gone and the client must IDENTIFY again."""
        session = self.session(shard)
        conn = session.conn
        assert conn is not None
        if not resumable:
            self.sessions.pop(session.id, None)
            session.conn = None
        await self._send(conn, {"op": 9, "d": resumable, "s": None, "t": None})

    def drop(self, shard: int = 0) -> None:
        """The TCP connection dies without a close frame; events keep queueing for RESUME."""
        session = self.session(shard)
        conn = session.conn
        assert conn is not None
        session.conn = None
        transport = conn.request.transport
        if transport is not None:
            transport.abort()

    # -- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        query = dict(request.query)
        conn = Connection(ws=ws, request=request, compress=query.get("compress"), query=query)
        if conn.compress == "zlib-stream":
            conn.compressor = zlib.compressobj()
        elif conn.compress == "zstd-stream":
            import zstandard  # only asked for when the client can import it too

            conn.compressor = zstandard.ZstdCompressor().compressobj()
        self.connections.append(conn)
        await self._send(conn, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}})
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
                elif msg.type == WSMsgType.ERROR:
                    break
        except (ConnectionResetError, RuntimeError):
            pass
        finally:
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            self.closed_codes.append(ws.close_code)
            self._notify()
        return ws

    async def _send(self, conn: Connection, frame: dict[str, Any]) -> None:
        frame.setdefault("s", None)
        frame.setdefault("t", None)
        data = json.dumps(frame).encode()
        async with conn.lock:
            if conn.ws.closed:
                return
            try:
                if conn.compress == "zlib-stream":
                    await conn.ws.send_bytes(
                        conn.compressor.compress(data) + conn.compressor.flush(zlib.Z_SYNC_FLUSH)
                    )
                elif conn.compress == "zstd-stream":
                    import zstandard

                    out = conn.compressor.compress(data)
                    out += conn.compressor.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
                    await conn.ws.send_bytes(out)
                else:
                    await conn.ws.send_str(data.decode())
            except (ConnectionResetError, RuntimeError):
                pass

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            await self._send(conn, {"op": 11})
        elif op == 2:
            await self._identify(conn, data)
        elif op == 6:
            await self._resume(conn, data)
        self._notify()

    async def _identify(self, conn: Connection, data: dict[str, Any]) -> None:
        self.identifies.append(data)
        if data.get("token") != self.token:
            conn.closed_by_fake = 4004
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if int(data.get("intents", 0)) & self.refuse_intents:
            conn.closed_by_fake = 4014
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard = tuple(data["shard"]) if data.get("shard") else None
        session = Session(id=secrets.token_hex(16), shard=shard)  # type: ignore[arg-type]
        self.sessions[session.id] = session
        session.conn = conn
        conn.session = session
        guilds = self._guilds_of(shard)
        ready = {
            "v": 10,
            "user": {**BOT_USER, "verified": True, "mfa_enabled": False, "flags": 0},
            "guilds": [{"id": str(g), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
        }
        if shard is not None:
            ready["shard"] = list(shard)
        await self._dispatch(session, "READY", ready)
        for guild_id in guilds:
            await self._dispatch(session, "GUILD_CREATE", self.guild_payload(guild_id))

    async def _resume(self, conn: Connection, data: dict[str, Any]) -> None:
        self.resumes.append(data)
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self.token:
            await self._send(conn, {"op": 9, "d": False})
            return
        session.conn = conn
        conn.session = session
        since = int(data.get("seq") or 0) - self.replay_overlap
        for frame in list(session.frames):
            if frame["s"] > since:
                await self._send(conn, dict(frame))
        await self._dispatch(session, "RESUMED", {})

    def _guilds_of(self, shard: tuple[int, int] | None) -> list[int]:
        if shard is None:
            return list(self.guild_ids)
        return [g for g in self.guild_ids if (g >> 22) % shard[1] == shard[0]]

    async def _dispatch(self, session: Session, event: str, data: dict[str, Any]) -> int:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.frames.append(frame)
        if session.conn is not None:
            await self._send(session.conn, dict(frame))
        return session.seq

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int = 0) -> None:
        """Deliver an event on a shard's session (queued for RESUME if it is disconnected)."""
        session = self.session(shard)
        await self._dispatch(session, event, data)

    # -- Discord objects ---------------------------------------------------------------------

    def guild_payload(self, guild_id: int) -> dict[str, Any]:
        channel_id = guild_id + 1
        everyone = {
            "id": str(guild_id),
            "name": "@everyone",
            "permissions": str(MEMBER_PERMISSIONS),
            "position": 0,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        bot_role = {
            **everyone,
            "id": str(guild_id + 2),
            "name": "Pearlbot",
            "position": 1,
            "managed": True,
            "tags": {"bot_id": str(BOT_ID)},
        }
        return {
            "id": str(guild_id),
            "name": f"Test guild {guild_id}",
            "icon": None,
            "owner_id": str(OWNER_ID),
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [everyone, bot_role],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "unavailable": False,
            "member_count": 3,
            "large": False,
            "joined_at": now_iso(),
            "members": [
                {
                    "user": BOT_USER,
                    "roles": [str(guild_id + 2)],
                    "joined_at": now_iso(),
                    "deaf": False,
                    "mute": False,
                    "flags": 0,
                }
            ],
            "channels": [
                {
                    "id": str(channel_id),
                    "type": 0,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                    "topic": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                    "flags": 0,
                }
            ],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    @staticmethod
    def user(n: int, name: str | None = None) -> dict[str, Any]:
        return user_payload(1200000000000000000 + n, name or f"user{n}")

    def _member(self, user: dict[str, Any], permissions: int) -> dict[str, Any]:
        return {
            "user": user,
            "roles": [],
            "joined_at": now_iso(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "communication_disabled_until": None,
            "permissions": str(permissions),
        }

    def _dm_channel(self, user: dict[str, Any]) -> int:
        user_id = int(user["id"])
        if user_id not in self.dm_channels:
            channel_id = snowflake()
            self.dm_channels[user_id] = channel_id
            self.channel_guild[channel_id] = None
        return self.dm_channels[user_id]

    async def post_message(
        self,
        content: str,
        *,
        author: dict[str, Any],
        dm: bool = False,
        mentions: tuple[dict[str, Any], ...] = (),
        guild_id: int = GUILD_ID,
        shard: int = 0,
        channel_id: int | None = None,
    ) -> dict[str, Any]:
        """A user's message arrives (MESSAGE_CREATE; in `channel_id`, a thread, when given);
        returns its payload."""
        message_id = snowflake()
        message: dict[str, Any] = {
            "id": str(message_id),
            "type": 0,
            "content": content,
            "author": author,
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": list(mentions),
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "flags": 0,
            "components": [],
        }
        if dm:
            message["channel_id"] = str(self._dm_channel(author))
        else:
            message["channel_id"] = str(channel_id or guild_id + 1)
            message["guild_id"] = str(guild_id)
            message["member"] = {k: v for k, v in self._member(author, 0).items() if k != "user"}
        self.messages[message_id] = message
        session = self.session(shard)
        seq = await self._dispatch(session, "MESSAGE_CREATE", message)
        session.dispatched_at[seq] = time.perf_counter()
        message["_sent_at"] = time.perf_counter()
        return message

    async def mention(self, text: str, *, author: dict[str, Any], shard: int = 0) -> dict[str, Any]:
        """`@Pearlbot text` in a guild channel."""
        return await self.post_message(
            f"<@{BOT_ID}> {text}", author=author, mentions=(BOT_USER,), shard=shard
        )

    async def dm(self, text: str, *, author: dict[str, Any]) -> dict[str, Any]:
        return await self.post_message(text, author=author, dm=True)

    def _interaction_base(
        self, itype: int, author: dict[str, Any], permissions: int, dm: bool, guild_id: int
    ) -> dict[str, Any]:
        interaction_id = snowflake()
        token = "itok-" + secrets.token_urlsafe(24)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(APP_ID),
            "type": itype,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "app_permissions": str(MEMBER_PERMISSIONS),
            "attachment_size_limit": 10 * 1024 * 1024,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild_id)}
            if not dm
            else {"1": author["id"]},
            "context": 1 if dm else 0,
        }
        if dm:
            channel_id = self._dm_channel(author)
            payload["channel"] = {"id": str(channel_id), "type": 1, "flags": 0}
            payload["channel_id"] = str(channel_id)
            payload["user"] = author
        else:
            payload["guild_id"] = str(guild_id)
            payload["guild"] = {"id": str(guild_id), "locale": "en-US", "features": []}
            payload["guild_locale"] = "en-US"
            payload["channel"] = {
                "id": str(guild_id + 1),
                "type": 0,
                "guild_id": str(guild_id),
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "flags": 0,
            }
            payload["channel_id"] = str(guild_id + 1)
            payload["member"] = self._member(author, permissions)
        return payload

    async def _interact(self, payload: dict[str, Any], shard: int) -> dict[str, Any]:
        interaction = Interaction(
            id=int(payload["id"]), token=payload["token"], type=payload["type"], payload=payload
        )
        self.interactions[interaction.id] = interaction
        self.by_token[interaction.token] = interaction
        session = self.session(shard)
        seq = await self._dispatch(session, "INTERACTION_CREATE", payload)
        session.dispatched_at[seq] = time.perf_counter()
        payload["_sent_at"] = time.perf_counter()
        return payload

    def _command_data(self, name: str, options: list[dict[str, Any]], guild_id: int | None) -> Any:
        known = [c for cs in self.commands.values() for c in cs if c["name"] == name]
        data: dict[str, Any] = {
            "id": known[0]["id"] if known else str(snowflake()),
            "name": name,
            "type": 1,
            "options": options,
        }
        if known and known[0].get("guild_id"):
            data["guild_id"] = known[0]["guild_id"]
        return data

    async def slash(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        author: dict[str, Any],
        permissions: int = MEMBER_PERMISSIONS,
        dm: bool = False,
        guild_id: int = GUILD_ID,
        shard: int = 0,
    ) -> dict[str, Any]:
        """A user runs `/name option:value` (INTERACTION_CREATE type 2)."""
        payload = self._interaction_base(2, author, permissions, dm, guild_id)
        opts = [
            {"name": key, "type": _option_type(value), "value": value}
            for key, value in (options or {}).items()
        ]
        payload["data"] = self._command_data(name, opts, None if dm else guild_id)
        return await self._interact(payload, shard)

    async def context_menu(
        self, name: str, target: dict[str, Any], *, author: dict[str, Any], shard: int = 0
    ) -> dict[str, Any]:
        """A user right-clicks `target` → Apps → `name` (a MESSAGE command, type 3); the
        message comes in the interaction's resolved data."""
        guild_id = int(target.get("guild_id") or GUILD_ID)
        payload = self._interaction_base(2, author, MEMBER_PERMISSIONS, False, guild_id)
        data = self._command_data(name, [], guild_id)
        data.pop("options")
        data.update(
            type=3,
            target_id=target["id"],
            resolved={"messages": {target["id"]: self._public(target)}},
        )
        payload["data"] = data
        return await self._interact(payload, shard)

    async def autocomplete(
        self,
        name: str,
        option: str,
        typed: str,
        *,
        author: dict[str, Any],
        shard: int = 0,
    ) -> dict[str, Any]:
        """A user types in an option with autocomplete (INTERACTION_CREATE type 4)."""
        payload = self._interaction_base(4, author, MEMBER_PERMISSIONS, False, GUILD_ID)
        opts = [{"name": option, "type": 3, "value": typed, "focused": True}]
        payload["data"] = self._command_data(name, opts, GUILD_ID)
        return await self._interact(payload, shard)

    async def click(
        self,
        message: dict[str, Any],
        custom_id: str,
        *,
        author: dict[str, Any],
        shard: int = 0,
    ) -> dict[str, Any]:
        """A user presses a button on `message` (INTERACTION_CREATE type 3)."""
        dm = message.get("guild_id") is None
        guild_id = int(message.get("guild_id") or GUILD_ID)
        payload = self._interaction_base(3, author, MEMBER_PERMISSIONS, dm, guild_id)
        payload["data"] = {"custom_id": custom_id, "component_type": 2}
        payload["message"] = self._public(self.messages[int(message["id"])])
        return await self._interact(payload, shard)

    # -- what the bot did --------------------------------------------------------------------

    def replies_to(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """The bot's messages that reply to `message`."""
        wanted = str(message["id"])
        return [
            m
            for m in self.bot_messages
            if str((m.get("message_reference") or {}).get("message_id")) == wanted
        ]

    def interaction(self, payload: dict[str, Any]) -> Interaction:
        return self.interactions[int(payload["id"])]

    def responses(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """Messages created in answer to an interaction (callback and follow-ups)."""
        found = self.interaction(payload)
        return [m for m in self.bot_messages if m.get("_interaction") == found.id]

    def answered(self, payload: dict[str, Any]) -> bool:
        """A final answer exists: a reply, or a (non-loading) interaction response message."""
        if payload.get("type") in (2, 3, 4):
            found = self.interaction(payload)
            if found.type == 4:
                return bool(found.callbacks)
            return any(not m["flags"] & LOADING for m in self.responses(payload)) or any(
                c["type"] in (6, 7) for c in found.callbacks
            )
        return bool(self.replies_to(payload))

    def requests_to(self, method: str, regex: str) -> list[Request]:
        pattern = re.compile(regex)
        return [r for r in self.requests if r.method == method and pattern.search(r.path)]

    # -- REST --------------------------------------------------------------------------------

    def _json(self, data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Any:
        # discord.py reads JSON only when Content-Type is exactly application/json.
        return web.Response(
            body=json.dumps(data).encode(),
            status=status,
            headers={"Content-Type": "application/json", **(headers or {})},
        )

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                form = await request.post()
                raw = form.get("payload_json")
                body = json.loads(raw) if isinstance(raw, str) else {}
        record = Request(request.method, path, dict(request.query), body, time.perf_counter())
        self.requests.append(record)
        try:
            response = await self._serve(request, record)
        finally:
            self._notify()
        record.status = response.status
        return response

    async def _serve(self, request: web.Request, record: Request) -> web.StreamResponse:
        for fault in self.faults:
            if (
                fault.times > 0
                and fault.method == record.method
                and fault.pattern.search(record.path)
            ):
                fault.times -= 1
                if fault.after_create:
                    await self._route(request, record)
                return self._fault_response(fault)
        needs_auth = not record.path.startswith(("/interactions/", "/webhooks/"))
        if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._json({"message": "401: Unauthorized", "code": 0}, 401)
        return await self._route(request, record)

    def _fault_response(self, fault: Fault) -> web.StreamResponse:
        if fault.status == 429:
            headers = {"Retry-After": f"{fault.retry_after:.3f}", "X-RateLimit-Scope": "user"}
            if fault.via:
                headers["Via"] = "1.1 google"
            return self._json(
                {
                    "message": "You are being rate limited.",
                    "retry_after": fault.retry_after,
                    "global": fault.is_global,
                },
                429,
                headers,
            )
        return self._json({"message": f"{fault.status}: Server Error", "code": 0}, fault.status)

    async def _route(self, request: web.Request, record: Request) -> web.StreamResponse:
        method, path, body = record.method, record.path, record.body or {}
        app = str(APP_ID)
        if method == "GET" and path == "/users/@me":
            return self._json({**BOT_USER, "verified": True, "mfa_enabled": False, "flags": 0})
        if method == "GET" and path == "/oauth2/applications/@me":
            return self._json(self.application())
        if method == "GET" and path in ("/gateway/bot", "/gateway"):
            return self._json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if match := re.fullmatch(rf"/applications/{app}(?:/guilds/(\d+))?/commands", path):
            guild_id = int(match[1]) if match[1] else None
            if method == "PUT":
                return self._json(self._sync_commands(guild_id, body))
            if method == "GET":
                return self._json(self.commands.get(guild_id, []))
        if (match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)/threads", path)) and (
            method == "POST"
        ):
            return await self._start_thread(int(match[1]), int(match[2]), body)
        if (match := re.fullmatch(r"/channels/(\d+)/messages", path)) and method == "POST":
            return self._create_channel_message(int(match[1]), body)
        if match := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            message = self.messages.get(int(match[2]))
            if message is None:
                return self._json({"message": "Unknown Message", "code": 10008}, 404)
            if method == "PATCH":
                return self._edit(message, body)
            if method == "DELETE":
                return web.Response(status=204)
        if method == "POST" and path == "/users/@me/channels":
            user_id = int(body["recipient_id"])
            channel = self._dm_channel({"id": str(user_id)})
            return self._json({"id": str(channel), "type": 1, "recipients": [], "flags": 0})
        callback = re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path)
        if callback and method == "POST":
            return self._callback(int(callback[1]), callback[2], body)
        if match := re.fullmatch(rf"/webhooks/{app}/([^/]+)(?:/messages/(@original|\d+))?", path):
            return self._webhook(method, match[1], match[2], body)
        self.unknown_routes.append(f"{method} {path}")
        return self._json({"message": "404: Not Found", "code": 0}, 404)

    async def _start_thread(self, channel_id: int, message_id: int, body: dict[str, Any]) -> Any:
        """A public thread from a message: its id is the message's; THREAD_CREATE follows."""
        guild_id = self.channel_guild.get(channel_id)
        if guild_id is None or message_id not in self.messages:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        thread = {
            "id": str(message_id),
            "type": 11,
            "guild_id": str(guild_id),
            "parent_id": str(channel_id),
            "owner_id": str(BOT_ID),
            "name": body.get("name", ""),
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": int(body.get("auto_archive_duration") or 1440),
                "archive_timestamp": now_iso(),
                "locked": False,
            },
        }
        self.channel_guild[message_id] = guild_id
        self.threads[message_id] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return self._json(thread)

    def application(self) -> dict[str, Any]:
        return {
            "id": str(APP_ID),
            "name": "Pearlbot",
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_payload(OWNER_ID, "owner"),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "summary": "",
        }

    def _sync_commands(self, guild_id: int | None, body: list[dict[str, Any]]) -> Any:
        synced = []
        for command in body:
            item = {
                "id": str(snowflake()),
                "application_id": str(APP_ID),
                "version": str(snowflake()),
                "default_member_permissions": None,
                "type": 1,
                "description": "",  # context menus have none; Discord returns ""
                **command,
            }
            if item["default_member_permissions"] is not None:  # Discord returns a string
                item["default_member_permissions"] = str(item["default_member_permissions"])
            if guild_id is not None:
                item["guild_id"] = str(guild_id)
            synced.append(item)
        self.commands[guild_id] = synced
        return synced

    def _limits_problem(self, body: dict[str, Any]) -> str | None:
        """What Discord would reject (50035 Invalid Form Body) in a message payload."""
        if len(body.get("content") or "") > 2000:
            return "content longer than 2000"
        embeds = body.get("embeds") or []
        if len(embeds) > 10:
            return "more than 10 embeds"
        total = 0
        for embed in embeds:
            title = embed.get("title") or ""
            description = embed.get("description") or ""
            fields = embed.get("fields") or []
            footer = (embed.get("footer") or {}).get("text") or ""
            author = (embed.get("author") or {}).get("name") or ""
            if len(title) > 256 or len(description) > 4096 or len(fields) > 25:
                return "embed title, description or field count over the limit"
            if len(footer) > 2048 or len(author) > 256:
                return "embed footer or author over the limit"
            for item in fields:
                if not item.get("name") or not item.get("value"):
                    return "empty embed field"
                if len(item["name"]) > 256 or len(item["value"]) > 1024:
                    return "embed field over the limit"
            total += len(title) + len(description) + len(footer) + len(author)
            total += sum(len(f["name"]) + len(f["value"]) for f in fields)
        if total > 6000:
            return "embeds longer than 6000 in total"
        return None

    def _invalid(self, problem: str) -> web.StreamResponse:
        return self._json({"message": "Invalid Form Body", "code": 50035, "errors": problem}, 400)

    def _new_bot_message(
        self, channel_id: int, body: dict[str, Any], *, flags: int = 0
    ) -> dict[str, Any]:
        message_id = snowflake()
        message: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "timestamp": now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "pinned": False,
            "type": 0,
            "flags": flags | int(body.get("flags") or 0),
            "allowed_mentions": body.get("allowed_mentions"),
        }
        guild_id = self.channel_guild.get(channel_id)
        if guild_id is not None:
            message["guild_id"] = str(guild_id)
        if body.get("message_reference"):
            message["type"] = 19
            message["message_reference"] = body["message_reference"]
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        self.messages[message_id] = message
        self.bot_messages.append(message)
        return message

    def _public(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            k: v for k, v in message.items() if not k.startswith("_") and k != "allowed_mentions"
        }

    def _create_channel_message(self, channel_id: int, body: dict[str, Any]) -> Any:
        if channel_id not in self.channel_guild:
            return self._json({"message": "Unknown Channel", "code": 10003}, 404)
        if problem := self._limits_problem(body):
            return self._invalid(problem)
        reference = (body.get("message_reference") or {}).get("message_id")
        if reference is not None:
            self.attempts[int(reference)] += 1
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            previous = self.nonces.get((channel_id, str(nonce)))
            if previous is not None:
                return self._json(self._public(previous))
        message = self._new_bot_message(channel_id, body)
        if nonce is not None:
            self.nonces[(channel_id, str(nonce))] = message
        if reference is not None:
            question = self.messages.get(int(reference))
            if question is not None and "_sent_at" in question:
                self.answered_at.setdefault(int(reference), time.perf_counter())
                self.final_at.setdefault(int(reference), time.perf_counter())
        return self._json(self._public(message))

    def _edit(self, message: dict[str, Any], body: dict[str, Any]) -> Any:
        if problem := self._limits_problem(body):
            return self._invalid(problem)
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key]
        message["flags"] = message["flags"] & ~LOADING
        message["edited_timestamp"] = now_iso()
        message.setdefault("_edits", []).append(body)
        return self._json(self._public(message))

    def _callback(self, interaction_id: int, token: str, body: dict[str, Any]) -> Any:
        interaction = self.interactions.get(interaction_id)
        if interaction is None or interaction.token != token:
            return self._json({"message": "Unknown interaction", "code": 10062}, 404)
        self.attempts[interaction_id] += 1
        if interaction.acknowledged is not None:
            return self._json(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
            )
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        if kind == 8:
            found = data.get("choices") or []
            if len(found) > 25 or any(
                len(c["name"]) > 100 or len(str(c["value"])) > 100 for c in found
            ):
                return self._invalid("autocomplete choices over the limit")
        elif kind in (4, 7) and (problem := self._limits_problem(data)):
            return self._invalid(problem)
        interaction.acknowledged = kind
        interaction.callbacks.append(body)
        self.answered_at.setdefault(interaction_id, time.perf_counter())
        if kind != 5:
            self.final_at.setdefault(interaction_id, time.perf_counter())
        result: dict[str, Any] = {
            "interaction": {"id": str(interaction_id), "type": interaction.type}
        }
        channel_id = int(interaction.payload["channel_id"])
        if kind in (4, 5):
            flags = int(data.get("flags") or 0) | (LOADING if kind == 5 else 0)
            message = self._new_bot_message(channel_id, data, flags=flags)
            message["_interaction"] = interaction_id
            message["interaction_metadata"] = {
                "id": str(interaction_id),
                "type": interaction.type,
                "user": interaction.payload.get("user") or interaction.payload["member"]["user"],
                "authorizing_integration_owners": {},
            }
            interaction.original_id = int(message["id"])
            interaction.ephemeral = bool(flags & EPHEMERAL)
            result["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=interaction.ephemeral,
            )
            result["resource"] = {"type": kind, "message": self._public(message)}
        elif kind == 7:
            message = self.messages[int(interaction.payload["message"]["id"])]
            self._edit(message, data)
            interaction.original_id = int(message["id"])
            result["resource"] = {"type": kind, "message": self._public(message)}
        return self._json(result)

    def _webhook(self, method: str, token: str, which: str | None, body: dict[str, Any]) -> Any:
        interaction = self.by_token.get(token)
        if interaction is None or interaction.acknowledged is None:
            return self._json({"message": "Unknown Webhook", "code": 10015}, 404)
        if which is None:
            if method != "POST":
                return self._json({"message": "405: Method Not Allowed", "code": 0}, 405)
            interaction.followups.append(body)
            self.final_at.setdefault(interaction.id, time.perf_counter())
            original = self.messages.get(interaction.original_id or 0)
            if original is not None and original["flags"] & LOADING:
                # The first follow-up after a deferral fills the "thinking…" message.
                return self._edit(original, body)
            if problem := self._limits_problem(body):
                return self._invalid(problem)
            flags = EPHEMERAL if int(body.get("flags") or 0) & EPHEMERAL else 0
            message = self._new_bot_message(
                int(interaction.payload["channel_id"]), body, flags=flags
            )
            message["_interaction"] = interaction.id
            return self._json(self._public(message))
        message_id = interaction.original_id if which == "@original" else int(which)
        message = self.messages.get(message_id or 0)
        if message is None:
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        if method == "GET":
            return self._json(self._public(message))
        if method == "PATCH":
            return self._edit(message, body)
        if method == "DELETE":
            return web.Response(status=204)
        return self._json({"message": "405: Method Not Allowed", "code": 0}, 405)
