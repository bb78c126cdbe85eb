"""A throwaway PostgreSQL server for the database tests: Debian's `postgresql` package,
`initdb` and `pg_ctl` in a temporary folder, a Unix socket only (no TCP port), stopped after.

As root (CI) the cluster runs as the `postgres` user, which the package creates. When no
server binaries exist the tests that need one are skipped, saying how to install them.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INSTALL_HINT = "PostgreSQL is not installed (apt-get install -y postgresql; .ci/check does it)"


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, the newest version first; None if absent."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path and shutil.which("pg_ctl") else None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a cluster; yield its SQLAlchemy URL (postgresql://postgres@/test?host=SOCKET)."""
    binaries = server_bin()
    if binaries is None:
        raise RuntimeError(INSTALL_HINT)
    root = Path(tempfile.mkdtemp(prefix="pearlbot-pg-"))
    data, socket = root / "data", root / "socket"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket, "postgres")
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    subprocess.run(
        _as_server_user(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
            ]
        ),
        **run,
    )
    options = f"-k {socket} -c listen_addresses='' -c fsync=off -c max_connections=50"
    pg_ctl = str(binaries / "pg_ctl")
    subprocess.run(
        _as_server_user(
            [pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
        ),
        **run,
    )
    try:
        subprocess.run(
            _as_server_user(
                [str(binaries / "createdb"), "-h", str(socket), "-U", "postgres", "test"]
            ),
            **run,
        )
        yield f"postgresql://postgres@/test?host={socket}"
    finally:
        subprocess.run(
            _as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
