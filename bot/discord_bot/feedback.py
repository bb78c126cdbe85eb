"""👍/👎 feedback on answers as a file a team can review: CSV or JSON.

The votes themselves live in the bot's database (`pearlbot.bot.database`). No discord.py here:
`pearlbot feedback` exports without importing it.
"""

from __future__ import annotations

import csv
import io
import json

from pearlbot.bot.database import FEEDBACK_COLUMNS


def export(rows: list[dict[str, object]], fmt: str) -> str:
    """Rows as CSV (with a header) or a JSON array."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FEEDBACK_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
