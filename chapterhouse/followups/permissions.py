"""Who follows people up in a chapter: its coordinators and the organizer who carries it
(`Chapter.organizer`), nobody else. Not staff as such: the conversation log holds what members
said in confidence to the people they meet, and international coordination has no need of it
(staff who coordinate or carry the chapter see it as such). Not the coordinators of the
member's other chapters either. Everyone else gets 404, so existence is not revealed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.organizations.context import Actor, Context


def carries(actor: Actor, chapter: Chapter) -> bool:
    """The actor is the active organizer who carries this chapter."""
    if chapter.organizer_id is None or not actor.is_organizer:
        return False
    organizer = chapter.organizer
    return organizer is not None and organizer.active and organizer.member_id == actor.member.pk


def may_follow_up(actor: Actor, chapter: Chapter) -> bool:
    """The chapter's follow-up queue, its people's rungs and its conversation log."""
    return actor.is_member and (actor.coordinates(chapter) or carries(actor, chapter))


def may_see_email(actor: Actor, person: Any, chapter: Chapter) -> bool:
    """The organizer who carries the chapter sees a member's address only if the member allowed
    it (their profile promises "the organizer of your chapter or of a chapter near you"), never
    another organizer. Coordinators never see addresses, as everywhere else on the site: they
    write through it."""
    return (carries(actor, chapter)
            and bool(getattr(person, "email_visible_to_organizers", False))
            and not person.is_erased)


def chapter_for_follow_up(request: HttpRequest, slug: str) -> Chapter:
    ctx: Context = request.ctx  # type: ignore[attr-defined]
    chapter = get_object_or_404(Chapter.objects.select_related("place", "organizer"), slug=slug)
    if not may_follow_up(ctx.actor, chapter):
        raise Http404
    return chapter
