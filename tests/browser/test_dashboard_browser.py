"""The demo dashboard as a visitor sees it, in a real browser, on a desktop and a phone."""

import pytest

from tests.browser.conftest import fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_letters_figures_and_a_chapters_reasons(demo_site, page,
                                                                     screenshot):
    page.goto(demo_site + "/")
    chapters = page.locator("#goal-chapters td")
    assert chapters.nth(0).inner_text() == "8"
    assert chapters.nth(1).inner_text() == "20"
    assert "2.4 a month" in chapters.nth(3).inner_text()
    assert "0.33 a month" in chapters.nth(4).inner_text()
    assert "(80%: " in chapters.nth(5).inner_text()  # the forecast's interval (issue 14)
    assert page.locator("#forecast-chapters").inner_text().startswith(
        "Chance of reaching 20 qualifying chapters by July 1, 2014: ")
    assert page.locator("#forecast-backtest tbody tr").count() == 4
    screenshot(page, "dashboard")

    lapsed = page.locator("tr.verdict-lapsed").first
    lapsed.locator("summary").click()
    assert "needs 5 attendees" in lapsed.inner_text()


def test_the_dashboard_fits_a_phone_screen(demo_site, phone, screenshot):
    phone.goto(demo_site + "/")
    # Wide tables scroll inside their wrapper; the page itself must not scroll sideways.
    assert fits_the_screen(phone)
    screenshot(phone, "dashboard-phone")
