"""The front ends reach retrieval only through `pearlbot.retrieval`, its public surface."""

from __future__ import annotations

import pearlbot.retrieval
from tests.imports import import_graph


def test_bot_modules_import_no_retrieval_submodule():
    """No module under bot/ imports `pearlbot.retrieval.<anything>` (deferred imports too)."""
    offenders = [
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        if module.startswith("pearlbot.bot")
        for target in targets
        if target.startswith("pearlbot.retrieval.")
    ]
    assert not offenders, offenders


def test_the_public_surface_exports_what_it_lists():
    """Every name in `pearlbot.retrieval.__all__` exists."""
    missing = [name for name in pearlbot.retrieval.__all__ if not hasattr(pearlbot.retrieval, name)]
    assert not missing, missing
