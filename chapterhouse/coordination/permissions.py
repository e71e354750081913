"""Who may organize calls and see or change one. Outsiders get 404, not 403.

Any logged-in member sees a call's title, times and how many take part, and may ask to take
part. The notes, the link and the invitees' names are for participants: staff, the call's
organizer, and members the organizer accepted. Signing up alone is not enough.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.coordination.models import Call
from chapterhouse.organizations.context import Actor, Context


def is_call_organizer(actor: Actor, call: Call) -> bool:
    """Runs the call: accepts sign-ups, proposes times, keeps the notes."""
    return actor.is_member and (actor.is_staff or call.organizer_id == actor.member.pk)


def is_participant(actor: Actor, call: Call) -> bool:
    """Sees the notes, the link and who takes part."""
    return is_call_organizer(actor, call) or (
        actor.is_member and call.signups.accepted().filter(member=actor.member).exists())


def call_for_member(ctx: Context, call_id: int) -> Call:
    """Any logged-in member may see a call and sign up; its notes are for participants."""
    if not ctx.actor.is_member:
        raise Http404
    return get_object_or_404(Call.objects.select_related("organizer"), pk=call_id)


def call_for_organizer(ctx: Context, call_id: int) -> Call:
    call = call_for_member(ctx, call_id)
    if not is_call_organizer(ctx.actor, call):
        raise Http404
    return call
