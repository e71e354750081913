"""A coordinator schedules meetings, answers for one, and records who came to the last one."""

import pytest

from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.demo.seeding import DemoSpec
from chapterhouse.members.models import Member
from tests.browser.conftest import fits_the_screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_schedules_answers_and_records_attendance(demo_site, page, screenshot):
    log_in(page, demo_site, "coordinator@demo.example.org")
    page.goto(demo_site + "/meetings/")
    page.get_by_role("link", name="Schedule a meeting of New York City").click()
    page.get_by_label("Title").fill("Movie night")
    page.get_by_label("Date").fill("2014-02-20")
    page.get_by_label("Starts at").fill("18:30")
    page.get_by_label("Where").fill("Public library, room 3")
    page.get_by_label("Monthly on the same weekday").check()
    page.get_by_label("How many meetings").fill("3")
    screenshot(page, "meetings-schedule")
    page.get_by_role("button", name="Schedule").click()
    assert "3 meetings scheduled." in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="Movie night").count() == 3
    screenshot(page, "meetings-chapter")

    # A past date is refused with a message.
    page.goto(demo_site + "/meetings/chapter/new-york-city/schedule/")
    page.get_by_label("Date").fill("2014-01-20")
    page.get_by_label("Starts at").fill("18:30")
    page.get_by_role("button", name="Schedule").click()
    assert "has already passed" in page.locator(".errors").inner_text()

    # RSVP to the next monthly meeting from "My meetings".
    page.goto(demo_site + "/meetings/")
    first = page.locator("ul.meetings > li").first
    first.get_by_role("button", name="Yes").click()
    assert "Your answer is saved." in page.locator(".messages").inner_text()
    first = page.locator("ul.meetings > li").first
    assert first.get_by_role("button", name="Yes").get_attribute("aria-pressed") == "true"
    first.get_by_role("link").first.click()
    assert "Jon D." in page.locator("table").inner_text()
    screenshot(page, "meetings-detail")

    # Record who came to January's meeting, with a guest and an invitation by email.
    newcomer = (members_unaffiliated(Member.objects.all(), DemoSpec().today)
                .filter(is_staff=False).order_by("pk").first())
    page.goto(demo_site + "/meetings/chapter/new-york-city/")
    page.get_by_role("link", name="Record attendance").first.click()
    ticked = page.locator("input[name=present]:checked").count()
    page.locator("input[name=present]:not(:checked)").first.check()
    page.get_by_label("Invite someone to join the chapter").fill("not an address")
    page.get_by_role("button", name="Save attendance").click()
    assert "Enter a valid email address." in page.locator(".messages").inner_text()
    assert page.locator("input[name=present]:checked").count() == ticked  # nothing saved

    page.get_by_label("Find a name").fill("Jon D")  # narrows a long roster
    assert page.locator("fieldset.attendees li:visible").count() < 5
    page.get_by_label("Find a name").fill("")
    page.locator("input[name=present]:not(:checked)").first.check()
    page.get_by_label("A guest who came").fill("Sam")
    page.get_by_label("Invite someone to join the chapter").fill(newcomer.email)
    page.get_by_role("button", name="Save attendance").click()
    messages = page.locator(".messages").inner_text()
    assert "An invitation to join New York City is on its way" in messages
    assert newcomer.display_name not in messages
    assert f"Attendance saved: {ticked + 2} present (2 added, 0 removed)" in messages
    assert "qualifying" in page.locator("#verdict-box").inner_text()
    assert page.locator(f"input[name=present][value='{newcomer.pk}']").count() == 0
    assert page.locator("input[name=guest]").count() == 1
    screenshot(page, "meetings-attendance")


def test_meetings_pages_fit_a_phone(demo_site, phone, screenshot):
    log_in(phone, demo_site, "coordinator@demo.example.org")
    phone.goto(demo_site + "/meetings/")
    assert fits_the_screen(phone, slack=1)
    screenshot(phone, "meetings-mine-390")
    phone.goto(demo_site + "/meetings/chapter/new-york-city/")
    phone.get_by_role("link", name="Record attendance").first.click()
    phone.wait_for_url("**/attendance/")
    assert fits_the_screen(phone, slack=1)
    screenshot(phone, "meetings-attendance-390")
