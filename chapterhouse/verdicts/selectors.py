"""Verdicts for stored chapters: rows from the database in, the pure rule applied; and the
chapter pages, which show a chapter with its meetings and its verdict."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import (
    ChapterPeople,
    chapter_people,
)
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import Attendee, MeetingRecord, Rule, Status, Verdict
from chapterhouse.meetings.models import Attendance, GuestAttendance, Meeting
from chapterhouse.organizations.context import Context


def meeting_records(chapters: QuerySet[Chapter] | list[Chapter], *, until: datetime.date
                    ) -> dict[int, list[MeetingRecord]]:
    """Each chapter's meetings before `until` with their attendees (members and guests), in
    three queries."""
    chapter_ids = [c.pk for c in chapters]
    # A day of margin: the chapter's own zone decides the month; the rule filters exactly.
    cutoff = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min,
                                       tzinfo=datetime.UTC)
    meetings = Meeting.objects.filter(chapter_id__in=chapter_ids, starts_at__lt=cutoff)
    attendees: dict[int, list[Attendee]] = defaultdict(list)
    rows = Attendance.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "member_id", "member__gender"
    )
    for meeting_id, member_id, gender in rows.iterator(chunk_size=5000):
        attendees[meeting_id].append(Attendee(str(member_id), gender or None))
    guests = GuestAttendance.objects.filter(meeting__in=meetings).values_list(
        "meeting_id", "pk", "counts_toward_share")
    for meeting_id, guest_id, counts in guests.iterator(chunk_size=5000):
        attendees[meeting_id].append(Attendee(f"guest-{guest_id}", None, counts))
    records: dict[int, list[MeetingRecord]] = {pk: [] for pk in chapter_ids}
    for pk, chapter_id, starts_at in meetings.values_list("pk", "chapter_id", "starts_at"):
        records[chapter_id].append(MeetingRecord(str(pk), starts_at, tuple(attendees[pk])))
    return records


def chapter_verdicts(chapters: QuerySet[Chapter] | list[Chapter], *, rule: Rule,
                     on: datetime.date) -> dict[int, Verdict]:
    """The verdict of each chapter on `on`, keyed by chapter id."""
    chapters = list(chapters.select_related("place") if isinstance(chapters, QuerySet)
                    else chapters)
    records = meeting_records(chapters, until=on)
    return {
        c.pk: qualification.verdict(records[c.pk], rule, on, c.place.zone) for c in chapters
    }


def chapter_qualifies(chapter: Chapter, *, rule: Rule, on: datetime.date) -> bool:
    """Whether the chapter qualifies on `on` (a forming or lapsed chapter does not)."""
    return chapter_verdicts([chapter], rule=rule, on=on)[chapter.pk].status == Status.QUALIFYING


# The chapter pages: a chapter, its meetings and its verdict together -------------------------

RECENT_MEETINGS = 12
UPCOMING_MEETINGS = 6


@dataclass(frozen=True)
class ChapterPage(ChapterPeople):
    """Everything the chapter's page shows (chapters.selectors.ChapterPeople, and:)."""

    chapter: Chapter
    verdict: Verdict
    meetings: list[Meeting]  # the recent ones, newest first, with `attendee_count`
    upcoming: list[Meeting]


def chapter_page(ctx: Context, chapter: Chapter) -> ChapterPage:
    """A chapter's page: description, local vision, meetings, verdict, and what the viewer may
    see of its people (chapters.selectors.chapter_people). A constant number of queries."""
    now = ctx.now()
    people = chapter_people(ctx, chapter)
    past = (chapter.meetings.filter(starts_at__lt=now)
            .annotate(attendee_count=Count("attendances", distinct=True)
                      + Count("guests", distinct=True)).order_by("-starts_at"))
    upcoming = chapter.meetings.filter(starts_at__gte=now).order_by("starts_at")
    return ChapterPage(
        **{f.name: getattr(people, f.name) for f in fields(ChapterPeople)},
        chapter=chapter,
        verdict=chapter_verdicts([chapter], rule=ctx.organization.rule,
                                 on=ctx.organization.today)[chapter.pk],
        meetings=list(past[:RECENT_MEETINGS]),
        upcoming=list(upcoming[:UPCOMING_MEETINGS]),
    )


@dataclass(frozen=True)
class MeetingAttendance:
    """Who came to a meeting: names for the chapter's members; of gender only whether the
    meeting met the share (a count beside names would tell too much)."""

    meeting: Meeting
    attendees: list[str]  # members (as they are named), then guests
    counted: int  # attendees counted toward the share: for `women_figure`, never shown
    guests: int


def meeting_attendance(chapter: Chapter, meeting_id: int, *, rule: Rule) -> MeetingAttendance:
    meeting = get_object_or_404(chapter.meetings, pk=meeting_id)
    attendees = list(meeting.attendances.select_related("member").order_by("member__display_name"))
    guests = list(meeting.guests.all())
    counted = (sum(1 for a in attendees if a.member.gender in rule.counted_genders)
               + sum(1 for g in guests if g.counts_toward_share))
    return MeetingAttendance(
        meeting=meeting,
        attendees=[str(a.member) for a in attendees] + [g.name for g in guests],
        counted=counted,
        guests=len(guests),
    )
