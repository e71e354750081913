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
