"""One settings object (`pearlbot.settings`) for every command, `.env` included."""

from __future__ import annotations

import ast
import shutil

import pytest

from pearlbot.bot import cli
from pearlbot.bot.commands import discord as discord_command
from pearlbot.bot.commands.common import UsageError, load_kb, selected_corpus
from pearlbot.bot.discord_bot.settings import DiscordSettings
from pearlbot.seeds import seeds_path
from pearlbot.settings import PearlbotSettings, SettingsError, load_settings, settings_in_use
from tests.conftest import SEED_FILE
from tests.imports import module_files

# The one place allowed to read the environment, and the helper-process launch that copies it.
READS_ENVIRONMENT = {"pearlbot.settings", "pearlbot.retrieval.search.engine"}
ENVIRONMENT = {"environ", "environb", "getenv", "getenvb"}


@pytest.fixture
def env_file_corpus(tmp_path, monkeypatch):
    """A folder with one article, named only by PEARLBOT_CORPUS in ./.env (the cwd)."""
    for name in ("PEARLBOT_CORPUS", "DISCORD_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / "only-article.txt")
    (tmp_path / ".env").write_text(
        f"PEARLBOT_CORPUS={folder}\nDISCORD_TOKEN=not-a-real-token\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return folder


def test_corpus_in_dot_env_gives_list_and_run_the_same_documents(
    env_file_corpus, monkeypatch, capsys
):
    """`pearlbot corpus list` and `pearlbot run` read PEARLBOT_CORPUS from .env alike."""
    assert cli.main(["corpus", "list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()[:-1]]

    seen: dict[str, object] = {}

    def service(args):
        seen["settings"] = args.settings
        seen["documents"] = [d.id for d in load_kb(args).corpus.documents]
        raise UsageError("stop before connecting")

    monkeypatch.setattr(discord_command, "_service", service)
    assert cli.main(["run"]) == 2
    assert isinstance(seen["settings"], DiscordSettings)
    assert seen["settings"].corpus_paths() == [str(env_file_corpus)]
    assert listed == seen["documents"] == ["only-article"]


def test_every_command_reads_the_object_it_runs_with(env_file_corpus):
    """Within a command, every layer sees the settings object the command loaded."""
    parser = cli.build_parser()
    for argv in (["corpus", "list"], ["ask", "q"], ["run"], ["eval"]):
        args = parser.parse_args(argv)
        args.corpus = []
        settings = cli.command_settings(args)
        with settings_in_use(settings):
            assert selected_corpus(args) == [str(env_file_corpus)], argv


def test_an_empty_corpus_variable_counts_as_unset(tmp_path, monkeypatch):
    """PEARLBOT_CORPUS= (empty) means the packaged seeds, as if it were not set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PEARLBOT_CORPUS", "")
    settings = load_settings(PearlbotSettings)
    assert settings.corpus is None and settings.corpus_paths() is None
    with settings_in_use(settings):
        assert selected_corpus(cli.build_parser().parse_args(["corpus", "list"])) == [
            str(seeds_path())
        ]


def test_a_bad_value_names_the_variable_not_the_value(monkeypatch):
    """A setting that does not parse is reported by its variable name."""
    monkeypatch.setenv("PEARLBOT_DEBUG", "secret-looking-value")
    with pytest.raises(SettingsError, match="PEARLBOT_DEBUG") as caught:
        load_settings(PearlbotSettings)
    assert "secret-looking-value" not in str(caught.value)


def test_discord_settings_extend_pearlbots():
    """The Discord front end's settings are Pearlbot's plus its own."""
    assert issubclass(DiscordSettings, PearlbotSettings)
    assert set(PearlbotSettings.model_fields) < set(DiscordSettings.model_fields)


def test_no_other_module_reads_the_environment():
    """Only pearlbot/settings.py reads os.environ or os.getenv (the engine copies it for its
    helper processes)."""
    offenders = []
    for module, path in module_files().items():
        if module in READS_ENVIRONMENT:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            attribute = isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT
            imported = isinstance(node, ast.ImportFrom) and node.module == "os"
            if attribute or (imported and {a.name for a in node.names} & ENVIRONMENT):
                offenders.append(f"{module}:{node.lineno}")
    assert not offenders, offenders
