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
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from chapterhouse.audit.services import Action, audit_bulk_created, audit_record
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.services import email_invitation_send
from chapterhouse.domain.timebounds import local_time
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
from chapterhouse.members.mail import site_link
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
    if meeting.cancelled:
        return [_("This meeting was cancelled: answers are closed.")]
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
    if meeting.cancelled:
        return [_("This meeting was cancelled: it takes no attendance.")]
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


# Changing and cancelling meetings, ending a series (coordinators and staff). Those who said
# yes or maybe are told, as reminders are sent (reminder_recipients): one email each, in their
# language, written in the outbox in the same transaction as the change.

TEXT_MAX = 200
DESCRIPTION_MAX = 2000
NOTE_MAX = 500


@dataclass(frozen=True, slots=True)
class MeetingChanged:
    meeting: Meeting
    changed: list[str]  # the fields that changed
    told: int  # emails queued


@dataclass(frozen=True, slots=True)
class SeriesEnded:
    removed: int  # occurrences nobody had answered: deleted
    cancelled: int  # occurrences with answers: kept, marked cancelled, their RSVPs told
    told: int


def _refuse_unless_may_change(ctx: Context, meeting: Meeting) -> None:
    if not may_coordinate(ctx.actor, meeting.chapter):
        raise ValidationError(_("Only the chapter's coordinators can change its meetings."))
    if meeting.cancelled:
        raise ValidationError(_("This meeting was cancelled: schedule a new one instead."))


def _month(moment: datetime.datetime, meeting: Meeting) -> datetime.date:
    """The calendar month a moment falls in, in the chapter's zone (the rule's month)."""
    return local_time(moment, meeting.chapter.place.zone).date().replace(day=1)


def _has_attendance(meeting: Meeting) -> bool:
    return meeting.attendances.exists() or meeting.guests.exists()


def meeting_edit(ctx: Context, *, meeting: Meeting, day: datetime.date,
                 start_time: datetime.time, duration_minutes: int, title: str = "",
                 venue: str = "", description: str = "") -> MeetingChanged:
    """Change a meeting's time, place or description. An upcoming meeting stays upcoming, and
    the members who said yes or maybe are told. A meeting that took place may be corrected but
    never moved into the future; once attendance is recorded at it, it stays in its month:
    moving it would silently move a month's result under the verdict (the coordinator removes
    the attendance first, then moves it)."""
    _refuse_unless_may_change(ctx, meeting)
    title, venue = " ".join(title.split()), " ".join(venue.split())
    description = description.replace("\r\n", "\n").strip()
    if len(title) > TEXT_MAX or len(venue) > TEXT_MAX or len(description) > DESCRIPTION_MAX:
        raise ValidationError(_("Keep the title and the place under %(short)d characters and "
                                "the description under %(long)d.")
                              % {"short": TEXT_MAX, "long": DESCRIPTION_MAX})
    if not 15 <= duration_minutes <= 600:
        raise ValidationError(_("A meeting lasts between 15 and 600 minutes."))
    chapter, zone = meeting.chapter, meeting.chapter.place.zone
    if recurrence.local_problem(day, start_time, zone) == "gap":
        raise ValidationError(
            _("%(time)s does not exist on %(date)s in %(zone)s: the clocks go forward. "
              "Choose another time.")
            % {"time": start_time.strftime("%H:%M"), "date": formats.date_format(day),
               "zone": chapter.place.timezone})
    starts_at, now = recurrence.to_utc(day, start_time, zone), ctx.now()
    happened = meeting.starts_at <= now
    if happened and starts_at > now:
        raise ValidationError(_("This meeting has taken place: it cannot be moved into the "
                                "future. Schedule a new meeting instead."))
    if not happened and starts_at <= now:
        raise ValidationError(
            _("%(date)s %(time)s (%(zone)s) has already passed: an upcoming meeting must stay "
              "in the future.")
            % {"date": formats.date_format(day), "time": start_time.strftime("%H:%M"),
               "zone": chapter.place.timezone})
    if (_month(starts_at, meeting) != _month(meeting.starts_at, meeting)
            and _has_attendance(meeting)):
        raise ValidationError(
            _("Attendance is recorded at this meeting, so it counts for %(month)s. It cannot "
              "move to %(new)s: correct the date within the same month, or remove its "
              "attendance first.")
            % {"month": formats.date_format(_month(meeting.starts_at, meeting),
                                            "YEAR_MONTH_FORMAT"),
               "new": formats.date_format(_month(starts_at, meeting), "YEAR_MONTH_FORMAT")})
    wanted = {"starts_at": starts_at, "duration_minutes": duration_minutes, "title": title,
              "venue": venue, "description": description}
    changes = {name: (getattr(meeting, name), value) for name, value in wanted.items()
               if getattr(meeting, name) != value}
    if not changes:
        raise ValidationError(_("Nothing changed, so nothing was saved."))
    previous_start = meeting.starts_at
    with transaction.atomic():
        for name, (_before, value) in changes.items():
            setattr(meeting, name, value)
        fields = list(changes)
        if "starts_at" in changes:  # a new time earns a new reminder
            meeting.reminder_sent_at = None
            fields.append("reminder_sent_at")
        meeting.save(update_fields=fields)  # a new time recomputes the months (signals.py)
        audit_record(actor=ctx.actor.member, action="meeting_edit", target=meeting,
                     kind=Action.UPDATE, changes=changes)
        told = 0 if happened else _tell_answers(
            meeting, kind="changed",
            previous_start=previous_start if "starts_at" in changes else None)
    logger.info("meeting %s changed (%s), %d told", meeting.pk, ",".join(changes), told)
    return MeetingChanged(meeting, sorted(changes), told)


def meeting_cancel(ctx: Context, *, meeting: Meeting, note: str = "") -> MeetingChanged:
    """Cancel a meeting: it stays in the history marked cancelled, takes no answers and no
    attendance, and no longer counts for the verdict. If it is upcoming, those who said yes or
    maybe are told, with the coordinator's note. A meeting with recorded attendance took
    place and cannot be cancelled."""
    _refuse_unless_may_change(ctx, meeting)
    note = note.replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX})
    with transaction.atomic():  # checked inside: attendance recorded meanwhile is seen
        if _has_attendance(meeting):
            raise ValidationError(_("Attendance is recorded at this meeting: it took place. If "
                                    "it did not, remove its attendance first."))
        told = _cancel(ctx, meeting, note=note)
    logger.info("meeting %s cancelled, %d told", meeting.pk, told)
    return MeetingChanged(meeting, ["cancelled_at"], told)


def _cancel(ctx: Context, meeting: Meeting, *, note: str) -> int:
    """Mark it cancelled (once: of two coordinators at once the second is refused), recompute
    the chapter's months, record it, tell the answers of an upcoming meeting."""
    at = timezone.now()  # when the row was written, not the organization's date
    if not Meeting.objects.filter(pk=meeting.pk, cancelled_at__isnull=True).update(
            cancelled_at=at, cancelled_by=ctx.actor.member):
        raise ValidationError(_("This meeting was cancelled: schedule a new one instead."))
    meeting.cancelled_at, meeting.cancelled_by = at, ctx.actor.member
    chapter_changed(meeting.chapter_id)  # update() sends no signal
    audit_record(actor=ctx.actor.member, action="meeting_cancel", target=meeting,
                 kind=Action.UPDATE, changes={"cancelled_at": (None, at), "note": note})
    if meeting.starts_at <= ctx.now():
        return 0
    return _tell_answers(meeting, kind="cancelled", note=note)


def series_end(ctx: Context, *, meeting: Meeting, from_day: datetime.date) -> SeriesEnded:
    """End the series `meeting` belongs to from `from_day` (in the chapter's zone) on: its
    later occurrences that nobody answered are removed, those with answers are cancelled (and
    their yes/maybe members told). Meetings that already started stay as they are."""
    if not may_coordinate(ctx.actor, meeting.chapter):
        raise ValidationError(_("Only the chapter's coordinators can change its meetings."))
    if meeting.series is None:
        raise ValidationError(_("This meeting is not part of a series."))
    if from_day < ctx.today():
        raise ValidationError(_("A series ends from today or a later day; past meetings stay "
                                "as they are."))
    cut = max(recurrence.to_utc(from_day, datetime.time.min, meeting.chapter.place.zone),
              ctx.now())
    told = 0
    with transaction.atomic(), months_deferred():
        # Read and lock the occurrences inside the transaction: an answer given meanwhile
        # waits for it (an RSVP's key share conflicts with the lock), so no meeting someone
        # just answered is deleted as unanswered, and nobody goes untold.
        later = list(Meeting.objects.held().filter(series=meeting.series,
                                                    chapter_id=meeting.chapter_id,
                                                    starts_at__gt=cut)
                     .select_related("chapter__place").select_for_update(of=("self",))
                     .order_by("starts_at"))
        if not later:
            raise ValidationError(_("No meeting of this series is left on or after %(date)s.")
                                  % {"date": formats.date_format(from_day)})
        answered = set(Rsvp.objects.filter(meeting__in=later)
                       .values_list("meeting_id", flat=True))
        removed = [m.pk for m in later if m.pk not in answered]
        for occurrence in later:
            if occurrence.pk in answered:
                told += _cancel(ctx, occurrence, note="")
        Meeting.objects.filter(pk__in=removed).delete()
        audit_record(actor=ctx.actor.member, action="series_end", target=meeting.chapter,
                     kind=Action.UPDATE,
                     changes={"series": str(meeting.series), "from": from_day.isoformat(),
                              "removed": removed, "cancelled": sorted(answered)})
    logger.info("series %s ended: %d removed, %d cancelled", meeting.series, len(removed),
                len(answered))
    return SeriesEnded(len(removed), len(answered), told)


def _tell_answers(meeting: Meeting, *, kind: str, previous_start: datetime.datetime | None = None,
                  note: str = "") -> int:
    """One email to each member who said yes or maybe, in their language; how many."""
    url = site_link("meeting_detail", meeting.pk)
    drafts = [_change_draft(meeting, member, kind=kind, url=url, previous_start=previous_start,
                            note=note)
              for member in reminder_recipients(meeting)]
    return len(messages_queue(drafts))


def _change_draft(meeting: Meeting, member: Member, *, kind: str, url: str,
                  previous_start: datetime.datetime | None, note: str) -> Draft:
    chapter_zone = meeting.chapter.place.zone
    with translation.override(member_language(member)):
        context = {"member": member, "meeting": meeting, "chapter": meeting.chapter,
                   "member_zone": member.time_zone(str(chapter_zone)), "meeting_url": url,
                   "previous_start": previous_start, "note": note}
        subject = render_to_string(f"meetings/email/{kind}_subject.txt", context).strip()
        text = render_to_string(f"meetings/email/{kind}.txt", context)
        html = render_to_string(f"meetings/email/{kind}.html", context)  # autoescaped
    return Draft(to=member.email, subject=subject, body=text, html_body=html, member=member,
                 kind=f"meeting_{kind}")
