"""Attack 4 of issue 9: the sign-up page promised that no coordinator or administrator sees a
member's gender while the site showed it per person. The promise now says who can learn what,
with the organization's own minimum, on the sign-up page and the profile."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _statement(html: str) -> str:
    start = html.index('id="gender-statement"')
    return html[start:html.index("</div>", start)]


def test_sign_up_says_who_can_learn_what_about_gender(client, organization):
    text = _statement(client.get(reverse("member_signup")).text)
    assert "only you" in text
    assert "cannot see it, search for it or filter by it" in text
    assert "A meeting of at least 5 people" in text
    assert "whether the meeting met the share" in text
    assert "A smaller meeting: nothing about its attendees&#x27; gender is shown" in text or \
        "A smaller meeting: nothing about its attendees' gender is shown" in text
    assert "every export is recorded in the audit log" in text


def test_the_promise_follows_the_organizations_minimum(client, organization, bob):
    organization.min_attendees = 8
    organization.save(update_fields=["min_attendees"])
    text = _statement(client_for(client, bob).get(reverse("member_profile")).text)
    assert "A meeting of at least 8 people" in text
