"""Inviting a newcomer by email: they join a chapter only by accepting.

The coordinator learns nothing about the address: sending never looks up an account, so the
screen, its message and its timing are the same whether or not someone has signed up with it.
The person opens the emailed link, logs in (or signs up, then opens it again) with that address,
and accepts or declines. A membership made this way starts when it is accepted.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.chapters.access import may_coordinate
from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    EmailInvitation,
    InvitationStatus,
)
from chapterhouse.members.emails import normalize_email
from chapterhouse.members.mail import site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.outbox.services import message_queue


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_invitation_send(*, chapter: Chapter, email: str, by: Member, on: datetime.date,
                          now: datetime.datetime | None = None) -> None:
    """Email an invitation to join `chapter` to this address, unless one is already waiting
    there or was declined (a "no" is respected). Returns nothing on purpose: whatever happens,
    the coordinator is told the same thing."""
    if not may_coordinate(by, chapter):
        raise ValidationError(_("Only the chapter's coordinators can invite members."))
    address = normalize_email(email or "")
    if not address:
        raise ValidationError(_("Enter an email address."))
    now = now or timezone.now()
    limit = settings.CHAPTER_EMAIL_INVITATIONS_PER_DAY
    if transaction.get_connection().in_atomic_block:
        # Lock the chapter's row before counting (as invitations_left does), so requests at
        # once are counted one after another and together never pass the limit.
        Chapter.objects.filter(pk=chapter.pk).update(radius_km=F("radius_km"))
    if chapter.email_invitations.filter(
            created_at__gt=now - datetime.timedelta(days=1)).count() >= limit:
        raise ValidationError(_("%(chapter)s has sent %(limit)d email invitations in the last "
                                "day; send more tomorrow.")
                              % {"chapter": chapter.name, "limit": limit})
    waiting_or_declined = chapter.email_invitations.filter(email=address).filter(
        Q(status=InvitationStatus.DECLINED)
        | Q(status=InvitationStatus.PENDING, expires_on__gte=on))
    if waiting_or_declined.exists():
        return
    token = secrets.token_urlsafe(32)
    expires = on + datetime.timedelta(days=settings.EMAIL_INVITATION_DAYS)
    try:
        with transaction.atomic():
            # An expired, unanswered one is replaced by the new one.
            chapter.email_invitations.filter(email=address,
                                             status=InvitationStatus.PENDING).delete()
            invitation = EmailInvitation.objects.create(
                chapter=chapter, email=address, token_hash=_hash(token), invited_by=by,
                expires_on=expires)
            _send(invitation, token)  # queued with the invitation, sent after commit
    except IntegrityError:  # the same address invited a moment ago by another coordinator
        return


def _send(invitation: EmailInvitation, token: str) -> None:
    """The same email whether or not the address has an account: it says how to do both."""
    names = {"chapter": invitation.chapter.name,
             "org": Organization.objects.current().name,
             "link": site_link("email_invitation", token),
             "signup": site_link("member_signup"),
             "date": invitation.expires_on.isoformat()}
    message_queue(
        to=invitation.email, kind="email_invitation",
        subject=_("You are invited to join %(chapter)s") % names,
        body=_("Hello,\n\nA coordinator of %(chapter)s, a chapter of %(org)s, invites you to "
                  "join it. You join only if you accept:\n\n%(link)s\n\nIf you have no "
                  "account yet, sign up with this email address first (%(signup)s), then open "
                  "the link again. The invitation is open until %(date)s.\n\nIf you do not "
                  "want to join, ignore this email: nothing happens.") % names)


def email_invitation_for_token(token: str) -> EmailInvitation | None:
    return (EmailInvitation.objects.select_related("chapter__place")
            .filter(token_hash=_hash(token)).first())


def email_invitation_answer(*, invitation: EmailInvitation, member: Member, accept: bool,
                            on: datetime.date) -> None:
    """Accept (join the chapter from `on`, recorded now) or decline. Only the account with
    the invited address may answer: a forwarded link enrols nobody else."""
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered."))
    if invitation.expires_on < on:
        raise ValidationError(_("This invitation expired on %(date)s. Ask the chapter for a new "
                                "one.") % {"date": invitation.expires_on.isoformat()})
    if normalize_email(member.email) != invitation.email:
        raise ValidationError(_("This invitation was sent to another email address. Log in "
                                "with the account of that address to answer it."))
    with transaction.atomic():
        updated = EmailInvitation.objects.filter(
            pk=invitation.pk, status=InvitationStatus.PENDING).update(
            status=InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED,
            answered_at=timezone.now(), answered_by=member)
        if not updated:  # answered a moment ago in another tab
            raise ValidationError(_("This invitation has already been answered."))
        if accept and not invitation.chapter.is_member(member, on):
            ChapterMembership.objects.create(chapter=invitation.chapter, member=member,
                                             joined_on=on)
