"""The planner's reads: what the planner page shows, from the latest runs and a few queries
(place names for the candidates, organizer names, sympathetic organizations near clusters of
unaffiliated members, the attendance rate), all as of the organization's today."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet
from django.utils import timezone

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain.reasons import Reason
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Affiliation, Organizer, SympatheticOrganization
from chapterhouse.planner.models import PlanRun, RunStatus
from chapterhouse.planning.geo import FloatArray, km_between, unit_vectors
from chapterhouse.planning.rule import suggested_size

DEFAULT_RADIUS_KM = 25.0  # the form's radius before any run


@dataclass(frozen=True)
class CandidateRow:
    index: int
    place: str
    lat: float
    lon: float
    size: int
    women: int
    max_travel_km: float
    organizer: str | None
    organizer_km: float | None
    starts: str | None
    start_by: str | None
    counts_by_deadline: bool | None
    accepted: str | None  # slug of the chapter made from it
    unassigned: Reason | None  # why no organizer takes it on

    @property
    def women_share(self) -> float:
        return self.women / self.size if self.size else 0.0

    @property
    def out_of_reach(self) -> bool:
        """No organizer reaches it (rather than: none has time before the start-by date)."""
        return self.unassigned is not None and (
            self.unassigned.code == "planner.unreached.out_of_reach")


@dataclass(frozen=True)
class RecruitRow:
    places: list[str]  # the candidates a new organizer there would take on
    chapters: int


def recruit_rows(result: dict[str, Any], rows: list[CandidateRow]) -> list[RecruitRow]:
    return [RecruitRow(places=[rows[i].place for i in r["candidates"]], chapters=r["chapters"])
            for r in result.get("recruits", [])]


@dataclass(frozen=True)
class NearbyGroup:
    organization: SympatheticOrganization
    unaffiliated_nearby: int
    candidates_nearby: int


def candidates_name(candidates: list[dict[str, Any]]) -> None:
    """Give each candidate chapter ("place") its members' most common city, once, when the
    run finishes, rather than on every view of the page."""
    member_ids = {int(i) for c in candidates for i in c["members"]}
    place_of = dict(Member.objects.filter(pk__in=member_ids).values_list("pk", "place__name"))
    for c in candidates:
        places = Counter(place_of.get(int(i)) for i in c["members"])
        c["place"] = places.most_common(1)[0][0] or "?"


def candidate_rows(result: dict[str, Any]) -> list[CandidateRow]:
    candidates = result["new_chapters"]
    if any("place" not in c for c in candidates):  # a run stored before places were named
        candidates_name(candidates)
    organizers = {str(o.pk): o for o in Organizer.objects.select_related("member", "place")}
    distance = {(a["organizer"], a["chapter"]): a["km"] for a in result["assignments"]}
    why = {u["chapter"]: _reason(u["why"]) for u in result["unreached"]}
    rows = []
    for index, c in enumerate(candidates):
        organizer = organizers.get(c["organizer"]) if c["organizer"] else None
        rows.append(CandidateRow(
            index=index,
            place=c["place"],
            lat=c["center"][0], lon=c["center"][1],
            size=c["size"], women=c["women"], max_travel_km=c["max_travel_km"],
            organizer=organizer.member.display_name if organizer else None,
            organizer_km=distance.get((c["organizer"], index)),
            starts=c.get("starts"), start_by=c.get("start_by"),
            counts_by_deadline=c.get("counts_by_deadline"),
            accepted=c.get("accepted"),
            unassigned=why.get(index),
        ))
    return rows


def _reason(stored: Any) -> Reason:
    """A stored reason (its JSON; plain text only if written before the codes)."""
    if isinstance(stored, str):
        return Reason("planner.legacy", {"text": stored})
    return Reason.from_json(stored)


def nearby_groups(result: dict[str, Any] | None, unaffiliated: FloatArray,
                  radius_km: float) -> list[NearbyGroup]:
    """Sympathetic organizations still to affiliate, with the unaffiliated members and
    candidate chapters within the travel radius of each: the ones near clusters come first.

    `unaffiliated` has one row per city: latitude, longitude, members there."""
    open_statuses = [Affiliation.IDENTIFIED, Affiliation.CONTACTED, Affiliation.TALKING]
    groups = list(SympatheticOrganization.objects.filter(status__in=open_statuses)
                  .select_related("place"))
    centres = np.array([c["center"] for c in (result or {}).get("new_chapters", [])]
                       ).reshape(-1, 2)
    member_xyz = unit_vectors(unaffiliated[:, 0], unaffiliated[:, 1])
    centre_xyz = unit_vectors(centres[:, 0], centres[:, 1])
    rows: list[NearbyGroup] = []
    for group in groups:
        here = unit_vectors(group.place.latitude, group.place.longitude)
        within = km_between(here, member_xyz) <= radius_km
        near = int(unaffiliated[within, 2].sum())
        cands = int((km_between(here, centre_xyz) <= radius_km).sum())
        rows.append(NearbyGroup(group, near, cands))
    return sorted(rows, key=lambda r: (-r.unaffiliated_nearby, r.organization.name))


@dataclass(frozen=True)
class AttendanceRate:
    members: int  # chapter members on the day
    came: int  # of them, attended at least once in the months looked at
    months: int
    attendees: int = 5  # the rule's minimum at a meeting

    @property
    def rate(self) -> float | None:
        return self.came / self.members if self.members else None

    @property
    def suggested_size(self) -> int | None:
        return suggested_size(self.rate, self.attendees) if self.rate else None


def attendance_rate(on: datetime.date, months: int = 3, attendees: int = 5) -> AttendanceRate:
    """The share of chapter members who came to a meeting in the last `months` months: to
    expect `attendees` at a meeting, a new group needs about attendees / rate members."""
    since = datetime.datetime.combine(on - datetime.timedelta(days=int(months * 30.44)),
                                      datetime.time.min, tzinfo=datetime.UTC)
    until = datetime.datetime.combine(on, datetime.time.min, tzinfo=datetime.UTC)
    meetings = Meeting.objects.filter(starts_at__gte=since, starts_at__lt=until)
    chapters = Chapter.objects.filter(pk__in=meetings.values("chapter_id"))
    roster = ChapterMembership.objects.current(on).filter(chapter__in=chapters)
    came = (Attendance.objects.filter(meeting__in=meetings,
                                      member_id__in=roster.values("member_id"))
            .values("member_id").distinct().count())
    return AttendanceRate(members=roster.values("member_id").distinct().count(), came=came,
                          months=months, attendees=attendees)


def plan_run_latest() -> PlanRun | None:
    return PlanRun.objects.order_by("-created_at").first()


def plan_runs_done() -> QuerySet[PlanRun]:
    return PlanRun.objects.filter(status=RunStatus.DONE)


def plan_candidate(run: PlanRun, index: int) -> dict[str, Any] | None:
    """Candidate `index` of a finished run, or None if it has no such candidate."""
    candidates = run.result["new_chapters"] if run.result else []
    return candidates[index] if 0 <= index < len(candidates) else None


def unaffiliated_by_city(on: datetime.date) -> list[tuple[float, float, int]]:
    """Active members without a chapter on `on`, counted by city: latitude, longitude, count."""
    rows = (members_unaffiliated(Member.objects.filter(is_active=True, place__isnull=False), on)
            .values("place__latitude", "place__longitude")
            .annotate(n=Count("pk")).order_by())
    return [(r["place__latitude"], r["place__longitude"], r["n"]) for r in rows]


@dataclass(frozen=True)
class PlannerOverview:
    """Everything the planner page shows."""

    latest: PlanRun | None  # the newest run, whatever its state
    run: PlanRun | None  # the run shown: the newest finished one
    stalled: bool  # the newest run is past its lease: no worker has it (docs/tasks.md)
    running: bool  # the newest run is queued or running, with a live lease
    radius_km: float
    min_size: int
    rows: list[CandidateRow]
    splits: list[dict[str, Any]]  # the run's splits, each with the chapter's `name`
    recruits: list[RecruitRow]
    rate: AttendanceRate
    groups: list[NearbyGroup]
    unaffiliated: list[tuple[float, float, int]]  # latitude, longitude, members there
    chapters: list[Chapter] = field(default_factory=list)  # with their places, by name

    @property
    def result(self) -> dict[str, Any] | None:
        return self.run.result if self.run else None

    @property
    def summary(self) -> dict[str, Any] | None:
        result = self.result
        return result["summary"] if result else None


def planner_overview(ctx: Context) -> PlannerOverview:
    """The planner page as of the organization's today: the newest run's state and the newest
    finished plan, with what the page shows beside it."""
    organization = ctx.organization
    on = ctx.today()
    latest = plan_run_latest()
    stalled = latest is not None and latest.is_stalled(timezone.now())  # a lease: machine time
    run = latest if latest and latest.status == RunStatus.DONE else (
        PlanRun.objects.latest_done())
    result = run.result if run else None
    points = unaffiliated_by_city(on)
    radius = run.radius_km if run else DEFAULT_RADIUS_KM
    rows = candidate_rows(result) if result else []
    chapters = list(Chapter.objects.select_related("place").order_by("name"))
    names = {c.slug: c.name for c in chapters}
    splits = [{**split, "name": names.get(split["chapter"], split["chapter"])}
              for split in (result or {}).get("splits", [])]
    return PlannerOverview(
        latest=latest,
        run=run,
        stalled=stalled,
        running=latest is not None and latest.is_active and not stalled,
        radius_km=radius,
        min_size=run.min_size if run else organization.min_attendees,
        rows=rows,
        splits=splits,
        recruits=recruit_rows(result, rows) if result else [],
        rate=attendance_rate(on, organization.qualifying_months, organization.min_attendees),
        groups=nearby_groups(result, np.array(points, dtype=np.float64).reshape(-1, 3), radius),
        unaffiliated=points,
        chapters=chapters,
    )
