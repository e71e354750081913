"""Who may see what of a chapter. Outsiders get 404, so existence is not revealed."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability
from chapterhouse.organizations.models import Organization


def can_see_members(request: HttpRequest, chapter: Chapter) -> bool:
    """A chapter's roster and attendance are for its current members, coordinators and staff."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    today = Organization.objects.current().today
    return chapter.is_member(user, today) or chapter.coordinators.filter(pk=user.pk).exists()


def chapter_public(request: HttpRequest, slug: str) -> Chapter:
    """A chapter's public page follows the dashboard's visibility."""
    organization = Organization.objects.current()
    if not organization.dashboard_public and not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Chapter.objects.select_related("place", "parent"), slug=slug)


def chapter_for_member(request: HttpRequest, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not can_see_members(request, chapter):
        raise Http404
    return chapter


def may_coordinate(user, chapter: Chapter) -> bool:
    """Coordinator work (join requests, the vision, meetings, attendance): the chapter's
    coordinators and staff."""
    return may(user, Capability.CHAPTER_COORDINATE, chapter=chapter)


def chapter_for_coordinator(request: HttpRequest, slug: str) -> Chapter:
    """Coordinator pages (join requests, the vision editor): 404 for everyone else."""
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not may_coordinate(request.user, chapter):
        raise Http404
    return chapter
