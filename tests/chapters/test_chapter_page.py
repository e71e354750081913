import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_meeting

pytestmark = pytest.mark.django_db


def test_a_chapter_with_no_meetings_is_forming_and_says_why(client, springfield):
    response = client.get(reverse("chapter_detail", args=[springfield.slug]))
    assert response.status_code == 200
    assert "forming" in response.text
    assert "January 2014: no meeting." in response.text
    assert "No meetings yet." in response.text


def test_the_roster_is_hidden_from_visitors_and_other_chapters(client, springfield, alice, bob,
                                                               charlie):
    page = reverse("chapter_detail", args=[springfield.slug])
    assert "Bob" not in client.get(page).text
    client.force_login(charlie)
    assert "Bob" not in client.get(page).text
    client.force_login(alice)
    assert "Bob" in client.get(page).text


def test_month_by_month_reasons_name_the_failing_month(client, springfield, alice, bob):
    when = datetime.datetime(2013, 12, 10, 19, 0, tzinfo=datetime.UTC)
    make_meeting(springfield, when, [alice, bob])
    html = client.get(reverse("chapter_detail", args=[springfield.slug])).text
    assert ("December 2013: best meeting had 2 attendees, of whom 50% women (1); "
            "needs 5 attendees.") in html


def test_an_unknown_chapter_is_404(client, organization):
    assert client.get(reverse("chapter_detail", args=["atlantis"])).status_code == 404


def test_a_private_organization_hides_chapter_pages_from_visitors(client, organization,
                                                                  springfield, bob):
    organization.dashboard_public = False
    organization.save(update_fields=["dashboard_public"])
    page = reverse("chapter_detail", args=[springfield.slug])
    assert client.get(page).status_code == 404
    client.force_login(bob)
    assert client.get(page).status_code == 200
