"""A seeded demo organization shaped like the letter's (DOMAIN.md), from real geography.

`generate_demo(DemoSpec())` replaces everything in the database with 3,443 members in 90
countries, 8 chapters that qualify on 1 February 2014 on 3 continents, a lapsed one and two
forming ones, about 2,000 unaffiliated members, the 2012 goal set, and two logins. The same spec
always gives the same database: all chance comes from one `random.Random(spec.seed)`.

With `DemoSpec(chapters=K)` the letter's organization is built with part of the members and
demo/scale.py adds the rest and K - 11 more chapters, with their meetings, attendance and stored
month results, in bulk: an organization of the size Chapterhouse must serve.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.coordination.models import Call
from chapterhouse.demo import bulk, scale
from chapterhouse.demo import chapters as demo_chapters
from chapterhouse.demo import organizing as demo_organizing
from chapterhouse.demo import people as demo_people
from chapterhouse.demo import workspace as demo_workspace
from chapterhouse.demo.affiliations import seed_affiliations
from chapterhouse.demo.chapters import PLANS, PlannedMeeting
from chapterhouse.demo.convention import seed_convention
from chapterhouse.demo.decisions import seed_decisions
from chapterhouse.demo.followups import seed_followups
from chapterhouse.demo.health import seed_health
from chapterhouse.demo.inbox import seed_conversations
from chapterhouse.demo.meetings import seed_meetings_and_calls
from chapterhouse.demo.members import seed_second_factor
from chapterhouse.demo.notices import seed_notices
from chapterhouse.demo.people import Draft
from chapterhouse.demo.resources import delete_files_after_commit, seed_resources
from chapterhouse.demo.splits import seed_split
from chapterhouse.goals.models import GoalSet
from chapterhouse.meetings.models import Attendance, ChapterMonth, Meeting
from chapterhouse.meetings.months import chapter_months_refresh
from chapterhouse.meetings.signals import months_suspended
from chapterhouse.members.models import Member, recorded_on
from chapterhouse.organizations import demo_seal
from chapterhouse.organizations.models import DemoSeal, Organization
from chapterhouse.organizing.models import Organizer, SympatheticOrganization
from chapterhouse.places import gazetteer
from chapterhouse.places.models import Place
from chapterhouse.planner.models import PlanRun
from chapterhouse.resources.models import Resource

ADMIN_EMAIL = "admin@demo.example.org"
COORDINATOR_EMAIL = "coordinator@demo.example.org"
DEMO_PASSWORD = "chapterhouse-demo"  # public on purpose: it is a demo  # noqa: S105
BATCH_SIZE = 2000

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class DemoSpec:
    members: int = 3443
    countries: int = 90
    seed: int = 2014
    today: datetime.date = datetime.date(2014, 2, 1)
    founded: datetime.date = datetime.date(2012, 2, 1)
    deadline: datetime.date = datetime.date(2014, 7, 1)
    chapters: int | None = None  # None: the letter's 11; else an organization of this size
    # A plan and forming chapters at every organizing stage (demo/workspace.py): seed_demo's
    # default; off for the tests' shared demo, whose figures are the letter's.
    organizing_stages: bool = False

    def problem(self) -> str | None:
        """Why this spec cannot be built, or None."""
        if self.chapters is not None:
            return scale.shape_problem(self.members, self.chapters)
        if self.members < 1:
            return f"--members must be positive (got {self.members:,})."
        return None


@dataclass(frozen=True, slots=True)
class DemoResult:
    members: int
    countries: int
    chapters: int
    unaffiliated: int
    meetings: int
    attendance: int
    admin_email: str = ADMIN_EMAIL
    coordinator_email: str = COORDINATOR_EMAIL


def generate_demo(spec: DemoSpec, progress: Progress | None = None) -> DemoResult:
    """Replace all members, chapters, meetings, goals and the organization with the demo."""
    if (problem := spec.problem()) is not None:
        raise ValueError(problem)
    full = spec
    if spec.chapters is not None:
        spec = dataclasses.replace(spec, members=scale.letter_members(spec.members))
    rng = random.Random(spec.seed)
    organization = Organization(
        name="International Participatory Society (demo)", founded_on=spec.founded,
        figures_as_of=spec.today, demo_clock=True, dashboard_public=True, min_attendees=5,
        min_women_share=Decimal("0.300"), qualifying_months=3, counted_genders=["woman"],
    )
    drafts, rosters = _draft_everyone(rng, spec)
    meetings = [
        meeting
        for index, plan in enumerate(PLANS)
        for meeting in demo_chapters.plan_meetings(
            rng, index=index, plan=plan, drafts=drafts, roster=rosters[index],
            today=spec.today, rule=organization.rule)
    ]
    report = progress or (lambda done, total: None)
    added = scale.Added()
    # Without the stored months' receivers; the letter's chapters' months are rebuilt from their
    # attendance, the added chapters' written as they are generated, in the same transaction.
    with transaction.atomic(), months_suspended(rebuild=False):
        total = len(drafts) + len(PLANS)
        _clear()
        organization.save()
        GoalSet.objects.create(
            organization=organization, target_members=3500, target_chapters=20,
            target_continents=3, target_women_share=Decimal("0.300"), deadline=spec.deadline,
            adopted_on=datetime.date(2012, 6, 15), source="Member poll, 2012: 712 voters",
        )
        _save_places({d.place_id for d in drafts})
        member_ids = _save_members(drafts, lambda done: report(done, total))
        chapters = _save_chapters(drafts, rosters, member_ids)
        report(len(drafts) + len(PLANS) // 2, total)
        attendance = _save_meetings(meetings, chapters, member_ids)
        demo_organizing.save_organizing(spec.today, COORDINATOR_EMAIL)
        attendance += seed_health(today=spec.today)  # a chapter at risk (issue 13)
        seed_meetings_and_calls(today=spec.today)
        seed_conversations(today=spec.today)
        seed_resources()
        for email in (ADMIN_EMAIL, COORDINATOR_EMAIL):
            persona = Member.objects.get(email=email)
            persona.set_password(DEMO_PASSWORD)
            persona.save(update_fields=["password"])
        seed_second_factor(Member.objects.get(email=ADMIN_EMAIL))  # staff need a second factor
        seed_decisions(today=spec.today, organization=organization)
        seed_notices(COORDINATOR_EMAIL)  # email preferences, digests waiting (issue 13)
        attendance += seed_followups(today=spec.today)  # issue 13, item 2: follow-ups due
        seed_affiliations(today=spec.today, organization=organization)
        seed_split(today=spec.today)  # issue 13: NYC's split into its boroughs, open for vote
        chapter_months_refresh([c.pk for c in chapters], rule=organization.rule)
        if spec.organizing_stages:
            demo_workspace.seed_workspace(spec.today, ADMIN_EMAIL)
        if full.chapters is not None:
            added = scale.add_chapters(
                rng, members=full.members - spec.members, chapters=full.chapters - len(PLANS),
                rule=organization.rule, today=spec.today, founded=spec.founded,
                progress=progress)
        seed_convention(organization=organization)  # issue 14, item 4: delegates, a session
    # Last, after the commit (whose hooks still write: a secret poll's full box is counted into
    # ballots), the seal marks every row so far as the demo's (seed_demo's guard reads it).
    with transaction.atomic():
        DemoSeal.objects.all().delete()
        DemoSeal.objects.create(made=demo_seal.current_marks())
    report(total, total)
    in_chapters = sum(len(r) for r in rosters)
    return DemoResult(
        members=len(drafts) + added.members,
        countries=len({gazetteer.city(d.place_id).country_code for d in drafts}
                      | added.countries),
        chapters=len(PLANS) + added.chapters,
        unaffiliated=len(drafts) - in_chapters + added.unaffiliated,
        meetings=len(meetings) + added.meetings, attendance=attendance + added.attendance,
    )


def _draft_everyone(rng: random.Random, spec: DemoSpec) -> tuple[list[Draft], list[list[int]]]:
    """All members as drafts (rosters first), and each chapter's roster as draft indices."""
    homes = [gazetteer.city(plan.home).country_code for plan in PLANS]
    countries = demo_people.choose_countries(rng, spec.countries, homes)
    last_day = spec.today - datetime.timedelta(days=1)
    drafts: list[Draft] = []
    rosters: list[list[int]] = []
    for index, (plan, size) in enumerate(zip(PLANS, demo_chapters.roster_sizes(spec.members),
                                             strict=True)):
        roster = demo_people.draft_roster(
            rng, chapter=index, places=demo_chapters.home_places(plan), size=size,
            founders=demo_chapters.FOUNDERS, founded_on=demo_chapters.founded_on(plan),
            org_founded=spec.founded, last_day=last_day, home_weight=plan.home_weight,
        )
        rosters.append(list(range(len(drafts), len(drafts) + len(roster))))
        drafts.extend(roster)
    # The letter's author: a founder of NYC and one of its coordinators (founders 0-1 are women).
    coordinator = drafts[rosters[0][2]]
    coordinator.email, coordinator.display_name, coordinator.gender = (
        COORDINATOR_EMAIL, "Jon D.", "man")
    unaffiliated = spec.members - len(drafts) - 1  # one place kept for the admin
    if unaffiliated < 0:
        raise ValueError("Too few members for the demo's chapters.")
    drafts.extend(demo_people.draft_unaffiliated(
        rng, count=unaffiliated, countries=countries, covered=set(homes),
        org_founded=spec.founded, last_day=last_day,
    ))
    drafts.append(Draft(
        place_id=demo_chapters.NEW_YORK_CITY, gender="", joined_on=spec.founded, willing=False,
        languages=["en"], display_name="Admin", email=ADMIN_EMAIL, is_staff=True,
    ))
    demo_people.name_drafts(rng, drafts)
    return drafts, rosters


def _clear() -> None:
    """Delete the previous demo (or anything else; seed_demo's guard decided) and every row
    that refers to it, one statement per table (bulk.py): replacing a million members row by
    row through the ORM's cascade took minutes. Places, the gazetteer's cache, stay."""
    delete_files_after_commit()  # no orphan files: their rows go with the rest
    bulk.empty([PlanRun, Call, Organizer, SympatheticOrganization, Attendance, Meeting,
                ChapterMembership, Chapter, GoalSet, Member, Organization, ChapterMonth,
                Resource])


def _save_places(place_ids: set[int]) -> None:
    # Places are a cache of the gazetteer: keep the ones stored, add the missing.
    stored = set(Place.objects.filter(pk__in=sorted(place_ids)).values_list("pk", flat=True))
    Place.objects.bulk_create(demo_people.place_rows(place_ids - stored), batch_size=BATCH_SIZE)


def _save_members(drafts: list[Draft], progress: Callable[[int], None]) -> list[int]:
    """Create the members in batches; their ids, in draft order."""
    rows = demo_people.member_rows(drafts, make_password(None))
    ids: list[int] = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = Member.objects.bulk_create(rows[start:start + BATCH_SIZE])
        ids.extend(m.pk for m in batch)
        progress(len(ids))
    return ids


def _save_chapters(drafts: list[Draft], rosters: list[list[int]],
                   member_ids: list[int]) -> list[Chapter]:
    chapters = Chapter.objects.bulk_create([
        Chapter(
            name=plan.name, slug=slugify(plan.name), place_id=plan.home,
            radius_km=demo_chapters.RADIUS_KM, origin=plan.origin,
            affiliated_from=plan.affiliated_from, founded_on=demo_chapters.founded_on(plan),
            description=f"Meets monthly: {plan.venue}.",
        )
        for plan in PLANS
    ])
    memberships: list[ChapterMembership] = []
    coordinators: list[Any] = []  # rows of the coordinators' through table
    through = Chapter.coordinators.through
    for chapter, plan, roster in zip(chapters, PLANS, rosters, strict=True):
        for i in roster:
            memberships.append(ChapterMembership(
                chapter=chapter, member_id=member_ids[i], joined_on=drafts[i].chapter_day,
                created_at=recorded_on(drafts[i].chapter_day)))
        founders = [i for i in roster if drafts[i].founder]
        if plan is PLANS[0]:  # the coordinator persona coordinates NYC
            founders.sort(key=lambda i: drafts[i].email != COORDINATOR_EMAIL)
        coordinators.extend(through(chapter_id=chapter.pk, member_id=member_ids[i])
                            for i in founders[:plan.coordinators])
    ChapterMembership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    through.objects.bulk_create(coordinators)
    return chapters


def _save_meetings(planned: list[PlannedMeeting], chapters: list[Chapter],
                   member_ids: list[int]) -> int:
    """Create the meetings and their attendance; the number of attendance records."""
    meetings = Meeting.objects.bulk_create([
        Meeting(chapter=chapters[m.chapter], starts_at=m.starts_at, venue=m.venue)
        for m in planned
    ], batch_size=BATCH_SIZE)
    rows = [Attendance(meeting=meeting, member_id=member_ids[i])
            for meeting, m in zip(meetings, planned, strict=True) for i in m.attendees]
    Attendance.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)
