"""Recording who came to a meeting, with the checks that keep the verdict honest."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.meetings.models import Attendance, Meeting


def attendance_problems(*, meeting: Meeting, member) -> list[str]:
    """Why this attendance cannot be recorded; empty when it can."""
    problems = []
    if meeting.starts_at > timezone.now():
        problems.append(_("This meeting has not happened yet: record attendance after it."))
    on = meeting.local_start.date()
    if not meeting.chapter.is_member(member, on):
        problems.append(
            _("%(member)s was not a member of %(chapter)s on %(date)s.")
            % {"member": member, "chapter": meeting.chapter, "date": on.isoformat()}
        )
    return problems


def attendance_record(*, meeting: Meeting, members: list) -> list[Attendance]:
    """Record that these members came; all or nothing."""
    problems = [p for m in members for p in attendance_problems(meeting=meeting, member=m)]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        return [Attendance.objects.get_or_create(meeting=meeting, member=m)[0] for m in members]


# The one-screen attendance form (views.meeting_attendance_edit) writes through these two.


def attendance_replace(*, meeting: Meeting, members: list, now) -> tuple[int, int]:
    """Make the recorded attendance exactly `members`; (added, removed). All or nothing.

    `now` is the organization's clock (meetings.clock): in a demo set in 2014 a meeting after
    its "today" has not happened yet even though the real clock says it has.
    """
    if meeting.starts_at > now:
        raise ValidationError(_("This meeting has not happened yet: record attendance after it."))
    wanted = {m.pk: m for m in members}
    with transaction.atomic():
        recorded = set(meeting.attendances.values_list("member_id", flat=True))
        new = [m for pk, m in wanted.items() if pk not in recorded]
        attendance_record(meeting=meeting, members=new)
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

    if meeting.starts_at > now:
        raise ValidationError(_("This meeting has not happened yet: record attendance after it."))
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
        attendance_record(meeting=meeting, members=[member])
    return member
