"""Fact extraction: the seed, the evaluation articles, and the genre's sentence patterns."""

from __future__ import annotations

import datetime as dt

import pytest

from pearlbot.corpus import Document, chunk_document, load_corpus
from pearlbot.corpus.facts import extract_facts
from tests.conftest import EVAL_ARTICLES


def _facts_of(doc: Document, passages=None):
    return extract_facts(doc, passages if passages is not None else chunk_document(doc))


def _article(body: str, released: dt.date | None = dt.date(2020, 6, 30)) -> list:
    doc = Document(id="t", title="Test", released=released, source="t", text=body)
    return _facts_of(doc)


def _kind(facts, kind):
    return [f for f in facts if f.kind == kind]


@pytest.fixture(scope="module")
def seed_facts(seed_corpus):
    (doc,) = seed_corpus.documents
    return extract_facts(doc, list(seed_corpus.passages))


def test_every_fact_cites_its_exact_text(seed_corpus, seed_facts):
    doc = seed_corpus.documents[0]
    passages = {p.id: p for p in seed_corpus.passages}
    assert seed_facts
    for fact in seed_facts:
        source = fact.source
        if source.passage_id is None:
            assert fact.kind == "date" and source.quote.startswith("Release time")
            continue
        assert doc.text[source.start : source.end] == source.quote
        passage = passages[source.passage_id]
        assert passage.start <= source.start and source.end <= passage.end


def test_seed_pairings_by_list_order_and_the_unmatched_county(seed_facts):
    district = [f for f in _kind(seed_facts, "pairing") if f.level == "district"]
    pairs = {(f.assisting, f.assisted) for f in district}
    assert pairs == {
        ("Liangxi District", "Xunhua County"),
        ("Xishan District", "Hualong County"),
        ("Huishan District", "Ledu District"),
        ("Binhu District", "Pingan District"),
        ("Xinwu District", "Minhe County"),
        (None, "Huzhu County"),
    }
    assert all(f.inferred_from_order for f in district)
    assert all((f.assisting_city, f.assisted_city) == ("Wuxi", "Haidong") for f in district)


def test_seed_city_pair_and_when_it_began(seed_facts):
    (city,) = [f for f in _kind(seed_facts, "pairing") if f.level == "city"]
    assert (city.assisting, city.assisted, city.since) == ("Wuxi", "Haidong", "at the end of 2016")
    assert not city.inferred_from_order


def test_seed_figures(seed_facts):
    figures = {f.value: f for f in _kind(seed_facts, "figure")}
    assert figures[503e6].unit == "yuan" and "assistance funds invested" in figures[503e6].measure
    assert figures[160].unit == "projects" and "implemented" in figures[160].measure
    assert figures[9].text == "Nine enterprises" and "landed" in figures[9].measure
    assert (figures[230].qualifier, figures[230].unit) == ("more than", "personnel")
    assert (figures[10e6].qualifier, figures[10e6].unit) == ("exceeded", "yuan")
    assert "donations and materials" in figures[10e6].measure
    assert figures[3350].unit == "persons"
    assert "rural students assisted" in figures[1860].measure
    assert "poor assisted" in figures[1260].measure
    assert len(figures) == 9  # no years, dates or "the two places"


def test_seed_people_titles_and_roles(seed_facts):
    people = {p.name: p for p in _kind(seed_facts, "person")}
    assert people["Li Xiaomin"].titles == ("Secretary of CPC Wuxi Municipal Committee",)
    assert people["Li Xiaomin"].role == "led"
    assert people["Wang Jinjian"].titles == (
        "Deputy Mayor of Wuxi",
        "Secretary of CPC Xinwu District Committee",
    )
    assert people["Niao Chengyun"].titles[1] == "Secretary of CPC Haidong Municipal Committee"
    assert {n for n, p in people.items() if p.role == "accompanied"} == {
        "Niao Chengyun",
        "Wang Linhu",
    }
    assert {n for n, p in people.items() if p.role == "participated"} == {
        "Wang Jinjian",
        "Jiang Min",
    }


def test_seed_dates(seed_facts):
    dates = {f.date: f for f in _kind(seed_facts, "date")}
    assert dates["2019-08-07"].event == "release of the article"
    assert dates["2019-08-06"].precision == "day" and dates["2019-08-06"].text == "August 6"
    assert dates["2016"].qualifier == "end of"
    assert dates["2016"].event == "establishment of a pair relationship with Haidong"


def test_seed_places_containment_and_nicknames(seed_facts):
    places = _kind(seed_facts, "place")
    within = {(f.name, f.within, f.inferred) for f in places if f.relation == "within"}
    assert ("Haidong", "Qinghai Province", False) in within
    assert ("Wuxi", "Jiangsu Province", True) in within  # implied by the provincial delegation
    assert ("Minhe County", "Haidong", False) in within
    nicknames = {(f.name, f.nickname) for f in places if f.relation == "nickname"}
    assert nicknames == {("Wuxi", "Taihu Pearl"), ("Haidong", "Plateau Pearl")}
    types = {f.name: f.place_type for f in places if f.relation == "named"}
    assert types["Minhe County"] == "county" and types["Ledu District"] == "district"
    assert types["Wuxi"] == "city" and types["Qinghai Province"] == "province"


# --- the evaluation articles: other cities, other phrasings --------------------------------


@pytest.fixture(scope="module")
def eval_facts():
    corpus = load_corpus(EVAL_ARTICLES)
    return {d.id: extract_facts(d, list(corpus.passages)) for d in corpus.documents}


def _pairs(facts):
    return {(f.assisting, f.assisted) for f in _kind(facts, "pairing")}


def test_equal_respectively_lists_are_stated_not_inferred(eval_facts):
    facts = eval_facts["nanjing-shangluo-2019-05-16"]
    district = [f for f in _kind(facts, "pairing") if f.level == "district"]
    assert len(district) == 7 and not any(f.inferred_from_order for f in district)
    assert ("Jiangning District", "Zhen'an County") in _pairs(facts)
    (city,) = [f for f in _kind(facts, "pairing") if f.level == "city"]
    assert (city.assisting, city.assisted, city.since) == ("Nanjing", "Shangluo", "April 2017")


def test_formed_pairs_supports_and_helped_since(eval_facts):
    facts = eval_facts["qingdao-anshun-2019-11-22"]
    assert _pairs(facts) >= {
        ("Shinan District", "Xixiu District"),
        ("Laoshan District", "Puding County"),
        ("Huangdao District", "Ziyun County"),
        ("Chengyang District", "Zhenning County"),
        ("Licang District", "Guanling County"),
        ("Qingdao", "Anshun"),
    }
    assert ("Chengyang District", "Licang District") not in _pairs(facts)
    licang = next(f for f in _kind(facts, "pairing") if f.assisting == "Licang District")
    assert licang.since == "2018"
    figures = {f.value: f for f in _kind(facts, "figure")}
    assert figures[26].text == "twenty-six Qingdao enterprises"
    assert figures[2.13e9].unit == "yuan" and "investment" in figures[2.13e9].measure
    assert figures[10.4].unit == "percent" and "income" in figures[10.4].measure


def test_is_paired_with_paired_up_since_and_autonomous_names(eval_facts):
    facts = eval_facts["xiamen-linxia-2019-04-25"]
    assert _pairs(facts) >= {
        ("Siming District", "Dongxiang County"),
        ("Huli District", "Hezheng County"),
        ("Tong'an District", "Guanghe County"),
        ("Xiamen", "Linxia"),
    }
    huli = next(f for f in _kind(facts, "pairing") if f.assisting == "Huli District")
    assert huli.since == "2018"
    people = {p.name: p for p in _kind(facts, "person")}
    assert people["Yang Shengyuan"].titles[-1] == "Governor of Linxia Hui Autonomous Prefecture"
    names = {f.name for f in _kind(facts, "place")}
    assert "Linxia City" in names and "Dongxiang Autonomous County" not in names


def test_relative_clause_led_by_and_quoted_nickname_with_small_words(eval_facts):
    facts = eval_facts["xiamen-linxia-2020-10-20"]
    assert ("Xiang'an District", "Kangle County") in _pairs(facts)
    people = {p.name: p for p in _kind(facts, "person")}
    assert people["Ma Yonghua"].role == "led"
    nick = {(f.name, f.nickname) for f in _kind(facts, "place") if f.relation == "nickname"}
    assert ("Linxia", "Land of Hua'er") in nick
    figures = {f.value: f for f in _kind(facts, "figure")}
    assert figures[21].text == "Twenty-one Xiamen enterprises"
    assert figures[42.6].unit == "percent" and "growth" in figures[42.6].measure
    assert 4 not in figures and 8 not in figures  # "four years", "eight counties": not figures


def test_parts_of_a_figure_and_spelled_numbers_in_names(eval_facts):
    facts = eval_facts["nanjing-shangluo-2019-05-16"]
    figures = {f.value: f for f in _kind(facts, "figure")}
    assert figures[1530].measure.endswith("in Nanjing")
    assert figures[1530].unit == figures[4270].unit
    assert 6 not in figures  # "Ancient Capital of Six Dynasties" is a name
    assert figures[12].text == "Twelve enterprises"


# --- the sentence patterns the genre uses ----------------------------------------------------


def test_genre_patterns_on_a_made_up_article():
    facts = _article(
        "On May 3, Zhou Hong, Deputy Mayor of Eastport and Secretary of CPC Newfield District "
        "Committee, led a delegation to Westvale of Upland Province.\n\n"
        "Lakeside District is paired with Stone County. Hill District has paired up with Pine "
        "County since 2018. Sea District and Oak County, River District and Elm County, as well "
        "as Bay District and Ash County have formed paired relationships.\n\n"
        "Since the pairing began in April 2017, Eastport has invested 1.26 billion yuan in "
        "Westvale. The poverty rate fell to 11.6 percent."
    )
    assert _pairs(facts) >= {
        ("Lakeside District", "Stone County"),
        ("Hill District", "Pine County"),
        ("Sea District", "Oak County"),
        ("River District", "Elm County"),
        ("Bay District", "Ash County"),
        ("Eastport", "Westvale"),
    }
    hill = next(f for f in _kind(facts, "pairing") if f.assisting == "Hill District")
    assert hill.since == "2018"
    figures = {f.value: f for f in _kind(facts, "figure")}
    assert figures[1.26e9].text == "1.26 billion yuan"
    assert figures[11.6].unit == "percent"
    dates = {f.date for f in _kind(facts, "date")}
    assert {"2020-05-03", "2017-04", "2018"} <= dates
    (zhou,) = _kind(facts, "person")
    assert zhou.titles == (
        "Deputy Mayor of Eastport",
        "Secretary of CPC Newfield District Committee",
    )


def test_event_day_after_release_is_last_year():
    facts = _article("On December 30, the delegation arrived.", released=dt.date(2021, 1, 5))
    assert {f.date for f in _kind(facts, "date")} >= {"2020-12-30"}


def test_no_facts_from_an_article_without_any():
    facts = _article("The weather was fine and nothing happened.", released=None)
    assert facts == []


def test_money_and_what_it_is_for() -> None:
    facts = _kind(
        _article(
            "Last year Eastport set aside 7 million yuan ($1 million) for building a clinic in "
            "Westvale, while the county raised the other 11 million yuan the clinic needed. "
            "Eastport also earmarked 2 billion yuan for 3,406 aid projects."
        ),
        "figure",
    )
    by_text = {f.text: f.measure for f in facts}
    assert (by_text["7 million yuan"] or "").endswith("for building a clinic in Westvale")
    assert by_text["2 billion yuan"] == "earmarked for 3,406 aid projects"


def test_a_recipient_and_a_list_that_shares_its_verb() -> None:
    facts = _kind(
        _article(
            "Eastport raised 3 billion yuan. Of that sum, the Upland region received 610 million "
            "yuan, the Lowland region 120 million yuan and Westvale County 70 million yuan."
        ),
        "figure",
    )
    by_text = {f.text: f.measure for f in facts}
    assert by_text["610 million yuan"] == "Upland region"
    assert by_text["120 million yuan"] == "Lowland region"
    assert by_text["70 million yuan"] == "Westvale County"


def test_titles_in_brackets_after_a_name() -> None:
    people = {
        f.name: f.titles
        for f in _kind(
            _article(
                "The delegation was led by Zhao Liu (Deputy Secretary of the Upland Provincial "
                "Committee and Governor of Upland Province). Joining them was Qian Qi (Standing "
                "committee member of the Upland Provincial Committee and Vice Governor of "
                "Upland Province). (Photo by Sun Ba)"
            ),
            "person",
        )
    }
    assert people["Zhao Liu"] == (
        "Deputy Secretary of the Upland Provincial Committee",
        "Governor of Upland Province",
    )
    assert "Vice Governor of Upland Province" in people["Qian Qi"]
    assert "Sun Ba" not in people


def test_the_title_head_prefilter_never_hides_a_title_before_a_name():
    """_may_name_a_title only skips sentences _TITLE_BEFORE_NAME cannot match."""
    from pearlbot.corpus.facts import people

    for head in people._HEAD_LITERALS:
        for written in (head, head.upper(), head.title(), f"vice{head}"):
            text = f"The county welcomed {written} Zhang Wei at the plant"
            assert people._TITLE_BEFORE_NAME.search(text), text
            assert people._may_name_a_title(text), text
    assert not people._may_name_a_title("The county welcomed Zhang Wei at the plant")
    assert people._may_name_a_title("Ｍayor Zhang Wei")  # not ASCII: the regex decides


def test_currencies_of_hong_kong_and_macao_and_glued_amounts() -> None:
    facts = _kind(
        _article(
            "The Coastal Foundation will fund scholarships totalling MOP100,000 a year. "
            "Donors gave HK$2.5 million to the school. In Aug 2011 the fund gave 21million Yuan "
            "to the village, and Eastport added RMB30 million."
        ),
        "figure",
    )
    units = {f.text: (f.unit, f.value) for f in facts}
    assert units["MOP100,000"] == ("patacas", 100_000)
    assert units["HK$2.5 million"] == ("hong kong dollars", 2_500_000)
    assert units["21million Yuan"] == ("yuan", 21_000_000)
    assert units["RMB30 million"] == ("yuan", 30_000_000)
