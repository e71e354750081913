"""Chapters near a member, with their next meeting and verdict (members without a chapter
around a place: chapters/selectors.py).

Distances are great-circle distances between gazetteer cities (a member's city, a chapter's
home place); a chapter is within reach when the member's city lies inside its radius_km.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import (
    chapter_ids_asked,
    chapter_ids_of,
    unaffiliated_near_count,
)
from chapterhouse.domain.distance import great_circle_km
from chapterhouse.domain.qualification import Rule, Verdict
from chapterhouse.meetings.models import Meeting
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.places.models import Place
from chapterhouse.verdicts.selectors import chapter_verdicts

NEAREST_WHEN_NONE = 3  # with no chapter in reach, show this many of the nearest
NEAR_SHOWN = 50  # chapters within reach listed at most, nearest first


@dataclass(frozen=True, slots=True)
class NearbyChapter:
    chapter: Chapter
    distance_km: float
    within_reach: bool
    next_meeting: datetime.datetime | None
    verdict: Verdict


def chapters_near(place: Place, *, rule: Rule, on: datetime.date, now: datetime.datetime
                  ) -> list[NearbyChapter]:
    """Chapters whose area covers this city, nearest first (at most NEAR_SHOWN); if there are
    none, the few nearest chapters anywhere (marked not within reach). A constant number of
    queries: every chapter's coordinates and radius as values (ten thousand small rows at the
    size served, no model instance), then only the chapters shown."""
    every = Chapter.objects.values_list("pk", "name", "radius_km", "place__latitude",
                                        "place__longitude")
    by_distance = sorted((great_circle_km(place.latitude, place.longitude, lat, lon), name,
                          pk, radius) for pk, name, radius, lat, lon in every)
    shown = [(d, pk) for d, _name, pk, radius in by_distance if d <= radius][:NEAR_SHOWN]
    if not shown:
        shown = [(d, pk) for d, _name, pk, _radius in by_distance[:NEAREST_WHEN_NONE]]
    chapters = Chapter.objects.select_related("place").in_bulk([pk for _d, pk in shown])
    picked = [chapters[pk] for _d, pk in shown]
    upcoming = dict(
        Meeting.objects.held().filter(chapter__in=picked, starts_at__gte=now)
        .values("chapter_id").annotate(first=Min("starts_at")).values_list("chapter_id", "first")
    )
    verdicts = chapter_verdicts(picked, rule=rule, on=on)
    return [NearbyChapter(c, d, d <= c.radius_km, upcoming.get(c.pk), verdicts[c.pk])
            for (d, _pk), c in zip(shown, picked, strict=True)]


@dataclass(frozen=True)
class NearMe:
    """The "chapters near you" page of a member with a city."""

    nearby: list[NearbyChapter]
    unaffiliated: int  # members without a chapter within `radius_km` (a count, never who)
    member_chapters: set[int]
    requested: set[int]  # chapters the member asked to join


def chapters_near_me(ctx: Context, member: Member, *, radius_km: int) -> NearMe:
    on, place = ctx.organization.today, member.place  # the figures' date
    if place is None:
        return NearMe([], 0, set(), set())
    return NearMe(
        nearby=chapters_near(place, rule=ctx.organization.rule, on=on, now=ctx.now()),
        unaffiliated=unaffiliated_near_count(place, radius_km=radius_km, on=on,
                                             exclude=member),
        member_chapters=chapter_ids_of(member, on=on),
        requested=chapter_ids_asked(member),
    )
