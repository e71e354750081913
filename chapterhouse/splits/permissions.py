"""Who may propose a split, see it, and answer it: predicates over the acting `Actor`.

- Propose: staff, the chapter's coordinators, and the organizer who carries the chapter
  (`Chapter.organizer`, while active). Who votes is the poll's rule: the chapter's members
  (decisions/electorate.py).
- Answer: each member of the parent for themselves only (their own `SplitAnswer`).
- See: staff, those who may propose it, the parent's current members, those asked to answer,
  and members of the parts. Everyone else gets 404.
"""

from __future__ import annotations

import datetime

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.organizations.context import Actor
from chapterhouse.splits.models import Split


def split_propose_allowed(actor: Actor, chapter: Chapter) -> bool:
    if not actor.is_member:
        return False
    if actor.is_staff or actor.coordinates(chapter):
        return True
    organizer = chapter.organizer
    return organizer is not None and organizer.active and organizer.member_id == actor.member.pk


def split_visible(actor: Actor, split: Split, today: datetime.date) -> bool:
    member = actor.member
    if member is None:
        return False
    if split_propose_allowed(actor, split.parent):
        return True
    if split.answers.filter(member=member).exists():
        return True
    chapters = [split.parent_id, *split.parts.exclude(chapter=None).values_list("chapter_id",
                                                                                flat=True)]
    return (ChapterMembership.objects.current(today)
            .filter(member=member, chapter_id__in=chapters).exists())
