"""A chapter's split put to its members (docs/splits.md): the decisions side of
`chapterhouse.splits`, which sits below this app. Kept out of services.py so that the
proposals of other features do not all edit one file; `services._carry_out` calls
`splits.services.split_carry_out` when the poll passes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.decisions.models import Kind, Level, Poll
from chapterhouse.organizations.context import Context
from chapterhouse.splits.models import Split, Status
from chapterhouse.splits.permissions import split_propose_allowed
from chapterhouse.splits.services import (
    PartSpec,
    split_in_progress,
    split_lock,
    split_parts_check,
    split_record,
)

VOTE_DAYS = 7


def split_propose(ctx: Context, *, chapter: Chapter, parts: Sequence[PartSpec], source: str,
                  days: int = VOTE_DAYS) -> Split:
    """The actor (staff, a coordinator of the chapter or its organizer) proposes to split
    `chapter` into `parts`: a secret proposal poll of the chapter's members, open from now on
    the organization's clock for `days`. A chapter has at most one split in progress."""
    if not split_propose_allowed(ctx.actor, chapter):
        raise ValidationError(_("You may not propose a split of this chapter."))
    checked = split_parts_check(parts)
    if not 1 <= days <= 60:
        raise ValidationError(_("A vote lasts from 1 to 60 days."))
    now = ctx.now()
    names = ", ".join(p.name for p in checked)
    title = _("Split %(chapter)s into %(parts)s") % {"chapter": chapter.name, "parts": names}
    description = _(
        "If this passes, each part becomes a chapter of its own and every member of "
        "%(chapter)s is asked which part they join (by default the one nearest their city) "
        "within %(days)d days; those who do not answer join that one. Each part qualifies on "
        "its own meetings, counted from the split; %(chapter)s's past months stay as they "
        "were.") % {"chapter": chapter.name, "days": settings.SPLIT_CONFIRM_DAYS}
    try:
        with transaction.atomic():
            split_lock(chapter)
            if split_in_progress(chapter) is not None:
                raise ValidationError(_("%(chapter)s already has a split in progress.")
                                      % {"chapter": chapter.name})
            if chapter.splits.filter(status=Status.DONE).exists():
                raise ValidationError(_("%(chapter)s has already been split.")
                                      % {"chapter": chapter.name})
            poll = Poll.objects.create(
                organization=ctx.organization, title=title[:200], description=description,
                kind=Kind.PROPOSAL, level=Level.CHAPTER, chapter=chapter, opens_at=now,
                closes_at=now + datetime.timedelta(days=days), created_by=ctx.actor.member,
                secret=True)
            return split_record(ctx, chapter=chapter, poll=poll, parts=checked, source=source)
    except IntegrityError:  # a second proposal committed between the check and the insert
        raise ValidationError(_("%(chapter)s already has a split in progress.")
                              % {"chapter": chapter.name}) from None
