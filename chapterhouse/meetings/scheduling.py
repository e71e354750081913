"""Scheduling meetings and answering "will you come?": the writes, with their checks."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from chapterhouse.chapters.access import may_coordinate
from chapterhouse.chapters.models import Chapter
from chapterhouse.meetings import recurrence
from chapterhouse.meetings.models import Answer, Meeting, Rsvp

MAX_OCCURRENCES = 24


def meeting_schedule(*, chapter: Chapter, by, first_day: datetime.date,
                     start_time: datetime.time, now: datetime.datetime, occurrences: int = 1,
                     last_weekday: bool = False, duration_minutes: int = 120, title: str = "",
                     venue: str = "") -> list[Meeting]:
    """One meeting, or a monthly series on the same weekday position ("2nd Tuesday"), at a
    wall-clock time in the chapter's zone; stored in UTC. All or nothing."""
    if not may_coordinate(by, chapter):
        raise ValidationError(_("Only the chapter's coordinators can schedule its meetings."))
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise ValidationError(_("Schedule between 1 and %(max)d meetings at a time.")
                              % {"max": MAX_OCCURRENCES})
    if last_weekday and not recurrence.is_last_in_month(first_day):
        raise ValidationError(_("The first date is not the last such weekday of its month."))
    zone = chapter.place.zone
    days = recurrence.monthly_dates(first_day, occurrences, last=last_weekday)
    problems = [
        _("%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward. "
          "Choose another time.")
        % {"time": start_time.strftime("%H:%M"), "date": formats.date_format(day),
           "zone": chapter.place.timezone}
        for day in days if recurrence.local_problem(day, start_time, zone) == "gap"
    ]
    if problems:
        raise ValidationError(problems)
    starts = [recurrence.to_utc(day, start_time, zone) for day in days]
    if starts[0] <= now:
        raise ValidationError(
            _("%(date)s %(time)s (%(zone)s) has already passed: an upcoming meeting must be "
              "in the future.")
            % {"date": formats.date_format(first_day), "time": start_time.strftime("%H:%M"),
               "zone": chapter.place.timezone})
    series = uuid.uuid4() if len(starts) > 1 else None
    with transaction.atomic():
        return Meeting.objects.bulk_create([
            Meeting(chapter=chapter, starts_at=start, duration_minutes=duration_minutes,
                    title=title, venue=venue, series=series, created_by=by)
            for start in starts
        ])


def rsvp_problems(*, meeting: Meeting, member, now: datetime.datetime) -> list[str]:
    problems = []
    if meeting.starts_at <= now:
        problems.append(_("This meeting has already started: answers are closed."))
    if not meeting.chapter.is_member(member, now.date()):
        problems.append(_("Only members of %(chapter)s can answer for its meetings.")
                        % {"chapter": meeting.chapter})
    return problems


def rsvp_set(*, meeting: Meeting, member, answer: str, now: datetime.datetime) -> Rsvp:
    """Record or change a member's answer (yes / maybe / no) to an upcoming meeting."""
    if answer not in Answer.values:
        raise ValidationError(_("Answer yes, maybe or no."))
    problems = rsvp_problems(meeting=meeting, member=member, now=now)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        rsvp, _created = Rsvp.objects.update_or_create(
            meeting=meeting, member=member, defaults={"answer": answer, "answered_at": now})
    return rsvp
