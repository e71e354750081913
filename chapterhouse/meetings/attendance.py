"""Recording who came to a meeting, with the checks that keep the verdict honest."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.meetings.models import Attendance, Meeting


def _refuse_before_it_happened(meeting: Meeting, now: datetime.datetime) -> None:
    if meeting.starts_at > now:
        raise ValidationError(_("This meeting has not happened yet: record attendance after it."))


def attendance_problems(*, meeting: Meeting, members: list,
                        now: datetime.datetime | None = None) -> list[str]:
    """Why these attendances cannot be recorded; empty when they can. One query for any
    number of members."""
    problems: list[str] = []
    try:
        _refuse_before_it_happened(meeting, now or timezone.now())
    except ValidationError as error:
        problems.extend(error.messages)
    on = meeting.local_start.date()
    members_then = set(meeting.chapter.memberships.current(on)
                       .filter(member_id__in=[m.pk for m in members])
                       .values_list("member_id", flat=True))
    return problems + [_("%(member)s was not a member of %(chapter)s on %(date)s.")
                       % {"member": m, "chapter": meeting.chapter, "date": on.isoformat()}
                       for m in members if m.pk not in members_then]


def attendance_record(*, meeting: Meeting, members: list,
                      now: datetime.datetime | None = None) -> int:
    """Record that these members came; all or nothing. How many were newly recorded.

    `now` is the organization's clock (meetings.clock) when the caller has it: in a demo set
    in 2014 a meeting after its "today" has not happened yet although the real clock says it
    has. Without it, the real clock."""
    unique = list({m.pk: m for m in members}.values())
    problems = attendance_problems(meeting=meeting, members=unique, now=now)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        recorded = set(meeting.attendances.values_list("member_id", flat=True))
        new = [Attendance(meeting=meeting, member=m) for m in unique if m.pk not in recorded]
        Attendance.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# The one-screen attendance form (views.meeting_attendance_edit) writes through these two.


def attendance_replace(*, meeting: Meeting, members: list, now) -> tuple[int, int]:
    """Make the recorded attendance exactly `members`; (added, removed). All or nothing."""
    wanted = {m.pk: m for m in members}
    with transaction.atomic():
        recorded = set(meeting.attendances.values_list("member_id", flat=True))
        new = [m for pk, m in wanted.items() if pk not in recorded]
        attendance_record(meeting=meeting, members=new, now=now)
        removed, _details = meeting.attendances.exclude(member_id__in=list(wanted)).delete()
    return len(new), removed


def attendance_add_newcomer(*, meeting: Meeting, email: str, now):
    """Record a newcomer by email: an existing member who is not in the chapter yet joins it
    from the meeting's date (they came, so they belong) and is recorded as an attendee.

    Someone with no account is refused: they sign up first (we keep no data about them).
    """
    from chapterhouse.chapters.models import ChapterMembership
    from chapterhouse.members.emails import normalize_email
    from chapterhouse.members.models import Member

    _refuse_before_it_happened(meeting, now)
    address = normalize_email(email or "")
    if not address:
        raise ValidationError(_("Enter the newcomer's email address."))
    member = Member.objects.filter(email=address, is_active=True).first()
    if member is None:
        raise ValidationError(
            _("No member has the email address %(email)s. Ask them to sign up first, then add "
              "them here.") % {"email": address})
    chapter = meeting.chapter
    on = meeting.local_start.date()
    with transaction.atomic():
        if not chapter.is_member(member, on):
            open_membership = chapter.memberships.filter(member=member, left_on__isnull=True)
            if open_membership.exists():
                # In the chapter since later than this meeting: they came, so since then.
                open_membership.update(joined_on=on)
            else:
                ChapterMembership.objects.create(chapter=chapter, member=member, joined_on=on)
        attendance_record(meeting=meeting, members=[member], now=now)
    return member
