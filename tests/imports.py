"""The package's modules and what each imports, read with `ast` (nothing is executed).

Folders map to module names as pyproject's package-dir does (`bot/` is `pearlbot.bot`).
Every import counts, deferred ones inside functions and `TYPE_CHECKING` blocks included.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_FOLDERS = {
    "pearlbot": ROOT / "pearlbot",
    "pearlbot.bot": ROOT / "bot",
    "pearlbot.corpus": ROOT / "corpus",
    "pearlbot.retrieval": ROOT / "retrieval",
    "pearlbot.seeds": ROOT / "seeds",
}


def module_files() -> dict[str, Path]:
    """Every module of the package: dotted name -> file (a package is its `__init__.py`)."""
    modules: dict[str, Path] = {}
    for package, folder in PACKAGE_FOLDERS.items():
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(folder)
            if package == "pearlbot" and len(relative.parts) > 1:
                continue  # pearlbot/'s symlinks to the folders, counted under their own names
            if "__pycache__" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join([package, *parts])] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that module `name` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import module` names the module; `from module import name`, module.
            submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
            targets = submodules or [base]
        else:
            continue
        for target in targets:
            # `import a.b.c` runs a.b.c; attribute names fall back to their module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports."""
    files = module_files()
    known = set(files)
    return {name: imported_modules(name, path, known) for name, path in files.items()}
