"""Coordinators schedule meetings in their chapter's time zone; others get 404."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.meetings.models import Meeting
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def form(**overrides):
    data = {"title": "Monthly meeting", "first_day": "2014-02-11", "start_time": "19:00",
            "duration_minutes": "120", "venue": "Public library", "repeat": "once",
            "occurrences": "1"}
    data.update(overrides)
    return data


def test_a_coordinator_schedules_a_meeting_in_the_chapters_zone(client, springfield, alice):
    response = client_for(client, alice).post(
        reverse("meeting_schedule", args=["springfield"]), form())
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    # 19:00 in New York in February is midnight UTC.
    assert meeting.starts_at == datetime.datetime(2014, 2, 12, 0, tzinfo=UTC)
    assert meeting.local_start.hour == 19
    assert meeting.created_by == alice


def test_a_monthly_series_keeps_the_second_tuesday_across_daylight_saving(client, springfield,
                                                                          alice):
    client_for(client, alice).post(reverse("meeting_schedule", args=["springfield"]),
                                   form(repeat="monthly", occurrences="3"))
    meetings = list(Meeting.objects.order_by("starts_at"))
    assert [m.local_start.date() for m in meetings] == [
        datetime.date(2014, 2, 11), datetime.date(2014, 3, 11), datetime.date(2014, 4, 8)]
    assert {m.local_start.hour for m in meetings} == {19}
    assert meetings[2].starts_at.hour == 23  # EDT by April
    assert len({m.series for m in meetings}) == 1
    assert meetings[0].series is not None


def test_a_meeting_in_the_past_is_refused_and_nothing_is_created(client, springfield, alice):
    response = client_for(client, alice).post(
        reverse("meeting_schedule", args=["springfield"]), form(first_day="2014-01-14"))
    assert response.status_code == 200
    assert "has already passed" in response.text
    assert not Meeting.objects.exists()


def test_a_time_the_clocks_skip_is_refused(client, springfield, alice):
    response = client_for(client, alice).post(
        reverse("meeting_schedule", args=["springfield"]),
        form(first_day="2014-03-09", start_time="02:30"))
    assert "the clocks go forward" in response.text
    assert not Meeting.objects.exists()


def test_too_many_occurrences_are_refused(client, springfield, alice):
    response = client_for(client, alice).post(
        reverse("meeting_schedule", args=["springfield"]),
        form(repeat="monthly", occurrences="99"))
    assert response.status_code == 200
    assert not Meeting.objects.exists()


def test_html_in_the_venue_is_shown_as_text(client, springfield, alice):
    c = client_for(client, alice)
    c.post(reverse("meeting_schedule", args=["springfield"]),
           form(venue="<script>alert(1)</script>"))
    page = c.get(reverse("chapter_meetings", args=["springfield"]))
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text


def test_a_coordinator_of_another_chapter_cannot_schedule_here(client, springfield, vienna,
                                                               charlie):
    vienna.coordinators.add(charlie)
    c = client_for(client, charlie)
    assert c.get(reverse("meeting_schedule", args=["springfield"])).status_code == 404
    assert c.post(reverse("meeting_schedule", args=["springfield"]),
                  form()).status_code == 404
    assert not Meeting.objects.exists()


def test_a_plain_member_cannot_schedule(client, springfield, bob):
    assert client_for(client, bob).get(
        reverse("meeting_schedule", args=["springfield"])).status_code == 404


def test_the_form_labels_every_field(client, springfield, alice):
    page = client_for(client, alice).get(reverse("meeting_schedule", args=["springfield"]))
    for field in ("title", "first_day", "start_time", "duration_minutes", "venue",
                  "occurrences"):
        assert f'<label for="id_{field}">' in page.text
    assert "America/New_York" in page.text


def test_an_anonymous_visitor_is_sent_to_log_in(client, springfield):
    response = client.get(reverse("meeting_schedule", args=["springfield"]))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_may_schedule_for_any_chapter(client, springfield):
    admin = make_member("admin@example.org", "Admin", is_staff=True)
    response = client_for(client, admin).post(
        reverse("meeting_schedule", args=["springfield"]), form())
    assert response.status_code == 302
    assert Meeting.objects.count() == 1


def test_a_last_weekday_series_needs_a_last_weekday_to_start(client, springfield, alice):
    c = client_for(client, alice)
    refused = c.post(reverse("meeting_schedule", args=["springfield"]),
                     form(repeat="monthly_last", occurrences="2"))
    assert "not the last such weekday" in refused.text
    assert not Meeting.objects.exists()
    c.post(reverse("meeting_schedule", args=["springfield"]),
           form(first_day="2014-02-25", repeat="monthly_last", occurrences="2"))
    assert [m.local_start.date() for m in Meeting.objects.order_by("starts_at")] == [
        datetime.date(2014, 2, 25), datetime.date(2014, 3, 25)]


def test_a_member_of_another_chapter_cannot_see_its_meetings_page(client, springfield, charlie):
    assert client_for(client, charlie).get(
        reverse("chapter_meetings", args=["springfield"])).status_code == 404
