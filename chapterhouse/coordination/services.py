"""Writes for coordination calls, each atomic and checked."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from chapterhouse.coordination.models import Call, CandidateTime, Scope, Signup
from chapterhouse.meetings import recurrence
from chapterhouse.organizing.access import may_organize

MAX_CANDIDATES = 8
MAX_OCCURRENCES = 12


def call_create(*, by, title: str, scope: str, continent: str = "", description: str = "",
                occurrences: int = 1, duration_minutes: int = 60, link: str = "") -> Call:
    if not may_organize(by):
        raise ValidationError(_("Only organizers and chapter coordinators can start a call."))
    if scope == Scope.REGION and not continent:
        raise ValidationError(_("Choose the region a regional call is for."))
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise ValidationError(_("A call repeats between 1 and %(max)d times.")
                              % {"max": MAX_OCCURRENCES})
    with transaction.atomic():
        call = Call.objects.create(
            title=title, scope=scope, continent=continent if scope == Scope.REGION else "",
            description=description, occurrences=occurrences,
            duration_minutes=duration_minutes, link=link, organizer=by)
        Signup.objects.create(call=call, member=by)  # the organizer takes part
    return call


def candidate_propose(*, call: Call, by, day: datetime.date, time: datetime.time, zone,
                      now: datetime.datetime) -> CandidateTime:
    """A candidate start entered as a wall-clock time in the proposer's zone; stored in UTC."""
    if recurrence.local_problem(day, time, zone) == "gap":
        raise ValidationError(_("%(time)s does not exist on %(date)s in %(zone)s: the clocks go "
                                "forward. Choose another time.")
                              % {"time": time.strftime("%H:%M"),
                                 "date": formats.date_format(day), "zone": str(zone)})
    starts_at = recurrence.to_utc(day, time, zone)
    if starts_at <= now:
        raise ValidationError(_("That time has already passed: propose a time in the future."))
    with transaction.atomic():
        # Lock the call row so two proposals cannot both pass the limit check.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        candidates = call.candidates.all()
        if candidates.count() >= MAX_CANDIDATES:
            raise ValidationError(_("A call has at most %(max)d candidate times.")
                                  % {"max": MAX_CANDIDATES})
        if candidates.filter(starts_at=starts_at).exists():
            raise ValidationError(_("That time is already a candidate."))
        return CandidateTime.objects.create(call=call, starts_at=starts_at, proposed_by=by)


def candidate_withdraw(*, candidate: CandidateTime) -> None:
    with transaction.atomic():
        candidate.delete()


def call_signup(*, call: Call, member) -> Signup:
    with transaction.atomic():
        return Signup.objects.get_or_create(call=call, member=member)[0]


def call_leave(*, call: Call, member) -> None:
    if call.organizer_id == member.pk:
        raise ValidationError(_("The organizer cannot leave their own call."))
    with transaction.atomic():
        Signup.objects.filter(call=call, member=member).delete()


def call_notes_save(*, call: Call, notes: str, now: datetime.datetime) -> Call:
    with transaction.atomic():
        call.notes = notes
        call.notes_updated_at = now
        call.save(update_fields=["notes", "notes_updated_at"])
    return call
