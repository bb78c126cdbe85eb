import pytest

from pearlbot.retrieval.search.analyzer import AnalyzerSettings, analyze, normalize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ping'an District", "Pingan District"),
        ("Ping’an", "pingan"),
        ("3,350 persons", "3350 persons"),
        ("Wuxi’s funds", "Wuxi fund"),
        ("ＷＵＸＩ", "wuxi"),
        ("Paired DISTRICTS", "pairs district"),
    ],
)
def test_equivalent_forms_analyse_the_same(a, b):
    assert analyze(a) == analyze(b)


def test_stop_words_and_stemming_can_be_switched_off():
    text = "The districts are paired"
    assert analyze(text) == ["district", "pair"]
    assert analyze(text, AnalyzerSettings(stop_words=False)) == ["the", "district", "are", "pair"]
    assert analyze(text, AnalyzerSettings(stem=False)) == ["districts", "paired"]


def test_decimals_and_thousands_kept_whole():
    assert analyze("1.26 billion and 1,860 students") == ["1.26", "billion", "1860", "student"]
    assert normalize("1,2,3") == "1,2,3"  # not a thousands number


def test_cjk_characters_are_single_tokens():
    assert analyze("民和县") == ["民", "和", "县"]
