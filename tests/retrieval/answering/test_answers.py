"""answer_question on the seed: fact-first short answers, caveats, honest abstention."""

from __future__ import annotations

import pytest

from pearlbot.bot.rendering import render_answer
from pearlbot.retrieval.answer import answer_question
from pearlbot.retrieval.knowledge import open_knowledge_base
from pearlbot.seeds import seeds_path
from tests.conftest import EVAL_ARTICLES

MINHE = "which Wuxi district pairs with Minhe County?"


def test_the_example_question(seed_kb):
    answer = answer_question(seed_kb, MINHE)
    assert answer.answer == "Xinwu District"
    assert answer.passages[0].text.startswith("Liangxi District, Xishan District")
    assert answer.passages[0].id == "wuxi-haidong-2019-08-07#6"
    (fact,) = answer.facts
    assert (fact.kind, fact.assisting, fact.assisted) == (
        "pairing",
        "Xinwu District",
        "Minhe County",
    )
    assert any("list order" in c for c in answer.caveats)
    highlighted = {answer.passages[0].text[s:e] for s, e in answer.passages[0].highlights}
    assert {"Minhe", "County", "District"} <= highlighted


@pytest.mark.parametrize(
    "question",
    [
        "minhe country partner?",
        "Which district of Wuxi is paired with Minhe?",
        "MINHE COUNTY pairs with which Wuxi district",
        "民和县和无锡哪个区结对？",
        "who is minhee county paired with",
    ],
)
def test_the_example_forgives_typing(seed_kb, question):
    assert answer_question(seed_kb, question).answer == "Xinwu District"


def test_both_ways(seed_kb):
    assert answer_question(seed_kb, "Who does Liangxi pair with?").answer == "Xunhua County"
    assert (
        answer_question(seed_kb, "Which county is Ping'an paired with?").answer == "Binhu District"
    )
    assert answer_question(seed_kb, "Who is Haidong paired with?").answer == "Wuxi"


def test_huzhu_has_no_partner_and_none_is_guessed(seed_kb):
    answer = answer_question(seed_kb, "Which Wuxi district pairs with Huzhu County?")
    assert answer.answer is None
    assert "The source lists Huzhu County but names no partner for it" in answer.note
    for district in ("Liangxi", "Xishan", "Huishan", "Binhu", "Xinwu"):
        assert district not in (answer.note or "")
    assert answer.facts and answer.facts[0].assisting is None


def test_no_mayor_of_wuxi_only_deputies(seed_kb):
    answer = answer_question(seed_kb, "Who is the mayor of Wuxi?")
    assert answer.answer is None
    assert "Deputy Mayor of Wuxi" in answer.note and "Jiang Min" in answer.note
    assert answer_question(seed_kb, "Who is the mayor of Haidong?").answer == "Wang Linhu"


def test_unknown_place_and_did_you_mean(seed_kb):
    far = answer_question(seed_kb, "Which Wuxi district pairs with Datong County?")
    assert far.answer is None and "Datong County" in far.note and far.did_you_mean == ()
    near = answer_question(seed_kb, "Which Wuxi district pairs with Minhi Town?")
    assert near.answer is None and "Minhe County" in near.did_you_mean


@pytest.mark.parametrize(
    "question",
    [
        "What is the population of Haidong?",
        "How much has Suzhou invested in Haidong?",
        "How much has Wuxi invested in Huzhu County?",
        "What is the GDP of Wuxi?",
    ],
)
def test_abstains_but_lists_closest_passages(seed_kb, question):
    answer = answer_question(seed_kb, question)
    assert answer.answer is None
    assert answer.note
    assert "doesn't" in answer.note or "no " in answer.note


def test_figures_people_dates_places(seed_kb):
    assert answer_question(seed_kb, "how much money did Wuxi put in?").answer == "503 million yuan"
    assert (
        "more than 230" in answer_question(seed_kb, "how many people were sent to Haidong?").answer
    )
    assert answer_question(seed_kb, "Who led the delegation?").answer == "Li Xiaomin"
    accompanied = answer_question(seed_kb, "Who accompanied the delegation?").answer
    assert "Niao Chengyun" in accompanied and "Wang Linhu" in accompanied
    deputies = answer_question(seed_kb, "Which deputy mayors of Wuxi took part?").answer
    assert "Wang Jinjian" in deputies and "Jiang Min" in deputies
    assert answer_question(seed_kb, "When was the visit?").answer == "August 6, 2019"
    assert answer_question(seed_kb, "When did the pairing start?").answer == "at the end of 2016"
    assert answer_question(seed_kb, "What's the Plateau Pearl?").answer == "Haidong"
    assert answer_question(seed_kb, "Which province is Haidong in?").answer == "Qinghai Province"
    assert answer_question(seed_kb, "who is Wang Linhu").answer == "Mayor of Haidong"


def test_chinese_matches_english(seed_kb):
    assert answer_question(seed_kb, "无锡投入了多少资金？").answer == "503 million yuan"
    assert answer_question(seed_kb, "海东市长是谁？").answer == "Wang Linhu"


@pytest.fixture(scope="module")
def multi_kb():
    return open_knowledge_base([seeds_path(), EVAL_ARTICLES])


def test_several_documents_name_their_sources(multi_kb):
    answer = answer_question(multi_kb, "How much has Xiamen invested in Linxia so far?")
    assert answer.answer.startswith("1.37 billion yuan (as of 2020-10-20)")
    assert "692 million yuan" in answer.note  # the older release's figure is named, with its date
    assert {f.source.doc_id for f in answer.facts} == {
        "xiamen-linxia-2020-10-20",
        "xiamen-linxia-2019-04-25",
    }
    led = answer_question(multi_kb, "who led the Linxia delegation to Xiamen?")
    assert led.answer == "Ma Yonghua" and led.passages[0].doc_id == "xiamen-linxia-2020-10-20"


def test_a_district_of_the_wrong_city_is_not_accepted(multi_kb):
    answer = answer_question(multi_kb, "Which Nanjing district pairs with Xunhua County?")
    assert answer.answer is None and "Liangxi District" in answer.note


def test_never_raises_on_odd_input(seed_kb):
    for text in ["", "   ", "?", "@everyone", "```code```", "\u200b\u202e", "a" * 5000, "🙂" * 50]:
        answer = answer_question(seed_kb, text)
        assert answer.question == text


def test_two_cities_mayors_are_both_named_with_their_sources(multi_kb):
    answer = answer_question(multi_kb, "who is the mayor?")
    assert "Wang Linhu (Mayor of Haidong)" in answer.answer
    assert "Du Wenqiang (Mayor of Shangluo)" in answer.answer
    assert answer.note.startswith("From ") and "(2019-05-16)" in answer.note
    figure = answer_question(multi_kb, "How much has Wuxi invested so far?")
    assert figure.answer == "503 million yuan (as of 2019-08-07)"


def test_plain_rendering_names_answer_caveat_and_citation(seed_kb):
    text = render_answer(answer_question(seed_kb, MINHE))
    assert text.splitlines()[0] == "Xinwu District"
    assert "Caveat: Inferred from list order" in text
    assert "[wuxi-haidong-2019-08-07#6]" in text and "released 2019-08-07" in text
    assert "\x1b[" not in text  # plain: no terminal colours
