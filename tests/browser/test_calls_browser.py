"""The organizers' call: every invitee's local time, the rotation, proposing, notes, signing up
and being let in."""

import pytest

from chapterhouse.context import context_for
from chapterhouse.coordination.models import Signup
from chapterhouse.coordination.services import signup_accept
from chapterhouse.demo.meetings import CALL_TITLE
from chapterhouse.members.models import Member
from tests.browser.conftest import fits_the_screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_organizer_runs_the_call_page(demo_site, page, screenshot):
    log_in(page, demo_site, "coordinator@demo.example.org")
    page.goto(demo_site + "/calls/")
    page.get_by_role("link", name=CALL_TITLE).click()
    table = page.locator("table.call-times")
    for zone in ("America/New_York", "Europe/London", "Australia/Melbourne"):
        assert zone in table.inner_text()
    assert page.locator("td.bad").count() > 0
    assert "Nobody gets more than" in page.locator("#rotation").locator("..").inner_text()
    screenshot(page, "call-page")

    page.get_by_label("Date", exact=True).fill("2014-02-20")
    page.get_by_label("Time", exact=True).fill("12:00")
    page.get_by_role("button", name="Add this time").click()
    assert "Candidate time added." in page.locator(".messages").inner_text()
    assert page.locator("table.call-times thead th").count() == 5  # zone + 4 times

    page.get_by_role("textbox", name="Notes").fill("Agenda: first meetings, seeding, the rotation.")
    page.get_by_role("button", name="Save notes").click()
    assert "Notes saved." in page.locator(".messages").inner_text()


def test_a_member_signs_up_sees_the_notes_and_leaves(demo_site, phone, screenshot):
    # A plain member of a chapter, not the organizer and not staff.
    member = Member.objects.filter(chapter_memberships__chapter__name="Vienna",
                                   coordinated_chapters=None, is_staff=False).first()
    member.set_password("chapterhouse-demo")
    member.save(update_fields=["password"])
    log_in(phone, demo_site, member.email)
    phone.goto(demo_site + "/calls/")
    phone.get_by_role("link", name=CALL_TITLE).click()
    phone.get_by_role("button", name="Sign up for this call").click()
    assert "organizer will let you in" in phone.locator(".messages").inner_text()
    # Signing up alone shows no notes (issue 9): the call's organizer lets the member in.
    assert "Agenda for the first call" not in phone.locator("#notes").locator("..").inner_text()
    signup = Signup.objects.select_related("call__organizer").get(member=member)
    signup_accept(context_for(signup.call.organizer), signup=signup)
    phone.reload()
    assert "You are signed up" in phone.content()
    assert "Agenda for the first call" in phone.locator("#notes").locator("..").inner_text()
    assert "Europe/Vienna" in phone.locator("table.call-times").inner_text()
    assert fits_the_screen(phone, slack=1)
    screenshot(phone, "call-page-390")
    phone.get_by_role("button", name="Leave this call").click()
    assert "You have left this call." in phone.locator(".messages").inner_text()
