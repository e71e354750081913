"""Reminder emails a day before each meeting, sent by `chapterhouse send_reminders`.

Who gets one: members who answered yes or maybe. An RSVP is the member saying this meeting
concerns them; mailing whole rosters (New York has 300) every month would teach people to
ignore the email, and someone who answered "no" asked not to be expected.

The command polls. Each meeting is claimed by one conditional UPDATE (reminder_sent_at IS NULL ->
now), and its reminders are queued in the outbox in the same transaction, so two runs at once
never both send, and a crash either loses both the claim and the messages or neither.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from chapterhouse.meetings.models import Answer, Meeting
from chapterhouse.members.language import member_language
from chapterhouse.outbox.services import Draft, messages_queue

AHEAD = datetime.timedelta(days=1)


def due_meetings(now: datetime.datetime):
    """Meetings starting within the next day whose reminder has not been claimed."""
    return Meeting.objects.filter(reminder_sent_at__isnull=True, starts_at__gt=now,
                                  starts_at__lte=now + AHEAD).order_by("starts_at")


def claim(meeting_id: int, now: datetime.datetime) -> bool:
    """True for exactly one caller per meeting, however many workers race for it."""
    return Meeting.objects.filter(pk=meeting_id, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now) == 1


def recipients(meeting: Meeting) -> list:
    on = meeting.local_start.date()
    current = meeting.chapter.memberships.current(on).values("member_id")
    rsvps = (meeting.rsvps.filter(answer__in=[Answer.YES, Answer.MAYBE],
                                  member__in=current, member__is_active=True)
             .select_related("member__place").order_by("member_id"))
    return [rsvp.member for rsvp in rsvps]


def reminder_message(meeting: Meeting, member, *, meeting_url: str) -> Draft:
    """One email in the member's language, times in their zone and the chapter's."""
    chapter_zone = meeting.chapter.place.zone
    with translation.override(member_language(member)):
        context = {
            "member": member,
            "meeting": meeting,
            "chapter": meeting.chapter,
            "member_zone": member.time_zone(str(chapter_zone)),
            "meeting_url": meeting_url,
        }
        subject = render_to_string("meetings/email/reminder_subject.txt", context).strip()
        text = render_to_string("meetings/email/reminder.txt", context)
        html = render_to_string("meetings/email/reminder.html", context)
    return Draft(to=member.email, subject=subject, body=text, html_body=html, member=member,
                 kind="meeting_reminder")


@dataclass(frozen=True, slots=True)
class Sent:
    meetings: int
    emails: int


def reminders_send(*, now: datetime.datetime, url_for) -> Sent:
    """Claim each due meeting and queue its yes/maybe members' reminders, together."""
    meetings = emails = 0
    for meeting_id in list(due_meetings(now).values_list("pk", flat=True)):
        with transaction.atomic():
            if not claim(meeting_id, now):
                continue  # another worker has it
            meeting = Meeting.objects.select_related("chapter__place").get(pk=meeting_id)
            messages = messages_queue([reminder_message(meeting, m, meeting_url=url_for(meeting))
                                       for m in recipients(meeting)])
        meetings += 1
        emails += len(messages)
    return Sent(meetings, emails)
