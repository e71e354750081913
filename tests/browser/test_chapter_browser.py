"""Journeys 2 and 3 on the demo organization: a new member finds the chapter near them and asks
to join, its coordinator accepts and writes the local vision; another member starts a forming
chapter and a nearby member sees the invitation."""

import re
from collections import Counter

import pytest

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.chapters.selectors import distance_km, members_unaffiliated
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.places.models import Place
from tests.browser.conftest import fits_the_screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and private passphrase"
BROOKLYN = 5110302


def member(email, name, place: Place) -> Member:
    return Member.objects.create_user(email, PASSWORD, display_name=name, place=place,
                                      languages=["en"], willing_to_meet=True)


def log_out(page):
    page.get_by_role("button", name=re.compile("Log out")).click()


def test_a_new_member_joins_the_chapter_near_them(demo_site, page, screenshot):
    member("erin@example.org", "Erin", Place.objects.from_gazetteer(BROOKLYN))
    log_in(page, demo_site, "erin@example.org", PASSWORD)
    page.goto(demo_site + "/chapters/")
    nyc = page.locator("#near-new-york-city")
    assert "km away, in New York City" in nyc.inner_text()
    assert "qualifying" in nyc.inner_text()
    assert re.search(r"\d+ members? without a chapter", page.locator("#unaffiliated-count")
                     .inner_text())
    screenshot(page, "chapters-near-me")
    nyc.get_by_role("button", name="Ask to join New York City").click()
    assert "You asked to join New York City" in page.locator(".messages").inner_text()
    log_out(page)

    log_in(page, demo_site, "coordinator@demo.example.org")
    page.goto(demo_site + "/chapters/new-york-city/")
    page.get_by_role("link", name="1 join request waiting").click()
    screenshot(page, "join-requests")
    page.get_by_role("button", name="Accept Erin").click()
    assert "Erin is now a member" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Back to New York City").click()
    assert "Month by month" in page.locator("#verdict").locator("..").inner_text()
    page.get_by_role("link", name="Edit the local vision").click()
    page.get_by_label("Our local vision").fill(
        "Five boroughs, one chapter for now.\n\n<b>Tenant organizing</b> first.")
    page.get_by_role("button", name="Save").click()
    assert "The local vision is saved" in page.locator(".messages").inner_text()
    log_out(page)

    log_in(page, demo_site, "erin@example.org", PASSWORD)
    page.goto(demo_site + "/chapters/new-york-city/")
    main = page.locator("main").inner_text()
    assert "You are a member" in main
    assert "<b>Tenant organizing</b> first." in page.locator(".vision").inner_text()
    assert "Last edited by" in main
    assert "Month by month" not in main  # the summary only, for members
    screenshot(page, "chapter-page")
    # Members see the roster, a hundred names a page, by name: Erin is on one of its pages.
    rosters = [page.locator(".roster").inner_text()]
    while "Erin" not in rosters[-1] and len(rosters) < 5:
        page.locator("nav.pages").get_by_role("link", name="Next").click()
        page.wait_for_load_state()
        rosters.append(page.locator(".roster").inner_text())
    assert any("Erin" in roster for roster in rosters)


def test_a_member_starts_a_chapter_and_a_neighbour_sees_the_invitation(demo_site, page,
                                                                        screenshot):
    on = Organization.objects.current().today
    chapters = list(Chapter.objects.select_related("place"))
    free = (members_unaffiliated(Member.objects.all(), on).filter(willing_to_meet=True)
            .select_related("place"))
    counts = Counter(m.place for m in free
                     if all(distance_km(m.place, c.place) > 80 for c in chapters))
    home, _count = counts.most_common(1)[0]
    member("finn@example.org", "Finn", home)
    log_in(page, demo_site, "finn@example.org", PASSWORD)
    page.goto(demo_site + "/chapters/")
    assert "No chapter's area reaches your city yet" in page.locator("main").inner_text()
    page.get_by_label("Chapter name").fill(f"{home.name} Commons")
    page.get_by_label("How far do members travel to meetings?").select_option("25")
    page.get_by_label("Invite the members without a chapter in this area").check()
    page.get_by_role("button", name="Start the chapter").click()
    assert page.locator("h1").inner_text() == f"{home.name} Commons"
    assert re.search(r"is forming\. \d+ members? near you (was|were) invited",
                     page.locator(".messages").inner_text())
    screenshot(page, "forming-chapter-started")
    log_out(page)

    invitee = Invitation.objects.filter(chapter__name=f"{home.name} Commons").first().member
    invitee.set_password(PASSWORD)
    invitee.save(update_fields=["password"])
    log_in(page, demo_site, invitee.email, PASSWORD)
    page.goto(demo_site + "/invitations/")
    text = page.locator("main").inner_text()
    assert f"{home.name} Commons" in text
    assert "@" not in text  # no one's email, not even the founder's
    screenshot(page, "invitation")
    page.get_by_role("button", name="Join this chapter").click()
    assert "Welcome to" in page.locator(".messages").inner_text()


def test_the_chapter_page_fits_a_phone(demo_site, phone, screenshot):
    phone.goto(demo_site + "/chapters/new-york-city/")
    assert fits_the_screen(phone)
    screenshot(phone, "chapter-page-phone")
