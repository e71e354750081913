"""Answering an invitation to a chapter."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import ChapterMembership, Invitation, InvitationStatus


def invitation_answer(*, invitation: Invitation, accept: bool, on: datetime.date) -> None:
    """Accept (join the chapter) or decline; an expired or answered invitation is refused."""
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    if invitation.expires_on < on:
        raise ValidationError(_("This invitation expired on %(date)s. Ask the chapter for a new "
                                "one.") % {"date": invitation.expires_on.isoformat()})
    with transaction.atomic():
        invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        invitation.save(update_fields=["status"])
        if accept and not invitation.chapter.is_member(invitation.member, on):
            ChapterMembership.objects.create(chapter=invitation.chapter,
                                             member=invitation.member, joined_on=on)
