"""Coordination calls: organizers propose times, invitees see them in their own time."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.coordination.models import Call, CandidateTime, Signup
from chapterhouse.coordination.services import call_create
from tests.conftest import VIENNA, client_for, make_chapter, make_member, make_organizer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
MELBOURNE = 2158177


@pytest.fixture
def alice(alice):
    """Calls are started by organizers (and staff): Alice, a coordinator, is also one."""
    make_organizer(alice)
    return alice


def accepted(call, member):
    return Signup.objects.create(call=call, member=member, accepted_at=datetime.datetime(
        2014, 2, 1, tzinfo=UTC))


@pytest.fixture
def call(alice):
    return call_create(context_for(alice), title="Organizers' call", scope="organization",
                       occurrences=3)


def detail(call):
    return reverse("call_detail", args=[call.pk])


def test_an_organizer_starts_a_call_and_takes_part(client, alice):
    response = client_for(client, alice).post(reverse("call_create"), {
        "title": "Sharing what works", "scope": "organization", "occurrences": "1",
        "duration_minutes": "60"})
    call = Call.objects.get()
    assert response["Location"] == detail(call)
    assert call.organizer == alice
    assert list(call.signups.values_list("member__display_name", flat=True)) == ["Alice"]


def test_a_plain_member_cannot_start_a_call(client, bob):
    c = client_for(client, bob)
    assert c.get(reverse("call_create")).status_code == 404
    assert c.post(reverse("call_create"), {"title": "x", "scope": "organization",
                                           "occurrences": "1",
                                           "duration_minutes": "60"}).status_code == 404
    assert not Call.objects.exists()


def test_a_regional_call_must_name_its_region(client, alice):
    response = client_for(client, alice).post(reverse("call_create"), {
        "title": "Europe", "scope": "region", "continent": "", "occurrences": "1",
        "duration_minutes": "60"})
    assert "Choose the region" in response.text
    assert not Call.objects.exists()


def test_a_candidate_is_entered_in_the_proposers_zone_and_stored_in_utc(client, call, alice):
    client_for(client, alice).post(reverse("call_candidate_add", args=[call.pk]),
                                   {"day": "2014-02-11", "time": "09:00"})
    # Alice lives in New York: 09:00 EST is 14:00 UTC.
    assert CandidateTime.objects.get().starts_at == datetime.datetime(2014, 2, 11, 14,
                                                                      tzinfo=UTC)


def test_a_past_or_duplicate_candidate_is_refused(client, call, alice):
    c = client_for(client, alice)
    past = c.post(reverse("call_candidate_add", args=[call.pk]),
                  {"day": "2014-01-11", "time": "09:00"}, follow=True)
    assert "already passed" in past.text
    c.post(reverse("call_candidate_add", args=[call.pk]), {"day": "2014-02-11", "time": "09:00"})
    again = c.post(reverse("call_candidate_add", args=[call.pk]),
                   {"day": "2014-02-11", "time": "09:00"}, follow=True)
    assert "already a candidate" in again.text
    assert CandidateTime.objects.count() == 1


def test_only_the_organizer_proposes_times_and_edits_notes(client, call, bob, charlie):
    for member in (bob, charlie):
        c = client_for(client, member)
        assert c.post(reverse("call_candidate_add", args=[call.pk]),
                      {"day": "2014-02-11", "time": "09:00"}).status_code == 404
        assert c.post(reverse("call_notes", args=[call.pk]),
                      {"notes": "hijacked"}).status_code == 404
    assert not CandidateTime.objects.exists()
    call.refresh_from_db()
    assert call.notes == ""


def test_the_page_shows_each_time_in_every_invitees_zone_and_flags_bad_hours(client, call,
                                                                             charlie):
    melbourne = make_member("mel@example.org", "Mel", MELBOURNE)
    for member in (charlie, melbourne):
        accepted(call, member)
    CandidateTime.objects.create(call=call, starts_at=datetime.datetime(2014, 2, 11, 14,
                                                                        tzinfo=UTC))
    page = client_for(client, charlie).get(detail(call)).text
    assert "America/New_York" in page
    assert "Europe/Vienna" in page
    assert "Australia/Melbourne" in page
    # Times of day in the reader's language's format (TIME_FORMAT: "9 a.m." in English).
    assert "Tue 9 a.m." in page  # New York
    assert "Tue 3 p.m." in page  # Vienna
    assert "Wed 1 a.m." in page  # Melbourne, next day
    assert page.count("<strong>inconvenient</strong>") == 1
    assert "1 invitee</td>" in page  # the footer's count for this time


def test_a_recurring_call_rotates_so_no_region_always_gets_the_bad_hour(client, call, charlie):
    melbourne = make_member("mel@example.org", "Mel", MELBOURNE)
    accepted(call, melbourne)
    for hour in (14, 22):  # 14:00 UTC is 01:00 in Melbourne; 22:00 UTC is 17:00 in New York
        CandidateTime.objects.create(call=call, starts_at=datetime.datetime(
            2014, 2, 11, hour, tzinfo=UTC))
    # 22:00 UTC suits both New York (17:00) and Melbourne (09:00): used every time.
    page = client_for(client, charlie).get(detail(call)).text
    assert "Nobody gets more than 0 at an inconvenient hour" in page


def test_members_sign_up_and_leave(client, call, bob):
    c = client_for(client, bob)
    c.post(reverse("call_signup", args=[call.pk]))
    c.post(reverse("call_signup", args=[call.pk]))
    assert call.signups.filter(member=bob).count() == 1
    c.post(reverse("call_leave", args=[call.pk]))
    assert not call.signups.filter(member=bob).exists()


def test_the_organizer_cannot_leave_their_own_call(client, call, alice):
    response = client_for(client, alice).post(reverse("call_leave", args=[call.pk]),
                                              follow=True)
    assert "cannot leave" in response.text
    assert call.signups.filter(member=alice).exists()


def test_notes_are_for_participants_the_organizer_let_in_not_for_whoever_signs_up(
        client, call, alice, bob):
    client_for(client, alice).post(reverse("call_notes", args=[call.pk]),
                                   {"notes": "Agenda: first meetings"})
    client.logout()
    c = client_for(client, bob)
    assert "Agenda: first meetings" not in c.get(detail(call)).text
    c.post(reverse("call_signup", args=[call.pk]))
    assert "Agenda: first meetings" not in c.get(detail(call)).text  # signing up is not enough
    signup = call.signups.get(member=bob)
    client.logout()
    client_for(client, alice).post(reverse("call_signup_accept", args=[call.pk, signup.pk]))
    client.logout()
    assert "Agenda: first meetings" in client_for(client, bob).get(detail(call)).text


def test_names_of_invitees_are_for_participants(client, call, bob, charlie):
    accepted(call, charlie)
    page = client_for(client, bob).get(detail(call)).text
    assert "Charlie" not in page
    assert "1 invitee" in page


def test_a_regional_call_invites_that_continents_coordinators(client, alice, charlie):
    make_chapter("Vienna Nord", VIENNA).coordinators.add(charlie)
    call = call_create(context_for(alice), title="Europe", scope="region", continent="EU")
    page = client_for(client, alice).get(detail(call)).text
    assert "Europe/Vienna" in page
    assert "Charlie" in page
    assert "2 invitees" in page


def test_an_anonymous_visitor_sees_no_call(client, call):
    assert client.get(detail(call)).status_code == 302


def test_the_list_does_not_query_per_call(client, alice, bob, django_assert_max_num_queries):
    for i in range(15):
        call = call_create(context_for(alice), title=f"Call {i}", scope="organization")
        CandidateTime.objects.create(call=call, starts_at=datetime.datetime(
            2014, 2, 11, 14, tzinfo=UTC))
    c = client_for(client, bob)
    with django_assert_max_num_queries(10):
        page = c.get(reverse("calls"))
    assert page.text.count('id="call-') == 15


def test_only_the_organizer_removes_a_candidate_and_only_from_their_call(client, call, alice,
                                                                         bob):
    candidate = CandidateTime.objects.create(call=call, starts_at=datetime.datetime(
        2014, 2, 11, 14, tzinfo=UTC))
    other = call_create(context_for(alice), title="Other", scope="organization")
    assert client_for(client, bob).post(reverse(
        "call_candidate_remove", args=[call.pk, candidate.pk])).status_code == 404
    client.logout()
    c = client_for(client, alice)
    assert c.post(reverse("call_candidate_remove",
                          args=[other.pk, candidate.pk])).status_code == 404
    assert CandidateTime.objects.filter(pk=candidate.pk).exists()
    c.post(reverse("call_candidate_remove", args=[call.pk, candidate.pk]))
    assert not CandidateTime.objects.exists()
