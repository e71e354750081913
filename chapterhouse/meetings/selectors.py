"""Meetings' reads: the pages' data, calendar feeds' meetings, reminders due. Times come from the
organization's clock (the context), so a demo fixed in 2014 never mixes its date with today's."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.meetings.models import Answer, CalendarFeed, GuestAttendance, Meeting
from chapterhouse.meetings.permissions import may_coordinate
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context

PAST_SHOWN = 12
UPCOMING_SHOWN = 24
MINE_SHOWN = 50
HISTORY = datetime.timedelta(days=90)  # recent past meetings stay in a calendar feed
REMINDER_AHEAD = datetime.timedelta(days=1)


def member_chapter_ids(member: Member, on: datetime.date) -> list[int]:
    """Chapters whose meetings concern a member: those they belong to or coordinate."""
    current = ChapterMembership.objects.current(on).filter(member=member).values("chapter_id")
    return list(Chapter.objects.filter(Q(pk__in=current) | Q(coordinators=member))
                .values_list("pk", flat=True).distinct())


def _with_my_answers(meetings: list[Meeting], member: Member) -> list[Meeting]:
    """Sets `my_answer` on each meeting ("" when the member has not answered): one query."""
    answers = dict(member.rsvps.filter(meeting__in=meetings)
                   .values_list("meeting_id", "answer"))
    for meeting in meetings:
        meeting.my_answer = answers.get(meeting.pk, "")  # type: ignore[attr-defined]
    return meetings


def meetings_mine(ctx: Context) -> list[Meeting]:
    """Upcoming meetings of every chapter the actor belongs to or coordinates, with their
    answers."""
    member = ctx.actor.member
    chapter_ids = member_chapter_ids(member, ctx.today())
    meetings = list(Meeting.objects.filter(chapter_id__in=chapter_ids).upcoming(ctx.now())
                    .select_related("chapter__place")[:MINE_SHOWN])
    return _with_my_answers(meetings, member)


def chapters_coordinated(ctx: Context) -> list[Chapter]:
    return list(Chapter.objects.filter(pk__in=ctx.actor.coordinated_chapter_ids)
                .order_by("name"))


@dataclass(frozen=True, slots=True)
class ChapterMeetings:
    coordinating: bool
    is_member: bool
    upcoming: Sequence[Meeting]  # with yes_count, maybe_count, no_count and my_answer
    past: Sequence[Meeting]  # with attendee_count


def _answer_counts() -> dict[str, Any]:
    return {f"{a}_count": Count("rsvps", filter=Q(rsvps__answer=a)) for a in Answer.values}


def chapter_meetings(ctx: Context, chapter: Chapter) -> ChapterMeetings:
    now = ctx.now()
    upcoming = list(chapter.meetings.upcoming(now).annotate(**_answer_counts())[:UPCOMING_SHOWN])
    past = list(chapter.meetings.past(now).annotate(
        attendee_count=Count("attendances", distinct=True) + Count("guests", distinct=True)
    )[:PAST_SHOWN])
    return ChapterMeetings(
        coordinating=may_coordinate(ctx.actor, chapter),
        is_member=chapter.is_member(ctx.actor.member, ctx.today()),
        upcoming=_with_my_answers(upcoming, ctx.actor.member),
        past=past,
    )


@dataclass(frozen=True, slots=True)
class MeetingPage:
    upcoming: bool
    is_member: bool
    coordinating: bool
    rsvps: list[Any] | None  # who answered what: for coordinators only
    counts: list[tuple[str, str, int]]  # (answer, label, how many)
    my_answer: str


def meeting_page(ctx: Context, meeting: Meeting) -> MeetingPage:
    chapter = meeting.chapter
    coordinating = may_coordinate(ctx.actor, chapter)
    counts = dict.fromkeys(Answer.values, 0)
    for answer, n in meeting.rsvps.values_list("answer").annotate(n=Count("pk")).order_by():
        counts[answer] = n
    mine = meeting.rsvps.filter(member=ctx.actor.member).values_list("answer", flat=True).first()
    return MeetingPage(
        upcoming=meeting.starts_at > ctx.now(),
        is_member=chapter.is_member(ctx.actor.member, ctx.today()),
        coordinating=coordinating,
        rsvps=(list(meeting.rsvps.select_related("member")
                    .order_by("answer", "member__display_name")) if coordinating else None),
        counts=[(value, str(label), counts[value]) for value, label in Answer.choices],
        my_answer=mine or "",
    )


@dataclass(frozen=True, slots=True)
class AttendanceRoster:
    happened: bool
    roster: list[Member]  # the chapter's members on the meeting's day, and anyone recorded
    present: set[int]
    guests: list[GuestAttendance]


def attendance_roster(ctx: Context, meeting: Meeting) -> AttendanceRoster:
    on = meeting.local_start.date()
    present = set(meeting.attendances.values_list("member_id", flat=True))
    roster = list(Member.objects.filter(
        Q(pk__in=meeting.chapter.memberships.current(on).values("member_id")) | Q(pk__in=present))
        .order_by("display_name").only("pk", "display_name", "erased_at"))
    return AttendanceRoster(happened=meeting.starts_at <= ctx.now(), roster=roster,
                            present=present, guests=list(meeting.guests.only("pk", "name")))


def feed_find(token: str) -> CalendarFeed | None:
    """A live feed by its secret token: none for an unknown token or a closed account."""
    feed = (CalendarFeed.objects.select_related("member", "chapter__place")
            .filter(token=token).first())
    if feed is None or (feed.member is not None and not feed.member.is_active):
        return None
    return feed


def feed_meetings(ctx: Context, feed: CalendarFeed) -> QuerySet[Meeting]:
    """The feed's meetings from 90 days ago on, by the organization's clock: a meeting
    scheduled in the organization's future is in it, whatever the real date."""
    now = ctx.now()
    if feed.chapter_id is not None:
        chapter_ids = [feed.chapter_id]
    elif feed.member is not None:
        chapter_ids = member_chapter_ids(feed.member, ctx.today())
    else:
        chapter_ids = []
    return (Meeting.objects.filter(chapter_id__in=chapter_ids, starts_at__gte=now - HISTORY)
            .select_related("chapter__place").order_by("starts_at"))


def meetings_reminder_due(now: datetime.datetime) -> QuerySet[Meeting]:
    """Meetings starting within the next day whose reminder has not been claimed."""
    return Meeting.objects.held().filter(
        reminder_sent_at__isnull=True, starts_at__gt=now,
        starts_at__lte=now + REMINDER_AHEAD).order_by("starts_at")


def reminder_recipients(meeting: Meeting) -> list[Member]:
    """Current members who answered yes or maybe, active accounts only."""
    on = meeting.local_start.date()
    current = meeting.chapter.memberships.current(on).values("member_id")
    rsvps = (meeting.rsvps.filter(answer__in=[Answer.YES, Answer.MAYBE],
                                  member__in=current, member__is_active=True)
             .select_related("member__place").order_by("member_id"))
    return [rsvp.member for rsvp in rsvps]
