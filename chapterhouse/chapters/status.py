"""Verdicts for stored chapters: rows from the database in, the pure rule applied."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import QuerySet

from chapterhouse.chapters import qualification
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.qualification import Attendee, MeetingRecord, Rule, Status, Verdict
from chapterhouse.meetings.models import Attendance, GuestAttendance, Meeting


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
