"""Under the strict Content-Security-Policy, the main pages work and the browser reports no
violation: for a visitor, a coordinator (attendance filter, profile's city search, planner map)
and staff (the admin)."""

import datetime

import pytest

from chapterhouse.decisions.models import Level, Poll
from chapterhouse.demo.seeding import DemoSpec
from chapterhouse.meetings.models import Meeting
from chapterhouse.members.models import Member
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIOLATION = "Content Security Policy"


@pytest.fixture
def console(page):
    """Every console message and page error the browser reports."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
    return messages


def visit(page, site: str, path: str) -> None:
    response = page.goto(site + path)
    assert response.status < 400, path
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy, path
    assert "unsafe-inline" not in policy, path


def test_the_main_pages_run_under_the_policy_without_a_violation(demo_site, page, console,
                                                                   browser):
    for path in ("/", "/resources/", "/members/join/", "/members/password-reset/"):
        visit(page, demo_site, path)
    page.get_by_label("Email").fill("someone@example.org")  # a form still works

    coordinator = Member.objects.get(email="coordinator@demo.example.org")
    chapter = coordinator.coordinated_chapters.first()
    today = datetime.datetime.combine(DemoSpec().today, datetime.time(), datetime.UTC)
    past = Meeting.objects.filter(chapter=chapter, starts_at__lt=today).latest("starts_at")
    log_in(page, demo_site, coordinator.email)
    for path in ("/chapters/", f"/chapters/{chapter.slug}/", "/meetings/",
                 f"/meetings/chapter/{chapter.slug}/", "/decisions/", "/calls/", "/help/",
                 "/invitations/"):
        visit(page, demo_site, path)
    if poll := Poll.objects.filter(level=Level.ORGANIZATION).first():  # one they may open
        visit(page, demo_site, f"/decisions/{poll.pk}/")

    # The attendance screen's name filter (a static script, no longer inline) still works.
    visit(page, demo_site, f"/meetings/{past.pk}/attendance/")
    names = page.locator("fieldset.attendees li")
    page.get_by_label("Find a name").fill("zzzz-nobody")
    assert names.count() > 0
    assert all(not item.is_visible() for item in names.all())

    # The profile's city search (a static script) fills the list of cities.
    visit(page, demo_site, "/members/profile/")
    page.locator("[data-city-search]").fill("Vienn")
    page.locator("#city-options option").first.wait_for(state="attached")

    # The planner's map: Leaflet draws markers and circles.
    visit(page, demo_site, "/planner/")
    page.get_by_role("button", name="Make a plan").click()
    page.wait_for_selector("#planner-map path.leaflet-interactive")

    staff = browser.new_context().new_page()
    staff.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    staff.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    log_in(staff, demo_site, "admin@demo.example.org")
    for path in ("/planner/", "/resources/add/", "/admin/", "/admin/members/member/",
                 "/admin/resources/resource/add/", "/admin/chapters/chapter/",
                 f"/admin/chapters/chapter/{chapter.pk}/change/", "/admin/meetings/meeting/",
                 f"/admin/meetings/meeting/{past.pk}/change/"):
        visit(staff, demo_site, path)
    staff.locator(".datetimeshortcuts a").first.wait_for()  # the admin's scripts ran

    violations = [m for m in console if VIOLATION in m or "pageerror" in m]
    assert violations == []
