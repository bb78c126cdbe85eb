"""docs/answer-embed.png: an answer embed as Discord shows it, from the real render code.

The answer to the README's example question is rendered by `bot/discord_bot/render.py` into
Discord's embed JSON, laid out as an HTML page styled like Discord's dark theme (a small subset of
its Markdown: bold, block quotes, inline code, escapes), and photographed with headless Chromium
(Debian's `chromium` package). Run: python -m bench.embed_picture [--html-only]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from pearlbot.bot.discord_bot.render import answer_embed
from pearlbot.retrieval import answer_question, open_knowledge_base

QUESTION = "which Wuxi district pairs with Minhe County?"
DOCS = Path(__file__).resolve().parent.parent / "docs"
PNG = DOCS / "answer-embed.png"
WINDOW = "740,460"  # width,height in CSS pixels; the page is cropped to the message

STYLE = """
body { margin: 0; background: #313338; font-family: "DejaVu Sans", sans-serif; color: #dbdee1; }
.message { display: flex; padding: 16px 16px 16px 16px; width: 700px; }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: #2e9e5b; flex: none;
  margin-right: 16px; color: white; font-weight: bold; text-align: center; line-height: 40px; }
.name { color: #f2f3f5; font-weight: 600; } .tag { background: #5865f2; color: white;
  font-size: 10px; border-radius: 3px; padding: 1px 4px; margin-left: 4px; vertical-align: 2px; }
.time { color: #949ba4; font-size: 12px; margin-left: 6px; }
.embed { margin-top: 6px; background: #2b2d31; border-radius: 4px; border-left: 4px solid;
  padding: 8px 16px 16px 12px; max-width: 600px; font-size: 14px; line-height: 1.35; }
.author { font-size: 13px; font-weight: 600; color: #f2f3f5; margin-top: 8px; }
.title { font-size: 16px; font-weight: 700; color: #f2f3f5; margin-top: 8px; }
.description, .field-value { margin-top: 8px; white-space: pre-wrap; }
.field-name { font-weight: 700; color: #f2f3f5; margin-top: 8px; }
.quote { border-left: 4px solid #4e5058; padding-left: 10px; margin: 2px 0; }
.footer { font-size: 12px; color: #b5bac1; margin-top: 8px; }
code { background: #1e1f22; border-radius: 3px; padding: 0 3px; font-size: 85%; }
.buttons { margin-top: 8px; display: flex; gap: 8px; }
.button { background: #4e5058; color: white; border-radius: 3px; padding: 4px 14px;
  font-size: 14px; }
"""


def markdown(text: str) -> str:
    """The little of Discord's Markdown the embed uses, as HTML."""
    lines = []
    for line in text.split("\n"):
        quoted = line.startswith("> ")
        body = html.escape(line[2:] if quoted else line)
        body = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", body)
        body = re.sub(r"`([^`]+)`", r"<code>\1</code>", body)
        body = re.sub(r"\\(.)", r"\1", body)  # escaped Markdown shows as written
        lines.append(f'<div class="quote">{body}</div>' if quoted else body)
    return "<br>".join(lines).replace("</div><br>", "</div>")


def page(embed: dict[str, Any]) -> str:
    """An HTML page showing one bot message holding `embed`, with the answer's buttons."""
    colour = f"#{embed.get('color', 0):06x}"
    parts = []
    if "author" in embed:
        parts.append(f'<div class="author">{html.escape(embed["author"]["name"])}</div>')
    parts.append(f'<div class="title">{markdown(embed["title"])}</div>')
    if embed.get("description"):
        parts.append(f'<div class="description">{markdown(embed["description"])}</div>')
    for field in embed.get("fields", []):
        parts.append(f'<div class="field-name">{markdown(field["name"])}</div>')
        parts.append(f'<div class="field-value">{markdown(field["value"])}</div>')
    if "footer" in embed:
        parts.append(f'<div class="footer">{html.escape(embed["footer"]["text"])}</div>')
    buttons = "".join(
        f'<span class="button">{label}</span>' for label in ("More passages", "👍", "👎")
    )
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>{STYLE}</style></head>
<body><div class="message"><div class="avatar">P</div><div>
<span class="name">Pearlbot</span><span class="tag">BOT</span>
<span class="time">Today at 9:41</span>
<div class="embed" style="border-color: {colour}">{"".join(parts)}</div>
<div class="buttons">{buttons}</div></div></div></body></html>"""


def screenshot(html_file: Path, png: Path) -> None:
    """Photograph `html_file` with Debian's headless Chromium."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("no chromium: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--screenshot={png}",
                f"--window-size={WINDOW}",
                html_file.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--html-only", action="store_true", help="write the HTML page only")
    args = parser.parse_args()
    answer = answer_question(open_knowledge_base(), QUESTION)
    embed = answer_embed(answer).to_dict()
    DOCS.mkdir(exist_ok=True)
    html_file = DOCS / "answer-embed.html"
    html_file.write_text(page(embed), encoding="utf-8")
    (DOCS / "answer-embed.json").write_text(
        json.dumps(embed, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    if not args.html_only:
        screenshot(html_file, PNG)
        html_file.unlink()
        print(f"wrote {PNG}")


if __name__ == "__main__":
    main()
