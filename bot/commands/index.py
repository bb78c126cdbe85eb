"""`pearlbot index build` and `pearlbot index status`: the knowledge store, ahead of time."""

from __future__ import annotations

import argparse
import os
import sys
import time

from pearlbot.bot.commands.common import UsageError, selected_corpus
from pearlbot.corpus import CorpusError
from pearlbot.retrieval import build_store, store_status

PROGRESS_EVERY_SECONDS = 5.0  # without a terminal, a progress line this often


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def cmd_build(args: argparse.Namespace) -> int:
    paths = selected_corpus(args)
    last = [time.monotonic(), 0, 0]  # last line, files done, files to do

    def total(n: int) -> None:
        last[2] = n
        if n:
            print(f"pearlbot: reading {n:,} changed article files", file=sys.stderr)

    def done(n: int) -> None:
        last[1] += n
        if not sys.stderr.isatty() and time.monotonic() - last[0] >= PROGRESS_EVERY_SECONDS:
            last[0] = time.monotonic()
            print(f"pearlbot: {last[1]:,}/{last[2]:,} article files", file=sys.stderr)

    try:
        report = build_store(paths, total=total, done=done)
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"the knowledge store cannot be written: {exc}") from None
    if report is None:
        raise UsageError("the knowledge store is off (PEARLBOT_STORE_DIR=off)")
    what = "rebuilt" if report.rebuilt else "updated"
    print(
        f"knowledge store {what} in {report.seconds:.1f} s: {report.added:,} added,"
        f" {report.changed:,} changed, {report.removed:,} removed, {report.unchanged:,} unchanged"
    )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    paths = selected_corpus(args)
    try:
        status = store_status(paths)
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    if status is None:
        print("knowledge store: off (PEARLBOT_STORE_DIR=off)")
        return 0
    print(f"knowledge store: {status.folder}")
    if status.exists and status.generation:
        print(f"  documents    {status.documents:,}")
        print(f"  passages     {status.passages:,}")
        print(f"  facts        {status.facts:,}")
        print(f"  skipped      {status.skipped:,} files")
        print(f"  on disk      {_size(status.bytes_on_disk)}")
        print(f"  update       {status.generation}")
    if status.problem:
        print(f"  stale: {status.problem}")
    for label, items in (("new", status.new), ("changed", status.changed),
                         ("removed", status.removed)):  # fmt: skip
        if items:
            shown = ", ".join(items[:3]) + (", ..." if len(items) > 3 else "")
            print(f"  stale: {len(items):,} {label} ({shown})")
    if not status.stale:
        print("  up to date")
    return 0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    index = sub.add_parser("index", parents=[common], help="the knowledge store (build, status)")
    actions = index.add_subparsers(dest="index_command", metavar="ACTION", required=True)
    build = actions.add_parser(
        "build", parents=[common], help="read the articles into the knowledge store, for a deploy"
    )
    build.set_defaults(func=cmd_build)
    status = actions.add_parser(
        "status", parents=[common], help="documents, passages, facts, size and what is stale"
    )
    status.set_defaults(func=cmd_status)
    index.epilog = f"The store lives in $PEARLBOT_STORE_DIR (paths joined by {os.pathsep!r})."
