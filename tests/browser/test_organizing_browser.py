"""From a plan to a qualifying chapter (issue 13's acceptance journey), on the demo clock:
staff start a candidate the plan matched to nobody and choose its organizer; the organizer's
workspace shows it invited; the invitees accept; the organizer schedules its first meeting;
attendance is recorded month after month (through the services, the clock moved forward);
the workspace and the dashboard's stage counts show it qualifying."""

import datetime

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.browser_own_data,
              pytest.mark.django_db(transaction=True)]

ORGANIZER = "coordinator@demo.example.org"  # the letter's author, an organizer in NYC


@pytest.fixture
def organizing_site(live_server, settings, tmp_path):
    """The demo with its plan and forming chapters at every stage (seed_demo's default)."""
    from chapterhouse.demo.seeding import DemoSpec, generate_demo

    settings.MEDIA_ROOT = tmp_path
    generate_demo(DemoSpec(organizing_stages=True))
    return live_server.url


def move_clock(day: datetime.date) -> None:
    from chapterhouse.organizations.models import Organization

    Organization.objects.update(figures_as_of=day)


def stage_of(page, site: str, chapter_name: str) -> str:
    page.goto(site + "/organizing/")
    row = page.locator("tr.work-row", has=page.get_by_role("link", name=chapter_name))
    return row.get_attribute("data-stage")


def test_a_candidate_goes_from_the_plan_to_qualifying(organizing_site, page, browser,
                                                      screenshot):
    from chapterhouse.chapters.models import Chapter
    from chapterhouse.chapters.services import invitation_answer
    from chapterhouse.context import context_for
    from chapterhouse.meetings.services import attendance_record, meeting_schedule
    from chapterhouse.members.models import Member

    site = organizing_site
    organizer = Member.objects.get(email=ORGANIZER)

    # Staff start a candidate the plan matched to nobody, choosing who carries it.
    log_in(page, site, "admin@demo.example.org")
    page.goto(site + "/planner/")
    row = page.locator("tr[id^=candidate-]", has=page.locator("select[name=organizer]")).first
    row.locator("select[name=organizer]").select_option(label=organizer.display_name)
    row.get_by_role("button", name="Start it").click()
    assert "carried by " + organizer.display_name in page.locator(".messages").inner_text()
    chapter = Chapter.objects.get(slug=page.url.rstrip("/").rsplit("/", 1)[1])
    assert chapter.organizer.member == organizer
    assert not chapter.coordinators.exists()  # staff clicked; nobody became coordinator

    # The organizer's workspace shows it invited.
    them = browser.new_context(viewport={"width": 390, "height": 844})
    mine = them.new_page()
    log_in(mine, site, ORGANIZER)
    assert stage_of(mine, site, chapter.name) == "invited"
    screenshot(mine, "organizing-invited")

    # The invitees accept; the organizer schedules the first meeting on the site.
    for invitation in chapter.invitations.select_related("member"):
        invitation_answer(context_for(invitation.member), invitation=invitation, accept=True)
    mine.goto(site + f"/meetings/chapter/{chapter.slug}/schedule/")
    mine.get_by_label("Date").fill("2014-02-12")
    mine.get_by_label("Starts at").fill("19:00")
    mine.get_by_role("button", name="Schedule").click()
    assert "scheduled" in mine.locator(".messages").inner_text()

    # Attendance month after month: the clock moves forward and the organizer records it.
    members = list(Member.objects.filter(chapter_memberships__chapter=chapter))
    move_clock(datetime.date(2014, 2, 13))
    ctx = context_for(organizer)  # a context reads the clock when it is made
    attendance_record(ctx, meeting=chapter.meetings.get(), members=members)
    assert stage_of(mine, site, chapter.name) == "first_meeting"
    later = [meeting_schedule(ctx, chapter=chapter, first_day=datetime.date(2014, month, 12),
                              start_time=datetime.time(19))[0] for month in (3, 4)]
    move_clock(datetime.date(2014, 5, 1))
    for meeting in later:
        attendance_record(context_for(organizer), meeting=meeting, members=members)
    assert stage_of(mine, site, chapter.name) == "qualifying"
    screenshot(mine, "organizing-qualifying")

    # The dashboard counts it among the qualifying candidates (the demo's other qualifying
    # one met last in January: by May it has lapsed).
    mine.goto(site + "/")
    counts = mine.locator("#dashboard-stage-counts")
    assert counts.locator("li[data-stage=qualifying] strong").inner_text() == "1"
    them.close()
