"""Who may organize calls and see or change one. Outsiders get 404, not 403.

Any logged-in member sees a call's title, times and how many take part, and may ask to take
part. The notes, the link and the invitees' names are for participants: staff, the call's
organizer, and members the organizer accepted. Signing up alone is not enough.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.coordination.models import Call


def call_for_member(request: HttpRequest, call_id: int) -> Call:
    """Any logged-in member may see a call and sign up; its notes are for participants."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Call.objects.select_related("organizer"), pk=call_id)


def is_organizer(user, call: Call) -> bool:
    return user.is_authenticated and (user.is_staff or call.organizer_id == user.pk)


def is_participant(user, call: Call) -> bool:
    """Sees the notes, the link and who takes part."""
    return is_organizer(user, call) or (
        user.is_authenticated and call.signups.accepted().filter(member=user).exists())


def call_for_organizer(request: HttpRequest, call_id: int) -> Call:
    call = call_for_member(request, call_id)
    if not is_organizer(request.user, call):
        raise Http404
    return call
