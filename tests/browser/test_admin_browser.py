"""The New York City chapter's admin page in a browser (issue 10, item 8): it held 306
drop-down lists and took 9.7 s; now its 300 memberships are a count and a link to their own
paginated list."""

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.demo.seeding import ADMIN_EMAIL
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_open_the_nyc_chapter_and_its_memberships(demo_site, page, screenshot):
    nyc = Chapter.objects.get(name="New York City")
    log_in(page, demo_site, ADMIN_EMAIL)
    page.goto(f"{demo_site}/admin/chapters/chapter/{nyc.pk}/change/")
    assert page.locator("select").count() < 10
    memberships = page.locator(".field-memberships_link")
    assert "300 current" in memberships.inner_text()
    screenshot(page, "admin-chapter-nyc")
    memberships.get_by_role("link", name="View them").click()
    page.wait_for_load_state()
    assert "chapter__id__exact" in page.url
    assert page.locator("#result_list tbody tr").count() == 100  # a page at a time
    assert "New York City" in page.locator("#result_list").inner_text()
