"""The convention page on the demo, in a real browser: readiness and the apportionment on a
desktop and a phone, and the demo's coordinator (a delegate) voting in the open session."""

import pytest

from tests.browser.conftest import fits_the_screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_readiness_and_the_apportionment(demo_site, page, screenshot):
    page.goto(demo_site + "/convention/")
    assert "not yet" in page.locator("#ready-chapters").inner_text()
    assert "yes, by" in page.locator("#ready-continents").inner_text()
    rows = page.locator("#apportionment-table tbody tr")
    assert rows.count() >= 5
    assert "Sainte-Laguë" in page.locator("#apportionment-rule").inner_text()
    screenshot(page, "convention")


def test_the_convention_page_fits_a_phone(demo_site, phone, screenshot):
    phone.goto(demo_site + "/convention/")
    assert fits_the_screen(phone)
    screenshot(phone, "convention-phone")


def test_a_delegate_votes_in_the_session(demo_site, page, screenshot):
    log_in(page, demo_site, "coordinator@demo.example.org")
    page.goto(demo_site + "/convention/")
    page.get_by_role("link", name="Adopt the founding statutes").click()
    page.get_by_label("Yes").first.check()
    page.get_by_role("button", name="Vote", exact=True).click()
    assert "Your vote was recorded." in page.content()
    assert "The motion is carried" in page.locator("#session-outcome").inner_text()
    screenshot(page, "convention-session")


def test_staff_change_the_method(demo_site, page, screenshot):
    log_in(page, demo_site, "admin@demo.example.org")
    page.goto(demo_site + "/convention/")
    page.locator("#convention-settings summary").click()
    page.get_by_label("Apportionment method").select_option("huntington-hill")
    screenshot(page, "convention-settings")
    page.get_by_role("button", name="Save the settings").click()
    assert "The convention settings were saved." in page.content()
    assert "Huntington-Hill method" in page.locator("#apportionment-rule").inner_text()
