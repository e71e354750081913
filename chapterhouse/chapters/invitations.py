"""Answering an invitation to a chapter, and how many a chapter may still send today."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation, InvitationStatus

DAY = datetime.timedelta(days=1)


def invitations_left(chapter: Chapter, *, now: datetime.datetime) -> int:
    """How many invitations the chapter may still send in the 24 hours before `now` (a
    renewed invitation counts again: it is sent again). Call it inside the transaction that
    creates them: it locks the chapter's row, so twenty requests at once are counted one after
    another and together never pass the limit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invitations_left() counts inside the sending transaction.")
    # A no-op UPDATE rather than SELECT ... FOR UPDATE: PostgreSQL locks the row and SQLite
    # takes its write lock here, before the count, on both.
    Chapter.objects.filter(pk=chapter.pk).update(radius_km=F("radius_km"))
    sent = chapter.invitations.filter(created_at__gt=now - DAY).count()
    return max(0, settings.CHAPTER_INVITATIONS_PER_DAY - sent)


def limit_reached_error() -> ValidationError:
    return ValidationError(
        _("This chapter has sent its %(limit)d invitations for today. Nothing was sent; try "
          "again tomorrow.") % {"limit": settings.CHAPTER_INVITATIONS_PER_DAY},
        code="invitation_limit")


def invitation_answer(*, invitation: Invitation, accept: bool, on: datetime.date) -> None:
    """Accept (join the chapter) or decline; an expired or answered invitation is refused."""
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    if invitation.expires_on < on:
        raise ValidationError(_("This invitation expired on %(date)s. Ask the chapter for a new "
                                "one.") % {"date": invitation.expires_on.isoformat()})
    with transaction.atomic():
        # Checked again under the row's lock (answered a moment ago in another tab: refused).
        if not Invitation.objects.select_for_update().filter(
                pk=invitation.pk, status=InvitationStatus.PENDING).exists():
            raise ValidationError(_("This invitation has already been answered."))
        invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        invitation.save(update_fields=["status"])
        if accept and not invitation.chapter.is_member(invitation.member, on):
            ChapterMembership.objects.create(chapter=invitation.chapter,
                                             member=invitation.member, joined_on=on)
