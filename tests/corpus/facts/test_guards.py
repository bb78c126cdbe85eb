"""The extraction's cheap tests skip only text their pattern could never match.

A guard (corpus.facts.text.Guarded) names words every match of its pattern holds; the
extraction skips a sentence without them. These tests run each guarded pattern with and without
its guard over every sentence of the real-article rewrites, the seeds and sentences written to
match, and expect the same matches; and check the memo of PlaceBook.find forgets on add.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from pearlbot.corpus import chunk_document, load_corpus
from pearlbot.corpus.facts import dates, figures, places, text
from pearlbot.corpus.facts.places import PlaceBook
from pearlbot.corpus.facts.text import Guarded, sentences
from tests.conftest import EVAL, SEED_FILE

GUARDS: dict[str, Guarded] = (
    {
        name: value
        for module in (text, places)
        for name, value in vars(module).items()
        if isinstance(value, Guarded)
    }
    | {
        f"dates rule {i}": find
        for i, (find, _build) in enumerate(dates.DATE_RULES)
        if isinstance(find, Guarded)
    }
    | {
        # _day_matches skips text without a month's stem before running these four.
        f"day pattern {name}": Guarded(getattr(dates, name), text.MONTH_STEMS)
        for name in ("_DAY", "_DAY_FIRST", "_SHORT_DAY", "_OF_DAY")
    }
)

# Sentences written so that each guarded pattern matches at least once.
WRITTEN = [
    "Stonebridge Miao Autonomous County lies in Westvale.",
    "Zogang, a small county in Upland, and Rimo, a town of Westvale, joined.",
    "The Eastport Municipal Committee sent a team, the Upland Provincial government another.",
    "Mayor of Eastport Li Ming visited Westvale of Upland Province last week.",
    '“Harbour City” Eastport and "Land of Songs" Westvale signed the agreement.',
    "From 8 to 10 November 2019 the teams met, and again on June 5, 2020.",
    "The office opened in April last year and closed last March, since May 2021.",
    "They met on the 7th of August, 2019, and on Sept 18 and 12 June.",
]


def _real_sentences() -> Iterator[str]:
    folders = [EVAL / "real" / "articles", *sorted(EVAL.glob("real/*/articles"))]
    corpus = load_corpus([*folders, SEED_FILE.parent])
    for document in corpus.documents:
        passages = chunk_document(document, window=1)
        for sentence in sentences(document, passages):
            yield sentence.text


@pytest.fixture(scope="module")
def real_sentences() -> list[str]:
    found = list(_real_sentences())
    assert len(found) > 700  # the eval articles are there: this test reads real text
    return found


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(GUARDS))
def test_a_guard_skips_no_match_of_its_pattern(name: str, real_sentences: list[str]) -> None:
    guard = GUARDS[name]
    matched = 0
    for sentence in [*real_sentences, *WRITTEN]:
        expected = _spans(guard.pattern.finditer(sentence))
        assert _spans(guard(sentence)) == expected, sentence
        assert (guard.search(sentence) is not None) == bool(expected), sentence
        matched += bool(expected)
    assert matched, f"{name}: no sentence matched, so the test proved nothing"


def test_an_ending_guard_skips_no_match_of_its_pattern(real_sentences: list[str]) -> None:
    """figures._tail_search skips text that ends in none of its pattern's endings: at every
    word of every sentence, the guarded search finds what the plain one does."""
    found = dict.fromkeys(figures._ENDINGS, 0)
    written = [
        "more than 40",
        "with a total investment of 5",
        "RMB 8",
        "(about $4",
        "Sept. 18",
        "these 3",
        "in 2019",
        "the 12",
        "Eastport's 5",
        "exports worth 7",
        # Case and spaces as the patterns read them, not as str.casefold and rstrip do.
        "ABOUT 7",
        "\u017fome 40",
        "the office opened \u0130n 2019",
        "value of\u00a05",
        "RMB\u3000 5",
        # Unicode case-insensitive "i" also matches dotless and dotted I; casefold does not.
        "approx\u0131mately 9",
        "exceed\u0130ng 3",
    ]
    for sentence in [*real_sentences, *written]:
        for word in re.finditer(r"\S+", sentence):
            before = sentence[: word.start()]
            for pattern in figures._ENDINGS:
                plain = pattern.search(before, max(0, len(before) - 80))
                guarded = figures._tail_search(pattern, before)
                assert (plain and plain.span()) == (guarded and guarded.span()), before[-80:]
                found[pattern] += plain is not None
        for before in (sentence + " ",):  # the sentence's end, too
            for pattern in figures._ENDINGS:
                plain = pattern.search(before, max(0, len(before) - 80))
                assert (plain and plain.span()) == (
                    (g := figures._tail_search(pattern, before)) and g.span()
                ), before[-80:]
    assert all(found.values()), [p.pattern[:30] for p, n in found.items() if not n]


def test_the_guards_are_the_ones_the_extraction_uses() -> None:
    assert {"FIND_AUTONOMOUS", "FIND_OF_PROVINCE", "FIND_TYPED_BY_APPOSITION"} <= set(GUARDS)
    assert sum(name.startswith("dates rule") for name in GUARDS) == 4


def test_a_guard_skips_text_without_its_words() -> None:
    never = Guarded(re.compile(r"Municipal"), ("zzz",))
    assert list(never("Eastport Municipal")) == []
    assert never.search("Eastport Municipal") is None


def test_place_book_finds_a_place_added_after_a_search() -> None:
    book = PlaceBook()
    book.add("Westvale", "city")
    sentence = "Eastport has helped Westvale since 2016."
    assert [m.name for m in book.find(sentence)] == ["Westvale"]
    book.add("Eastport", "city")  # the memo of the first search must not hide it
    assert [m.name for m in book.find(sentence)] == ["Eastport", "Westvale"]
    found = book.find(sentence)
    found.clear()  # a caller's copy: the memo keeps its own
    assert len(book.find(sentence)) == 2
