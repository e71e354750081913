"""Attendance is for the chapter's own members: everyone else gets 404."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import client_for, join, make_meeting, make_member

pytestmark = pytest.mark.django_db
AUTUMN = datetime.datetime(2013, 10, 5, 23, 0, tzinfo=datetime.UTC)


@pytest.fixture
def meeting(springfield, alice, bob):
    return make_meeting(springfield, AUTUMN, [alice, bob])


def url(meeting):
    return reverse("meeting_attendance", args=[meeting.chapter.slug, meeting.pk])


def test_a_member_of_the_chapter_sees_who_came(client, meeting, bob):
    client.force_login(bob)
    response = client.get(url(meeting))
    assert response.status_code == 200
    assert "Alice" in response.text
    assert "Bob" in response.text


def test_gender_of_a_meeting_below_the_rules_minimum_is_not_counted(client, meeting, bob):
    client.force_login(bob)
    html = client.get(url(meeting)).text
    assert "2 attendees." in html
    assert "counted toward women" not in html
    assert "met the women" not in html
    assert "meet the women" not in html
    assert "only for meetings of at least 5 members" in html
    for label in ("Woman", "woman<", "Man<", ">man"):
        assert label not in html


def test_a_meeting_of_the_rules_minimum_says_only_whether_it_met_the_share(client, springfield,
                                                                          alice, bob):
    others = [make_member(f"m{i}@example.org", f"M{i}", gender="man") for i in range(3)]
    for member in others:
        join(springfield, member)
    five = make_meeting(springfield, AUTUMN, [alice, bob, *others])
    client.force_login(bob)
    html = client.get(url(five)).text
    # Beside the names not even a total: only whether the share (30%) was met.
    assert "5 attendees." in html
    assert "did not meet the women's share" in html
    assert "counted toward women" not in html


def test_it_checks_ownership_for_a_member_of_another_chapter(client, meeting, charlie):
    client.force_login(charlie)
    assert client.get(url(meeting)).status_code == 404


def test_it_checks_ownership_for_an_unaffiliated_member(client, meeting, olivia):
    client.force_login(olivia)
    assert client.get(url(meeting)).status_code == 404


def test_anonymous_visitors_get_404(client, meeting):
    assert client.get(url(meeting)).status_code == 404


def test_a_meeting_of_another_chapter_under_my_chapters_address_is_404(
        client, meeting, vienna, charlie, bob):
    other = make_meeting(vienna, AUTUMN, [charlie])
    client.force_login(bob)
    response = client.get(reverse("meeting_attendance", args=["springfield", other.pk]))
    assert response.status_code == 404


def test_a_member_who_left_no_longer_sees_attendance(client, meeting, springfield, bob):
    bob.chapter_memberships.update(left_on=datetime.date(2013, 12, 1))
    client.force_login(bob)
    assert client.get(url(meeting)).status_code == 404


def test_staff_see_any_chapters_attendance(client, meeting, charlie):
    charlie.is_staff = True
    charlie.save(update_fields=["is_staff"])
    client_for(client, charlie)
    assert client.get(url(meeting)).status_code == 200
