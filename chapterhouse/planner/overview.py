"""What the planner page shows, from a stored run and a few queries: place names for the
candidates, organizer names, sympathetic organizations near clusters of unaffiliated members."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import Affiliation, Organizer, SympatheticOrganization
from chapterhouse.planner.geo import km_between, unit_vectors
from chapterhouse.planner.rule import suggested_size


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
    unassigned_why: str | None  # why no organizer takes it on

    @property
    def women_share(self) -> float:
        return self.women / self.size if self.size else 0.0


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


def name_candidates(candidates: list[dict[str, Any]]) -> None:
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
        name_candidates(candidates)
    organizers = {str(o.pk): o for o in Organizer.objects.select_related("member", "place")}
    distance = {(a["organizer"], a["chapter"]): a["km"] for a in result["assignments"]}
    why = {u["chapter"]: u["why"] for u in result["unreached"]}
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
            unassigned_why=why.get(index),
        ))
    return rows


def nearby_groups(result: dict[str, Any] | None, unaffiliated: np.ndarray,
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
    rows = []
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
