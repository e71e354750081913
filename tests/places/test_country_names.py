"""Country and city names in the reader's language (CLDR through Babel), looked up when a page
is drawn: "Vienna, Austria" reads "Wien, Österreich" on a German page. Cities are translated
where CLDR names them (its time zones' exemplar cities); others keep their GeoNames name."""

import pytest
from django.urls import reverse
from django.utils import translation

from chapterhouse.members import citysearch
from chapterhouse.places import gazetteer
from chapterhouse.places.countries import city_name, country_name
from chapterhouse.places.models import Place
from tests.conftest import VIENNA


@pytest.mark.parametrize(("language", "austria"), [
    ("en", "Austria"), ("de", "Österreich"), ("ar", "النمسا"), ("fr", "Autriche"),
    ("es", "Austria"), ("pt-br", "Áustria"), ("it", "Austria"), ("tr", "Avusturya"),
    ("ru", "Австрия"), ("zh-hans", "奥地利"),
])
def test_a_country_is_named_in_each_language_of_the_site(language, austria):
    assert country_name("AT", "Austria", language=language) == austria


def test_the_active_language_is_the_default_and_unknown_codes_keep_their_stored_name():
    with translation.override("de"):
        assert country_name("AT", "Austria") == "Österreich"
        assert country_name("XK", "Kosovo") == "Kosovo"  # CLDR knows it
        assert country_name("QQ", "Nowhere") == "Nowhere"


@pytest.mark.django_db
def test_a_place_reads_in_the_language_it_is_shown_in():
    vienna = Place.objects.from_gazetteer(VIENNA)
    with translation.override("en"):
        assert str(vienna) == "Vienna, Austria"
    with translation.override("de"):
        assert str(vienna) == "Wien, Österreich"
        assert vienna.country_label == "Österreich"
        assert vienna.city_label == "Wien"
    with translation.override("ar"):
        assert "فيينا" in str(vienna)
        assert "النمسا" in str(vienna)
    assert (vienna.name, vienna.country_name) == ("Vienna", "Austria")  # stored: unchanged


@pytest.mark.parametrize(("city", "zone", "language", "shown"), [
    ("Vienna", "Europe/Vienna", "de", "Wien"),
    ("Vienna", "Europe/Vienna", "fr", "Vienne"),
    ("Vienna", "Europe/Vienna", "zh-hans", "维也纳"),
    ("London", "Europe/London", "ru", "Лондон"),
    ("New York City", "America/New_York", "ru", "New York City"),  # not the zone's own name
    ("New York", "America/New_York", "ar", "نيويورك"),
    ("New York", "America/New_York", "de", "New York"),  # CLDR: the same in German
    ("Springfield", "America/Chicago", "de", "Springfield"),  # a town CLDR does not name
    ("Vienna", "Europe/Vienna", "en", "Vienna"),
    ("Vienna", "", "de", "Vienna"),
])
def test_a_city_is_named_in_the_readers_language_where_cldr_names_it(city, zone, language,
                                                                      shown):
    assert city_name(city, zone, language=language) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown", "not_shown"), [
    ("de", "Österreich", "Austria"), ("ar", "النمسا", "Austria"), ("en", "Austria", "النمسا")])
def test_a_chapter_page_names_its_country_in_the_readers_language(client, vienna, language,
                                                                   shown, not_shown):
    page = client.get(reverse("chapter_detail", args=[vienna.slug]),
                      HTTP_ACCEPT_LANGUAGE=language).text
    # The place as a whole ("Wien, Österreich"), not only the chapter's own name "Vienna".
    city = {"de": "Wien, Österreich", "ar": "فيينا", "en": "Vienna, Austria"}[language]
    assert shown in page
    assert city in page
    assert not_shown not in page


def test_the_city_search_offers_and_accepts_labels_in_the_readers_language():
    with translation.override("de"):
        offered = [m.label for m in citysearch.search("Vienna")]
        assert "Wien, Österreich" in offered
        assert [m.city.geonameid for m in citysearch.resolve("Wien, Österreich")] == [VIENNA]
        # The English label still resolves (a form typed before the language changed).
        assert [m.city.geonameid for m in citysearch.resolve("Vienna, Austria")] == [VIENNA]
    with translation.override("en"):
        assert gazetteer.city(VIENNA).label == "Vienna, Austria"
