"""The profile: a member edits their city, languages, gender and willingness to meet."""

import pytest
from django.urls import reverse

from chapterhouse.members.models import Member
from tests.conftest import make_member

pytestmark = pytest.mark.django_db
URL = reverse("member_profile")


def data(**overrides):
    fields = {"display_name": "Olivia", "city": "Wien", "place": "", "languages": ["de", "en"],
              "gender": "", "willing_to_meet": "on"}
    fields.update(overrides)
    return fields


def test_visitors_are_sent_to_log_in(client, organization):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_form_shows_what_the_member_said(client, olivia):
    client.force_login(olivia)
    page = client.get(URL).text
    assert 'value="New York City, United States"' in page
    assert 'value="5128581"' in page  # the city's id, not "5,128,581"
    assert 'value="woman" id="id_gender_1" checked' in page


def test_a_member_moves_to_vienna_and_changes_languages_and_gender(client, olivia):
    client.force_login(olivia)
    response = client.post(URL, data())
    assert response.status_code == 302
    olivia.refresh_from_db()
    assert olivia.place.name == "Vienna"
    assert olivia.languages == ["en", "de"]
    assert olivia.gender == ""
    assert olivia.willing_to_meet
    assert "Your profile is saved" in client.get(URL).text


def test_an_unknown_city_is_refused_and_nothing_changes(client, olivia):
    client.force_login(olivia)
    response = client.post(URL, data(city="Xqzzyville", display_name="Changed"))
    assert "could not find a city" in response.text
    olivia.refresh_from_db()
    assert olivia.place.name == "New York City"
    assert olivia.display_name == "Olivia"


def test_html_in_the_name_is_refused_and_nothing_changes(client, olivia):
    client.force_login(olivia)
    response = client.post(URL, data(display_name="<img src=x onerror=alert(1)>"))
    assert "cannot contain" in response.text
    assert "<img src=x" not in response.text
    assert Member.objects.get(pk=olivia.pk).display_name == "Olivia"


def test_languages_the_site_does_not_offer_are_kept(client, organization):
    nils = make_member("nils@example.org", "Nils", languages=["nl", "de"])
    client.force_login(nils)
    client.post(URL, data(display_name="Nils", languages=["en"]))
    nils.refresh_from_db()
    assert nils.languages == ["en", "nl"]


def test_a_name_with_ampersand_and_quotes_is_shown_escaped(client, olivia):
    client.force_login(olivia)
    client.post(URL, data(display_name='Liv & "Co"'))
    page = client.get(URL).text
    assert 'Liv &amp; &quot;Co&quot;' in page
