"""After a meeting the coordinator ticks who came, may add a guest or invite someone by email
(who joins only by accepting), and sees the verdict."""

import datetime
import re

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.meetings.months import chapter_months_refresh
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
    assert "forming" in before.text
    assert "January 2014: no meeting" not in before.text
    response = c.post(url(january), {"present": [m.pk for m in regulars]}, follow=True)
    assert "Attendance saved: 5 present (5 added" in response.text
    assert 'class="tag ok">qualifying' in response.text
    assert january.attendances.count() == 5


def test_unticking_removes_an_attendee(client, january, regulars, alice):
    Attendance.objects.bulk_create(Attendance(meeting=january, member=m) for m in regulars)
    chapter_months_refresh([january.chapter_id])
    response = client_for(client, alice).post(url(january),
                                              {"present": [m.pk for m in regulars[:4]]},
                                              follow=True)
    assert january.attendances.count() == 4
    assert "(0 added, 1 removed)" in response.text


def test_the_screen_shows_names_and_no_gender(client, january, regulars, alice):
    page = client_for(client, alice).get(url(january))
    assert 'name="present"' in page.text
    assert "Member 2" in page.text
    assert "woman" not in page.text.lower().replace("women", "")


def test_checkbox_values_are_plain_ids_whatever_the_number_format(client, january, springfield,
                                                                  alice):
    join(springfield, make_member("big@example.org", "Big", id=12345))
    page = client_for(client, alice).get(url(january))
    assert 'value="12345"' in page.text


def test_an_email_never_enrols_an_existing_account(client, january, alice, olivia,
                                                  mailoutbox, django_capture_on_commit_callbacks):
    """Attack 3 (enrolment without consent): typing an existing member's email makes no
    membership and records no attendance; they get an invitation to accept instead."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(client, alice).post(
            url(january), {"present": [alice.pk], "invite_email": " OLIVIA@example.org "},
            follow=True)
    assert "An invitation to join Springfield is on its way" in response.text
    assert "Olivia" not in response.text
    assert not ChapterMembership.objects.filter(member=olivia).exists()
    assert set(january.attendances.values_list("member_id", flat=True)) == {alice.pk}
    assert [m.to for m in mailoutbox] == [["olivia@example.org"]]


def _screen_after_inviting(client, january, alice, email: str, capture) -> str:
    with capture(execute=True):
        client_for(client, alice).post(url(january), {"invite_email": email})
    page = client.get(url(january)).text
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_screen_does_not_tell_whether_an_address_has_an_account(
        client, january, alice, olivia, mailoutbox, django_capture_on_commit_callbacks):
    """Attack 3 (the email-to-name oracle): the page after inviting an address with an
    account and one without is the same page, and so are the emails they get."""
    capture = django_capture_on_commit_callbacks
    known = _screen_after_inviting(client, january, alice, "olivia@example.org", capture)
    unknown = _screen_after_inviting(client, january, alice, "nobody@example.org", capture)
    assert known == unknown
    bodies = [re.sub(r"/invitations/email/\S+/", "LINK", m.body) for m in mailoutbox]
    assert len(bodies) == 2
    assert bodies[0] == bodies[1]


def test_inviting_the_same_address_twice_sends_one_email(client, january, alice, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(client, alice).post(
                url(january), {"present": [alice.pk], "invite_email": "sam@example.org"},
                follow=True)
        assert "An invitation to join Springfield is on its way" in response.text
    assert len(mailoutbox) == 1


def test_a_guest_is_recorded_by_name_and_counts_as_an_attendee(client, january, regulars,
                                                              alice):
    c = client_for(client, alice)
    response = c.post(url(january), {"present": [m.pk for m in regulars[:4]],
                                     "guest_name": " Sam,  Ana's friend "}, follow=True)
    assert "Attendance saved: 5 present (5 added, 0 removed)" in response.text
    guest = january.guests.get()
    assert guest.name == "Sam, Ana's friend"
    assert not guest.counts_toward_share
    assert 'class="tag ok">qualifying' in response.text  # 5 attendees, 2 of them women
    assert not ChapterMembership.objects.filter(member__display_name__startswith="Sam").exists()


def test_whether_a_guest_counts_toward_the_share_is_never_shown_again(client, january,
                                                                      regulars, alice):
    c = client_for(client, alice)
    c.post(url(january), {"present": [m.pk for m in regulars[:4]], "guest_name": "Sam",
                          "guest_counts": "on"})
    assert january.guests.get().counts_toward_share
    page = c.get(url(january)).text
    assert 'name="guest" value="' in page
    assert 'name="guest_counts" id="id_guest_counts" checked' not in page
    assert "checked" not in page.split('name="guest_counts"')[1].split(">")[0]


def test_unticking_a_guest_removes_them(client, january, alice):
    c = client_for(client, alice)
    c.post(url(january), {"present": [alice.pk], "guest_name": "Sam"})
    response = c.post(url(january), {"present": [alice.pk]}, follow=True)
    assert not january.guests.exists()
    assert "(0 added, 1 removed)" in response.text


def test_a_bad_invitation_address_saves_nothing(client, january, regulars, alice):
    response = client_for(client, alice).post(
        url(january), {"present": [m.pk for m in regulars], "invite_email": "not an address",
                       "guest_name": "Sam"}, follow=True)
    assert "Enter a valid email address." in response.text
    assert not january.attendances.exists()
    assert not january.guests.exists()


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


def test_ids_that_are_not_plain_ascii_numbers_of_a_row_are_ignored_not_a_server_error(
        client, january, alice):
    response = client_for(client, alice).post(url(january), {
        "present": [alice.pk, "²", "99999999999999999999", "٣"],
        "guest": ["99999999999999999999", "²"]})
    assert response.status_code == 302
    assert set(january.attendances.values_list("member_id", flat=True)) == {alice.pk}
