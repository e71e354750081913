"""Meetings' writes: scheduling, answering "will you come?", recording who came, calendar feeds
and the reminders a day before. Each takes the context (who acts, the organization's clock),
checks the actor's permission itself, and runs in one transaction.

Reminders: members who answered yes or maybe get one. An RSVP is the member saying this
meeting concerns them; mailing whole rosters (New York has 300) every month would teach people to
ignore the email, and someone who answered "no" asked not to be expected. The command polls. Each
meeting is claimed by one conditional UPDATE (reminder_sent_at IS NULL -> now), and its reminders
are queued in the outbox in the same transaction, so two runs at once never both send, and a crash
either loses both the claim and the messages or neither.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from chapterhouse.audit.services import audit_bulk_created
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.services import email_invitation_send
from chapterhouse.meetings import recurrence
from chapterhouse.meetings.models import (
    Answer,
    Attendance,
    CalendarFeed,
    GuestAttendance,
    Meeting,
    Rsvp,
    new_feed_token,
)
from chapterhouse.meetings.months import chapter_changed, months_deferred
from chapterhouse.meetings.permissions import may_coordinate
from chapterhouse.meetings.selectors import meetings_reminder_due, reminder_recipients
from chapterhouse.members.language import member_language
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.outbox.services import Draft, messages_queue

logger = logging.getLogger(__name__)

MAX_OCCURRENCES = 24
GUEST_NAME_MAX = 100


# Scheduling and answers


def meeting_schedule(ctx: Context, *, chapter: Chapter, first_day: datetime.date,
                     start_time: datetime.time, occurrences: int = 1,
                     last_weekday: bool = False, duration_minutes: int = 120, title: str = "",
                     venue: str = "") -> list[Meeting]:
    """One meeting, or a monthly series on the same weekday position ("2nd Tuesday"), at a
    wall-clock time in the chapter's zone; stored in UTC. All or nothing."""
    if not may_coordinate(ctx.actor, chapter):
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
    if starts[0] <= ctx.now():
        raise ValidationError(
            _("%(date)s %(time)s (%(zone)s) has already passed: an upcoming meeting must be "
              "in the future.")
            % {"date": formats.date_format(first_day), "time": start_time.strftime("%H:%M"),
               "zone": chapter.place.timezone})
    series = uuid.uuid4() if len(starts) > 1 else None
    with transaction.atomic():
        created = Meeting.objects.bulk_create([
            Meeting(chapter=chapter, starts_at=start, duration_minutes=duration_minutes,
                    title=title, venue=venue, series=series, created_by=ctx.actor.member)
            for start in starts
        ])
        chapter_changed(chapter.pk)  # bulk_create sends no signal
    logger.info("chapter %s: %d meeting(s) scheduled", chapter.pk, len(created))
    return created


def rsvp_problems(ctx: Context, *, meeting: Meeting) -> list[str]:
    problems = []
    if meeting.starts_at <= ctx.now():
        problems.append(_("This meeting has already started: answers are closed."))
    member = ctx.actor.member
    if member is None or not meeting.chapter.is_member(member, ctx.today()):
        problems.append(_("Only members of %(chapter)s can answer for its meetings.")
                        % {"chapter": meeting.chapter})
    return problems


def rsvp_set(ctx: Context, *, meeting: Meeting, answer: str) -> Rsvp:
    """Record or change the actor's answer (yes / maybe / no) to an upcoming meeting."""
    if answer not in Answer.values:
        raise ValidationError(_("Answer yes, maybe or no."))
    problems = rsvp_problems(ctx, meeting=meeting)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        rsvp, _created = Rsvp.objects.update_or_create(
            meeting=meeting, member=ctx.actor.member,
            defaults={"answer": answer, "answered_at": ctx.now()})
    return rsvp


# Attendance: the checks that keep the verdict honest.


def _refuse_before_it_happened(meeting: Meeting, now: datetime.datetime) -> None:
    if meeting.starts_at > now:
        raise ValidationError(_("This meeting has not happened yet: record attendance after it."))


def _refuse_unless_coordinator(ctx: Context, meeting: Meeting) -> None:
    if not may_coordinate(ctx.actor, meeting.chapter):
        raise PermissionDenied


def attendance_problems(*, meeting: Meeting, members: Iterable[Member],
                        now: datetime.datetime) -> list[str]:
    """Why these attendances cannot be recorded at `now` (the organization's); empty when they
    can. One query for any number of members."""
    members = list(members)
    problems: list[str] = []
    try:
        _refuse_before_it_happened(meeting, now)
    except ValidationError as error:
        problems.extend(error.messages)
    on = meeting.local_start.date()
    members_then = set(meeting.chapter.memberships.current(on)
                       .filter(member_id__in=[m.pk for m in members])
                       .values_list("member_id", flat=True))
    return problems + [_("%(member)s was not a member of %(chapter)s on %(date)s.")
                       % {"member": m, "chapter": meeting.chapter, "date": on.isoformat()}
                       for m in members if m.pk not in members_then]


def attendance_record(ctx: Context, *, meeting: Meeting, members: Iterable[Member]) -> int:
    """Record that these members came; all or nothing. How many were newly recorded.

    "Happened" is by the organization's clock: in a demo set in 2014 a meeting after its
    "today" has not happened yet although the real clock says it has."""
    _refuse_unless_coordinator(ctx, meeting)
    unique = list({m.pk: m for m in members}.values())
    problems = attendance_problems(meeting=meeting, members=unique, now=ctx.now())
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        recorded = set(meeting.attendances.values_list("member_id", flat=True))
        new = [Attendance(meeting=meeting, member=m) for m in unique if m.pk not in recorded]
        Attendance.objects.bulk_create(new, ignore_conflicts=True)
        chapter_changed(meeting.chapter_id)  # bulk_create sends no signal
        audit_bulk_created(meeting.attendances.filter(member_id__in=[a.member_id for a in new])
                           .select_related("member", "meeting__chapter__place"))
    return len(new)


def attendance_replace(ctx: Context, *, meeting: Meeting,
                       members: Iterable[Member]) -> tuple[int, int]:
    """Make the recorded attendance exactly `members`; (added, removed). All or nothing."""
    _refuse_unless_coordinator(ctx, meeting)
    wanted = {m.pk: m for m in members}
    with transaction.atomic(), months_deferred():
        recorded = set(meeting.attendances.values_list("member_id", flat=True))
        new = [m for pk, m in wanted.items() if pk not in recorded]
        attendance_record(ctx, meeting=meeting, members=new)
        removed, _details = meeting.attendances.exclude(member_id__in=list(wanted)).delete()
    return len(new), removed


def guest_record(ctx: Context, *, meeting: Meeting, name: str,
                 counts_toward_share: bool) -> GuestAttendance:
    """Record someone without an account who came: a name only. They count as an attendee;
    toward the women's share only when `counts_toward_share` (the strict side is not)."""
    _refuse_unless_coordinator(ctx, meeting)
    _refuse_before_it_happened(meeting, ctx.now())
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Enter the guest's name."))
    if len(name) > GUEST_NAME_MAX:
        raise ValidationError(_("Keep the guest's name under %(max)d characters.")
                              % {"max": GUEST_NAME_MAX})
    return GuestAttendance.objects.create(meeting=meeting, name=name,
                                          counts_toward_share=counts_toward_share,
                                          recorded_by=ctx.actor.member)


def guests_keep(ctx: Context, *, meeting: Meeting, guest_ids: list[int]) -> int:
    """Remove the meeting's guests not in `guest_ids` (unticked on the screen); how many."""
    _refuse_unless_coordinator(ctx, meeting)
    with months_deferred():
        removed, _details = meeting.guests.exclude(pk__in=guest_ids).delete()
    return removed


@dataclass(frozen=True, slots=True)
class AttendanceSaved:
    added: int
    removed: int
    present: int  # members and guests recorded now
    invited: bool


def attendance_save(ctx: Context, *, meeting: Meeting, member_ids: list[int],
                    guest_ids: list[int], guest_name: str = "", guest_counts: bool = False,
                    invite_email: str = "") -> AttendanceSaved:
    """The one-screen attendance form: the ticks, the guests kept, a new guest and an
    invitation by email, all or nothing (a refused guest or invitation leaves the ticks
    unsaved). Nobody becomes a member here: an invitee joins by accepting."""
    _refuse_unless_coordinator(ctx, meeting)
    with transaction.atomic(), months_deferred():
        added, removed = attendance_replace(
            ctx, meeting=meeting, members=list(Member.objects.filter(pk__in=member_ids)))
        removed += guests_keep(ctx, meeting=meeting, guest_ids=guest_ids)
        if guest_name:
            guest_record(ctx, meeting=meeting, name=guest_name,
                         counts_toward_share=guest_counts)
            added += 1
        if invite_email:
            email_invitation_send(ctx, chapter=meeting.chapter, email=invite_email)
    present = meeting.attendances.count() + meeting.guests.count()
    logger.info("meeting %s: attendance saved, %d present (%d added, %d removed)",
                meeting.pk, present, added, removed)
    return AttendanceSaved(added, removed, present, bool(invite_email))


# Calendar feeds: a secret random token in each feed's address (calendar apps cannot log in).


def member_feed_ensure(*, member: Member) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(member=member)[0]


def chapter_feed_ensure(*, chapter: Chapter) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(chapter=chapter)[0]


def feed_regenerate(ctx: Context, *, feed: CalendarFeed) -> CalendarFeed:
    """A new secret address; the old one stops working at once. A member's own feed, or a
    chapter's for its coordinators."""
    if feed.chapter_id is not None:
        allowed = feed.chapter is not None and may_coordinate(ctx.actor, feed.chapter)
    else:
        allowed = ctx.actor.member is not None and feed.member_id == ctx.actor.member.pk
    if not allowed:
        raise PermissionDenied
    with transaction.atomic():
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    logger.info("calendar feed %s: address regenerated", feed.pk)
    return feed


# Reminders a day before each meeting (`chapterhouse send_reminders`, jobs.tasks.send_reminders).


@dataclass(frozen=True, slots=True)
class Sent:
    meetings: int
    emails: int


def reminder_claim(*, meeting_id: int, now: datetime.datetime) -> bool:
    """True for exactly one caller per meeting, however many workers race for it."""
    return Meeting.objects.filter(pk=meeting_id, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now) == 1


def _reminder_draft(meeting: Meeting, member: Member, *, meeting_url: str) -> Draft:
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


def reminders_send(ctx: Context, *, url_for: Callable[[Meeting], str]) -> Sent:
    """Claim each meeting starting within a day (by the organization's clock) and queue its
    yes/maybe members' reminders, together."""
    now = ctx.now()
    meetings = emails = 0
    for meeting_id in list(meetings_reminder_due(now).values_list("pk", flat=True)):
        with transaction.atomic():
            if not reminder_claim(meeting_id=meeting_id, now=now):
                logger.debug("meeting %s: reminders claimed by another worker", meeting_id)
                continue
            meeting = Meeting.objects.select_related("chapter__place").get(pk=meeting_id)
            messages = messages_queue([
                _reminder_draft(meeting, m, meeting_url=url_for(meeting))
                for m in reminder_recipients(meeting)])
        logger.info("meeting %s: %d reminder(s) queued", meeting_id, len(messages))
        meetings += 1
        emails += len(messages)
    logger.info("reminders: %d email(s) queued for %d meeting(s)", emails, meetings)
    return Sent(meetings, emails)
