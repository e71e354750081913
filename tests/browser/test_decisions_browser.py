"""A member votes in their chapter's open poll, keeps the receipt, and sees the result after
the close."""

import pytest

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Kind
from chapterhouse.decisions.services import polls_close_due
from tests.browser.conftest import log_in as log_in_through_the_pages
from tests.conftest import PASSWORD
from tests.decisions.conftest import make_poll, quick_member

pytestmark = [pytest.mark.browser, pytest.mark.browser_own_data,
              pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email: str) -> None:
    """Through the pages; staff also type their authenticator's code (tests/browser/conftest)."""
    log_in_through_the_pages(page, live_server.url, email, PASSWORD)


def test_a_member_votes_and_sees_the_result_after_the_close(live_server, page, screenshot,
                                                            organization, springfield, bob):
    poll = make_poll(organization, kind=Kind.RANKED, chapter=springfield,
                     title="Where do we meet next?", options=("Library", "Cafe", "Park"))
    for i, first in enumerate(("Cafe", "Park")):
        voter = quick_member(f"v{i}@example.org", f"Voter {i}", springfield)
        from chapterhouse.decisions.services import ballot_cast
        from tests.decisions.conftest import option_ids
        ballot_cast(context_for(voter), poll=poll, data={"ranking": [option_ids(poll)[first]]})

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, "bob@example.org")
    page.goto(live_server.url + "/decisions/")
    page.get_by_role("link", name="Where do we meet next?").click()
    assert "America/New_York" in page.locator("main").inner_text()
    page.get_by_label("Cafe").select_option("1")
    page.get_by_label("Library").select_option("2")
    screenshot(page, "decisions-ballot")
    page.get_by_role("button", name="Vote").click()
    receipt = page.locator("#receipt").inner_text()
    assert len(receipt) >= 16
    page.get_by_role("link", name="Back to the poll").click()
    assert "You have voted." in page.locator("main").inner_text()
    assert "The result is shown when the poll closes." in page.locator("main").inner_text()

    assert polls_close_due(context_for(),
                           now=poll.closes_at) == 1  # the background job, at closing time
    page.reload()
    text = page.locator("main").inner_text()
    assert "Closed" in text
    assert "Chosen: Cafe" in text
    page.get_by_role("link", name="The count in detail").click()
    assert "Round 1" in page.locator("main").inner_text()
    screenshot(page, "decisions-result")


def test_staff_put_goals_to_the_members_and_voters_see_what_passing_adopts(
        live_server, page, screenshot, organization, alice, charlie):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    log_in(page, live_server, "alice@example.org")
    page.goto(live_server.url + "/decisions/")
    page.get_by_role("link", name="Put goals to the members").click()
    page.get_by_label("Question").fill("Goals for the next convention")
    page.get_by_label("Members").fill("5000")
    page.get_by_label("Qualifying chapters").fill("30")
    page.get_by_label("Continents with a qualifying chapter").fill("4")
    page.get_by_label("Women's participation (%)").fill("35")  # typed as a percentage
    page.get_by_label("Deadline").fill("2031-07-01")
    page.get_by_label("Opens at").fill("2030-03-01T09:00")
    page.get_by_label("Closes at").fill("2030-03-15T09:00")
    screenshot(page, "decisions-goals-form")
    page.get_by_role("button", name="Put the goals to the members").click()
    text = page.locator("main").inner_text()
    assert "The goals were put to the members." in page.content()
    assert "What passing it does" in text
    assert "5,000" in text
    assert "35%" in text
    screenshot(page, "decisions-goals-proposal")
