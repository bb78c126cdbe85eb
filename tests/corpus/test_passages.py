import pytest

from pearlbot.corpus import Document, chunk_document, split_sentences


def _doc(text: str) -> Document:
    return Document(id="d", title="t", source="s", text=text)


def test_offsets_hold_for_every_seed_passage(seed_corpus):
    docs = {d.id: d for d in seed_corpus.documents}
    assert seed_corpus.passages
    for passage in seed_corpus.passages:
        assert docs[passage.doc_id].text[passage.start : passage.end] == passage.text


def test_pairing_sentence_is_its_own_passage(seed_corpus):
    pairing = [p for p in seed_corpus.passages if "respectively" in p.text]
    assert len(pairing) == 1
    assert pairing[0].text.startswith("Liangxi District")
    assert pairing[0].text.endswith("in Haidong.")
    assert len(pairing[0].text) < 400


def test_ids_are_stable_and_sequential(seed_corpus):
    assert [p.id for p in seed_corpus.passages] == [
        f"wuxi-haidong-2019-08-07#{n}" for n in range(1, len(seed_corpus.passages) + 1)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "It reached 1.26 billion yuan. Then it grew.",
            ["It reached 1.26 billion yuan.", "Then it grew."],
        ),
        (
            "Mr. Li met Dr. Wang at No. 5 St. James Rd. today. Next.",
            ["Mr. Li met Dr. Wang at No. 5 St. James Rd. today.", "Next."],
        ),
        ("Growth was 11.6 percent. Output rose!", ["Growth was 11.6 percent.", "Output rose!"]),
        ('He said "it works." Then left.', ['He said "it works."', "Then left."]),
        ("J. K. Smith spoke. Done.", ["J. K. Smith spoke.", "Done."]),
        ("U.S. firms came. e.g. three of them.", ["U.S. firms came. e.g. three of them."]),
        ("无锡投资5.03亿元。海东受益。", ["无锡投资5.03亿元。", "海东受益。"]),
        ("no terminal punctuation", ["no terminal punctuation"]),
    ],
)
def test_split_sentences(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_windows_never_cross_paragraphs():
    text = "A one. A two. A three.\n\nB one. B two."
    passages = chunk_document(_doc(text), window=2)
    assert [p.text for p in passages] == ["A one. A two.", "A two. A three.", "B one. B two."]
    single = chunk_document(_doc("Only one.\n\nB one. B two."), window=3)
    assert [p.text for p in single] == ["Only one.", "B one. B two."]
    for p in passages + single:
        assert "\n" not in p.text


def test_passage_rejects_wrong_span():
    from pearlbot.corpus import Passage

    with pytest.raises(ValueError):
        Passage(id="d#1", doc_id="d", text="abc", start=0, end=5)
