"""Who may see what of a chapter, beyond the capability table (`ctx.actor.may`). Outsiders get
404, so existence is not revealed."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain.roles import Capability
from chapterhouse.organizations.context import Actor, Context


def members_visible(actor: Actor, chapter: Chapter, *, on: datetime.date) -> bool:
    """A chapter's roster and attendance are for its current members, coordinators and staff."""
    if not actor.is_member:
        return False
    if actor.is_staff or actor.runs(chapter):
        return True
    return chapter.is_member(actor.member, on)


def may_ask_coordinator(ctx: Context, chapter: Chapter, *, has_coordinators: bool) -> bool:
    """Staff and the chapter's coordinators may ask a member to coordinate; the organizer who
    carries it only while it has no coordinator (its first)."""
    if ctx.actor.is_staff or ctx.actor.coordinates(chapter):
        return True
    return ctx.actor.carries(chapter) and not has_coordinators


def request_context(request: HttpRequest) -> Context:
    """The context the middleware put on the request (chapterhouse.context.RequestContext)."""
    ctx: Context = request.ctx  # type: ignore[attr-defined]
    return ctx


def chapter_public(request: HttpRequest, slug: str) -> Chapter:
    """A chapter's public page follows the dashboard's visibility."""
    ctx = request_context(request)
    if not ctx.organization.dashboard_public and not ctx.actor.is_member:
        raise Http404
    return get_object_or_404(Chapter.objects.select_related("place", "parent"), slug=slug)


def chapter_for_member(request: HttpRequest, slug: str) -> Chapter:
    """Member pages (attendance, the meetings list): 404 for everyone else."""
    ctx = request_context(request)
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not members_visible(ctx.actor, chapter, on=ctx.today()):
        raise Http404
    return chapter


def chapter_for_coordinator(request: HttpRequest, slug: str) -> Chapter:
    """Coordinator pages (join requests, the vision editor): 404 for everyone else."""
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not request_context(request).actor.may(Capability.CHAPTER_COORDINATE, chapter):
        raise Http404
    return chapter
