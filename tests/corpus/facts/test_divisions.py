"""Bare place names typed by China's divisions, and pairings read from plain journalism.

The sentences are our own; the place names are real divisions (the table only knows those),
but no sentence comes from an article."""

from __future__ import annotations

import datetime as dt

import pytest

from pearlbot.corpus import Document, chunk_document
from pearlbot.corpus.divisions import division_types, prefectures_of, provinces_of, side_of
from pearlbot.corpus.facts import extract_facts


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PEARLBOT_CACHE_DIR", "off")


def _facts(body: str) -> list:
    doc = Document(
        id="d", title="T", source="d.txt", text=f"T\n\n{body}\n", released=dt.date(2021, 5, 1)
    )
    return extract_facts(doc, chunk_document(doc))


def _pairs(facts: list) -> set[tuple[str | None, str | None]]:
    return {(f.assisting, f.assisted) for f in facts if f.kind == "pairing"}


def _places(facts: list) -> dict[str, str]:
    return {f.name: f.place_type for f in facts if f.kind == "place" and f.relation == "named"}


def test_the_table_types_and_places_divisions() -> None:
    types = division_types()
    assert types["Nantong"] == "city" and types["Jiangsu"] == "province"
    assert types["Rugao"] == "county"  # a county-level city is read as a county
    assert types["Tongren"] == "city"  # a city in Guizhou outranks the county in Qinghai
    assert "Guide" not in types  # an English word, read only with its type word
    assert provinces_of("Nantong") == {"Jiangsu"}
    assert "Haidong" in prefectures_of("Minhe County")
    assert side_of("Nantong") == "assisting" and side_of("Hanzhong") == "assisted"
    assert side_of("Hefei") is None  # Anhui is on neither side


def test_bare_names_are_typed_but_not_people_or_agencies() -> None:
    facts = _facts(
        "Li Jianping of Xinhua News Agency said Nantong has sent doctors to Hanzhong. "
        "In Hanzhong, Mayor Chen Xin thanked the Jiangsu team."
    )
    places = _places(facts)
    assert places["Nantong"] == "city" and places["Hanzhong"] == "city"
    assert "Jianping" not in places and "Xinhua" not in places
    assert all(f.inferred for f in facts if f.kind == "place" and f.name == "Nantong")


def test_the_article_type_word_wins_over_the_table() -> None:
    places = _places(_facts("Tongren county in Huangnan prefecture received 20 teachers."))
    assert places.get("Tongren County") == "county"


@pytest.mark.parametrize(
    "sentence",
    [
        # a partner phrased as a possessive
        "Nantong became Hanzhong's partner in 2017.",
        # the helper named only after "with the assistance of"
        "Hanzhong has built 40 schools with the assistance of Nantong.",
        # written the other way round: the west first
        "Hanzhong was paired with Nantong under the national program.",
        # a help verb with a plain object
        "Nantong has helped Hanzhong since 2017.",
    ],
)
def test_city_pairings_in_plain_journalism(sentence: str) -> None:
    assert ("Nantong", "Hanzhong") in _pairs(_facts(sentence))


def test_a_container_written_with_its_city_is_not_the_partner() -> None:
    facts = _facts("Nantong in Jiangsu province was paired with southern Shaanxi's Hanzhong.")
    assert _pairs(facts) == {("Nantong", "Hanzhong")}


def test_two_places_on_one_side_make_no_guess() -> None:
    # Two helpers and one helped place: who helps whom is not said.
    facts = _facts("Officials from Nantong and Yangzhou discussed aid for Hanzhong.")
    assert ("Nantong", "Hanzhong") not in _pairs(facts)
    assert ("Yangzhou", "Hanzhong") not in _pairs(facts)


def test_a_province_pair_gives_way_to_the_city_it_names() -> None:
    facts = _facts(
        "Nantong has helped Shaanxi for years. Nantong has also helped Hanzhong since 2017."
    )
    pairs = _pairs(facts)
    assert ("Nantong", "Hanzhong") in pairs
    assert ("Nantong", "Shaanxi") not in pairs


def test_a_help_verb_far_from_a_place_is_not_a_pairing() -> None:
    facts = _facts("Nantong has helped 20 Hanzhong firms sell tea in Shanghai and Suzhou.")
    pairs = _pairs(facts)
    assert not {p for p in pairs if p[1] in ("Shanghai", "Suzhou")}


def test_apposition_places_a_county_in_its_prefecture() -> None:
    facts = _facts(
        "Chenggu, administered by Hanzhong in Shaanxi province, has been paired with Nantong."
    )
    within = {(f.name, f.within) for f in facts if f.kind == "place" and f.relation == "within"}
    assert ("Chenggu County", "Hanzhong") in within
    assert ("Nantong", "Chenggu County") in _pairs(facts)


def test_peoples_after_a_bare_name_are_not_part_of_it() -> None:
    facts = _facts("Teachers went to the Haixi Mongolian-Tibetan autonomous prefecture.")
    assert _places(facts).get("Haixi") == "city"


def test_a_county_level_city_keeps_its_bare_name() -> None:
    assert "Rugao" in _places(_facts("Teachers from Nantong went to Rugao."))


def test_a_reference_places_the_place_named_before_it() -> None:
    facts = _facts(
        "The name Chenggu comes from its old walls. "
        "The county comes under Hanzhong, which lies in Shaanxi province."
    )
    within = {(f.name, f.within) for f in facts if f.kind == "place" and f.relation == "within"}
    assert ("Chenggu County", "Hanzhong") in within


def test_a_reference_without_a_containment_verb_places_nothing() -> None:
    facts = _facts("Chenggu has many farms. The county sent 20 farmers to Hanzhong for training.")
    within = {(f.name, f.within) for f in facts if f.kind == "place" and f.relation == "within"}
    assert ("Chenggu County", "Hanzhong") not in within


def test_a_possessive_helper_and_the_earliest_year() -> None:
    facts = _facts(
        "Since 2010, Nantong has helped Hanzhong build 300 projects with 2 billion yuan. "
        "It all began in 1996, when Nantong's paired assistance in Hanzhong got under way."
    )
    pairs = [f for f in facts if f.kind == "pairing" and f.assisted == "Hanzhong"]
    assert [(f.assisting, f.since) for f in pairs] == [("Nantong", "1996")]


def test_two_partners_named_together_are_a_pair_not_a_list() -> None:
    facts = _facts(
        "Minhang and Hanzhong, a prefecture-level city of Shaanxi, formed their pairing "
        "relationship in 2017."
    )
    pairs = {(f.assisting, f.assisted, f.since) for f in facts if f.kind == "pairing"}
    assert ("Minhang District", "Hanzhong", "2017") in pairs


def test_a_district_pair_keeps_its_cities_beside_a_county_pair() -> None:
    facts = _facts(
        "Nantong has helped Hanzhong since 2016. "
        "Chongchuan District has helped Chenggu County since 2018. "
        "Tongzhou District and Haimen District have paired with Yang County and Xixiang County "
        "respectively."
    )
    districts = [f for f in facts if f.kind == "pairing" and f.level == "district"]
    assert districts and all(f.assisting_city == "Nantong" for f in districts)


def test_an_apposition_types_a_name_the_table_lacks() -> None:
    facts = _facts(
        "Downtown Zhaxigar, a county in Hanzhong, sits by a river. "
        "Nantong helps Hanzhong, and Chongchuan District was paired with Zhaxigar."
    )
    assert _places(facts).get("Zhaxigar County") == "county"
    assert ("Chongchuan District", "Zhaxigar County") in _pairs(facts)


def test_a_reference_names_the_other_side() -> None:
    facts = _facts(
        "Aid runs both ways, said Zhang Wei, mayor of Nantong. "
        "His city is helping Hanzhong, a city in southern Shaanxi."
    )
    assert ("Nantong", "Hanzhong") in _pairs(facts)


def test_a_province_name_before_a_lower_case_type_is_not_a_city() -> None:
    facts = _facts("Each of the eight cities will aid one Shaanxi city or prefecture.")
    assert "Shaanxi City" not in _places(facts)


def test_a_one_syllable_name_is_a_surname_before_it_is_a_place() -> None:
    assert "Yuan" not in division_types() and "Xian" not in division_types()
    facts = _facts("Governor Yuan Ming led a delegation to Hanzhong. Yuan said the aid would grow.")
    assert not any("Yuan" in name for name in _places(facts))
    assert "Yuan Ming" in {f.name for f in facts if f.kind == "person"}


def test_a_province_and_a_city_inside_it_help_together() -> None:
    facts = _facts("Jiangsu Province and Nantong City will give Hanzhong their full help.")
    assert ("Nantong City", "Hanzhong") in _pairs(facts)
