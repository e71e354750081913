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

    # The candidates matched to this organizer lie inside existing chapters' areas: they are
    # those chapters' growth, not new chapters (issue 13); starting one is in
    # test_organizing_browser.py.
    assert "Growth of" in page.locator("#candidates").locator("..").inner_text()
    assert page.get_by_role("link", name="New York City").count() >= 1
