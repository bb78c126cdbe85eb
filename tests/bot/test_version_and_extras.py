"""`pearlbot --version`, and what `corpus add` says when the extra `pearlbot[html]` is missing."""

from __future__ import annotations

import sys

import pytest

import pearlbot
from pearlbot.bot.cli import main
from tests.conftest import DATA, SEED_FILE

PAGE = DATA / "html" / "haidong-teachers-training.html"


def test_version_prints_the_package_version(capsys):
    """`pearlbot --version` prints the installed version and exits 0."""
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"pearlbot {pearlbot.__version__}"
    assert pearlbot.__version__ != "0+unknown"


@pytest.mark.parametrize("missing", ["trafilatura", "lxml"])
def test_adding_a_page_without_the_html_extra_is_one_line_and_exit_2(
    missing, tmp_path, monkeypatch, capsys
):
    """Without trafilatura (or its lxml) a page is refused in one line naming the extra."""
    monkeypatch.delenv("PEARLBOT_CORPUS", raising=False)
    for name in [m for m in sys.modules if m == missing or m.startswith(missing + ".")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, missing, None)  # `import missing` raises ImportError
    folder = tmp_path / "corpus"
    code = main(["--corpus", str(folder), "corpus", "add", str(SEED_FILE), str(PAGE)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [
        "pearlbot: error: adding web pages needs the extra pearlbot[html]:"
        " pip install 'pearlbot[html]'"
    ]
    assert not folder.exists()  # nothing was added, not even the text file before the page
