"""An organizer logs in, makes a plan, sees it on an offline map, and starts a chapter."""

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organizer_plans_and_starts_a_chapter(demo_site, page, screenshot):
    log_in(page, demo_site, "coordinator@demo.example.org")
    page.get_by_role("link", name="Planner").click()
    page.get_by_role("button", name="Make a plan").click()
    assert "projected at the deadline" in page.locator("#summary").locator("..").inner_text()
    # No tile server here: the map still draws chapters, members and candidate circles.
    page.wait_for_selector("#planner-map path.leaflet-interactive")
    assert page.locator("#planner-map path.leaflet-interactive").count() > 20
    assert page.locator("#planner-map img.leaflet-tile").count() == 0
    screenshot(page, "planner")

    first = page.locator("tr[id^=candidate-]").first
    place = first.locator("td").nth(1).inner_text()
    first.get_by_role("button", name="Start it").click()
    assert page.locator("h1").inner_text() == place
    assert "is forming" in page.locator(".messages").inner_text()
    screenshot(page, "forming-chapter")
