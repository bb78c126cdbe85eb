import datetime as dt

import pytest

from pearlbot.corpus import parse_article
from tests.conftest import SEED_FILE


def test_seed_metadata_and_chrome(seed_corpus):
    (doc,) = seed_corpus.documents
    assert doc.id == "wuxi-haidong-2019-08-07"
    assert doc.title == "Investigate the counterpart assistance work in Qinghai"
    assert doc.released == dt.date(2019, 8, 7)
    assert doc.credit == "Wuxi Daily"
    for chrome in ("Browse", "All rights reserved", "Sponsored by", "Technical Support", "Photo/"):
        assert chrome not in doc.text
    assert "\u00a0" not in doc.text
    assert doc.text.startswith('"Taihu Pearl" Wuxi')
    assert doc.text.endswith('realizing the "full participation" of all forces.')
    assert doc.text.count("\n\n") == 3  # four paragraphs


def test_article_without_release_line_still_loads():
    doc = parse_article("A title\n\nFirst paragraph. Second sentence.\n", doc_id="x", source="x")
    assert doc.released is None and doc.title == "A title"
    assert doc.text == "First paragraph. Second sentence."


def test_markdown_heading_and_other_date_labels():
    doc = parse_article("# Heading here\nDate: 2021-03-04\n\nBody text.", doc_id="m", source="m")
    assert doc.title == "Heading here" and doc.released == dt.date(2021, 3, 4)


def test_invalid_date_is_ignored_not_fatal():
    doc = parse_article("T\nRelease time:2021-13-45\n\nBody.", doc_id="d", source="d")
    assert doc.released is None


@pytest.mark.parametrize("raw", ["", "   \n\n", "Only a title\n"])
def test_empty_articles_are_rejected(raw):
    with pytest.raises(ValueError):
        parse_article(raw, doc_id="e", source="e")


def test_seed_file_is_unchanged_copy():
    assert SEED_FILE.read_bytes().startswith(b"Investigate the counterpart")


def test_clean_line_drops_exactly_the_control_characters_but_the_tab():
    """The regex that replaced unicodedata.category per character cleans lines as it did."""
    import unicodedata

    from pearlbot.corpus import articles

    def before(line: str) -> str:
        line = articles._INVISIBLE.sub("", unicodedata.normalize("NFC", line))
        line = "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch) != "Cc")
        return articles._SPACES.sub(" ", line).strip()

    for code in range(0x3000):  # every control character is below U+00A0
        line = f"a{chr(code)}b\x85 \t"
        assert articles.clean_line(line) == before(line), code
