"""Writes for coordination calls, each atomic and checked."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from chapterhouse.coordination.models import Call, CandidateTime, Scope, Signup
from chapterhouse.meetings import recurrence
from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability

MAX_CANDIDATES = 8
MAX_OCCURRENCES = 12


def call_create(*, by, title: str, scope: str, continent: str = "", description: str = "",
                occurrences: int = 1, duration_minutes: int = 60, link: str = "") -> Call:
    if not may(by, Capability.CALL_CREATE):
        raise ValidationError(_("Only organizers and staff can start a call."))
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
        # The organizer takes part.
        Signup.objects.create(call=call, member=by, accepted_at=timezone.now())
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
    """Ask to take part; the call's organizer accepts (see signup_accept). Until then the
    member sees nothing more of the call than before."""
    if not may(member, Capability.CALL_SIGN_UP):
        raise ValidationError(_("Log in to sign up for a call."))
    with transaction.atomic():
        return Signup.objects.get_or_create(call=call, member=member)[0]


def signup_accept(*, signup: Signup, now: datetime.datetime) -> Signup:
    """The organizer lets a member take part: they now see the notes, link and invitees."""
    with transaction.atomic():
        updated = Signup.objects.filter(pk=signup.pk, accepted_at__isnull=True).update(
            accepted_at=now)
        if updated:
            signup.accepted_at = now
    return signup


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
