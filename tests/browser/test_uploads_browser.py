"""Attack 1 of issue 9, in a real browser: an SVG or HTML file with a script is refused at
upload, and one already stored downloads as an inert attachment: no script runs on the site."""

import pytest
from django.core.files.base import ContentFile

from chapterhouse.resources.models import Resource
from tests.browser.conftest import log_in
from tests.resources import samples

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def beacons(page):
    """Requests a planted script would make (it fetches /pwned/)."""
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url)
                    if "pwned" in request.url else None)
    return seen


@pytest.mark.parametrize(("name", "mime", "content"), [
    ("logo.svg", "image/svg+xml", samples.SVG_WITH_SCRIPT),
    ("page.html", "text/html", samples.HTML_WITH_SCRIPT),
])
def test_an_upload_that_could_run_a_script_is_refused(demo_site, page, beacons, name, mime,
                                                      content):
    before = Resource.objects.count()
    log_in(page, demo_site, "admin@demo.example.org")
    page.goto(demo_site + "/resources/add/")
    page.get_by_label("title").fill("Our logo")
    page.get_by_label("type").select_option("flyer")
    page.locator("main").get_by_label("language").select_option("en")
    page.get_by_label("file").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": content}])
    page.get_by_role("button", name="Add").click()
    assert "can run scripts" in page.locator("span.errors").inner_text()
    assert Resource.objects.count() == before
    assert beacons == []


def test_an_svg_stored_before_the_checks_downloads_and_runs_nothing(demo_site, page, beacons):
    resource = Resource(title="Old logo", kind="flyer", language="en")
    resource.file.save("logo.svg", ContentFile(samples.SVG_WITH_SCRIPT), save=False)
    resource.save()
    log_in(page, demo_site, "admin@demo.example.org")  # staff: the attack's target
    page.goto(demo_site + "/resources/")
    title = page.title()
    with page.expect_download() as download:
        page.get_by_role("link", name="Old logo").click()
    assert download.value.suggested_filename == "logo.bin"
    assert page.title() == title != "pwned"
    assert page.url == demo_site + "/resources/"
    # Even loaded as a document (an attacker's link or frame), it is only downloaded.
    with page.expect_download():
        page.evaluate("url => { window.location.href = url; }",
                      f"{demo_site}/resources/{resource.pk}/file/")
    page.wait_for_timeout(300)
    assert page.title() == title
    assert beacons == []
