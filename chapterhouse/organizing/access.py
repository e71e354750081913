"""Who has an organizing role: staff (international coordination) and active organizers, who
exist only when a chapter's vote endorsed them or staff appointed them in the admin. Chapter
coordinators are not organizers (see members/roles.py)."""

from __future__ import annotations

from chapterhouse.members.access import may
from chapterhouse.members.roles import Capability


def may_organize(user) -> bool:
    """May use the planner and start coordination calls."""
    return may(user, Capability.PLANNER_VIEW)
