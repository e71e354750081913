"""Who sees and closes what on the help board (for members only, like the board itself)."""

from __future__ import annotations

from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.organizations.context import Actor


def may_see_offers(actor: Actor, need: Need) -> bool:
    """Offers are for the asker and, for a chapter's need, its coordinators."""
    if not actor.is_member:
        return False
    return need.posted_by_id == actor.member.pk or (
        need.chapter_id is not None and actor.coordinates(need.chapter))


def may_close(actor: Actor, need: Need) -> bool:
    """The asker closes their need."""
    return actor.is_member and need.posted_by_id == actor.member.pk


def may_talk(actor: Actor, offer: Offer) -> bool:
    """The asker and the helper who made the offer talk about it (inbox conversations)."""
    return actor.is_member and actor.member.pk in (offer.need.posted_by_id, offer.member_id)
