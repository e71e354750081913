"""Who may organize calls and see or change one. Outsiders get 404, not 403."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.coordination.models import Call


def call_for_member(request: HttpRequest, call_id: int) -> Call:
    """Any logged-in member may see a call and sign up; its notes are for participants."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Call.objects.select_related("organizer"), pk=call_id)


def call_for_organizer(request: HttpRequest, call_id: int) -> Call:
    call = call_for_member(request, call_id)
    if not (request.user.is_staff or call.organizer_id == request.user.pk):
        raise Http404
    return call
