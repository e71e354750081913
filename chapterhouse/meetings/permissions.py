"""Who may do what with a chapter's meetings. Outsiders get 404, so existence is not revealed.

Computed from the actor (organizations/context.py), never from the request: a chapter's
meetings, roster and attendance are for its current members, its coordinators and staff;
scheduling, attendance and the chapter's feed are coordinator work (CHAPTER_COORDINATE).
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain.roles import Capability
from chapterhouse.meetings.models import Meeting
from chapterhouse.organizations.context import Actor, Context


def may_coordinate(actor: Actor, chapter: Chapter) -> bool:
    """Coordinator work on the chapter's meetings: its coordinators and staff."""
    return actor.may(Capability.CHAPTER_COORDINATE, chapter)


def may_see_meetings(actor: Actor, chapter: Chapter, *, on: datetime.date) -> bool:
    """A chapter's meetings (and who answered or came) are for its current members on `on`,
    its coordinators and staff."""
    if not actor.is_member:
        return False
    if actor.is_staff or actor.runs(chapter):
        return True
    return chapter.is_member(actor.member, on)


def chapter_for_member(ctx: Context, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not may_see_meetings(ctx.actor, chapter, on=ctx.today()):
        raise Http404
    return chapter


def chapter_for_coordinator(ctx: Context, slug: str) -> Chapter:
    chapter = get_object_or_404(Chapter.objects.select_related("place"), slug=slug)
    if not may_coordinate(ctx.actor, chapter):
        raise Http404
    return chapter


def meeting_for_member(ctx: Context, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("chapter__place"), pk=meeting_id)
    if not may_see_meetings(ctx.actor, meeting.chapter, on=ctx.today()):
        raise Http404
    return meeting


def meeting_for_coordinator(ctx: Context, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("chapter__place"), pk=meeting_id)
    if not may_coordinate(ctx.actor, meeting.chapter):
        raise Http404
    return meeting
