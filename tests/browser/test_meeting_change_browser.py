"""A coordinator changes a meeting, then cancels it; the member who said yes is told both
times, by email through the outbox."""

import datetime

import pytest
from django.core import mail

from chapterhouse.chapters.models import Chapter
from chapterhouse.demo.seeding import DemoSpec
from chapterhouse.meetings.models import Meeting, Rsvp
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_changes_then_cancels_a_meeting_and_the_rsvp_holder_is_told(
        demo_site, page, screenshot):
    nyc = Chapter.objects.get(slug="new-york-city")
    today = DemoSpec().today
    holder = (nyc.memberships.current(today).exclude(member__in=nyc.coordinators.all())
              .filter(member__is_active=True).select_related("member").first().member)
    meeting = Meeting.objects.create(
        chapter=nyc, title="Reading group", venue="Library",
        starts_at=datetime.datetime(2014, 2, 25, 23, 30, tzinfo=datetime.UTC))  # 18:30 local
    Rsvp.objects.create(meeting=meeting, member=holder, answer="yes",
                        answered_at=datetime.datetime(2014, 1, 31, tzinfo=datetime.UTC))
    mail.outbox.clear()

    log_in(page, demo_site, "coordinator@demo.example.org")
    page.goto(f"{demo_site}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Change or cancel this meeting").click()
    page.get_by_label("Starts at").fill("19:00")
    page.get_by_label("Where").fill("Community centre, hall B")
    screenshot(page, "meeting-edit")
    page.get_by_role("button", name="Save the changes").click()
    assert "1 member who said they would come is told" in page.locator(".messages").inner_text()
    assert "Community centre, hall B" in page.locator("main").inner_text()

    page.get_by_role("link", name="Change or cancel this meeting").click()
    page.get_by_label("A note for those who said they would come").fill("The hall is flooded.")
    page.get_by_role("button", name="Cancel the meeting").click()
    assert "The meeting is cancelled" in page.locator(".messages").inner_text()
    assert "This meeting was cancelled" in page.locator("main").inner_text()
    screenshot(page, "meeting-cancelled")

    told = [m for m in mail.outbox if m.to == [holder.email]]
    assert len(told) == 2
    assert "Community centre, hall B" in told[0].body
    assert "The hall is flooded." in told[1].body
    meeting.refresh_from_db()
    assert meeting.cancelled
    assert meeting.starts_at.hour == 0
