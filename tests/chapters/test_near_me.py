"""Chapters near me: within reach, with distance, next meeting and verdict; nearby members
without a chapter as a count only."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import VIENNA, make_chapter, make_meeting, make_member

pytestmark = pytest.mark.django_db
URL = reverse("chapter_list")
BROOKLYN, MISSOULA = 5110302, 5666639


def test_visitors_are_sent_to_log_in(client, organization):
    assert client.get(URL).url.startswith(reverse("login"))


def test_a_member_sees_the_chapter_within_reach_with_distance_and_verdict(
        client, springfield, vienna, olivia):
    client.force_login(olivia)
    page = client.get(URL).text
    assert 'id="near-springfield"' in page
    assert "0 km away, in New York City" in page
    assert "forming" in page
    assert "January 2014: no meeting." in page
    assert 'id="near-vienna"' not in page  # 6,800 km away: not within reach


def test_the_next_meeting_is_shown_in_the_members_own_time_zone(client, springfield, vienna,
                                                                olivia, charlie):
    make_meeting(springfield, datetime.datetime(2014, 2, 11, 0, 30, tzinfo=datetime.UTC))
    make_meeting(springfield, datetime.datetime(2014, 3, 11, 0, 30, tzinfo=datetime.UTC))
    make_meeting(springfield, datetime.datetime(2014, 1, 11, 0, 30, tzinfo=datetime.UTC))
    client.force_login(olivia)
    page = client.get(URL).text
    assert "Next meeting: Feb. 10, 2014, 7:30 p.m." in page  # New York time


def test_nearby_members_without_a_chapter_are_a_count_never_names(client, springfield, bob,
                                                                  olivia):
    for n in range(3):
        make_member(f"near{n}@example.org", f"Neighbour {n}", BROOKLYN, willing_to_meet=True)
    make_member("shy@example.org", "Shy", BROOKLYN, willing_to_meet=False)
    make_member("new@example.org", "Unconfirmed", BROOKLYN, willing_to_meet=True,
                email_confirmed=False)
    make_member("far@example.org", "Far", VIENNA, willing_to_meet=True)
    client.force_login(olivia)
    page = client.get(URL).text
    assert "3 members without a chapter, willing to meet in person, live within 25 km" in page
    for hidden in ("Neighbour", "near0@example.org", "Shy", "Bob"):
        assert hidden not in page


def test_with_no_chapter_in_reach_the_nearest_are_shown_and_said_to_be_out_of_reach(
        client, springfield, vienna, organization):
    far = make_member("mo@example.org", "Mo", MISSOULA)
    client.force_login(far)
    page = client.get(URL).text
    assert "No chapter's area reaches your city yet" in page
    assert page.index('id="near-springfield"') < page.index('id="near-vienna"')
    assert "outside its area" in page


def test_a_member_without_a_city_is_asked_for_one(client, organization):
    nomad = make_member("nomad@example.org", "Nomad", None)
    client.force_login(nomad)
    assert "Tell us your city" in client.get(URL).text


def test_members_see_they_are_members_and_asked_requests_as_pending(client, springfield, bob,
                                                                    olivia):
    client.force_login(bob)
    assert "You are a member." in client.get(URL).text
    client.force_login(olivia)
    client.post(reverse("chapter_join", args=["springfield"]), {"next": "list"})
    assert "You asked to join" in client.get(URL).text


def test_the_page_needs_few_queries_however_many_chapters_and_meetings(
        client, olivia, django_assert_max_num_queries):
    for n in range(12):
        chapter = make_chapter(f"Borough {n}", BROOKLYN, radius_km=40)
        for month in (11, 12):
            make_meeting(chapter, datetime.datetime(2013, month, 5, 23, 0, tzinfo=datetime.UTC),
                         [olivia])
        make_meeting(chapter, datetime.datetime(2014, 3, 5, 23, 0, tzinfo=datetime.UTC))
    client.force_login(olivia)
    with django_assert_max_num_queries(16):
        page = client.get(URL).text
    assert page.count('id="near-borough-') == 12
