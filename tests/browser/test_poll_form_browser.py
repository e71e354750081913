"""The poll form at phone width in German: no sideways scroll, and only the fields of the
chosen kind (the level's rows follow the level with the page's small script)."""

import pytest

from chapterhouse.decisions.models import Kind
from tests.browser.conftest import fits_the_screen
from tests.browser.conftest import log_in as log_in_through_the_pages
from tests.conftest import PASSWORD
from tests.decisions.conftest import make_poll

pytestmark = [pytest.mark.browser, pytest.mark.browser_own_data,
              pytest.mark.django_db(transaction=True)]

WIDEST = """() => [...document.querySelectorAll('main *')]
  .map(e => [e.getBoundingClientRect().right, e.tagName + '#' + e.id + '.' + e.className
             + ' ' + (e.textContent || '').slice(0, 40)])
  .filter(([right]) => right > window.innerWidth).slice(0, 8)"""


def log_in_in_german(page, live_server) -> None:
    log_in_through_the_pages(page, live_server.url, "alice@example.org", PASSWORD)
    page.context.add_cookies([{"name": "django_language", "value": "de",
                               "url": live_server.url}])


@pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.PROPOSAL, Kind.SCORE])
def test_the_german_poll_form_fits_a_phone(live_server, phone, screenshot, springfield, alice,
                                          kind):
    page = phone
    log_in_in_german(page, live_server)
    page.goto(live_server.url + "/decisions/new/")
    assert fits_the_screen(page), page.evaluate(WIDEST)
    screenshot(page, "poll-form-kinds-de-390")
    page.locator(f"input[name=kind][value={kind}]").check()
    page.locator("form.poll-kinds button").click()
    page.wait_for_load_state("load")
    assert fits_the_screen(page), page.evaluate(WIDEST)
    screenshot(page, f"poll-form-{kind}-de-390")
    names = set(page.eval_on_selector_all("form.stacked [name]", "els => els.map(e => e.name)"))
    assert ("pass_threshold" in names) == (kind == Kind.PROPOSAL)
    assert ("options" in names) == (kind != Kind.PROPOSAL)
    assert ("max_score" in names) == (kind == Kind.SCORE)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, f"poll-form-{kind}-de-1280")


def test_the_german_poll_page_fits_a_phone(live_server, phone, screenshot, organization,
                                          springfield, alice):
    poll = make_poll(organization, kind=Kind.PROPOSAL, chapter=springfield,
                     title="Sollen wir die Mitgliederversammlungsgeschäftsordnung ändern?")
    page = phone
    log_in_in_german(page, live_server)
    page.goto(live_server.url + f"/decisions/{poll.pk}/")
    assert fits_the_screen(page), page.evaluate(WIDEST)
    screenshot(page, "poll-detail-de-390")
