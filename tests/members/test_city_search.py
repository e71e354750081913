"""The city autocomplete: any language, any accents, the most populous first."""

import pytest
from django.urls import reverse

from chapterhouse.members import citysearch

SAO_PAULO, MUNICH = 3448439, 2867714


def ids(text):
    return [m.city.geonameid for m in citysearch.search(text)]


@pytest.mark.parametrize("typed", ["São Paulo", "Sao Paulo", "sao paulo", "SÃO PAULO", "sao pa"])
def test_sao_paulo_is_found_with_or_without_accents(typed):
    assert ids(typed)[0] == SAO_PAULO


@pytest.mark.parametrize("typed", ["München", "münchen", "Munchen", "Munich", "Monaco di Baviera",
                                   "Мюнхен", "慕尼黑", "ميونخ"])
def test_munich_is_found_by_its_name_in_many_languages(typed):
    assert ids(typed)[0] == MUNICH


def test_a_city_found_by_another_name_says_which():
    assert citysearch.search("münchen")[0].label == "Munich, Germany (München)"
    assert citysearch.search("Munich")[0].label == "Munich, Germany"


def test_prefix_matches_come_largest_first():
    found = citysearch.search("Spring")
    populations = [m.city.population for m in found if not m.exact]
    assert populations == sorted(populations, reverse=True)
    assert len(found) == citysearch.LIMIT


def test_a_label_with_its_country_settles_the_city():
    assert [m.city.geonameid for m in citysearch.resolve("São Paulo, Brazil")] == [SAO_PAULO]
    assert [m.city.name for m in citysearch.resolve("Paris, France")] == ["Paris"]


def test_an_ambiguous_name_resolves_to_several_and_a_unique_one_to_one():
    assert len(citysearch.resolve("Springfield")) > 1
    assert len(citysearch.resolve("Brooklyn")) == 1  # not also the towns once called Brooklyn
    assert citysearch.resolve("Xqzzyville") == []


def test_one_latin_letter_finds_nothing_but_one_chinese_character_may():
    assert citysearch.search("s") == []
    assert citysearch.search("  ") == []
    assert ids("慕")[0] == MUNICH  # 慕尼黑


def test_the_json_endpoint_gives_name_country_and_id(client):
    response = client.get(reverse("place_search"), {"q": "sao paulo"})
    first = response.json()["results"][0]
    assert first == {"id": SAO_PAULO, "name": "São Paulo", "country": "Brazil",
                     "label": "São Paulo, Brazil", "population": first["population"]}
    assert len(response.json()["results"]) <= citysearch.LIMIT


def test_the_json_endpoint_answers_empty_for_nothing(client):
    assert client.get(reverse("place_search")).json() == {"results": []}
    assert client.post(reverse("place_search")).status_code == 405
