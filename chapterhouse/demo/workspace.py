"""The demo's organizing workspace (issue 13): a finished plan over the demo's members, and
forming chapters started from its candidates, carried by the demo's organizers, two at each
stage the workspace computes (domain/stages.py): invited (one late: no first meeting after six
weeks), first meeting held (one late: met in December only), meeting monthly, qualifying and
lapsed; the other candidates stay candidates, those inside an existing chapter's area shown as
its growth. The stages are never written: each chapter is given the history that puts it
there, and the workspace reads them back from the data.

The plan groups members within 50 km (the demo's unaffiliated members are spread over 90
countries: at 25 km only six groups lie outside the existing chapters' areas, too few for two at
each stage; at 50 km thirteen do, and a few are left for staff to "Start it", choosing the
organizer, as tests/browser/test_organizing_browser.py does).

The chapters are started as the site starts them ("Start it" by staff, choosing the organizer
when the plan matched none), then moved back in time: founded earlier, their invitations
accepted, meetings held with attendance in past months. Members' ids only; nobody is named.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    Invitation,
    InvitationStatus,
)
from chapterhouse.chapters.selectors import chapters_covering
from chapterhouse.context import context_for
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.meetings.months import chapter_months_refresh
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.models import Organizer
from chapterhouse.planner.models import PlanCandidate, PlanRun
from chapterhouse.planner.services import (
    plan_candidate_start,
    plan_run_claim,
    plan_run_execute,
    system_context,
)


@dataclass(frozen=True)
class Recipe:
    stage: str
    founded_days_ago: int
    meetings: tuple[int, ...]  # months before today's month with a meeting (1: last month)
    attendees: int | None  # how many of its members came to each (None: all)


# Two chapters at each stage after "candidate" (today is the demo's 2014-02-01). Those the
# rule must pass (everyone comes to each meeting) go to groups with enough women.
RECIPES = (
    Recipe("lapsed", 240, (7, 6, 5), None),  # qualified Jul-Sep 2013, then stopped
    Recipe("lapsed", 300, (9, 8, 7, 6), None),  # qualified May-Aug 2013, then stopped
    Recipe("qualifying", 110, (3, 2, 1), None),  # Nov, Dec, Jan: the rule met
    Recipe("qualifying", 140, (4, 3, 2, 1), None),  # Oct to Jan
    Recipe("monthly", 75, (2, 1), 3),  # Dec, Jan, too few to qualify yet
    Recipe("monthly", 100, (3, 2, 1), 4),  # Nov to Jan, still too few
    Recipe("first_meeting", 30, (1,), 4),
    Recipe("first_meeting", 55, (2,), 5),  # late: met in December, not since
    Recipe("invited", 60, (), None),  # late: no first meeting after six weeks
    Recipe("invited", 12, (), None),  # started this month
)
RADIUS_KM = 50.0


def _months_before(today: datetime.date, n: int) -> datetime.date:
    month = today.replace(day=1)
    for _i in range(n):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def seed_workspace(today: datetime.date, staff_email: str) -> PlanRun | None:
    """A plan run and chapters at every stage; None if the plan has too few candidates."""
    run = PlanRun.objects.create(radius_km=RADIUS_KM, min_size=5, members=0,
                                 claimed_until=timezone.now() + datetime.timedelta(hours=1))
    if not plan_run_claim(run=run):
        return None
    plan_run_execute(system_context(), run=run)
    run.refresh_from_db()
    organizers = list(Organizer.objects.active().order_by("pk"))
    if not organizers:
        return run
    ctx = context_for(Member.objects.get(email=staff_email))
    free = [c for c in run.candidates.order_by("index")
            if not c.accepted and not chapters_covering(c.lat, c.lon)]
    rule = Organization.objects.current().rule
    started = []
    for n, recipe in enumerate(RECIPES):
        candidate = _pick(free, strict=recipe.attendees is None and len(recipe.meetings) >= 3,
                          share=float(rule.min_women_share))
        if candidate is None:
            break
        free.remove(candidate)
        organizer = organizers[n % len(organizers)]
        chapter = plan_candidate_start(ctx, run=run, index=candidate.index,
                                       organizer_id=organizer.pk).chapter
        _age(chapter, recipe, today)
        started.append(chapter.pk)
        # A chapter just started covers its area: candidates there are now its growth.
        free = [c for c in free if not chapters_covering(c.lat, c.lon)]
    chapter_months_refresh(started, rule=rule)
    return run


def _pick(free: list[PlanCandidate], *, strict: bool, share: float) -> PlanCandidate | None:
    """The first candidate left; for a chapter the rule must pass, the first whose members who
    can still be invited include enough women."""
    for candidate in free:
        if not strict:
            return candidate
        genders = list(Member.objects.filter(pk__in=[int(i) for i in candidate.members])
                       .values_list("gender", flat=True))
        if len(genders) >= 5 and genders.count("woman") >= share * len(genders):
            return candidate
    return None


def _age(chapter: Chapter, recipe: Recipe, today: datetime.date) -> None:
    founded = today - datetime.timedelta(days=recipe.founded_days_ago)
    Chapter.objects.filter(pk=chapter.pk).update(founded_on=founded)
    invitations = list(Invitation.objects.filter(chapter=chapter))
    if not recipe.meetings and recipe.stage == "invited":
        # Half of them said yes so far.
        invitations = invitations[: len(invitations) // 2]
    Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(
        status=InvitationStatus.ACCEPTED)
    members = [i.member_id for i in invitations]
    ChapterMembership.objects.bulk_create(
        ChapterMembership(chapter=chapter, member_id=pk, joined_on=founded) for pk in members)
    zone = chapter.place.zone
    for months_ago in recipe.meetings:
        day = _months_before(today, months_ago) + datetime.timedelta(days=14)
        starts = datetime.datetime.combine(day, datetime.time(19), tzinfo=zone)
        meeting = Meeting.objects.create(chapter=chapter, starts_at=starts,
                                         title="Monthly meeting", venue="Library")
        came = members if recipe.attendees is None else members[:recipe.attendees]
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member_id=pk) for pk in came)
