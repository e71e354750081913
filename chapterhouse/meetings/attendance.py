"""Recording who came to a meeting, with the checks that keep the verdict honest."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.audit.services import audit_bulk_created
from chapterhouse.meetings.models import Attendance, GuestAttendance, Meeting

GUEST_NAME_MAX = 100


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
        audit_bulk_created(meeting.attendances.filter(member_id__in=[a.member_id for a in new])
                           .select_related("member", "meeting__chapter__place"))
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


def guest_record(*, meeting: Meeting, name: str, counts_toward_share: bool, by,
                 now: datetime.datetime) -> GuestAttendance:
    """Record someone without an account who came: a name only. They count as an attendee;
    toward the women's share only when `counts_toward_share` (the strict side is not)."""
    _refuse_before_it_happened(meeting, now)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Enter the guest's name."))
    if len(name) > GUEST_NAME_MAX:
        raise ValidationError(_("Keep the guest's name under %(max)d characters.")
                              % {"max": GUEST_NAME_MAX})
    return GuestAttendance.objects.create(meeting=meeting, name=name,
                                          counts_toward_share=counts_toward_share,
                                          recorded_by=by)


def guests_keep(*, meeting: Meeting, guest_ids: list[int]) -> int:
    """Remove the meeting's guests not in `guest_ids` (unticked on the screen); how many."""
    removed, _details = meeting.guests.exclude(pk__in=guest_ids).delete()
    return removed
