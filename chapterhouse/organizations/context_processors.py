from typing import Any

from django.http import HttpRequest

from chapterhouse.context import context_of
from chapterhouse.domain.roles import Capability


def organization(request: HttpRequest) -> dict[str, Any]:
    ctx = context_of(request)
    return {
        "organization": ctx.organization,
        "may_plan": ctx.actor.may(Capability.PLANNER_VIEW),
    }
