"""Who may use the planner: international coordination (staff), organizers, coordinators."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from chapterhouse.organizing.access import may_organize


def require_planner(request: HttpRequest) -> None:
    """Everyone else gets 404: the planner's existence is not advertised."""
    if not may_organize(request.user):
        raise Http404
