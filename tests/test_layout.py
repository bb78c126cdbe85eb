"""pyproject's package list and package-dir mapping match the folders on disk."""

from __future__ import annotations

import tomllib

from tests.imports import PACKAGE_FOLDERS, ROOT


def _setuptools() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]


def _packages_on_disk() -> set[str]:
    """Every folder with an `__init__.py` under the mapped folders, as a dotted name."""
    found = set()
    for package, folder in PACKAGE_FOLDERS.items():
        for init in folder.rglob("__init__.py"):
            parts = init.parent.relative_to(folder).parts
            if package == "pearlbot" and parts:
                continue  # pearlbot/'s symlinks to the other folders
            found.add(".".join([package, *parts]))
    return found


def test_the_package_list_is_the_folders_on_disk():
    """A new sub-package must be listed in pyproject, or the wheel silently lacks it."""
    assert set(_setuptools()["packages"]) == _packages_on_disk()


def test_the_mapping_installs_every_folder_under_pearlbot():
    """package-dir maps the design card's top-level folders under the one name `pearlbot`."""
    mapping = _setuptools()["package-dir"]
    assert {name: ROOT / path for name, path in mapping.items()} == PACKAGE_FOLDERS
    assert all(name == "pearlbot" or name.startswith("pearlbot.") for name in mapping)


def test_every_folder_with_modules_is_a_package():
    """No namespace package by accident: each folder holding modules has an `__init__.py`."""
    missing = [
        str(folder.relative_to(ROOT))
        for base in PACKAGE_FOLDERS.values()
        for folder in [base, *(p for p in base.rglob("*") if p.is_dir())]
        if "__pycache__" not in folder.parts
        and not folder.is_symlink()
        and any(folder.glob("*.py"))
        and not (folder / "__init__.py").exists()
    ]
    assert not missing, missing
