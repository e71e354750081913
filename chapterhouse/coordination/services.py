"""Writes for coordination calls, each atomic and checked against the acting member. Times
(who was accepted when, when the notes changed, what "already passed" means) are the
organization's clock."""

from __future__ import annotations

import datetime
import logging
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _

from chapterhouse.coordination.models import Call, CandidateTime, Scope, Signup
from chapterhouse.coordination.permissions import is_call_organizer
from chapterhouse.domain.roles import Capability
from chapterhouse.meetings import recurrence
from chapterhouse.organizations.context import Context

logger = logging.getLogger(__name__)

MAX_CANDIDATES = 8
MAX_OCCURRENCES = 12


def _refuse_unless_organizer(ctx: Context, call: Call) -> None:
    if not is_call_organizer(ctx.actor, call):
        raise PermissionDenied


def call_create(ctx: Context, *, title: str, scope: str, continent: str = "",
                description: str = "", occurrences: int = 1, duration_minutes: int = 60,
                link: str = "") -> Call:
    if not ctx.actor.may(Capability.CALL_CREATE):
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
            duration_minutes=duration_minutes, link=link, organizer=ctx.actor.member)
        # The organizer takes part.
        Signup.objects.create(call=call, member=ctx.actor.member, accepted_at=ctx.now())
    logger.info("call %s created", call.pk)
    return call


def candidate_propose(ctx: Context, *, call: Call, day: datetime.date, time: datetime.time,
                      zone: ZoneInfo) -> CandidateTime:
    """A candidate start entered as a wall-clock time in the proposer's zone; stored in UTC."""
    _refuse_unless_organizer(ctx, call)
    if recurrence.local_problem(day, time, zone) == "gap":
        raise ValidationError(_("%(time)s does not exist on %(date)s in %(zone)s: the clocks go "
                                "forward. Choose another time.")
                              % {"time": time.strftime("%H:%M"),
                                 "date": formats.date_format(day), "zone": str(zone)})
    starts_at = recurrence.to_utc(day, time, zone)
    if starts_at <= ctx.now():
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
        return CandidateTime.objects.create(call=call, starts_at=starts_at,
                                            proposed_by=ctx.actor.member)


def candidate_withdraw(ctx: Context, *, candidate: CandidateTime) -> None:
    _refuse_unless_organizer(ctx, candidate.call)
    with transaction.atomic():
        candidate.delete()


def call_signup(ctx: Context, *, call: Call) -> Signup:
    """Ask to take part; the call's organizer accepts (see signup_accept). Until then the
    member sees nothing more of the call than before."""
    if not ctx.actor.may(Capability.CALL_SIGN_UP):
        raise ValidationError(_("Log in to sign up for a call."))
    with transaction.atomic():
        return Signup.objects.get_or_create(call=call, member=ctx.actor.member)[0]


def signup_accept(ctx: Context, *, signup: Signup) -> Signup:
    """The organizer lets a member take part: they now see the notes, link and invitees."""
    _refuse_unless_organizer(ctx, signup.call)
    now = ctx.now()
    with transaction.atomic():
        updated = Signup.objects.filter(pk=signup.pk, accepted_at__isnull=True).update(
            accepted_at=now)
        if updated:
            signup.accepted_at = now
    return signup


def call_leave(ctx: Context, *, call: Call) -> None:
    member = ctx.actor.member
    if member is None:
        raise PermissionDenied
    if call.organizer_id == member.pk:
        raise ValidationError(_("The organizer cannot leave their own call."))
    with transaction.atomic():
        Signup.objects.filter(call=call, member=member).delete()


def call_notes_save(ctx: Context, *, call: Call, notes: str) -> Call:
    _refuse_unless_organizer(ctx, call)
    with transaction.atomic():
        call.notes = notes
        call.notes_updated_at = ctx.now()
        call.save(update_fields=["notes", "notes_updated_at"])
    return call
