# ruff: noqa: E501 -- article fixtures keep one sentence per line
"""Answers over places named bare, as real releases name them: the division table types them,
pairings come from plain journalism, and a place the question names is never its answer.

Real division names (the table knows only those) in sentences written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pearlbot.corpus import load_corpus
from pearlbot.retrieval.answer import answer_question
from pearlbot.retrieval.knowledge import KnowledgeBase, build_knowledge_base
from tests.conftest import one_article_kb

NANTONG = """nantong.example.cn
Home > News > Cooperation
Nantong doctors keep up their work in Hanzhong
Time: 2022-04-18 09:20:11

Nantong became Hanzhong's partner in 2017, when the national program paired the two cities.
Chenggu, administered by Hanzhong in Shaanxi province, has received 36 teachers from Nantong.
Every Thursday, doctors in Nantong hold video consultations with hospitals in Chenggu.
The average income of farmers in Chenggu rose to 13,240 yuan last year.
Nantong has so far put 215 million yuan into Hanzhong and carried out 88 projects there.
Copyright Nantong Daily. All rights reserved.
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("real-places")
    (folder / "nantong-hanzhong-2022-04-18.txt").write_text(NANTONG, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


def test_pairing_facts_from_plain_journalism(kb: KnowledgeBase) -> None:
    pairs = {(f.assisting, f.assisted) for f in kb.fact_index.of_kind("pairing")}
    assert ("Nantong", "Hanzhong") in pairs


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who is hanzhong's partner?", "Nantong"),
        ("which city does nantong help", "Hanzhong"),
        ("who helps hanzhong?", "Nantong"),
    ],
)
def test_pairing_questions_both_ways(kb: KnowledgeBase, question: str, expected: str) -> None:
    answer = answer_question(kb, question)
    assert answer.answer is not None and expected in answer.answer
    assert answer.facts, "answered from the pairing fact"


def test_a_place_the_question_names_is_not_its_answer(kb: KnowledgeBase) -> None:
    answer = answer_question(kb, "chenggu is in which prefecture?").answer
    assert answer is not None and "Hanzhong" in answer and "Chenggu" not in answer


def test_a_unit_of_time_is_not_taken_for_a_typo(kb: KnowledgeBase) -> None:
    answer = answer_question(kb, "what day of the week are the video consultations?")
    assert answer.answer == "Thursday"


def test_a_chat_shorthand_is_not_an_unknown_word(kb: KnowledgeBase) -> None:
    answer = answer_question(kb, "avg farmer income in chenggu?")
    assert "avg" not in (answer.note or "")
    assert answer.answer is not None and "13,240" in answer.answer


SHAANXI_AID = """Jiangsu teams settle in for a new year of aid
Release time:2021-02-03

Jiangsu province has carried out paired assistance for Hanzhong since 2010.
Jiangsu has also helped Shaanxi build 60 schools.
A Jiangsu aid team led by Zhou Ming arrived in Hanzhong in January.
Officials met in Nanjing, the provincial capital, to review the paired assistance work.
"""


@pytest.fixture(scope="module")
def province_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("province-pairs")
    (folder / "jiangsu-hanzhong-2021-02-03.txt").write_text(SHAANXI_AID, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


def test_a_province_that_is_itself_a_side_names_its_partner(province_kb: KnowledgeBase) -> None:
    for question in (
        "jiangsu's partner city?",
        "which city does jiangsu do paired assistance for?",
    ):
        answer = answer_question(province_kb, question)
        assert answer.answer is not None and "Hanzhong" in answer.answer, question
        assert "Nanjing" not in answer.answer


def test_a_leader_question_is_not_answered_with_a_partner(province_kb: KnowledgeBase) -> None:
    answer = answer_question(province_kb, "who heads jiangsu's aid team?").answer
    assert answer is None or "Hanzhong" not in answer


REFERENCE = """Gaoxin park teams visit Chenggu
Release time:2020-05-18

On May 18, officials of the Gaoxin park met a delegation from Chenggu, a county of Shaanxi.
The county, in the south of Shaanxi province, is the park's assistance counterpart.
"""


def test_a_reference_answers_with_the_place_it_stands_for(tmp_path: Path) -> None:
    (tmp_path / "gaoxin-chenggu-2020-05-18.txt").write_text(REFERENCE, encoding="utf-8")
    kb = build_knowledge_base(load_corpus([tmp_path]))
    answer = answer_question(kb, "which county is the park's assistance counterpart?").answer
    assert answer is not None and "Chenggu" in answer and "Shaanxi" not in answer


def test_which_prefecture_asks_for_a_city_not_a_province(kb: KnowledgeBase) -> None:
    answer = answer_question(kb, "which prefecture is chenggu under?").answer
    assert answer is not None and "Hanzhong" in answer


def test_yes_no_about_two_cities(kb: KnowledgeBase) -> None:
    answer = answer_question(kb, "is hanzhong paired with nantong?").answer
    assert answer is not None and answer.startswith("Yes")


def test_which_county_is_a_city_paired_with(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Nantong teams in Shaanxi\nRelease time:2023-09-02\n\n"
        "Downtown Zhaxigar, a county in Hanzhong, sits by a river.\n\n"
        "Cities in Jiangsu help counties in Hanzhong, and Nantong was paired with Zhaxigar.\n",
    )
    answer = answer_question(kb, "which county is nantong paired with?").answer
    assert answer is not None and "Zhaxigar" in answer


JOURNEY = """Nantong opens a direct flight to Hanzhong
Release time:2010-08-13

In 1997, under a national program that matches richer regions with poorer ones, Nantong was named to act as benefactor for Hanzhong in southern Shaanxi.
A daily flight links the two cities; a one-way journey takes about 3.5 hours.
Each city has to give at least 20 million yuan a year to the program.
"""


@pytest.fixture(scope="module")
def journey_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("journey")
    (folder / "nantong-hanzhong-2010-08-13.txt").write_text(JOURNEY, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("when did nantong start helping hanzhong?", "1997"),  # benefactor: a pairing
        ("how long is the flight one way?", "3.5 hours"),  # a duration in hours
        ("whats the minimum each city has to give per year?", "20 million"),  # at least, a year
    ],
)
def test_questions_in_other_words(journey_kb: KnowledgeBase, question: str, expected: str) -> None:
    answer = answer_question(journey_kb, question).answer
    assert answer is not None and expected in answer


VISIT = """Upland delegation visits Coastal
Released on: November 12, 2019

A delegation from Upland visited Coastal from 8 to 10 November.
Speeches were given by Zhou Ming, Secretary of the Coastal Provincial Party Committee, while Wu Lan, Governor of Coastal, and Xu Jie, Governor of Upland Province, reported on the work.
"""


@pytest.fixture(scope="module")
def visit_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("visit")
    (folder / "upland-coastal-2019-11-12.txt").write_text(VISIT, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


def test_a_day_first_date_range(visit_kb: KnowledgeBase) -> None:
    answer = answer_question(visit_kb, "when did the delegation visit coastal?").answer
    assert answer is not None and "8 to 10 November" in answer


def test_yes_when_a_person_holds_the_asked_title(visit_kb: KnowledgeBase) -> None:
    answer = answer_question(visit_kb, "is wu lan the governor of coastal?").answer
    assert answer == "Yes: Wu Lan is Governor of Coastal"


def test_a_weekday_answers_when_no_date_is_given(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Coastal leader visits Upland\nRelease time:2018-05-24\n\n"
        "Chief Executive Wu Lan spoke at a poverty alleviation seminar in Upland on Wednesday.\n",
    )
    assert answer_question(kb, "when did wu lan speak at the seminar?").answer == "Wednesday"


def test_who_went_with_a_named_person_is_someone_else(visit_kb: KnowledgeBase) -> None:
    answer = answer_question(visit_kb, "which coastal official went along with xu jie?").answer
    assert answer is not None and "Wu Lan" in answer and "Governor" not in answer


def test_the_container_of_the_asked_place_is_the_answer(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "A kindergarten opens\nRelease time:2025-12-08\n\n"
        "At the new kindergarten, located in Quyuan town of Lueyang county, Shaanxi province, "
        "children play with toys from Nantong.\n",
    )
    assert answer_question(kb, "quyuan town is in which county?").answer == "Lueyang county"


def test_an_answer_outside_the_asked_province_is_no_answer(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Eight cities to help Shaanxi\nRelease time:2013-03-04\n\n"
        "The eight cities, Nantong and Yangzhou among them, each aid one Shaanxi city.\n\n"
        "Nantong officials met in Yangzhou to plan the work.\n",
    )
    answer = answer_question(kb, "which shaanxi city does nantong help?").answer
    assert answer is None or "Yangzhou" not in answer


MANY = """Nantong teams across the west
Release time:2018-10-26

Nantong is also helping Hanzhong and the Shaanxi province build industrial parks.
Nantong's aid to Hanzhong equals 0.6 percent of its fiscal income.
Chenggu county, not yet paired with any city, sent a delegation to Nantong.
The farm opened as a joint effort of Nantong's Chongchuan District and Hanzhong's Lueyang County.
"""


@pytest.fixture(scope="module")
def many_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("many")
    (folder / "nantong-west-2018-10-26.txt").write_text(MANY, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


def test_a_figure_question_is_not_answered_by_a_partner(many_kb: KnowledgeBase) -> None:
    answer = answer_question(many_kb, "nantong's aid is what share of its fiscal income?").answer
    assert answer is not None and "0.6 percent" in answer


def test_which_county_takes_no_city_or_province_partner(many_kb: KnowledgeBase) -> None:
    answer = answer_question(many_kb, "which shaanxi county is nantong helping?").answer
    assert answer is None or ("Hanzhong" not in answer and "Shaanxi" not in answer)


def test_a_joint_effort_of_two_sides_is_a_pairing(many_kb: KnowledgeBase) -> None:
    pairs = {(f.assisting, f.assisted) for f in many_kb.fact_index.of_kind("pairing")}
    assert ("Chongchuan District", "Lueyang County") in pairs


def test_an_unpaired_place_gets_no_partner_of_its_province(many_kb: KnowledgeBase) -> None:
    answer = answer_question(many_kb, "which jiangsu city is paired with chenggu?").answer
    assert answer is None or "Hanzhong" not in answer


def test_yes_no_with_a_province_the_source_never_names(many_kb: KnowledgeBase) -> None:
    answer = answer_question(many_kb, "does tianjin help hanzhong?")
    assert answer.answer is not None and answer.answer.startswith("No")


def test_a_month_of_last_year(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Nantong families help Hanzhong\nRelease time:2022-03-24\n\n"
        "Nantong was paired with Hanzhong in April last year under the national program.\n",
    )
    dates = {f.date for f in kb.fact_index.of_kind("date")}
    assert "2021-04" in dates
    answer = answer_question(kb, "when did nantong get paired with hanzhong?").answer
    assert answer is not None and "April" in answer
