"""Reads for following people up: a chapter's engagement ladder and follow-up queue, an
organizer's queue across the chapters they carry, one person's page with the conversation log.

The rules are domain/engagement.py's; this module reads each person's history in one chapter
(a handful of queries per chapter, whatever its size) and hands it over. Callers check the
viewer first (followups/permissions.py).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain.distance import EARTH_RADIUS_KM, great_circle_km
from chapterhouse.domain.engagement import (
    LADDER,
    NO_SHOW_WINDOW_DAYS,
    WELCOME_WINDOW_DAYS,
    FollowUp,
    History,
    Rung,
    arrival,
    follow_ups,
    rung,
)
from chapterhouse.domain.timebounds import local_time
from chapterhouse.followups.models import Conversation
from chapterhouse.followups.permissions import may_see_email
from chapterhouse.meetings.models import Answer, Attendance, GuestAttendance, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer

CONVERSATIONS_SHOWN = 50


@dataclass(frozen=True)
class Person:
    """One person as the chapter's follow-up page shows them to this viewer."""

    member: Member
    rung: Rung
    in_chapter: bool  # a member of the chapter (else: without a chapter, in its area)
    arrived_on: datetime.date
    follow_ups: list[FollowUp]
    email: str  # "" unless the viewer may see it (an organizer, and the member allowed it)


@dataclass(frozen=True)
class QueueItem:
    person: Person
    follow_up: FollowUp


@dataclass(frozen=True)
class ChapterFollowUps:
    chapter: Chapter
    rungs: list[tuple[Rung, int]]  # the ladder, lowest first, with how many members on each
    people: list[Person]  # the chapter's members, highest rung first, then by name
    queue: list[QueueItem]  # oldest first


@dataclass
class _Facts:
    """What one chapter knows of its people, read in a few queries."""

    arrived: dict[int, datetime.datetime] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    in_chapter: set[int] = field(default_factory=set)
    attended: dict[int, list[datetime.date]] = field(default_factory=lambda: defaultdict(list))
    said_yes: dict[int, list[datetime.date]] = field(default_factory=lambda: defaultdict(list))
    talked: dict[int, list[datetime.date]] = field(default_factory=lambda: defaultdict(list))
    core: set[int] = field(default_factory=set)
    held: set[datetime.date] = field(default_factory=set)

    def history(self, pk: int) -> History:
        return History(arrived_at=self.arrived[pk], attended=tuple(self.attended[pk]),
                       said_yes=tuple(self.said_yes[pk]), talked=tuple(self.talked[pk]),
                       core=pk in self.core)


def _box(chapter: Chapter) -> Q:
    """A latitude/longitude range around the chapter's area (the exact distance is checked
    after); none for longitude near a pole or across the date line."""
    place, radius = chapter.place, float(chapter.radius_km)
    dlat = math.degrees(radius / EARTH_RADIUS_KM)
    box = Q(place__latitude__range=(place.latitude - dlat, place.latitude + dlat))
    if abs(place.latitude) + dlat < 89:
        dlon = dlat / math.cos(math.radians(abs(place.latitude) + dlat))
        low, high = place.longitude - dlon, place.longitude + dlon
        if low > -180 and high < 180:
            box &= Q(place__longitude__range=(low, high))
    return box


def in_area(chapter: Chapter, member: Member) -> bool:
    place = member.place if member.place_id else None
    return place is not None and great_circle_km(
        chapter.place.latitude, chapter.place.longitude, place.latitude, place.longitude
    ) <= chapter.radius_km


def _newcomers_nearby(chapter: Chapter, today: datetime.date,
                      only: int | None) -> list[Member]:
    """Members without a chapter who joined lately and live in the chapter's area (with a
    confirmed email and willing to meet in person, as for the chapter's invitations)."""
    rows = (members_unaffiliated(Member.objects.active(), today)
            .filter(email_confirmed=True, willing_to_meet=True, place__isnull=False,
                    joined_on__gt=today - datetime.timedelta(days=WELCOME_WINDOW_DAYS),
                    joined_on__lte=today)
            .filter(_box(chapter)).select_related("place"))
    if only is not None:
        rows = rows.filter(pk=only)
    return [member for member in rows if in_area(chapter, member)]


def _facts(chapter: Chapter, *, now: datetime.datetime, today: datetime.date,
           only: int | None = None) -> _Facts:
    facts = _Facts()
    memberships: QuerySet[ChapterMembership] = (
        chapter.memberships.current(today).filter(member__is_active=True)
        .select_related("member"))
    if only is not None:
        memberships = memberships.filter(member_id=only)
    for membership in memberships:
        facts.members[membership.member_id] = membership.member
        facts.in_chapter.add(membership.member_id)
        facts.arrived[membership.member_id] = arrival(membership.joined_on,
                                                      membership.created_at)
    # Who lives around a chapter without belonging to it is followed only where the
    # organization put an organizer on the chapter: a chapter any member can start must not
    # become a way to list the newcomers in 80 km.
    nearby = chapter.organizer is not None and chapter.organizer.active
    for member in _newcomers_nearby(chapter, today, only) if nearby else []:
        facts.members[member.pk] = member
        facts.arrived[member.pk] = arrival(member.joined_on, member.created_at)
    zone = chapter.place.zone

    def local(at: datetime.datetime) -> datetime.date:
        return local_time(at, zone).date()

    held = Q(meeting__chapter=chapter, meeting__cancelled_at__isnull=True,
             meeting__starts_at__lte=now)
    taken: set[int] = set()
    attendance = Attendance.objects.filter(held).values_list("member_id", "meeting_id",
                                                             "meeting__starts_at")
    for member_id, meeting_id, starts_at in attendance:
        taken.add(meeting_id)
        facts.held.add(local(starts_at))
        if member_id in facts.members:
            facts.attended[member_id].append(local(starts_at))
    for meeting_id, starts_at in (GuestAttendance.objects.filter(held)
                                  .values_list("meeting_id", "meeting__starts_at").distinct()):
        taken.add(meeting_id)
        facts.held.add(local(starts_at))
    people = set(facts.members)
    yes = (Rsvp.objects.filter(held, answer=Answer.YES,
                               meeting__starts_at__gte=now - datetime.timedelta(
                                   days=NO_SHOW_WINDOW_DAYS + 1))
           .values_list("member_id", "meeting_id", "meeting__starts_at"))
    if only is not None:
        yes = yes.filter(member_id=only)
    for member_id, meeting_id, starts_at in yes:
        if member_id in people and meeting_id in taken:
            facts.said_yes[member_id].append(local(starts_at))
    talks = Conversation.objects.filter(chapter=chapter).values_list("member_id", "occurred_on")
    if only is not None:
        talks = talks.filter(member_id=only)
    for member_id, day in talks:
        if member_id in people:
            facts.talked[member_id].append(day)
    coordinators = set(chapter.coordinators.values_list("pk", flat=True))
    organizers = set(Organizer.objects.filter(active=True, member_id__in=people)
                     .values_list("member_id", flat=True))
    facts.core = (coordinators | organizers) & people
    return facts


def _person(ctx: Context, facts: _Facts, pk: int, chapter: Chapter) -> Person:
    history = facts.history(pk)
    member = facts.members[pk]
    now, today = ctx.now(), ctx.today()
    return Person(
        member=member, rung=rung(history, today=today), in_chapter=pk in facts.in_chapter,
        arrived_on=history.arrived_at.astimezone(datetime.UTC).date(),
        follow_ups=follow_ups(history, held=facts.held, now=now, today=today),
        email=member.email if may_see_email(ctx.actor, member, chapter) else "")


def chapter_follow_ups(ctx: Context, chapter: Chapter) -> ChapterFollowUps:
    """The ladder (counts per rung, each member's rung) and the follow-up queue of a chapter."""
    facts = _facts(chapter, now=ctx.now(), today=ctx.today())
    people = [_person(ctx, facts, pk, chapter) for pk in facts.members]
    counts = dict.fromkeys(LADDER, 0)
    for person in people:
        if person.in_chapter:
            counts[person.rung] += 1
    members = sorted((p for p in people if p.in_chapter),
                     key=lambda p: (-LADDER.index(p.rung), p.member.display_name, p.member.pk))
    queue = sorted((QueueItem(p, f) for p in people for f in p.follow_ups),
                   key=lambda item: (item.follow_up.since, item.person.member.display_name))
    return ChapterFollowUps(chapter=chapter, rungs=[(step, counts[step]) for step in LADDER],
                            people=members, queue=queue)


def chapters_followed(ctx: Context) -> list[Chapter]:
    """The chapters whose people the actor follows up: those they coordinate, and those they
    carry as an active organizer."""
    member = ctx.actor.member
    if member is None:
        return []
    carried = Q(organizer__member=member, organizer__active=True)
    return list(Chapter.objects.filter(carried | Q(pk__in=ctx.actor.coordinated_chapter_ids))
                .select_related("place", "organizer").order_by("name"))


def queues_of(ctx: Context) -> list[ChapterFollowUps]:
    """The follow-up queue of every chapter the actor follows up (an organizer carries 2-4)."""
    return [chapter_follow_ups(ctx, chapter) for chapter in chapters_followed(ctx)]


@dataclass(frozen=True)
class PersonPage:
    person: Person | None  # None: no longer in the chapter nor new in its area (the log stays)
    member: Member
    conversations: list[Conversation]


def person_page(ctx: Context, chapter: Chapter, member: Member) -> PersonPage | None:
    """One person's rung, follow-ups and conversations in this chapter; None (the caller's
    404) for anyone the chapter's follow-up pages never show: only its members, new members
    without a chapter in its area, and people it already logged a conversation with."""
    facts = _facts(chapter, now=ctx.now(), today=ctx.today(), only=member.pk)
    person = _person(ctx, facts, member.pk, chapter) if member.pk in facts.members else None
    conversations = list(Conversation.objects.filter(chapter=chapter, member=member)
                         .select_related("talked_by")[:CONVERSATIONS_SHOWN])
    if person is None and not conversations:
        return None
    return PersonPage(person=person, member=member, conversations=conversations)


def may_log_about(ctx: Context, chapter: Chapter, member: Member) -> bool:
    """A conversation may be logged with the chapter's members and new members without a
    chapter in its area (the people its queue shows)."""
    return member.pk in _facts(chapter, now=ctx.now(), today=ctx.today(),
                               only=member.pk).members
