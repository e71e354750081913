"""Who may do what with a chapter's meetings. Outsiders get 404, so existence is not revealed."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.access import can_see_members, may_coordinate
from chapterhouse.meetings.models import Meeting


def meeting_for_member(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("chapter__place"), pk=meeting_id)
    if not can_see_members(request, meeting.chapter):
        raise Http404
    return meeting


def meeting_for_coordinator(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("chapter__place"), pk=meeting_id)
    if not may_coordinate(request.user, meeting.chapter):
        raise Http404
    return meeting
