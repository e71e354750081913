"""What is near a member: chapters within reach, and members without a chapter around them.

Distances are great-circle distances between gazetteer cities (a member's city, a chapter's
home place); a chapter is within reach when the member's city lies inside its radius_km.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.db.models import Min

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.qualification import Rule, Verdict
from chapterhouse.chapters.status import chapter_verdicts
from chapterhouse.meetings.models import Meeting
from chapterhouse.members.models import Member
from chapterhouse.places.distance import EARTH_RADIUS_KM, great_circle_km
from chapterhouse.places.models import Place

NEAREST_WHEN_NONE = 3  # with no chapter in reach, show this many of the nearest


def distance_km(a: Place, b: Place) -> float:
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


@dataclass(frozen=True, slots=True)
class NearbyChapter:
    chapter: Chapter
    distance_km: float
    within_reach: bool
    next_meeting: datetime.datetime | None
    verdict: Verdict


def chapters_near(place: Place, *, rule: Rule, on: datetime.date, now: datetime.datetime
                  ) -> list[NearbyChapter]:
    """Chapters whose area covers this city, nearest first; if there are none, the few nearest
    chapters anywhere (marked not within reach). A constant number of queries."""
    chapters = list(Chapter.objects.select_related("place"))
    by_distance = sorted(((distance_km(place, c.place), c) for c in chapters),
                         key=lambda pair: (pair[0], pair[1].name))
    shown = [(d, c) for d, c in by_distance if d <= c.radius_km]
    if not shown:
        shown = by_distance[:NEAREST_WHEN_NONE]
    picked = [c for _d, c in shown]
    upcoming = dict(
        Meeting.objects.filter(chapter__in=picked, starts_at__gte=now)
        .values("chapter_id").annotate(first=Min("starts_at")).values_list("chapter_id", "first")
    )
    verdicts = chapter_verdicts(picked, rule=rule, on=on)
    return [NearbyChapter(c, d, d <= c.radius_km, upcoming.get(c.pk), verdicts[c.pk])
            for d, c in shown]


def unaffiliated_near(place: Place, *, radius_km: float, on: datetime.date,
                      exclude: Member | None = None) -> list[int]:
    """Ids of members in no chapter, with a confirmed email and willing to meet in person,
    whose city is within the radius, nearest first. One query: a latitude/longitude box in the
    database, the exact distance here."""
    rows = (Member.objects.active().unaffiliated(on)
            .filter(email_confirmed=True, willing_to_meet=True, place__isnull=False)
            .filter(**_box(place, radius_km))
            .values_list("pk", "place__latitude", "place__longitude"))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    near = ((great_circle_km(place.latitude, place.longitude, lat, lon), pk)
            for pk, lat, lon in rows)
    return [pk for km, pk in sorted(near) if km <= radius_km]


def _box(place: Place, radius_km: float) -> dict:
    """A latitude/longitude range that contains the circle (none for longitude near a pole or
    across the date line, where the box would wrap)."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    box: dict = {"place__latitude__range": (place.latitude - dlat, place.latitude + dlat)}
    if abs(place.latitude) + dlat < 89:
        dlon = dlat / math.cos(math.radians(abs(place.latitude) + dlat))
        low, high = place.longitude - dlon, place.longitude + dlon
        if low > -180 and high < 180:
            box["place__longitude__range"] = (low, high)
    return box
