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
    assert "December 2013: best meeting had 2 attendees; needs 5 attendees." in html
    assert "50%" not in html


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


def test_coordinators_see_month_by_month_and_others_the_summary(client, springfield, alice,
                                                                 bob):
    page = reverse("chapter_detail", args=[springfield.slug])
    client.force_login(bob)
    assert "Month by month" not in client.get(page).text
    client.force_login(alice)
    html = client.get(page).text
    assert "Month by month" in html
    assert 'class="months"' in html


def test_upcoming_and_past_meetings_in_the_viewers_time_zone(client, springfield, vienna,
                                                             charlie):
    make_meeting(springfield, datetime.datetime(2014, 2, 12, 0, 0, tzinfo=datetime.UTC))
    make_meeting(springfield, datetime.datetime(2014, 1, 15, 0, 0, tzinfo=datetime.UTC))
    page = reverse("chapter_detail", args=[springfield.slug])
    html = client.get(page).text  # visitors: the chapter's zone
    upcoming, past = html.split('id="upcoming"')[1].split('id="meetings"')
    assert "Feb. 11, 2014, 7 p.m. (America/New_York)" in upcoming
    assert "Jan. 14, 2014, 7 p.m. (America/New_York)" in past
    client.force_login(charlie)  # lives in Vienna
    html = client.get(page).text
    assert "Feb. 12, 2014, 1 a.m. (Europe/Vienna)" in html


def test_a_logged_in_non_member_can_ask_to_join_from_the_page(client, springfield, olivia):
    client.force_login(olivia)
    page = reverse("chapter_detail", args=[springfield.slug])
    assert "Ask to join Springfield" in client.get(page).text
    client.post(reverse("chapter_join", args=[springfield.slug]))
    assert "You asked to join" in client.get(page).text


def test_the_page_needs_few_queries_for_a_member(client, springfield, alice, bob,
                                                 django_assert_max_num_queries):
    for day in range(1, 20):
        make_meeting(springfield, datetime.datetime(2013, 12, day, 23, 0, tzinfo=datetime.UTC),
                     [alice, bob])
    client.force_login(alice)
    with django_assert_max_num_queries(25):
        client.get(reverse("chapter_detail", args=[springfield.slug]))
