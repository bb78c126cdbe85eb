# ruff: noqa: E501 -- article fixtures keep one sentence per line
"""Typed answer extraction, scoping and question shapes, on articles written for these tests
in the genre's real phrasing (appositions, lowercase titles, titles before names, references)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pearlbot.corpus import load_corpus
from pearlbot.retrieval.answer import answer_question
from pearlbot.retrieval.answering.shapes import split_question
from pearlbot.retrieval.answering.typed import counted_noun, counts_noun
from pearlbot.retrieval.knowledge import KnowledgeBase, build_knowledge_base
from pearlbot.retrieval.understanding.chinese import is_pinyin_word
from pearlbot.retrieval.understanding.expected import expected_type
from pearlbot.retrieval.understanding.question import parse_question
from tests.conftest import one_article_kb

RIVERTON = """Jiangbin deepens help for Lanfeng county
Updated: 2021-05-06 10:12

Lanfeng, administered by the Qiaobei prefecture in Upland province, has been paired with Jiangbin since 2013.
Jiangbin's Party chief Gao Ruiming led a delegation to Lanfeng county from May 12 to 15.
Tan Yiwen, deputy mayor of Jiangbin, joined the visit.
Over the past four years, Jiangbin has put 318 million yuan into the county and carried out 74 projects there.
The two sides also reached 2,460 employment intentions.
Donations from Jiangbin companies came to 9 million yuan. (Photo/Liu Qingsong)
"""

HAMPTON = """Haigang teachers arrive in Duolan
Release time:2020-09-01

Mayor Shu Kaiping of Haigang said the city would keep supporting Duolan county.
Haigang has sent 52 teachers to Duolan county since 2018.
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    folder: Path = tmp_path_factory.mktemp("typed")
    (folder / "jiangbin-lanfeng-2021-05-06.txt").write_text(RIVERTON, encoding="utf-8")
    (folder / "haigang-dorvale-2020-09-01.txt").write_text(HAMPTON, encoding="utf-8")
    return build_knowledge_base(load_corpus([folder]))


def ask(kb: KnowledgeBase, question: str) -> str | None:
    return answer_question(kb, question).answer


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("how much did jiangbin invest in lanfeng?", "money"),
        ("how many teachers did haigang send?", "count"),
        ("how many yuan of funds went there?", "money"),
        ("when did the delegation visit?", "date"),
        ("who is jiangbin's party chief?", "person"),
        ("whats tan yiwen's job", "title"),
        ("which county is jiangbin paired with?", "place"),
        ("who is lanfeng paired with?", "place"),
        ("what is this article about?", "about"),
        ("who took the photos?", "credit"),
        ("is jiangbin paired with lanfeng?", "yesno"),
        ("which is bigger, the investment or the donations?", "comparison"),
        ("help", "help"),
    ],
)
def test_expected_answer_type(question: str, kind: str) -> None:
    """The ordered rule table gives the type the question asks for."""
    assert expected_type(question) == kind


def test_money_question_gets_money_not_a_count(kb: KnowledgeBase) -> None:
    """Cause 4: a money question is answered with an amount, not "74 projects"."""
    assert "318 million yuan" in (ask(kb, "how much money has jiangbin put into lanfeng?") or "")


def test_count_question_gets_the_counted_thing(kb: KnowledgeBase) -> None:
    """A count is read with its noun; another count in the sentence is not taken."""
    assert "74 projects" in (ask(kb, "how many projects has jiangbin carried out?") or "")


def test_counts_are_not_over_read(kb: KnowledgeBase) -> None:
    """Cause 5: employment intentions are not jobs."""
    assert ask(kb, "how many jobs were created in lanfeng?") is None


def test_title_after_the_name_lowercase(kb: KnowledgeBase) -> None:
    """Cause 2: a lowercase title in apposition."""
    assert "deputy mayor of Jiangbin" in (ask(kb, "whats tan yiwen's job") or "")


def test_title_before_the_name_and_party_chief(kb: KnowledgeBase) -> None:
    """Cause 2: "Jiangbin's Party chief Gao Ruiming" answers a Party chief question."""
    assert ask(kb, "who is jiangbin's party chief?") == "Gao Ruiming"


def test_a_deputy_is_not_the_mayor(kb: KnowledgeBase) -> None:
    """A near miss: only a deputy mayor of Jiangbin is named."""
    assert ask(kb, "who is the mayor of jiangbin?") is None


def test_pairing_from_an_apposition(kb: KnowledgeBase) -> None:
    """Cause 2: "Lanfeng, administered by ..., has been paired with Jiangbin"."""
    assert "Jiangbin" in (ask(kb, "who is lanfeng paired with?") or "")


def test_scope_keeps_other_releases_out(kb: KnowledgeBase) -> None:
    """Cause 1: a figure or person from another release is never the answer."""
    assert "52 teachers" in (ask(kb, "how many teachers has haigang sent?") or "")
    assert ask(kb, "how many teachers has jiangbin sent?") is None
    answer = answer_question(kb, "who is the mayor of Bijie?")
    assert answer.answer is None and "Bijie" in (answer.note or "")


def test_help_two_parts_and_article_questions(kb: KnowledgeBase) -> None:
    """Cause 5: help, two-part questions, the photo credit."""
    assert "Ask about the news releases" in (ask(kb, "help") or "")
    both = ask(kb, "how much has jiangbin invested in lanfeng and how many projects?") or ""
    assert "318 million yuan" in both and "74 projects" in both
    assert ask(kb, "who took the photos?") == "Liu Qingsong"


def test_comparison_of_two_figures(kb: KnowledgeBase) -> None:
    """Cause 5: which of two figures is bigger."""
    answer = ask(kb, "which is bigger, the jiangbin investment or the jiangbin donations?") or ""
    assert answer.startswith("the jiangbin investment")


def test_pinyin_words() -> None:
    """Romanised names split into pinyin syllables; most English words do not."""
    assert all(is_pinyin_word(w) for w in ("lanfeng", "qiaobei", "xi'an", "gaoruiming"))
    assert not any(is_pinyin_word(w) for w in ("rural", "people", "donated", "poor"))


def test_yes_no_with_a_partner_the_list_leaves_open(seed_kb: KnowledgeBase) -> None:
    """Cause 5: a yes/no about a place listed without a partner is not a flat "No"."""
    answer = answer_question(seed_kb, "Is Xinwu paired with Huzhu?")
    assert answer.answer is None and "doesn't state" in (answer.note or "")


def test_bare_name_answers_with_what_the_facts_say(seed_kb: KnowledgeBase) -> None:
    """Cause 5: a bare name gives its type and partner, not "doesn't say"."""
    answer = answer_question(seed_kb, "Xinwu").answer or ""
    assert "Xinwu District" in answer and "Minhe County" in answer


def test_a_count_question_is_not_answered_with_money(seed_kb: KnowledgeBase) -> None:
    """Cause 4: "how many new investment projects" is a count, though it says investment."""
    assert "10 new investment projects" in (ask(seed_kb, "How many new investment projects?") or "")


def test_intentions_are_not_results(seed_kb: KnowledgeBase) -> None:
    """Cause 5: "employment intentions" never answer how many got jobs; asked as intentions,
    they do."""
    assert ask(seed_kb, "how many people got jobs?") is None
    assert "3,350" in (ask(seed_kb, "how many employment intentions were reached?") or "")


def test_a_money_conversion_in_brackets_is_not_a_figure(tmp_path: Path) -> None:
    """A bracketed conversion right after an amount is not an answer of its own."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin raises aid\nRelease time:2022-03-01\n\n"
        "Jiangbin raised 90 million yuan (about $14 million) for Lanfeng county last year.\n",
    )
    assert "90 million yuan" in (ask(kb, "how much did jiangbin raise for lanfeng?") or "")


def test_plural_place_questions_list_every_place(tmp_path: Path) -> None:
    """ "which counties ..." answers with the whole list the sentence gives."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin widens its help\nRelease time:2022-03-01\n\n"
        "Jiangbin's direct help now covers Lanfeng County, Heshui County and Baitang County in "
        "Qiaobei.\n",
    )
    answer = ask(kb, "which counties does jiangbin help?") or ""
    assert all(name in answer for name in ("Lanfeng", "Heshui", "Baitang"))


def test_where_and_when_and_the_day_of_the_week(tmp_path: Path) -> None:
    """Two wh-words in one question answer both; "what day of the week" asks for a weekday."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin doctors consult online\nRelease time:2022-03-01\n\n"
        "The cooperation conference was held in Jiangbin on February 20.\n\n"
        "Doctors in Lanfeng consult Jiangbin specialists by video every Thursday.\n",
    )
    both = ask(kb, "where and when was the cooperation conference held?") or ""
    assert "Jiangbin" in both and "February 20" in both
    assert "Thursday" in (ask(kb, "what day of the week do lanfeng doctors consult?") or "")


def test_a_distinctive_number_anchors_the_question(kb: KnowledgeBase) -> None:
    """The question's own number ("the 74 projects") scopes it; a number no release states
    means the source doesn't say."""
    answer = answer_question(kb, "who started the 913 projects?")
    assert answer.answer is None and "913" in (answer.note or "")


def test_chat_shorthands_are_words(kb: KnowledgeBase) -> None:
    """ "ppl" is people and "extra" is further: a shorthand never blocks an answer."""
    assert "2,460" in (ask(kb, "how many employment intentions did ppl reach?") or "")


def test_a_passage_that_refers_back_is_read_with_the_one_before(tmp_path: Path) -> None:
    """Cause 2: "Of that sum, ..." names its subject a sentence earlier."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin sets aside aid\nRelease time:2022-03-01\n\n"
        "Jiangbin set aside 90 million yuan for its partners this year.\n\n"
        "Of that sum, Lanfeng county received 40 million yuan.\n",
    )
    assert "40 million" in (ask(kb, "how much of jiangbin's money went to lanfeng?") or "")


def test_jobs_stated_by_a_verb_and_bare_place_names(tmp_path: Path) -> None:
    """ "X serves as the chief planner" is X's job; a bare place name answers with the
    sentence that says what the place is, not a photo caption."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin planner at work in Lanfeng\nRelease time:2022-03-01\n\n"
        "Gao Ruiming (left) talks with villagers in Qiaobei during his visit.\n\n"
        "Qiaobei, a county administered by Lanfeng prefecture, has been paired with Jiangbin "
        "since 2016.\n\n"
        "There Gao serves as the chief planner of the county's building bureau.\n",
    )
    assert "chief planner" in (ask(kb, "what job does gao do at the building bureau?") or "")
    assert "administered by Lanfeng" in (ask(kb, "Qiaobei") or "")


def test_a_district_question_is_not_answered_with_a_region(tmp_path: Path) -> None:
    """ "which district ..." takes a place written or known as a district, or one whose
    apposition gives the type ("Keping and Wushu, the two poor counties")."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin aid reaches Qiaobei\nRelease time:2022-03-01\n\n"
        "Jiangbin in Donghai province has helped Lanfeng in Xishan region since 2016.\n\n"
        "Its funds go mainly to Heshui and Baitang, the two poorest counties there.\n",
    )
    assert ask(kb, "which jiangbin district is paired with lanfeng?") is None
    answer = ask(kb, "which counties do jiangbin's funds mainly go to?") or ""
    assert "Heshui" in answer and "Baitang" in answer


def test_totals_and_durations_are_not_over_read(tmp_path: Path) -> None:
    """ "how many ... in total" needs a figure stated as a total; "12 years' project" is not a
    count of projects."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin doctors visit Lanfeng\nRelease time:2022-03-01\n\n"
        "Nine Jiangbin doctors left for Lanfeng county on Monday.\n\n"
        "The money goes to a 12 years' education project in the county.\n",
    )
    assert ask(kb, "how many doctors in total has jiangbin sent to lanfeng?") is None
    assert "Nine" in (ask(kb, "how many doctors left for lanfeng?") or "")
    assert ask(kb, "how many education projects are in lanfeng?") is None


def test_what_kind_of_thing(tmp_path: Path) -> None:
    """ "what kind of X": the items listed for X, or the words that name its kind."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin team tours Lanfeng farms\nRelease time:2022-03-01\n\n"
        "The Jiangbin team visited a walnut plantation in Lanfeng county.\n\n"
        "Stalls offered Lanfeng snacks such as rice cakes and pepper noodles.\n",
    )
    assert "walnut" in (ask(kb, "what kind of plantation did the jiangbin team visit?") or "")
    answer = ask(kb, "what kind of snacks did the stalls offer?") or ""
    assert "rice cakes" in answer and "pepper noodles" in answer


def test_titles_before_and_in_a_relative_clause(tmp_path: Path) -> None:
    """ "Governor Zhang San, who also serves as ..." holds both titles; a place named as a
    modifier ("Jiangbin doctors") answers "which city sends doctors"."""
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Donghai leaders meet Upland guests\nRelease time:2022-03-01\n\n"
        "Donghai province has helped Upland since 2010, and Donghai leaders met the guests.\n\n"
        "The meeting heard Governor Tao Weimin, who also serves as deputy secretary of the "
        "provincial Party committee.\n\n"
        "Jiangbin's hospitals have supported Lanfeng since 2019.\n\n"
        "Five Jiangbin doctors left for Lanfeng county on Monday.\n",
    )
    assert ask(kb, "who is the governor of donghai?") == "Tao Weimin"
    assert "Jiangbin" in (ask(kb, "which city sends doctors to lanfeng?") or "")


@pytest.mark.parametrize(
    ("figure", "noun", "counts"),
    [
        ("830 labor training sessions", "people", False),  # sessions, not laborers
        ("more than 30,000 people benefited", "ppl", True),
        ("9,472 households escaped poverty", "families", True),
        ("76 companies from Coastal province", "firms", True),
        ("52 teachers", "doctors", False),
        ("1,700 poor villages and 80,000 people", "people", False),  # villages are no villagers
    ],
)
def test_a_count_counts_the_plural_after_its_number(figure: str, noun: str, counts: bool) -> None:
    assert counts_noun(figure, noun) is counts


@pytest.mark.parametrize(
    ("question", "head"),
    [
        ("how many sales centers did upland open?", "centers"),  # a compound's last noun
        ("how many cadres teachers and doctors went?", "cadres"),  # a list's first
        ("how many poor people left?", "people"),
        ("how many specialists are in each batch?", "specialists"),
        ("how many poor households get an income?", "households"),  # "poor" as an adjective
    ],
)
def test_what_a_how_many_question_counts(kb: KnowledgeBase, question: str, head: str) -> None:
    q = parse_question(question, kb.gazetteer, kb.vocabulary, kb.surface_words, kb.stem_words)
    assert counted_noun(q) == head


def test_a_count_of_another_thing_the_question_names_is_no_answer(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin doctors in Lanfeng\nRelease time:2023-09-02\n\n"
        "Every year specialists from Jiangbin work in Lanfeng county; eight batches have gone so far.\n",
    )
    assert ask(kb, "how many specialists are in each batch?") is None


def test_how_many_people_takes_the_figure_that_counts_people(tmp_path: Path) -> None:
    kb = one_article_kb(
        tmp_path,
        "a.txt",
        "Jiangbin helps Lanfeng\nRelease time:2020-05-27\n\n"
        "In all, 1,700 poor villages and 80,000 people in Lanfeng have been lifted out of poverty.\n",
    )
    answer = ask(kb, "how many people in lanfeng got out of poverty?") or ""
    assert "80,000" in answer


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "how much did jiangbin give the village and when",
            ["how much did jiangbin give the village", "when jiangbin give the village"],
        ),
        (
            "how many projects has jiangbin done in lanfeng and how much were they worth",
            [
                "how many projects has jiangbin done in lanfeng",
                "how much were they worth projects has jiangbin done in lanfeng",
            ],
        ),
        # the second part names its own thing: nothing is carried over
        (
            "how many sales centers did lanfeng open and what were their sales?",
            ["how many sales centers did lanfeng open", "what were their sales?"],
        ),
    ],
)
def test_a_second_part_that_points_back_carries_the_first(question: str, parts: list[str]) -> None:
    assert split_question(question) == parts
