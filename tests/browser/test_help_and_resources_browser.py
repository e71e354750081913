"""Journeys 6 and 7 on the demo organization: a member offers help on the board, the asker
reads the offer; a visitor browses the resources and downloads the first-meeting guide."""

from pathlib import Path

import pytest

from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.members.models import Member
from chapterhouse.places.models import Place
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long and private passphrase"
BOSTON = 4930956


def test_a_member_offers_help_and_the_asker_reads_it(demo_site, page, browser, screenshot):
    Member.objects.create_user("helper@example.org", PASSWORD, display_name="Helper H.",
                               place=Place.objects.from_gazetteer(BOSTON), languages=["en"])
    need = Need.objects.get(title__startswith="Someone in Boston")
    log_in(page, demo_site, "helper@example.org", PASSWORD)
    page.get_by_role("link", name="Ask for help").click()
    page.get_by_label("Region").select_option("NA")
    page.get_by_role("button", name="Filter").click()
    assert page.locator(f"#need-{need.pk}").is_visible()
    assert page.locator("article.card").count() == 1  # Vienna's and São Paulo's are elsewhere
    screenshot(page, "help-board")
    page.locator(f"#need-{need.pk} a").click()
    page.get_by_label("Your offer").fill("I started Boston's reading group; happy to come.")
    page.get_by_role("button", name="Offer help").click()
    assert "will see your offer" in page.locator(".messages").inner_text()
    assert Offer.objects.filter(need=need, member__email="helper@example.org").exists()

    asker = browser.new_context().new_page()
    log_in(asker, demo_site, "coordinator@demo.example.org")
    asker.goto(demo_site + f"/help/{need.pk}/")
    assert "happy to come" in asker.locator("#offers").locator("..").inner_text()
    screenshot(asker, "help-need-offers")


def test_a_visitor_finds_a_flyer_in_spanish_and_opens_the_guide(demo_site, page, screenshot):
    page.goto(demo_site + "/resources/")
    page.locator("form.filters").get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Filter").click()
    titles = page.locator("article.card h2").all_inner_texts()
    assert titles == ["Volante: empieza un capítulo cerca de ti"]
    page.goto(demo_site + "/resources/")
    screenshot(page, "resources")
    with page.expect_download() as download:  # files are downloaded, never shown on the site
        page.get_by_role("link", name="Your first chapter meeting: a one-page guide").click()
    assert download.value.suggested_filename == "first-meeting-guide.md"
    assert "Pick a public place" in Path(download.value.path()).read_text()
