"""The demo dashboard as a visitor sees it, in a real browser, on a desktop and a phone."""

import pytest

from chapterhouse.organizations.demo import DemoSpec, generate_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    generate_demo(DemoSpec())
    return live_server.url


def test_a_visitor_reads_the_letters_figures_and_a_chapters_reasons(demo_site, page,
                                                                     screenshot):
    page.goto(demo_site + "/")
    chapters = page.locator("#goal-chapters td")
    assert chapters.nth(0).inner_text() == "8"
    assert chapters.nth(1).inner_text() == "20"
    assert "2.4 a month" in chapters.nth(3).inner_text()
    assert "0.33 a month" in chapters.nth(4).inner_text()
    assert "about 9–10" in chapters.nth(5).inner_text()
    screenshot(page, "dashboard")

    lapsed = page.locator("tr.verdict-lapsed").first
    lapsed.locator("summary").click()
    assert "needs 5 attendees" in lapsed.inner_text()


def test_the_dashboard_fits_a_phone_screen(demo_site, browser, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(demo_site + "/")
    # Wide tables scroll inside their wrapper; the page itself must not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "dashboard-phone")
    context.close()
