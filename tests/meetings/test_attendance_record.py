"""Recording attendance refuses what would make the verdict lie, and changes nothing then."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.meetings.services import attendance_record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# The organization's clock (1 February 2014, noon UTC): "happened" is by it, not the real date.
NOW = datetime.datetime(2014, 2, 1, 12, tzinfo=datetime.UTC)


def test_attendance_is_recorded_for_members_after_the_meeting(springfield, alice, bob):
    meeting = Meeting.objects.create(chapter=springfield,
                                     starts_at=NOW - datetime.timedelta(days=1))
    attendance_record(context_for(alice), meeting=meeting, members=[alice, bob, alice])
    assert meeting.attendances.count() == 2


def test_a_meeting_in_the_future_cannot_have_attendance(springfield, alice):
    meeting = Meeting.objects.create(chapter=springfield,
                                     starts_at=NOW + datetime.timedelta(days=3))
    with pytest.raises(ValidationError, match="has not happened yet"):
        attendance_record(context_for(alice), meeting=meeting, members=[alice])
    assert not Attendance.objects.exists()


def test_a_non_member_cannot_be_recorded_and_nothing_is_half_saved(springfield, alice, charlie):
    meeting = Meeting.objects.create(chapter=springfield,
                                     starts_at=NOW - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Charlie was not a member of Springfield"):
        attendance_record(context_for(alice), meeting=meeting, members=[alice, charlie])
    assert not Attendance.objects.exists()


def test_a_member_who_had_left_before_the_meeting_cannot_be_recorded(springfield, alice, bob):
    bob.chapter_memberships.update(left_on=datetime.date(2013, 1, 1))
    meeting = Meeting.objects.create(
        chapter=springfield, starts_at=datetime.datetime(2013, 3, 1, 18, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="was not a member"):
        attendance_record(context_for(alice), meeting=meeting, members=[bob])


def test_the_admin_form_shows_the_problem_instead_of_an_error(client, springfield, alice,
                                                              charlie):
    alice.is_staff = alice.is_superuser = True
    alice.save(update_fields=["is_staff", "is_superuser"])
    client_for(client, alice)
    meeting = Meeting.objects.create(chapter=springfield,
                                     starts_at=NOW + datetime.timedelta(days=3))
    response = client.post(reverse("admin:meetings_attendance_add"),
                           {"meeting": meeting.pk, "member": charlie.pk})
    assert response.status_code == 200
    assert "has not happened yet" in response.text
    assert "was not a member of Springfield" in response.text
    assert not Attendance.objects.exists()
