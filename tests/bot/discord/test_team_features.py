"""Issue 14's Discord features against the fake: the context menu, /check, threads, the
question log, zh-CN localisations, user installs, private answers and close code 4011."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord

from pearlbot.bot.database import Database, sqlite_url
from pearlbot.bot.discord_bot.client import explain
from pearlbot.bot.sources import document_url
from pearlbot.corpus import load_corpus
from pearlbot.corpus.ingest import add_articles
from pearlbot.retrieval import build_knowledge_base
from tests.bot.discord.fake import (
    ADMIN_PERMISSIONS,
    BOT_ID,
    BOT_USER,
    EPHEMERAL,
    GUILD_ID,
    FakeDiscord,
)
from tests.bot.discord.harness import MINHE, running_bot, settings_for
from tests.bot.discord.test_bot import button, embed_text
from tests.conftest import DATA


async def test_ask_pearlbot_context_menu_answers_the_message_text() -> None:
    async with FakeDiscord() as fake, running_bot(fake, sync_commands=True, guild_id=GUILD_ID):
        target = await fake.post_message(MINHE, author=fake.user(50))  # no mention: not answered
        asked = await fake.context_menu("Ask Pearlbot", target, author=fake.user(51))
        await fake.wait_until(lambda: fake.answered(asked))
        (answer,) = fake.responses(asked)
        assert "Xinwu District" in embed_text(answer)
        assert not answer["flags"] & EPHEMERAL
        assert not fake.replies_to(target)


async def test_check_gives_each_verdict_first_with_the_quote() -> None:
    claims = {
        "Wuxi has invested 503 million yuan of assistance funds": "Supported",
        "Wuxi has invested 900 million yuan of assistance funds": "Contradicted",
        "Huzhu County is paired with Binhu District": "Not stated",
    }
    async with FakeDiscord() as fake, running_bot(fake):
        for claim, verdict in claims.items():
            check = await fake.slash("check", {"claim": claim}, author=fake.user(52))
            await fake.wait_until(lambda check=check: fake.answered(check))
            (message,) = fake.responses(check)
            embed = message["embeds"][0]
            assert embed["title"] == verdict
            if verdict == "Contradicted":
                assert "503 million yuan, not 900 million" in embed["description"]
                assert "503 million yuan" in embed_text(message)
            assert message["allowed_mentions"] == {"parse": []}


async def test_a_mention_starts_a_thread_and_follow_ups_answer_in_place() -> None:
    async with FakeDiscord() as fake, running_bot(fake, reply_in_thread=True):
        question = await fake.mention(MINHE, author=fake.user(53))
        await fake.wait_until(lambda: fake.threads)
        (thread_id,) = fake.threads
        assert thread_id == int(question["id"])
        answer = await fake.wait_until(
            lambda: [m for m in fake.bot_messages if m["channel_id"] == str(thread_id)]
        )
        assert "Xinwu District" in embed_text(answer[0])
        assert not fake.replies_to(question)  # in the thread, not as a reply in the channel
        follow_up = await fake.post_message(
            f"<@{BOT_ID}> who is the Mayor of Haidong?",
            author=fake.user(53),
            mentions=(BOT_USER,),
            channel_id=thread_id,
        )
        (reply,) = await fake.wait_until(lambda: fake.replies_to(follow_up))
        assert reply["channel_id"] == str(thread_id) and len(fake.threads) == 1


async def test_questions_are_logged_without_user_ids_and_stats_need_manage_server(
    tmp_path: Path,
) -> None:
    database = Database(sqlite_url(tmp_path / "pearlbot.sqlite3"))
    async with FakeDiscord() as fake, running_bot(fake, database=database):
        asker = fake.user(54)
        question = await fake.mention(MINHE, author=asker)
        await fake.wait_until(lambda: fake.replies_to(question))
        unknown = await fake.slash(
            "ask", {"question": "Who is the Mayor of Atlantis?"}, author=asker
        )
        await fake.wait_until(lambda: fake.answered(unknown))
        await fake.wait_until(lambda: len(database.logged_questions()) == 2)
        refused = await fake.slash("stats", author=asker)
        await fake.wait_until(lambda: fake.answered(refused))
        assert "Manage Server" in fake.responses(refused)[0]["content"]
        shown = await fake.slash("stats", author=asker, permissions=ADMIN_PERMISSIONS)
        await fake.wait_until(lambda: fake.answered(shown))
        (stats,) = fake.responses(shown)
        assert stats["flags"] & EPHEMERAL
        fields = {f["name"]: f["value"] for f in stats["embeds"][0]["fields"]}
        assert fields["Asked"] == "2" and fields["Unanswered"] == "1"
    rows = database.logged_questions()
    assert [r["via"] for r in rows] == ["mention", "ask"]
    assert rows[0]["answered"] and rows[0]["guild_id"] == GUILD_ID
    assert rows[0]["documents"].startswith("wuxi-haidong-2019-08-07")
    assert rows[0]["intent"] == "pairing" and rows[0]["latency_ms"] > 0
    logged = " ".join(str(v) for row in rows for v in row.values())
    assert asker["id"] not in logged and asker["username"] not in logged
    usage = database.stats()
    assert usage.model_dump(include={"asked", "unanswered"}) == {"asked": 2, "unanswered": 1}
    database.close()


async def test_commands_carry_zh_cn_names_and_user_install_contexts() -> None:
    async with FakeDiscord() as fake, running_bot(fake, sync_commands=True, guild_id=GUILD_ID):
        synced = {c["name"]: c for c in fake.commands[GUILD_ID]}
        ask = synced["ask"]
        assert ask["name_localizations"] == {"zh-CN": "提问"}
        assert ask["description_localizations"]["zh-CN"] == "就新闻稿提一个问题"
        assert ask["options"][0]["name_localizations"] == {"zh-CN": "问题"}
        assert synced["check"]["name_localizations"] == {"zh-CN": "核实"}
        assert synced["Ask Pearlbot"]["name_localizations"] == {"zh-CN": "问 Pearlbot"}
        assert all(c.get("name_localizations", {}).get("zh-CN") for c in synced.values())
        assert sorted(ask["integration_types"]) == [0, 1]  # guild and user installs
        assert sorted(ask["contexts"]) == [0, 1, 2]  # guilds, the bot's DMs, group DMs


async def test_ask_private_answers_ephemerally() -> None:
    async with FakeDiscord() as fake, running_bot(fake, defer_after=2.0):
        ask = await fake.slash("ask", {"question": MINHE, "private": True}, author=fake.user(55))
        await fake.wait_until(lambda: fake.answered(ask))
        (message,) = fake.responses(ask)
        assert message["flags"] & EPHEMERAL and "Xinwu District" in embed_text(message)


def test_close_code_4011_is_explained() -> None:
    async def scenario() -> None:
        async with FakeDiscord() as fake:
            settings = settings_for(fake)
            fatal = explain(discord.ConnectionClosed(_Socket(4011), shard_id=0), settings)
            assert fatal is not None and "4011" in str(fatal) and "shard" in str(fatal).lower()

    asyncio.run(scenario())


class _Socket:
    """What discord.ConnectionClosed reads from a closed websocket."""

    def __init__(self, code: int) -> None:
        self.close_code = code


async def test_an_answer_from_an_html_page_links_its_canonical_url(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    report = add_articles(folder, [DATA / "html" / "minhe-cooperatives.html"])
    assert report.added and not report.skipped
    (tmp_path / "plain.txt").write_text(
        "Lanzhou visit\nRelease time:2019-01-02\nSource: https://example.org/lanzhou\n\n"
        "On January 1, Zhang Qiang, Mayor of Lanzhou, visited Minhe County.\n",
        encoding="utf-8",
    )
    kb = build_knowledge_base(load_corpus(folder))
    canonical = "http://www.haidong.gov.cn/html/en/2019-10/21/content_88412.html"
    async with FakeDiscord() as fake, running_bot(fake, kb=kb):
        asker = fake.user(56)
        question = await fake.mention("how many cooperatives were set up in Minhe?", author=asker)
        (reply,) = await fake.wait_until(lambda: fake.replies_to(question))
        assert reply["embeds"][0]["url"] == canonical
        (link,) = [c for row in reply["components"] for c in row["components"] if c.get("url")]
        assert link["label"] == "Open source" and link["url"] == canonical and link["style"] == 5
        page = await fake.click(reply, button(reply, "more"), author=asker)
        await fake.wait_until(lambda: fake.answered(page))
        (update,) = fake.interaction(page).callbacks
        assert update["data"]["embeds"][0]["url"] == canonical  # kept while paging
    plain = load_corpus(tmp_path / "plain.txt").documents[0]
    assert document_url(plain) == "https://example.org/lanzhou"
