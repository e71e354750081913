"""Who may create, withdraw and see a poll: predicates over the acting `Actor`
(organizations/context.py), one place. Who may vote is the voting rule (electorate.py).

- Create: staff for organization and region polls; a chapter's coordinators (and staff) for
  that chapter's polls (the roles come from domain/roles.py).
- Withdraw (before the close): the poll's author, and those who may create it.
- See: staff, the eligible, and for chapter polls the chapter's current members and
  coordinators; for region polls members living there. Everyone else gets 404.
"""

from __future__ import annotations

import datetime

from chapterhouse.chapters.models import Chapter
from chapterhouse.decisions.electorate import is_eligible
from chapterhouse.decisions.models import Level, Poll
from chapterhouse.domain.roles import Capability
from chapterhouse.organizations.context import Actor


def poll_create_allowed(actor: Actor, level: str, chapter: Chapter | None = None) -> bool:
    if level == Level.CHAPTER and chapter is not None:
        return actor.may(Capability.CHAPTER_POLL_CREATE, chapter)
    return actor.may(Capability.ORGANIZATION_POLL_CREATE)


def poll_create_allowed_somewhere(actor: Actor) -> bool:
    """Whether the actor may create any poll at all (staff, or a coordinator of a chapter)."""
    return actor.is_staff or (actor.is_member and bool(actor.coordinated_chapter_ids))


def poll_withdraw_allowed(actor: Actor, poll: Poll) -> bool:
    """The poll's author (a member withdrawing their own plan, say), or whoever may create
    such a poll."""
    if not actor.is_member:
        return False
    return (poll.created_by_id == actor.member.pk
            or poll_create_allowed(actor, poll.level, poll.chapter))


def poll_visible(actor: Actor, poll: Poll, today: datetime.date) -> bool:
    member = actor.member
    if member is None:
        return False
    if actor.is_staff or poll.level == Level.ORGANIZATION:
        return True
    if poll.level == Level.REGION:
        if member.place_id and member.place.continent_code == poll.region:
            return True
    elif poll.chapter is not None and (poll.chapter.is_member(member, today)
                                       or actor.coordinates(poll.chapter)):
        return True
    return is_eligible(member, poll)
