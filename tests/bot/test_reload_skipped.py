"""The bot's reload names the files it skipped, with their reasons (issue 15)."""

from __future__ import annotations

import asyncio

from pearlbot.bot.discord_bot.service import AnswerService


def test_reload_reports_skipped_files_and_keeps_the_rest(tmp_path, seed_kb, monkeypatch):
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")
    (tmp_path / "good.txt").write_text(
        "Lakeport opens a school\nRelease time:2021-05-06\n\n"
        "Lakeport District has paired with Hillcrest County since 2018.\n",
        encoding="utf-8",
    )
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01 binary")
    (tmp_path / "turkish.txt").write_text(
        "Ridgeway opens a clinic\n\nRidgeway sent sıx teachers and NİNE doctors.\n",
        encoding="utf-8",
    )
    service = AnswerService(seed_kb, [str(tmp_path)])
    result = asyncio.run(service.reload())
    assert result.documents == 2  # the Turkish article loads; only the binary file is skipped
    (skipped,) = result.skipped
    assert "binary.txt" in skipped and "binary" in skipped.split(":")[-1]
