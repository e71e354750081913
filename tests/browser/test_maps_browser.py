"""The maps read without configuration (issue 14, item 3): country outlines drawn from the
site's own static file on the dashboard, "chapters near you", a chapter's page and the
planner, with no tile and no request anywhere but this site, at phone and desk widths."""

import pytest

from tests.browser.conftest import ARTIFACTS, fits_the_screen, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINES = ".leaflet-basemap-pane svg path"


def watch_requests(page, site: str) -> list[str]:
    """Every URL the page asks for, for the test to check they are all this site's."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    return asked


def outlines_drawn(page, block: str) -> int:
    page.wait_for_selector(f"{block} {OUTLINES}", state="attached")
    # Drawn where they belong: Leaflet's SVG covers the whole map (a page style shrinking it
    # to the map's width once left the outlines off-screen while every path existed).
    covers = page.evaluate("""block => {
      const el = document.querySelector(block);
      const map = (el.classList.contains("leaflet-container") ? el
                   : el.querySelector(".leaflet-container")).getBoundingClientRect();
      const svg = document.querySelector(block + " .leaflet-basemap-pane svg")
        .getBoundingClientRect();
      return svg.left <= map.left + 1 && svg.right >= map.right - 1
        && svg.top <= map.top + 1 && svg.bottom >= map.bottom - 1;
    }""", block)
    assert covers, f"the outlines' SVG does not cover {block}"
    return page.locator(f"{block} {OUTLINES}").count()


def map_shot(page, block: str, name: str) -> None:
    """The map alone, beside the whole page's screenshot, to look at its outlines and marks."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(400)  # the fit's animation
    page.locator(block).screenshot(path=str(ARTIFACTS / f"{name}-map.png"))


def shown_numbers(page, block: str) -> set[str]:
    """The candidates' numbers drawn on the map, one by one or in a group's pill ("4·7 +3"
    counts the numbers it names)."""
    found: set[str] = set()
    for label in page.locator(f"{block} .map-number span").all_inner_texts():
        found.update(part for part in label.split(" ")[0].split("·") if part.isdigit())
    return found


def overlapping_discs(page, block: str) -> list[tuple[str, str]]:
    """Pairs of numbered marks that cover each other by more than a quarter of the smaller."""
    return page.evaluate("""block => {
      const marks = [...document.querySelectorAll(block + " .map-number")]
        .map(el => [el.innerText, el.getBoundingClientRect()]);
      const pairs = [];
      for (let i = 0; i < marks.length; i++) {
        for (let j = i + 1; j < marks.length; j++) {
          const [a, r] = marks[i], [b, q] = marks[j];
          const w = Math.min(r.right, q.right) - Math.max(r.left, q.left);
          const h = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
          const smaller = Math.min(r.width * r.height, q.width * q.height);
          if (w > 0 && h > 0 && w * h > smaller / 4) { pairs.push([a, b]); }
        }
      }
      return pairs;
    }""", block)


def elsewhere(asked: list[str], site: str) -> list[str]:
    return [url for url in asked if not (url.startswith(site + "/") or url.startswith("data:"))]


def test_the_maps_draw_country_outlines_and_ask_nothing_of_another_server(
        demo_site, page, phone, screenshot):
    asked = watch_requests(page, demo_site)
    log_in(page, demo_site, "coordinator@demo.example.org")  # coordinates and organizes

    # The planner first: its plan's candidates then appear, numbered, on the dashboard too.
    page.goto(demo_site + "/planner/")
    page.get_by_role("button", name="Make a plan").click()
    assert outlines_drawn(page, "#planner-map") > 150  # 177 countries and territories
    page.wait_for_selector("#planner-map .map-number")
    assert page.locator("#planner-map .map-number span").first.inner_text().isdigit()
    screenshot(page, "maps-planner-1280")
    map_shot(page, "#planner-map", "maps-planner-1280")

    page.goto(demo_site + "/")
    page.wait_for_selector("#dashboard-map.map-ready")
    assert outlines_drawn(page, "#dashboard-map") > 150
    dashboard = page.locator("#dashboard-map")
    assert dashboard.locator(".map-chapter").count() >= 10  # every demo chapter
    assert dashboard.locator(".map-number").count() >= 1  # the plan's candidates, numbered
    assert "1" in shown_numbers(page, "#dashboard-map")
    # Unaffiliated members by city, with the small-count rule said beside the map.
    assert "so that no mark points at a person" in dashboard.locator("[data-map-rule]").inner_text()
    assert dashboard.locator("[data-legend=candidates]").is_visible()
    # The text alternative lists the chapters as links.
    dashboard.locator("summary", has_text="The map as a list").click()
    assert dashboard.locator("[data-map-list] table").first.locator("a").count() >= 10
    screenshot(page, "maps-dashboard-1280")
    map_shot(page, "#dashboard-map", "maps-dashboard-1280")

    page.goto(demo_site + "/chapters/")
    page.wait_for_selector("#near-map.map-ready")
    assert outlines_drawn(page, "#near-map") > 150
    assert page.locator("#near-map [data-legend=you]").is_visible()
    screenshot(page, "maps-near-1280")
    map_shot(page, "#near-map", "maps-near-1280")

    page.get_by_role("link", name="New York City").first.click()
    page.wait_for_selector("#chapter-map.map-ready")
    assert outlines_drawn(page, "#chapter-map") > 150
    assert page.locator("#chapter-map [data-legend=area]").is_visible()
    screenshot(page, "maps-chapter-1280")
    map_shot(page, "#chapter-map", "maps-chapter-1280")

    assert not any("tile" in url for url in asked)
    assert elsewhere(asked, demo_site) == []

    # On a phone: the same maps, and no page scrolls sideways.
    phone_asked = watch_requests(phone, demo_site)
    log_in(phone, demo_site, "coordinator@demo.example.org")
    for path, block, name in (("/", "#dashboard-map", "dashboard"),
                              ("/chapters/", "#near-map", "near"),
                              ("/chapters/new-york-city/", "#chapter-map", "chapter"),
                              ("/planner/", "#planner-map", "planner")):
        phone.goto(demo_site + path)
        assert outlines_drawn(phone, block) > 150
        assert fits_the_screen(phone), path
        if path == "/":
            # At world zoom on a phone, candidates close together share one pill naming their
            # numbers: no disc hides another, and every number of the plan is still shown.
            phone.wait_for_selector("#dashboard-map.map-ready")
            assert overlapping_discs(phone, block) == []
            assert shown_numbers(phone, block) >= {"1", "2", "3"}
        phone.locator(block).scroll_into_view_if_needed()
        screenshot(phone, f"maps-{name}-390")
        map_shot(phone, block, f"maps-{name}-390")
    assert elsewhere(phone_asked, demo_site) == []


def test_a_visitor_sees_the_chapters_on_the_map_and_no_count_of_members(demo_site, page):
    asked = watch_requests(page, demo_site)
    page.goto(demo_site + "/")
    page.wait_for_selector("#dashboard-map.map-ready")
    assert outlines_drawn(page, "#dashboard-map") > 150
    block = page.locator("#dashboard-map")
    assert block.locator(".map-chapter").count() >= 10
    assert block.locator(".map-number").count() == 0
    assert not block.locator("[data-legend=members]").is_visible()
    assert not block.locator("[data-map-rule]").is_visible()
    assert elsewhere(asked, demo_site) == []
