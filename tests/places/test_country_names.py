"""Country names in the reader's language (CLDR through Babel), looked up by country code when
a page is drawn: "Vienna, Austria" reads "Vienna, Österreich" on a German page."""

import pytest
from django.urls import reverse
from django.utils import translation

from chapterhouse.members import citysearch
from chapterhouse.places import gazetteer
from chapterhouse.places.countries import country_name
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
        assert str(vienna) == "Vienna, Österreich"
        assert vienna.country_label == "Österreich"
    with translation.override("ar"):
        assert "النمسا" in str(vienna)
    assert vienna.country_name == "Austria"  # what is stored does not change


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "shown", "not_shown"), [
    ("de", "Österreich", "Austria"), ("ar", "النمسا", "Austria"), ("en", "Austria", "النمسا")])
def test_a_chapter_page_names_its_country_in_the_readers_language(client, vienna, language,
                                                                   shown, not_shown):
    page = client.get(reverse("chapter_detail", args=[vienna.slug]),
                      HTTP_ACCEPT_LANGUAGE=language).text
    assert f"Vienna, {shown}" in page
    assert f"Vienna, {not_shown}" not in page


def test_the_city_search_offers_and_accepts_labels_in_the_readers_language():
    with translation.override("de"):
        offered = [m.label for m in citysearch.search("Vienna")]
        assert "Vienna, Österreich" in offered
        assert [m.city.geonameid for m in citysearch.resolve("Vienna, Österreich")] == [VIENNA]
        # The English label still resolves (a form typed before the language changed).
        assert [m.city.geonameid for m in citysearch.resolve("Vienna, Austria")] == [VIENNA]
    with translation.override("en"):
        assert gazetteer.city(VIENNA).label == "Vienna, Austria"
