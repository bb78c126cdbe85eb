"""The store's folder: created private (mode 0700), refused when anyone else could write to it.

Planted rows or postings would mean wrong answers, so a folder owned by another user, or
writable by its group or by others, is never read; the message names the folder.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from pearlbot.corpus import CorpusError


class StoreRefused(CorpusError):
    """The store's folder is not safe to read (another owner, or writable by others)."""


def check_folder(folder: Path) -> None:
    """StoreRefused (one line naming the folder) unless this user alone can write to it."""
    info = folder.stat()
    if not stat.S_ISDIR(info.st_mode):
        raise StoreRefused(f"knowledge store {folder} is not a folder")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise StoreRefused(f"knowledge store {folder} belongs to another user; not using it")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise StoreRefused(
            f"knowledge store {folder} can be written by other users; not using it"
            f" (chmod 700 {folder} to use it)"
        )


def prepare_folder(folder: Path) -> None:
    """Create the folder with mode 0700 if missing (parents as usual), then check it."""
    if not folder.exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)  # the umask may have taken bits off, never put them on
    check_folder(folder)


def writable(folder: Path) -> bool:
    """Whether new files can be created in the folder (a read-only mount or folder: False)."""
    return os.access(folder, os.W_OK | os.X_OK)
