"""Who may do what with a chapter's meetings. Outsiders get 404, so existence is not revealed."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.access import can_see_members
from chapterhouse.chapters.models import Chapter
from chapterhouse.meetings.models import Meeting


def may_coordinate(user, chapter: Chapter) -> bool:
    """Scheduling, RSVP lists and attendance: the chapter's coordinators (and staff)."""
    if not user.is_authenticated:
        return False
    return user.is_staff or chapter.coordinators.filter(pk=user.pk).exists()


def chapter_for_coordinator(request: HttpRequest, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not may_coordinate(request.user, chapter):
        raise Http404
    return chapter


def chapter_for_member(request: HttpRequest, slug: str) -> Chapter:
    """A chapter's meetings page: its members, coordinators and staff."""
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not can_see_members(request, chapter):
        raise Http404
    return chapter


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
