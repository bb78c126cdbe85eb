# ruff: noqa: E501
"""Command names, descriptions and option names in Simplified Chinese for zh-CN clients,
through discord.py's `app_commands.Translator` (sent with the commands when they are synced)."""

from __future__ import annotations

import discord
from discord import app_commands

# fmt: off
# English string (as written in the command definitions) -> Simplified Chinese.
ZH_CN: dict[str, str] = {
    # /ask
    "ask": "提问",
    "Ask a question about the news releases": "就新闻稿提一个问题",
    "question": "问题",
    "For example: which Wuxi district pairs with Minhe County?": "例如：无锡哪个区与民和县结对？",
    "private": "仅自己可见",
    "Only you see the answer": "只有你能看到回答",
    # the message context menu
    "Ask Pearlbot": "问 Pearlbot",
    # /check
    "check": "核实",
    "Check a claim against the news releases": "根据新闻稿核实一个说法",
    "claim": "说法",
    "For example: Xinwu District is paired with Minhe County": "例如：新吴区与民和县结对",
    # /pair
    "pair": "结对",
    "Which place a district or county is paired with": "某区或县与哪里结对",
    "place": "地点",
    "A district or county (either side); empty for the whole table": "区或县（任一方）；留空显示全部",
    # /facts
    "facts": "事实",
    "Figures, people, dates and pairings, cited": "数字、人物、日期和结对关系，附出处",
    "kind": "类别",
    "Which facts to list (all when empty)": "列出哪类事实（留空为全部）",
    # /source
    "source": "出处",
    "A passage or a whole article with its metadata": "一段文字或整篇文章及其信息",
    "passage": "段落",
    "A passage id (document#n) or a document id; type to search": "段落编号（文档#n）或文档编号；输入以搜索",
    # /help, /reload, /stats
    "help": "帮助",
    "What Pearlbot knows and how to ask": "Pearlbot 知道什么、如何提问",
    "reload": "重新加载",
    "Re-read the articles (Manage Server or owner)": "重新读取文章（需管理服务器权限或所有者）",
    "stats": "统计",
    "Questions asked, unanswered ones, votes and latency (Manage Server)": "提问数、未答问题、投票和延迟（需管理服务器权限）",
}
# fmt: on
LOCALES = {discord.Locale.chinese: ZH_CN}


class PearlbotTranslator(app_commands.Translator):
    """Looks each string up in the locale's table; None (English) when it has no entry."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        table = LOCALES.get(locale)
        if table is None:
            return None
        return table.get(string.message)
