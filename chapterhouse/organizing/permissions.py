"""Who has an organizing role: staff (international coordination) and active organizers, who
exist only when a chapter's vote endorsed them or staff appointed them in the admin. Chapter
coordinators are not organizers (see domain/roles.py)."""

from __future__ import annotations

from chapterhouse.domain.roles import Capability
from chapterhouse.organizations.context import Actor


def may_organize(actor: Actor) -> bool:
    """May use the planner and start coordination calls."""
    return actor.may(Capability.PLANNER_VIEW)
