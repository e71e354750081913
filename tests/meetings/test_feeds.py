"""iCal feeds by secret token: no session, the chapter's TZID, regenerable addresses."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from chapterhouse.meetings.models import Meeting
from chapterhouse.meetings.services import chapter_feed_ensure, member_feed_ensure
from tests.conftest import join

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def meetings(springfield, vienna):
    return (
        Meeting.objects.create(chapter=springfield, title="Monthly meeting", venue="Library",
                               starts_at=datetime.datetime(2014, 2, 12, 0, tzinfo=UTC)),
        Meeting.objects.create(chapter=vienna, venue="Volkshochschule",
                               starts_at=datetime.datetime(2014, 2, 6, 18, tzinfo=UTC)),
    )


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_members_feed_has_their_chapters_meetings_in_the_chapters_zone(client, meetings,
                                                                        bob):
    token = member_feed_ensure(member=bob).token
    response = client.get(reverse("meeting_feed", args=[token]))  # no login: a calendar app
    [event] = events(response)
    start = event.decoded("dtstart")
    assert start.tzinfo.key == "America/New_York"
    assert start.astimezone(UTC) == datetime.datetime(2014, 2, 12, 0, tzinfo=UTC)
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert str(event["summary"]) == "Springfield: Monthly meeting"
    assert str(event["location"]) == "Library"
    assert b"BEGIN:VTIMEZONE" in response.content
    assert event.decoded("dtend") - start == datetime.timedelta(hours=2)


def test_a_member_in_two_chapters_gets_both_and_each_keeps_its_zone(client, meetings, vienna,
                                                                   bob):
    join(vienna, bob)
    found = events(client.get(reverse("meeting_feed", args=[member_feed_ensure(member=bob).token])))
    zones = sorted(e.decoded("dtstart").tzinfo.key for e in found)
    assert zones == ["America/New_York", "Europe/Vienna"]
    vienna_start = next(e.decoded("dtstart") for e in found
                        if e.decoded("dtstart").tzinfo == ZoneInfo("Europe/Vienna"))
    assert vienna_start.hour == 19


def test_a_chapters_feed_has_only_that_chapter(client, meetings, springfield):
    found = events(client.get(reverse("meeting_feed",
                                      args=[chapter_feed_ensure(chapter=springfield).token])))
    assert [str(e["summary"]) for e in found] == ["Springfield: Monthly meeting"]


def test_an_unknown_token_is_not_found(client, meetings):
    assert client.get(reverse("meeting_feed", args=["not-a-token"])).status_code == 404


def test_regenerating_retires_the_old_address(client, meetings, bob):
    old = member_feed_ensure(member=bob).token
    c = client
    c.force_login(bob)
    c.post(reverse("my_feed_regenerate"))
    c.logout()
    assert client.get(reverse("meeting_feed", args=[old])).status_code == 404
    new = member_feed_ensure(member=bob).token
    assert new != old
    assert client.get(reverse("meeting_feed", args=[new])).status_code == 200


def test_only_a_coordinator_can_regenerate_a_chapters_address(client, meetings, springfield,
                                                              bob, alice):
    old = chapter_feed_ensure(chapter=springfield).token
    client.force_login(bob)
    assert client.post(reverse("chapter_feed_regenerate",
                               args=["springfield"])).status_code == 404
    assert chapter_feed_ensure(chapter=springfield).token == old
    client.force_login(alice)
    client.post(reverse("chapter_feed_regenerate", args=["springfield"]))
    assert chapter_feed_ensure(chapter=springfield).token != old


def test_a_coordinator_of_another_chapter_cannot_regenerate_its_address(
        client, meetings, springfield, vienna, charlie):
    vienna.coordinators.add(charlie)
    old = chapter_feed_ensure(chapter=springfield).token
    client.force_login(charlie)
    assert client.post(reverse("chapter_feed_regenerate",
                               args=["springfield"])).status_code == 404
    assert chapter_feed_ensure(chapter=springfield).token == old


def test_a_member_who_left_the_chapter_no_longer_sees_its_meetings(client, meetings, bob):
    bob.chapter_memberships.update(left_on=datetime.date(2014, 1, 1))
    token = member_feed_ensure(member=bob).token
    assert events(client.get(reverse("meeting_feed", args=[token]))) == []


def test_the_feed_is_in_the_members_language(client, meetings, bob):
    bob.languages = ["es"]
    bob.save(update_fields=["languages"])
    Meeting.objects.filter(title="Monthly meeting").update(title="")
    found = events(client.get(reverse("meeting_feed", args=[member_feed_ensure(member=bob).token])))
    assert str(found[0]["summary"]) == "Springfield: " + _spanish("Meeting")


def _spanish(text: str) -> str:
    from django.utils import translation

    with translation.override("es"):
        return translation.gettext(text)


# One clock (issue 11): the feed's "now" is the organization's, like the page that scheduled.


def _schedule(client, coordinator, day: str) -> None:
    client.force_login(coordinator)
    response = client.post(reverse("meeting_schedule", args=["springfield"]), {
        "title": "December meeting", "first_day": day, "start_time": "19:00",
        "duration_minutes": "120", "venue": "Library", "repeat": "once", "occurrences": "1"})
    assert response.status_code == 302
    client.logout()


def test_a_meeting_scheduled_in_the_organizations_future_is_in_both_feeds(client, springfield,
                                                                         alice, bob):
    _schedule(client, alice, "2026-12-15")  # the organization's clock says 1 February 2014
    for token in (member_feed_ensure(member=bob).token,
                  chapter_feed_ensure(chapter=springfield).token):
        found = events(client.get(reverse("meeting_feed", args=[token])))
        assert [str(e["summary"]) for e in found] == ["Springfield: December meeting"]


def test_on_the_real_clock_a_meeting_next_month_is_in_the_feed(client, organization,
                                                               springfield, alice, bob):
    organization.figures_as_of = None  # the real clock
    organization.save()
    day = organization.clock.today() + datetime.timedelta(days=30)
    _schedule(client, alice, day.isoformat())
    found = events(client.get(reverse("meeting_feed",
                                      args=[member_feed_ensure(member=bob).token])))
    assert [e.decoded("dtstart").date() for e in found] == [day]
