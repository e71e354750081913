"""Coordination calls' reads: the list, who a call is for, and the call page's data.

Invitees, kept simple: the organizer and those whose sign-up the organizer accepted; for a
regional call also the coordinators of that continent's chapters, who are invited without
signing up (a region's call is for its chapters).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q, QuerySet

from chapterhouse.coordination import invitees, rotation
from chapterhouse.coordination.invitees import ZoneRow
from chapterhouse.coordination.models import Call, CandidateTime, Scope, Signup
from chapterhouse.coordination.permissions import is_call_organizer, is_participant
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context


def calls_listed() -> QuerySet[Call]:
    """Every call, newest first, with how many signed up and its first candidate time."""
    return (Call.objects.select_related("organizer")
            .annotate(signup_count=Count("signups", distinct=True),
                      first_candidate=Min("candidates__starts_at"))
            .order_by("-created_at"))


def call_ids_signed_up(ctx: Context) -> set[int]:
    """The calls the actor asked to take part in (accepted or not)."""
    if ctx.actor.member is None:
        return set()
    return set(Signup.objects.filter(member=ctx.actor.member).values_list("call_id", flat=True))


def call_invitees(call: Call) -> list[Member]:
    who = Q(pk__in=Signup.objects.accepted().filter(call=call).values("member_id"))
    if call.organizer_id:
        who |= Q(pk=call.organizer_id)
    if call.scope == Scope.REGION:
        who |= Q(coordinated_chapters__place__continent_code=call.continent)
    return list(Member.objects.filter(who, is_active=True).distinct()
                .select_related("place").order_by("display_name"))


@dataclass(frozen=True, slots=True)
class RotationPlan:
    sequence: list[tuple[int, CandidateTime]]  # (occurrence number, its time)
    worst: int  # the most inconvenient occurrences any invitee gets
    per_zone: list[tuple[str, int]]  # each zone's inconvenient occurrences


@dataclass(frozen=True, slots=True)
class CallPage:
    candidates: list[CandidateTime]
    table: list[ZoneRow]
    counts: list[int]  # for each candidate, how many invitees it is inconvenient for
    invitee_count: int
    participant: bool
    is_organizer: bool
    signed_up: bool
    waiting: bool  # signed up, not yet accepted
    pending: list[Signup]  # sign-ups waiting for the organizer (for the organizer only)
    plan: RotationPlan | None


def _rotation_plan(call: Call, candidates: list[CandidateTime], people: list[Member],
                   table: list[ZoneRow]) -> RotationPlan | None:
    if not (call.is_recurring and candidates and people):
        return None
    zones = [ZoneInfo(invitees.zone_name(p)) for p in people]
    bad = rotation.inconvenience([c.starts_at for c in candidates], zones)
    result = rotation.rotate(bad, len(people), call.occurrences)
    worst_zone = {invitees.zone_name(p): load
                  for p, load in zip(people, result.per_participant, strict=True)}
    return RotationPlan(
        sequence=[(i + 1, candidates[i]) for i in result.sequence],
        worst=result.worst,
        per_zone=[(row.zone, worst_zone[row.zone]) for row in table],
    )


def call_page(ctx: Context, call: Call) -> CallPage:
    candidates = list(call.candidates.all())
    people = call_invitees(call)
    table = invitees.zone_table([c.starts_at for c in candidates], people,
                                now=ctx.now())
    organizer = is_call_organizer(ctx.actor, call)
    signup = call.signups.filter(member=ctx.actor.member).first()
    return CallPage(
        candidates=candidates,
        table=table,
        counts=invitees.inconvenient_counts(table),
        invitee_count=len(people),
        participant=is_participant(ctx.actor, call),
        is_organizer=organizer,
        signed_up=signup is not None,
        waiting=signup is not None and signup.accepted_at is None,
        pending=(list(call.signups.pending().select_related("member")
                      .order_by("signed_up_at", "pk")) if organizer else []),
        plan=_rotation_plan(call, candidates, people, table),
    )
