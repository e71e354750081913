"""What the split pages show, read once for the template (which runs no query)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.organizations.context import Context
from chapterhouse.places.models import Place
from chapterhouse.splits.models import IN_PROGRESS, Split, SplitAnswer, SplitPart, Status
from chapterhouse.splits.permissions import split_propose_allowed, split_visible
from chapterhouse.splits.services import MAX_PARTS, split_question


@dataclass(frozen=True)
class PartRow:
    part: SplitPart
    chapter: Chapter | None
    chosen: int  # members who answered this part
    by_default: int  # members whose default it is and who have not answered (yet)
    coordinators: int


@dataclass(frozen=True)
class SplitPage:
    split: Split
    parts: list[PartRow]
    asked: int
    answered: int
    answer: SplitAnswer | None  # the viewer's own
    may_answer: bool
    may_coordinate: bool  # the viewer coordinates the parent


def split_page(ctx: Context, split: Split) -> SplitPage:
    member = ctx.actor.member
    parts = list(split.parts.select_related("place", "chapter"))
    chosen = Counter(dict(split.answers.filter(answered_at__isnull=False, part__isnull=False)
                          .values("part").annotate(n=Count("pk")).values_list("part", "n")))
    waiting = Counter(dict(split.answers.filter(answered_at__isnull=True)
                           .values("default").annotate(n=Count("pk"))
                           .values_list("default", "n")))
    placed = Counter(dict(split.answers.filter(by_default=True).values("default")
                          .annotate(n=Count("pk")).values_list("default", "n")))
    coordinators = Counter(dict(
        Chapter.objects.filter(pk__in=[p.chapter_id for p in parts if p.chapter_id])
        .annotate(n=Count("coordinators")).values_list("pk", "n")))
    answer = (split.answers.select_related("part", "default").filter(member=member).first()
              if member is not None else None)
    confirm_by = split.confirm_by
    if answer is None and member is not None and split.status == Status.CONFIRMING \
            and split.parent.is_member(member, ctx.today()):
        # Joined since the split passed and not asked yet: asked here, the same way (the row
        # is written when they answer, or by the next run of the job).
        answer = split_question(split, member, parts)
    may_answer = (answer is not None and split.status == Status.CONFIRMING
                  and confirm_by is not None and ctx.today() <= confirm_by)
    return SplitPage(
        split=split,
        parts=[PartRow(p, p.chapter, chosen[p.pk], waiting[p.pk] + placed[p.pk],
                       coordinators[p.chapter_id] if p.chapter_id else 0) for p in parts],
        asked=split.answers.count(),
        answered=split.answers.filter(answered_at__isnull=False).count(),
        answer=answer, may_answer=may_answer,
        may_coordinate=member is not None and split.parent.coordinators.filter(
            pk=member.pk).exists())


def split_of_chapter(chapter: Chapter) -> Split | None:
    """The chapter's split in progress, else the one that split it; None if neither."""
    return (Split.objects.filter(parent=chapter, status__in=[*IN_PROGRESS, Status.DONE])
            .order_by("-proposed_at").first())


def split_parts_from_members(chapter: Chapter, on: datetime.date,
                             min_size: int) -> list[Place]:
    """Candidate centres as the planner chooses them (planner/db_inputs.py): the cities where
    at least `min_size` of the chapter's members live, other than its own, most first."""
    counts = Counter(ChapterMembership.objects.current(on)
                     .filter(chapter=chapter, member__place__isnull=False)
                     .values_list("member__place_id", flat=True))
    ids = [pid for pid, n in counts.most_common()
           if pid != chapter.place_id and n >= min_size][:MAX_PARTS]
    by_id = Place.objects.in_bulk(ids)
    return [by_id[pid] for pid in ids]


def split_notice(ctx: Context, chapter: Chapter) -> dict[str, object]:
    """For the chapter's page: its split, if the viewer may see it, or whether they may
    propose one (staff, its coordinators and its organizer, when none is in progress)."""
    split = split_of_chapter(chapter) if ctx.actor.is_member else None
    if split is not None and split_visible(ctx.actor, split, ctx.today()):
        return {"split_notice": split, "split_proposable": False}
    return {"split_notice": None,
            "split_proposable": split is None and split_propose_allowed(ctx.actor, chapter)}
