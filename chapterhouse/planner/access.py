"""Who may use the planner: international coordination (staff), organizers, coordinators."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from chapterhouse.organizing.models import Organizer


def may_plan(user) -> bool:
    if not user.is_authenticated:
        return False
    return (user.is_staff or Organizer.objects.filter(member=user, active=True).exists()
            or user.coordinated_chapters.exists())


def require_planner(request: HttpRequest) -> None:
    """Everyone else gets 404: the planner's existence is not advertised."""
    if not may_plan(request.user):
        raise Http404
