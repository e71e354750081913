"""The planner's plain inputs, read from the database (the core never sees the ORM)."""

from __future__ import annotations

import datetime
from collections import Counter

import numpy as np

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.members.models import Member, MemberQuerySet
from chapterhouse.organizing.models import Organizer as OrganizerRecord
from chapterhouse.places.models import Place
from chapterhouse.planning.members_csv import Members
from chapterhouse.planning.organizers import Organizer
from chapterhouse.planning.plan import SplitRequest

MAX_SPLIT_CENTRES = 8  # the split MILP stays small and a proposal stays readable


def plannable_members(on: datetime.date) -> MemberQuerySet:
    """The members a plan on `on` looks at: active, joined by then, with a city."""
    members: MemberQuerySet = Member.objects.filter(is_active=True, joined_on__lte=on,
                                                    place__isnull=False)
    return members


def members_from_db(on: datetime.date) -> Members:
    """Active members with a city: id, point, gender, chapter slug ('' if none), willingness."""
    chapter_of = dict(
        ChapterMembership.objects.current(on).values_list("member_id", "chapter__slug")
    )
    rows = list(
        plannable_members(on).order_by("pk")
        .values_list("pk", "place__latitude", "place__longitude", "gender", "willing_to_meet")
    )
    count = len(rows)
    return Members(
        ids=[str(r[0]) for r in rows],
        lat=np.fromiter((r[1] for r in rows), dtype=np.float64, count=count),
        lon=np.fromiter((r[2] for r in rows), dtype=np.float64, count=count),
        gender=[r[3] or "" for r in rows],
        chapter=[chapter_of.get(r[0], "") for r in rows],
        willing=np.fromiter((r[4] for r in rows), dtype=bool, count=count),
        active_given=np.zeros(count, dtype=bool),
    )


def organizers_from_db() -> list[Organizer]:
    return [
        Organizer(
            id=str(o.pk), lat=o.place.latitude, lon=o.place.longitude,
            hours_per_week=float(o.hours_per_week), months=float(o.months),
            reach_km=float(o.reach_km),
        )
        for o in OrganizerRecord.objects.active().order_by("pk")
    ]


def split_requests_from_db(on: datetime.date, min_size: int) -> list[SplitRequest]:
    """Chapters large enough to split, with their members' own cities as candidate centres.

    New York City's members say Brooklyn, Queens, ... so the boroughs become the centres. A
    centre needs at least `min_size` members living there: a neighbourhood chapter starts from
    people already in that neighbourhood.
    """
    rows = (ChapterMembership.objects.current(on).filter(member__place__isnull=False)
            .values_list("chapter_id", "member__place_id"))
    places_by_chapter: dict[int, Counter[int]] = {}
    for chapter_id, place_id in rows:
        places_by_chapter.setdefault(chapter_id, Counter())[place_id] += 1
    chapters = Chapter.objects.filter(pk__in=places_by_chapter).order_by("name")
    centres_by_chapter: dict[Chapter, list[int]] = {}
    for chapter in chapters:
        places = places_by_chapter[chapter.pk]
        if sum(places.values()) < 4 * min_size:
            continue
        centres = [pid for pid, n in places.most_common()
                   if pid != chapter.place_id and n >= min_size][:MAX_SPLIT_CENTRES]
        if len(centres) >= 2:
            centres_by_chapter[chapter] = centres
    by_id = Place.objects.in_bulk([c for cs in centres_by_chapter.values() for c in cs])
    return [
        SplitRequest(
            chapter=chapter.slug,
            names=[by_id[c].name for c in centres],
            lat=[by_id[c].latitude for c in centres],
            lon=[by_id[c].longitude for c in centres],
        )
        for chapter, centres in centres_by_chapter.items()
    ]
