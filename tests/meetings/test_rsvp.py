"""Members answer yes / maybe / no; times show in the reader's zone with the chapter's beside."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.meetings.models import Meeting, Rsvp
from tests.conftest import VIENNA, client_for, join, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(springfield):
    # 19:00 in New York on 11 February 2014; the organization's "now" is 1 February.
    return Meeting.objects.create(chapter=springfield, title="Monthly meeting",
                                  starts_at=datetime.datetime(2014, 2, 12, 0, tzinfo=datetime.UTC))


def test_a_member_answers_and_changes_their_mind(client, upcoming, bob):
    c = client_for(client, bob)
    c.post(reverse("meeting_rsvp", args=[upcoming.pk]), {"answer": "maybe"})
    c.post(reverse("meeting_rsvp", args=[upcoming.pk]), {"answer": "yes"})
    assert Rsvp.objects.get(meeting=upcoming, member=bob).answer == "yes"
    assert Rsvp.objects.count() == 1


def test_an_unknown_answer_changes_nothing(client, upcoming, bob):
    client_for(client, bob).post(reverse("meeting_rsvp", args=[upcoming.pk]), {"answer": "sure"})
    assert not Rsvp.objects.exists()


def test_a_member_of_another_chapter_cannot_see_or_answer(client, upcoming, charlie):
    c = client_for(client, charlie)
    assert c.get(reverse("meeting_detail", args=[upcoming.pk])).status_code == 404
    assert c.post(reverse("meeting_rsvp", args=[upcoming.pk]),
                  {"answer": "yes"}).status_code == 404
    assert not Rsvp.objects.exists()


def test_a_coordinator_of_another_chapter_cannot_see_the_answers(client, upcoming, vienna,
                                                                 charlie, bob):
    Rsvp.objects.create(meeting=upcoming, member=bob, answer="yes",
                        answered_at=datetime.datetime(2014, 1, 30, tzinfo=datetime.UTC))
    vienna.coordinators.add(charlie)
    assert client_for(client, charlie).get(
        reverse("meeting_detail", args=[upcoming.pk])).status_code == 404


def test_a_past_meeting_takes_no_answers(client, springfield, bob):
    past = Meeting.objects.create(chapter=springfield,
                                  starts_at=datetime.datetime(2014, 1, 15, tzinfo=datetime.UTC))
    response = client_for(client, bob).post(reverse("meeting_rsvp", args=[past.pk]),
                                            {"answer": "yes"}, follow=True)
    assert "already started" in response.text
    assert not Rsvp.objects.exists()


def test_coordinators_see_who_answered_and_members_only_the_counts(client, upcoming, alice,
                                                                   bob):
    Rsvp.objects.create(meeting=upcoming, member=bob, answer="maybe",
                        answered_at=datetime.datetime(2014, 1, 30, tzinfo=datetime.UTC))
    as_alice = client_for(client, alice).get(reverse("meeting_detail", args=[upcoming.pk]))
    assert "Bob" in as_alice.text
    assert "Only coordinators see" in as_alice.text
    client.logout()
    as_bob = client_for(client, bob).get(reverse("meeting_detail", args=[upcoming.pk]))
    assert "Maybe: 1" in as_bob.text
    assert "Only coordinators see" not in as_bob.text


def test_a_member_in_vienna_sees_the_time_in_vienna_with_new_yorks_beside(client, upcoming,
                                                                        springfield):
    dora = make_member("dora@example.org", "Dora", VIENNA)
    join(springfield, dora)
    page = client_for(client, dora).get(reverse("my_meetings"))
    assert "Europe/Vienna" in page.text
    assert "Feb. 12, 2014, 1 a.m." in page.text  # 01:00 in Vienna
    assert "Chapter's time: Feb. 11, 2014, 7 p.m. (America/New_York)" in page.text


def test_my_meetings_lists_every_chapter_without_a_query_per_meeting(
        client, springfield, vienna, bob, django_assert_max_num_queries):
    join(vienna, bob)
    for day in range(3, 20):
        for chapter in (springfield, vienna):
            Meeting.objects.create(chapter=chapter, starts_at=datetime.datetime(
                2014, 2, day, 18, tzinfo=datetime.UTC))
    c = client_for(client, bob)
    with django_assert_max_num_queries(20):
        page = c.get(reverse("my_meetings"))
    assert page.text.count('class="rsvp"') == 34


def test_the_chapter_meetings_page_counts_answers_without_a_query_per_meeting(
        client, springfield, alice, bob, django_assert_max_num_queries):
    for day in range(3, 20):
        meeting = Meeting.objects.create(chapter=springfield, starts_at=datetime.datetime(
            2014, 2, day, 18, tzinfo=datetime.UTC))
        Rsvp.objects.create(meeting=meeting, member=bob, answer="yes",
                            answered_at=datetime.datetime(2014, 1, 30, tzinfo=datetime.UTC))
    for day in range(3, 20):
        Meeting.objects.create(chapter=springfield, starts_at=datetime.datetime(
            2014, 1, day, 18, tzinfo=datetime.UTC))
    c = client_for(client, alice)
    with django_assert_max_num_queries(20):
        page = c.get(reverse("chapter_meetings", args=["springfield"]))
    assert page.text.count("1 yes, 0 maybe, 0 no") == 17
    assert page.text.count("Record attendance") == 12


def test_an_outsider_cannot_see_a_chapters_meetings(client, springfield, olivia):
    assert client_for(client, olivia).get(
        reverse("chapter_meetings", args=["springfield"])).status_code == 404


def test_an_answer_is_dated_by_the_organizations_clock(client, upcoming, bob):
    client_for(client, bob).post(reverse("meeting_rsvp", args=[upcoming.pk]), {"answer": "yes"})
    assert Rsvp.objects.get().answered_at == datetime.datetime(2014, 2, 1, 12,
                                                               tzinfo=datetime.UTC)
