"""The demo's chapter at risk (issue 13, health warnings): London, qualifying, held a Saturday
morning meeting on the demo's day (1 February 2014, 10:00 in London, before the demo clock's
noon UTC) that only four members came to, so its coordinators and organizer see a warning on
its page and the dashboard counts it. London's organizer carries it."""

from __future__ import annotations

import datetime

from chapterhouse.chapters.models import Chapter
from chapterhouse.meetings import recurrence
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.organizing.models import Organizer

AT_RISK = "London"
MORNING = datetime.time(10, 0)
CAME = 4  # one short of the rule's five


def seed_health(*, today: datetime.date) -> int:
    """A short meeting for London today (its stored months are refreshed by the caller); the
    number of attendance records it added."""
    chapter = Chapter.objects.select_related("place").filter(name=AT_RISK).first()
    if chapter is None:
        return 0
    if chapter.organizer_id is None:
        chapter.organizer = Organizer.objects.filter(endorsed_by=chapter, active=True).first()
        chapter.save(update_fields=["organizer"])
    meeting = Meeting.objects.create(
        chapter=chapter, starts_at=recurrence.to_utc(today, MORNING, chapter.place.zone),
        title="Saturday morning meeting", venue="Library, room 2")
    came = (chapter.memberships.current(today).order_by("pk")
            .values_list("member_id", flat=True)[:CAME])
    return len(Attendance.objects.bulk_create([Attendance(meeting=meeting, member_id=pk)
                                                for pk in came]))
