"""Known vulnerabilities of the locked dependencies, from PyPI's advisory data.

pip-audit needs PyPI's per-release JSON or OSV; where only the project JSON is reachable (as on
this project's build machines), its `vulnerabilities` list describes the latest release, so a
pinned version is checked when it is the latest, and reported as not checked otherwise.
Run: python .ci/audit.py [requirements.lock]   Exit 1 if any advisory applies.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

INDEX = "https://pypi.org/pypi"


def _get(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return json.load(response)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError):
        return None


def advisories(name: str, version: str) -> tuple[str, list[str]]:
    """("checked" | "not checked: why", advisory ids) for one pinned package."""
    data = _get(f"{INDEX}/{name}/{version}/json")
    if data is None:
        data = _get(f"{INDEX}/{name}/json")
        if data is None:
            return "not checked: no PyPI data", []
        if data["info"]["version"] != version:
            return f"not checked: latest is {data['info']['version']}", []
    found = [v.get("id", "?") for v in data.get("vulnerabilities", []) if not v.get("withdrawn")]
    return "checked", found


def main() -> int:
    lock = Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")
    pins = [
        line.split("==")
        for line in lock.read_text().splitlines()
        if "==" in line and not line.startswith("#")
    ]
    affected = 0
    unchecked = 0
    for name, version in pins:
        status, found = advisories(name.strip(), version.strip())
        unchecked += status != "checked"
        affected += bool(found)
        print(f"{name:<22} {version:<14} {status}{': ' + ', '.join(found) if found else ''}")
    checked = len(pins) - unchecked
    summary = f"{len(pins)} pinned, {checked} checked, {unchecked} not checked"
    print(f"\n{summary}, {affected} with advisories")
    return 1 if affected else 0


if __name__ == "__main__":
    sys.exit(main())
