"""The real discord.py client against the fake Discord: commands, mentions, DMs, buttons."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from pearlbot.bot.database import Database, sqlite_url
from pearlbot.bot.discord_bot.client import gateway_intents
from pearlbot.bot.discord_bot.exts.meta import NOT_ALLOWED
from pearlbot.bot.discord_bot.views import EXPIRED, ONLY_ASKER, UNKNOWN_ANSWER
from tests.bot.discord.fake import (
    ADMIN_PERMISSIONS,
    BOT_ID,
    EPHEMERAL,
    GUILD_ID,
    LOADING,
    MANAGE_GUILD,
    OWNER_ID,
    FakeDiscord,
    user_payload,
)
from tests.bot.discord.harness import MINHE, running_bot, seed_kb

NO_PINGS = {"parse": [], "replied_user": False}


def embed_text(message: dict) -> str:
    """Everything a user can read in a message's embeds."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts += [(embed.get("footer") or {}).get("text", "")]
        parts += [(embed.get("author") or {}).get("name", "")]
    return "\n".join(parts)


def custom_ids(message: dict) -> list[str]:
    rows = message.get("components", [])
    return [c["custom_id"] for row in rows for c in row["components"] if "custom_id" in c]


def disabled(message: dict) -> list[bool]:
    return [c.get("disabled", False) for row in message["components"] for c in row["components"]]


def button(message: dict, kind: str) -> str:
    """The custom id of a message's button: "more", "up" or "down"."""
    wanted = {"more": "pearlbot:more:", "up": "pearlbot:vote:up", "down": "pearlbot:vote:down"}
    return next(c for c in custom_ids(message) if c.startswith(wanted[kind]))


def database_at(tmp_path: Path) -> Database:
    return Database(sqlite_url(tmp_path / "pearlbot.sqlite3"))


async def test_start_up_syncs_commands_to_the_guild_with_minimal_intents() -> None:
    async with FakeDiscord() as fake, running_bot(fake, sync_commands=True, guild_id=GUILD_ID):
        synced = {c["name"]: c for c in fake.commands[GUILD_ID]}
        assert set(synced) == {
            "ask", "pair", "facts", "source", "help", "reload", "check", "stats", "Ask Pearlbot"
        }  # fmt: skip
        assert synced["Ask Pearlbot"]["type"] == 3  # a MESSAGE context menu
        assert all(c["description"] for c in synced.values() if c["type"] == 1)
        question, private = synced["ask"]["options"]
        assert question["name"] == "question" and question["description"]
        assert private["name"] == "private" and private["type"] == 5 and not private["required"]
        assert question["max_length"] == 2000
        assert synced["pair"]["options"][0]["autocomplete"] is True
        assert synced["source"]["options"][0]["autocomplete"] is True
        assert synced["reload"]["default_member_permissions"] == str(MANAGE_GUILD)
        kinds = {c["value"] for c in synced["facts"]["options"][0]["choices"]}
        assert kinds == {"pairing", "figure", "person", "date", "place"}
        (identify,) = fake.identifies
        # guilds, guild messages and DM messages only: no typing, reactions, voice, presence.
        assert identify["intents"] == (1 << 0) | (1 << 9) | (1 << 12) == gateway_intents().value
        assert identify["shard"] == [0, 1]  # auto-sharded: Discord's recommended count (1)
        assert fake.connections[0].compress in ("zlib-stream", "zstd-stream")


async def test_commands_are_not_synced_unless_asked() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        assert fake.commands == {}
        assert not fake.requests_to("PUT", r"/commands$")


async def test_mention_is_answered_as_a_reply_that_pings_nobody() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        question = await fake.mention(MINHE, author=fake.user(1))
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        text = embed_text(reply)
        assert "Xinwu District" in text
        assert "wuxi-haidong-2019-08-07#6" in reply["embeds"][0]["footer"]["text"]
        assert "2019-08-07" in reply["embeds"][0]["footer"]["text"]
        assert "**Minhe**" in reply["embeds"][0]["description"]  # matched words in bold
        assert reply["allowed_mentions"] == NO_PINGS
        asker = fake.user(1)["id"]
        assert custom_ids(reply) == [
            f"pearlbot:more:{asker}:1",
            "pearlbot:vote:up",
            "pearlbot:vote:down",
        ]


async def test_dm_is_answered() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        question = await fake.dm(MINHE, author=fake.user(2))
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        assert "guild_id" not in reply
        assert "Xinwu District" in embed_text(reply)


async def test_plain_chatter_and_other_bots_are_ignored() -> None:
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        chatter = await fake.post_message("which district pairs with Minhe?", author=fake.user(3))
        other_bot = user_payload(1300000000000000001, "otherbot", bot=True)
        from_bot = await fake.mention(MINHE, author=other_bot)
        question = await fake.mention(MINHE, author=fake.user(3))
        await fake.wait_until(lambda: fake.replies_to(question))
        # Events are handled in order, so the earlier two would have been answered by now.
        assert fake.replies_to(chatter) == [] and fake.replies_to(from_bot) == []
        await fake.wait_until(lambda: bot.stats.answered == 1)
        assert bot.stats.by_kind == {"mention": 1}


async def test_mention_without_a_question_explains_how_to_ask() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        question = await fake.mention("", author=fake.user(4))
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        assert "/ask" in reply["content"] and not reply["embeds"]


async def test_slash_ask_is_answered_at_once() -> None:
    async with FakeDiscord() as fake, running_bot(fake, defer_after=2.0):
        ask = await fake.slash("ask", {"question": MINHE}, author=fake.user(5))
        await fake.wait_until(lambda: fake.answered(ask))
        (callback,) = fake.interaction(ask).callbacks
        assert callback["type"] == 4  # answered directly, no deferral needed
        assert "Xinwu District" in embed_text(callback["data"])
        assert callback["data"]["allowed_mentions"] == {"parse": []}


async def test_slash_ask_defers_when_the_work_takes_longer() -> None:
    async with FakeDiscord() as fake, running_bot(fake, defer_after=0.0):
        ask = await fake.slash("ask", {"question": MINHE}, author=fake.user(6))
        await fake.wait_until(lambda: fake.answered(ask))
        found = fake.interaction(ask)
        assert [c["type"] for c in found.callbacks] == [5]  # deferred ("thinking…")
        (message,) = fake.responses(ask)
        assert not message["flags"] & LOADING
        assert "Xinwu District" in embed_text(message)
        assert len(found.followups) == 1 and found.followups[0]["allowed_mentions"] == {"parse": []}


async def test_pair_autocomplete_offers_places_best_first() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        typed = await fake.autocomplete("pair", "place", "Minhe", author=fake.user(7))
        await fake.wait_until(lambda: fake.interaction(typed).callbacks)
        (callback,) = fake.interaction(typed).callbacks
        assert callback["type"] == 8
        choices = callback["data"]["choices"]
        assert choices and choices[0]["name"] == "Minhe County"
        assert len(choices) <= 25
        empty = await fake.autocomplete("pair", "place", "", author=fake.user(7))
        await fake.wait_until(lambda: fake.interaction(empty).callbacks)
        names = [c["name"] for c in fake.interaction(empty).callbacks[0]["data"]["choices"]]
        assert "Minhe County" in names and "Xinwu District" in names and len(names) <= 25


async def test_source_autocomplete_and_lookup_only_use_the_loaded_corpus() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        user = fake.user(8)
        typed = await fake.autocomplete("source", "passage", "Minhe", author=user)
        await fake.wait_until(lambda: fake.interaction(typed).callbacks)
        values = [c["value"] for c in fake.interaction(typed).callbacks[0]["data"]["choices"]]
        assert "wuxi-haidong-2019-08-07#6" in values
        shown = await fake.slash("source", {"passage": "wuxi-haidong-2019-08-07#6"}, author=user)
        await fake.wait_until(lambda: fake.answered(shown))
        text = embed_text(fake.responses(shown)[0])
        assert "Minhe County" in text and "2019-08-07" in text
        article = await fake.slash("source", {"passage": "wuxi-haidong-2019-08-07"}, author=user)
        await fake.wait_until(lambda: fake.answered(article))
        assert "Investigate the counterpart" in embed_text(fake.responses(article)[0])
        for path in ("/etc/passwd", "../seeds/wuxi-haidong-2019-08-07.txt"):
            probe = await fake.slash("source", {"passage": path}, author=user)
            await fake.wait_until(lambda probe=probe: fake.answered(probe))
            (message,) = fake.responses(probe)
            assert message["flags"] & EPHEMERAL
            assert (
                "in the loaded corpus" in message["content"] and "root:" not in message["content"]
            )


async def test_pair_facts_and_help() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        user = fake.user(9)
        pair = await fake.slash("pair", {"place": "Minhe County"}, author=user)
        table = await fake.slash("pair", {}, author=user)
        facts = await fake.slash("facts", {"kind": "pairing"}, author=user)
        helped = await fake.slash("help", {}, author=user)
        for payload in (pair, table, facts, helped):
            await fake.wait_until(lambda payload=payload: fake.answered(payload))
        assert "Xinwu District" in embed_text(fake.responses(pair)[0])
        assert "Minhe County" in embed_text(fake.responses(table)[0])
        assert "Minhe County" in embed_text(fake.responses(facts)[0])
        help_message = fake.responses(helped)[0]
        assert help_message["flags"] & EPHEMERAL
        kb = seed_kb()
        assert f"**{len(kb.passages)}** passages" in embed_text(help_message)


async def test_buttons_page_only_for_the_asker_and_record_feedback(tmp_path: Path) -> None:
    async with FakeDiscord() as fake, running_bot(fake, database=database_at(tmp_path)):
        asker, other = fake.user(10), fake.user(11)
        question = await fake.mention(MINHE, author=asker)
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        assert button(reply, "more") == f"pearlbot:more:{asker['id']}:1"

        nosy = await fake.click(reply, button(reply, "more"), author=other)
        await fake.wait_until(lambda: fake.answered(nosy))
        (refusal,) = fake.responses(nosy)
        assert refusal["content"] == ONLY_ASKER and refusal["flags"] & EPHEMERAL

        page = await fake.click(reply, button(reply, "more"), author=asker)
        await fake.wait_until(lambda: fake.answered(page))
        (update,) = fake.interaction(page).callbacks
        assert update["type"] == 7  # the answer message itself is edited
        assert update["data"]["embeds"][0]["title"].startswith("More passages: 2–4 of")
        assert "page 2 of" in update["data"]["embeds"][0]["footer"]["text"]
        assert f"pearlbot:more:{asker['id']}:2" in custom_ids(update["data"])

        vote = await fake.click(reply, button(reply, "up"), author=other)
        await fake.wait_until(lambda: fake.answered(vote))
        assert fake.responses(vote)[0]["flags"] & EPHEMERAL
    rows = database_at(tmp_path).rows()
    assert len(rows) == 1
    assert rows[0]["vote"] == 1 and rows[0]["question"] == MINHE
    assert rows[0]["answer"] == "Xinwu District"
    assert rows[0]["message_id"] == int(reply["id"])


async def test_buttons_never_time_out_and_old_style_buttons_say_they_expired() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        asker = fake.user(12)
        ask = await fake.slash("ask", {"question": MINHE}, author=asker)
        await fake.wait_until(lambda: fake.answered(ask))
        (message,) = fake.responses(ask)
        assert not any(disabled(message))
        late = await fake.click(message, "pearlbot:more", author=asker)  # a pre-upgrade id
        await fake.wait_until(lambda: fake.answered(late))
        assert fake.responses(late)[0]["content"] == EXPIRED


async def test_reload_is_refused_without_manage_server() -> None:
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        before = bot.service.kb
        denied = await fake.slash("reload", {}, author=fake.user(13))
        await fake.wait_until(lambda: fake.answered(denied))
        (message,) = fake.responses(denied)
        assert message["content"] == NOT_ALLOWED and message["flags"] & EPHEMERAL
        assert bot.service.kb is before


async def test_reload_by_an_admin_and_by_the_owner_in_a_dm(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = Path(seed_kb().corpus.documents[0].source)
    (corpus / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    async with FakeDiscord() as fake, running_bot(fake, paths=[str(corpus)]) as bot:
        before = bot.service.kb
        admin = await fake.slash("reload", {}, author=fake.user(14), permissions=ADMIN_PERMISSIONS)
        await fake.wait_until(lambda: fake.answered(admin))
        assert fake.interaction(admin).callbacks[0]["type"] == 5  # always deferred
        (message,) = fake.responses(admin)
        assert (
            message["content"].startswith("Reloaded: 1 documents") and message["flags"] & EPHEMERAL
        )
        assert bot.service.kb is not before
        owner = await fake.slash("reload", {}, author=user_payload(OWNER_ID, "owner"), dm=True)
        await fake.wait_until(lambda: fake.answered(owner))
        assert fake.responses(owner)[0]["content"].startswith("Reloaded")


async def test_cooldown_refuses_with_an_ephemeral_notice() -> None:
    async with FakeDiscord() as fake, running_bot(fake, cooldown_rate=2) as bot:
        user = fake.user(15)
        asks = [await fake.slash("ask", {"question": MINHE}, author=user) for _ in range(3)]
        for ask in asks:
            await fake.wait_until(lambda ask=ask: fake.answered(ask))
        first, second, third = (fake.responses(a)[0] for a in asks)
        assert first["embeds"] and second["embeds"]
        assert third["flags"] & EPHEMERAL and "Try again in" in third["content"]
        mention = await fake.mention(MINHE, author=user)
        (notice,) = await fake.wait_until(lambda: fake.replies_to(mention))
        assert "Try again in" in notice["content"]
        other = await fake.mention(MINHE, author=fake.user(16))  # the limit is per user
        await fake.wait_until(lambda: fake.replies_to(other))
        assert fake.replies_to(other)[0]["embeds"]
        await fake.wait_until(lambda: bot.stats.answered == 3)
        assert bot.stats.refused == 2


async def test_everyone_and_role_mentions_in_a_question_ping_nobody() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        text = f"@everyone @here <@&{GUILD_ID}> <@{fake.user(99)['id']}> {MINHE}"
        question = await fake.mention(text, author=fake.user(17))
        ask = await fake.slash("ask", {"question": text}, author=fake.user(17))
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        await fake.wait_until(lambda: fake.answered(ask))
        assert reply["allowed_mentions"] == NO_PINGS
        assert fake.interaction(ask).callbacks[0]["data"]["allowed_mentions"] == {"parse": []}
        for request in fake.requests:
            mentions = request.allowed_mentions
            if mentions is not None:
                assert mentions.get("parse") == [] and not mentions.get("users")
                assert not mentions.get("roles") and not mentions.get("replied_user")


async def test_a_429_is_retried_on_replies_and_on_interaction_callbacks() -> None:
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        fake.fail("POST", r"^/channels/\d+/messages$", 429, times=2, retry_after=0.02)
        fake.fail("POST", r"/callback$", 429, times=1, retry_after=0.02)
        question = await fake.mention(MINHE, author=fake.user(18))
        ask = await fake.slash("ask", {"question": MINHE}, author=fake.user(18))
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        await fake.wait_until(lambda: fake.answered(ask))
        assert "Xinwu District" in embed_text(reply)
        statuses = [r.status for r in fake.requests_to("POST", r"^/channels/\d+/messages$")]
        assert statuses == [429, 429, 200]
        assert [r.status for r in fake.requests_to("POST", r"/callback$")] == [429, 200]
        assert bot.stats.lost == 0


async def test_a_cloudflare_429_and_a_5xx_are_reported_not_crashed(caplog) -> None:
    caplog.set_level(logging.WARNING)
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        # No Via header: discord.py takes it for a Cloudflare ban and does not retry.
        fake.fail("POST", r"^/channels/\d+/messages$", 429, via=False)
        lost = await fake.mention(MINHE, author=fake.user(19))
        await fake.wait_until(lambda: bot.stats.lost == 1)
        assert fake.replies_to(lost) == []
        assert any(f"answer to message {lost['id']}" in r.getMessage() for r in caplog.records)
        # 503 after the message was created: the retry reuses the nonce, so one reply.
        fake.fail("POST", r"^/channels/\d+/messages$", 503, after_create=True)
        retried = await fake.mention(MINHE, author=fake.user(19))
        await fake.wait_until(lambda: len(fake.requests_to("POST", r"/messages$")) == 3)
        await fake.wait_until(lambda: fake.replies_to(retried))
        assert len(fake.replies_to(retried)) == 1
        # Still alive and answering.
        after = await fake.mention(MINHE, author=fake.user(20))
        await fake.wait_until(lambda: fake.replies_to(after))


async def test_errors_get_a_reference_and_a_logged_traceback(caplog) -> None:
    caplog.set_level(logging.ERROR)
    async with FakeDiscord() as fake, running_bot(fake) as bot:

        async def broken(question: str, k: int) -> None:
            raise RuntimeError("scoring exploded")

        bot.service.answer = broken  # type: ignore[method-assign]
        ask = await fake.slash("ask", {"question": MINHE}, author=fake.user(21))
        question = await fake.mention(MINHE, author=fake.user(21))
        await fake.wait_until(lambda: fake.answered(ask) and fake.replies_to(question))
        (message,) = fake.responses(ask)
        assert message["flags"] & EPHEMERAL and "reference `" in message["content"]
        assert "reference `" in fake.replies_to(question)[0]["content"]
        logged = [
            r for r in caplog.records if r.exc_info and "scoring exploded" in str(r.exc_info[1])
        ]
        assert len(logged) == 2
        ref = message["content"].split("`")[1]
        assert any(ref in r.getMessage() for r in logged)


async def test_huge_questions_fit_discord_limits() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        text = ("Minhe " + "*_`~|> " * 300)[:2000]
        ask = await fake.slash("ask", {"question": text}, author=fake.user(22))
        await fake.wait_until(lambda: fake.answered(ask))
        (message,) = fake.responses(ask)  # the fake rejects anything over Discord's limits
        assert len(message["embeds"][0]["author"]["name"]) <= 256


async def test_a_sharded_slice_identifies_its_shard_and_answers() -> None:
    async with FakeDiscord(guild_count=2) as fake, running_bot(fake, shard_count=2, shard_ids=(1,)):
        (identify,) = fake.identifies
        assert identify["shard"] == [1, 2]
        guild = next(g for g in fake.guild_ids if (g >> 22) % 2 == 1)
        question = await fake.post_message(
            f"<@{BOT_ID}> {MINHE}",
            author=fake.user(23),
            mentions=(user_payload(BOT_ID, "Pearlbot", bot=True),),
            guild_id=guild,
            shard=1,
        )
        await fake.wait_until(lambda: fake.replies_to(question))


async def test_gateway_address_comes_from_the_setting_when_given() -> None:
    async with (
        FakeDiscord() as fake,
        running_bot(fake, gateway_url=fake.gateway_url, shard_count=1),
    ):
        assert not fake.requests_to("GET", r"^/gateway/bot$")
        question = await fake.mention(MINHE, author=fake.user(24))
        await fake.wait_until(lambda: fake.replies_to(question))
    async with FakeDiscord() as fake, running_bot(fake, gateway_url=fake.gateway_url):
        # Without a shard count it asks once, for Discord's recommended count only.
        assert len(fake.requests_to("GET", r"^/gateway/bot$")) == 1


async def test_stays_quick_when_scoring_runs_in_a_thread() -> None:
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        bot.service.thread_passages = 1  # as for a huge corpus
        assert bot.service.threaded
        asks = [
            await fake.slash("ask", {"question": MINHE}, author=fake.user(25 + n)) for n in range(5)
        ]
        for ask in asks:
            await fake.wait_until(lambda ask=ask: fake.answered(ask))
        await asyncio.sleep(0)
        assert all("Xinwu District" in embed_text(fake.responses(a)[0]) for a in asks)


async def test_reload_with_a_broken_corpus_keeps_serving_and_tells_the_admin(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = Path(seed_kb().corpus.documents[0].source)
    article = corpus / seed.name
    article.write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    async with FakeDiscord() as fake, running_bot(fake, paths=[str(corpus)]) as bot:
        before = bot.service.kb
        article.write_bytes(b"\x00\x01 not an article")  # a file that fails to load
        broken = await fake.slash("reload", {}, author=fake.user(30), permissions=ADMIN_PERMISSIONS)
        await fake.wait_until(lambda: fake.answered(broken))
        (message,) = fake.responses(broken)
        assert message["flags"] & EPHEMERAL
        assert message["content"].startswith("Reload failed: no readable articles")
        assert "Still serving the previous corpus (1 documents" in message["content"]
        article.unlink()
        corpus.rmdir()  # the folder itself is gone
        gone = await fake.slash("reload", {}, author=fake.user(30), permissions=ADMIN_PERMISSIONS)
        await fake.wait_until(lambda: fake.answered(gone))
        assert "does not exist" in fake.responses(gone)[0]["content"]
        assert bot.service.kb is before
        question = await fake.mention(MINHE, author=fake.user(31))
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        assert "Xinwu District" in embed_text(reply)  # the old index still answers


async def test_5xx_that_never_ends_is_logged_as_a_lost_answer(caplog) -> None:
    caplog.set_level(logging.WARNING)
    async with FakeDiscord() as fake, running_bot(fake) as bot:
        fake.fail("POST", r"^/channels/\d+/messages$", 503, times=3)
        lost = await fake.mention(MINHE, author=fake.user(32))
        await fake.wait_until(lambda: bot.stats.lost == 1)
        assert len(fake.requests_to("POST", r"/messages$")) == 3  # tried three times
        lines = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert any(f"lost answer to message {lost['id']} after 3 attempt(s)" in x for x in lines)
        after = await fake.mention(MINHE, author=fake.user(33))
        await fake.wait_until(lambda: fake.replies_to(after))


async def test_a_click_on_a_message_the_database_never_saw_is_one_ephemeral_line() -> None:
    async with FakeDiscord() as fake, running_bot(fake):
        asker = fake.user(40)
        question = await fake.mention(MINHE, author=asker)
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        forged = {**reply, "id": str(int(reply["id"]) + 1)}
        fake.messages[int(forged["id"])] = forged
        vote = await fake.click(forged, button(reply, "down"), author=asker)
        await fake.wait_until(lambda: fake.answered(vote))
        (said,) = fake.responses(vote)
        assert said["content"] == UNKNOWN_ANSWER and said["flags"] & EPHEMERAL


async def test_each_click_is_answered_once(tmp_path: Path) -> None:
    async with (
        FakeDiscord(replay_overlap=3) as fake,
        running_bot(fake, database=database_at(tmp_path)),
    ):
        asker = fake.user(41)
        question = await fake.mention(MINHE, author=asker)
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        up = await fake.click(reply, button(reply, "up"), author=asker)
        await fake.wait_until(lambda: fake.answered(up))
        down = await fake.click(reply, button(reply, "down"), author=fake.user(42))
        await fake.wait_until(lambda: fake.answered(down))
        await fake.close_gateway(4000)  # RESUME replays the last events, clicks included
        await fake.wait_until(lambda: len(fake.resumes) == 1 and fake.session().conn)
        await asyncio.sleep(0.2)  # time for a second answer, if there were one
        assert fake.attempts[int(up["id"])] == 1 and fake.attempts[int(down["id"])] == 1
    rows = database_at(tmp_path).rows()
    assert sorted(r["vote"] for r in rows) == [-1, 1]
