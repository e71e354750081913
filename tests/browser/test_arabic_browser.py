"""A visitor switches the site to Arabic: translated text, laid out right to left."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_in_arabic_reads_right_to_left(demo_site, page, screenshot):
    page.goto(demo_site + "/")
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Go").click()
    page.wait_for_selector("html[lang=ar]")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    heading = page.locator("h1").inner_text()
    assert heading != "Where we stand"
    assert any("\u0600" <= ch <= "\u06ff" for ch in heading)
    # Right to left: the organization's name sits at the right, the table starts at the right.
    brand = page.locator("header.site .brand").bounding_box()
    assert brand["x"] > 1280 / 2
    first_cell = page.locator("table.goals th").first.bounding_box()
    last_cell = page.locator("table.goals thead th").last.bounding_box()
    assert first_cell["x"] > last_cell["x"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "dashboard-arabic")
