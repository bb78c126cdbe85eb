"""bench/generate_articles.py: varied articles stay coherent, parse, and keep their questions."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from bench.generate_articles import Substitution, find_entities, generate
from pearlbot.corpus import load_corpus
from tests.conftest import SEED_FILE

SEED_TEXT = SEED_FILE.read_text(encoding="utf-8")
QUESTIONS = [
    {"id": "p1", "question": "which Wuxi district pairs with Minhe County?", "kind": "pairing",
     "tags": [], "answers_any": ["Xinwu"], "answers_all": [], "abstain": False,
     "must_not_contain": ["Liangxi"], "gold_passage": "Minhe County and Huzhu County in Haidong",
     "doc": "wuxi-haidong-2019-08-07"},
    {"id": "f1", "question": "How many assistance projects has Wuxi implemented?",
     "kind": "figure", "tags": [], "answers_any": ["160"], "answers_all": [], "abstain": False,
     "must_not_contain": [], "gold_passage": "implemented 160 assistance projects",
     "doc": "wuxi-haidong-2019-08-07"},
    {"id": "c1", "question": "民和县和无锡哪个区结对？", "kind": "pairing", "tags": ["chinese"],
     "answers_any": ["Xinwu"], "answers_all": [], "abstain": False, "must_not_contain": [],
     "gold_passage": "Minhe County and Huzhu County in Haidong", "doc": "wuxi-haidong-2019-08-07"},
]  # fmt: skip


def test_entities_of_the_seed():
    found = find_entities([SEED_TEXT], ["Wuxi", "Haidong"])
    assert {"Wuxi", "Haidong", "Xinwu", "Minhe", "Ledu", "Pingan"} <= found.places
    assert found.provinces == {"Jiangsu", "Qinghai"}
    assert {"Li Xiaomin", "Niao Chengyun", "Wang Linhu", "Jiang Min"} <= found.people
    assert found.nicknames == {"Taihu Pearl", "Plateau Pearl"}


def test_substitution_is_consistent():
    sub = Substitution(
        names={"wuxi": "Anlan", "li xiaomin": "Fu Kang"}, factor=1.5, years=2, days=3
    )
    text = (
        "Wuxi invested 503 million yuan; Li Xiaomin said Wuxi's 1,860 students and 503 more."
        " On August 6 (Release time:2019-08-07) since the end of 2016, in April 2017,"
        " 5.9 percent, 9 counties, the 13th plan, 80 percent of wuxi."
    )
    assert sub.apply(text, 2019) == (
        "Anlan invested 754 million yuan; Fu Kang said Anlan's 2,790 students and 754 more."
        " On August 9 (Release time:2021-08-10) since the end of 2018, in April 2019,"
        " 8.9 percent, 9 counties, the 13th plan, 99 percent of anlan."
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "out"
    questions = out.parent / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS))
    summary = generate(6, out, seed=3, sources=[SEED_FILE], questions=questions)
    return out, summary


def test_generated_articles_parse_and_use_no_source_names(generated):
    out, summary = generated
    assert summary["articles"] == 6
    corpus = load_corpus(out / "articles")
    assert len(corpus.documents) == 6 and not corpus.problems
    for doc in corpus.documents:
        for name in ("Wuxi", "Haidong", "Xinwu", "Minhe", "Li Xiaomin", "Taihu Pearl"):
            assert name not in doc.text, (doc.id, name)
        east, west, date = re.fullmatch(r"([a-z]+)-([a-z]+)-(.+)", doc.id).groups()
        assert doc.released == dt.date.fromisoformat(date)
        assert east.capitalize() in doc.text and west.capitalize() in doc.text
        assert doc.credit == f"{east.capitalize()} Daily"  # the newspaper follows its city
    assert len({d.id.split("-")[0] for d in corpus.documents}) == 6  # every variant its own city


def test_questions_follow_their_article(generated):
    out, summary = generated
    questions = [json.loads(line) for line in (out / "questions.jsonl").read_text().splitlines()]
    assert summary["questions"] == len(questions) == 12  # 2 per article; the Chinese one is not
    manifest = json.loads((out / "manifest.json").read_text())
    for question in questions:
        article = (out / "articles" / f"{question['doc']}.txt").read_text()
        assert question["gold_passage"] in article
        assert question["answers_any"][0] in article
        entry = next(m for m in manifest if m["article"] == f"articles/{question['doc']}.txt")
        if question["id"].startswith("p1"):
            assert question["answers_any"] == [entry["names"]["xinwu"]]
            assert entry["names"]["minhe"] in question["question"]


def test_same_seed_same_corpus(generated, tmp_path):
    out, _ = generated
    generate(6, tmp_path / "again", seed=3, sources=[SEED_FILE], questions=None)
    for file in (out / "articles").iterdir():
        assert (tmp_path / "again" / "articles" / file.name).read_text() == file.read_text()


def test_refuses_to_overwrite_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit, match="not overwriting"):
        generate(1, tmp_path, sources=[SEED_FILE], questions=None)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
