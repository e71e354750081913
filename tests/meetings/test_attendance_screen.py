"""After a meeting the coordinator ticks who came, may add a newcomer, and sees the verdict."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.meetings.models import Attendance, Meeting
from tests.conftest import client_for, join, make_meeting, make_member

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def regulars(springfield, alice, bob):
    """Five members, two of them women: enough for a month to count."""
    others = [make_member(f"m{i}@example.org", f"Member {i}", gender=g)
              for i, g in enumerate(["woman", "man", "man"])]
    for member in others:
        join(springfield, member)
    return [alice, bob, *others]


@pytest.fixture
def january(springfield, regulars):
    """Qualifying November and December; January's meeting has no attendance yet."""
    make_meeting(springfield, datetime.datetime(2013, 11, 12, 23, tzinfo=UTC), regulars)
    make_meeting(springfield, datetime.datetime(2013, 12, 10, 23, tzinfo=UTC), regulars)
    return make_meeting(springfield, datetime.datetime(2014, 1, 15, 0, tzinfo=UTC))


def url(meeting):
    return reverse("meeting_attendance_edit", args=[meeting.pk])


def test_recording_who_came_updates_the_verdict_at_once(client, january, regulars, alice):
    c = client_for(client, alice)
    before = c.get(url(january))
    assert "forming" in before.text and "January 2014: no meeting" not in before.text
    response = c.post(url(january), {"present": [m.pk for m in regulars]}, follow=True)
    assert "Attendance saved: 5 present (5 added" in response.text
    assert 'class="tag ok">qualifying' in response.text
    assert january.attendances.count() == 5


def test_unticking_removes_an_attendee(client, january, regulars, alice):
    Attendance.objects.bulk_create(Attendance(meeting=january, member=m) for m in regulars)
    response = client_for(client, alice).post(url(january),
                                              {"present": [m.pk for m in regulars[:4]]},
                                              follow=True)
    assert january.attendances.count() == 4
    assert "(0 added, 1 removed)" in response.text


def test_the_screen_shows_names_and_no_gender(client, january, regulars, alice):
    page = client_for(client, alice).get(url(january))
    assert 'name="present"' in page.text and "Member 2" in page.text
    assert "woman" not in page.text.lower().replace("women", "")


def test_checkbox_values_are_plain_ids_whatever_the_number_format(client, january, springfield,
                                                                  alice):
    join(springfield, make_member("big@example.org", "Big", id=12345))
    page = client_for(client, alice).get(url(january))
    assert 'value="12345"' in page.text


def test_a_newcomer_joins_the_chapter_and_is_recorded(client, january, alice, olivia):
    response = client_for(client, alice).post(
        url(january), {"present": [alice.pk], "email": " OLIVIA@example.org "}, follow=True)
    assert "Olivia joined Springfield" in response.text
    assert set(january.attendances.values_list("member__display_name", flat=True)) == {
        "Alice", "Olivia"}
    membership = ChapterMembership.objects.get(member=olivia)
    assert membership.joined_on == datetime.date(2014, 1, 14)  # the meeting's local date


def test_an_unknown_email_is_refused_and_nothing_is_saved(client, january, regulars, alice):
    response = client_for(client, alice).post(
        url(january), {"present": [m.pk for m in regulars], "email": "nobody@example.org"},
        follow=True)
    assert "No member has the email address nobody@example.org" in response.text
    assert not january.attendances.exists()


def test_a_non_member_cannot_be_ticked(client, january, alice, charlie):
    response = client_for(client, alice).post(url(january), {"present": [alice.pk, charlie.pk]},
                                              follow=True)
    assert "Charlie was not a member of Springfield" in response.text
    assert not january.attendances.exists()


def test_a_meeting_that_has_not_happened_takes_no_attendance(client, springfield, alice):
    future = Meeting.objects.create(chapter=springfield,
                                    starts_at=datetime.datetime(2014, 2, 12, tzinfo=UTC))
    c = client_for(client, alice)
    assert "has not happened yet" in c.get(url(future)).text
    response = c.post(url(future), {"present": [alice.pk]}, follow=True)
    assert "has not happened yet" in response.text
    assert not future.attendances.exists()


def test_a_coordinator_of_another_chapter_gets_404(client, january, vienna, charlie, alice):
    vienna.coordinators.add(charlie)
    c = client_for(client, charlie)
    assert c.get(url(january)).status_code == 404
    assert c.post(url(january), {"present": [alice.pk]}).status_code == 404
    assert not january.attendances.exists()


def test_a_plain_member_cannot_record_attendance(client, january, bob):
    c = client_for(client, bob)
    assert c.get(url(january)).status_code == 404
    assert c.post(url(january), {"present": [bob.pk]}).status_code == 404
    assert not january.attendances.exists()


def test_the_chapter_meetings_page_links_the_screen_for_coordinators_only(client, january,
                                                                          alice, bob):
    assert url(january) in client_for(client, alice).get(
        reverse("chapter_meetings", args=["springfield"])).text
    client.logout()
    assert url(january) not in client_for(client, bob).get(
        reverse("chapter_meetings", args=["springfield"])).text


def test_saving_a_large_meeting_takes_the_same_queries_as_a_small_one(
        client, january, springfield, regulars, alice, django_assert_max_num_queries):
    crowd = [make_member(f"c{i}@example.org", f"Crowd {i}") for i in range(40)]
    for member in crowd:
        join(springfield, member)
    c = client_for(client, alice)
    with django_assert_max_num_queries(60):  # not one set of queries per ticked member
        response = c.post(url(january), {"present": [m.pk for m in regulars + crowd]})
    assert response.status_code == 302
    assert january.attendances.count() == 45
