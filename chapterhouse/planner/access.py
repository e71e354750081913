"""Who may use the planner: international coordination (staff) and organizers (see
members/roles.py)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability


def require_planner(request: HttpRequest,
                    capability: Capability = Capability.PLANNER_VIEW) -> None:
    """Everyone else gets 404: the planner's existence is not advertised."""
    if not may(request.user, capability):
        raise Http404
