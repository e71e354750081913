"""The history's charts and the public progress image in a real browser: drawn, styled by our
own CSS under the site's Content-Security-Policy, and no sideways scroll on a phone."""

import pytest

from tests.browser.conftest import fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS_DRAWN = """() => [...document.querySelectorAll('.history-charts svg')].map(svg => ({
  dots: svg.querySelectorAll('.dot').length,
  width: svg.getBoundingClientRect().width,
  lineFill: getComputedStyle(svg.querySelector('.series .line')).fill,
  lineStroke: getComputedStyle(svg.querySelector('.series .line')).stroke,
}))"""


def refusals(page) -> list[str]:
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    return found


@pytest.mark.parametrize(("width", "name"), [(1280, "history"), (390, "history-phone")])
def test_the_dashboard_leads_to_a_chart_of_each_goal(demo_site, browser, screenshot, width,
                                                     name):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    refused = refusals(page)
    page.goto(demo_site + "/")
    page.click("#history-link a[href='/history/']")
    page.wait_for_selector(".history-charts svg")
    charts = page.evaluate(CHARTS_DRAWN)
    assert len(charts) == 4
    # A point a month for two years (February 2012 to 2014); the women's share only from
    # the first qualifying chapter on (before, no one to count: gaps).
    assert [chart["dots"] for chart in charts][:3] == [25, 25, 25]
    assert charts[3]["dots"] >= 12
    for chart in charts:
        assert chart["width"] <= width
        assert chart["lineFill"] == "none"  # goals/charts.css applied: a line, not a shape
        assert chart["lineStroke"] == "rgb(31, 92, 153)"
    assert fits_the_screen(page)
    assert refused == []
    page.locator("#history-chapters summary").click()
    # Whitespace aside: on a phone each row reads as a card (site.js labels its cells).
    table = " ".join(page.locator("#history-chapters table").inner_text().split())
    assert "Feb. 1, 2014 8" in table
    screenshot(page, name)
    context.close()


def test_the_progress_image_shows_as_an_image_under_the_csp(demo_site, phone, screenshot):
    refused = refusals(phone)
    phone.goto(demo_site + "/progress/")
    image = phone.locator("img[src='/progress.svg']")
    image.wait_for()
    assert phone.evaluate(
        "() => { const i = document.querySelector(\"img[src='/progress.svg']\");"
        " return i.complete && i.naturalWidth; }") == 360
    assert "8 of 20 qualifying chapters" in phone.locator("#progress-figures").inner_text()
    assert fits_the_screen(phone)
    assert refused == []
    screenshot(phone, "progress-phone")
