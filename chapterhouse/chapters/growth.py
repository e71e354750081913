"""An existing chapter's growth (issue 13, item 6): the planner found a group of members without
a chapter inside an existing chapter's area. A second chapter there would be a rival; instead
they are invited to join THAT chapter, and its coordinators (and the organizer who carries it)
are told who is coming their way, as a number: the names appear when people accept.

Nobody becomes a member without accepting: each gets an ordinary on-site invitation (declined
or open ones are left alone, an expired one is renewed), counted against the chapter's daily
limit. For organizers and staff, as "Start it" is; the planner checks which candidate is whose.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapterhouse.audit.services import Action, audit_bulk_created, audit_record
from chapterhouse.chapters.models import Chapter, Invitation, InvitationStatus
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.chapters.services import (
    INVITATION_DAYS,
    _member,
    invitations_left,
    limit_reached_error,
)
from chapterhouse.domain.roles import Capability
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context

logger = logging.getLogger(__name__)

KIND_INVITATION = "chapter_growth_invitation"  # category: chapter
KIND_TOLD = "chapter_growth_told"  # category: chapter


@dataclass(frozen=True, slots=True)
class GrowthInvited:
    invited: int  # invitations sent now
    already: int  # of the group: already invited, declined, or no longer free to invite
    waiting: int = 0  # left for tomorrow by the daily limit


def chapter_growth_invite(ctx: Context, *, chapter: Chapter, members: list[Member]
                          ) -> GrowthInvited:
    """Invite these members (a plan's group inside `chapter`'s area) to join `chapter`: those
    still without a chapter, with a confirmed email and willing to meet, who have no open
    invitation to it and never declined one; up to the chapter's daily limit. The chapter's
    coordinators and its organizer are emailed how many were invited. Sending it again invites
    nobody twice."""
    if not ctx.actor.may(Capability.PLANNER_START):
        raise ValidationError(_("Only organizers and staff can invite a plan's group to a "
                                "chapter."))
    by, on = _member(ctx), ctx.today()
    free = list(members_unaffiliated(Member.objects.filter(pk__in=[m.pk for m in members])
                                     .active(), on)
                .filter(email_confirmed=True, willing_to_meet=True).exclude(pk=by.pk)
                .order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        left = invitations_left(chapter)  # locks the chapter: counted one at a time
        taken = set(chapter.invitations.filter(
            Q(status=InvitationStatus.DECLINED)
            | Q(status=InvitationStatus.PENDING, expires_on__gte=on))
            .values_list("member_id", flat=True))
        fresh = [pk for pk in free if pk not in taken]
        already = len(members) - len(fresh)
        if not fresh:
            return GrowthInvited(0, already)
        if left == 0:
            raise limit_reached_error()
        batch = fresh[:left]
        # An invitation that expired unanswered was never declined: it is sent again.
        chapter.invitations.filter(member_id__in=batch, status=InvitationStatus.PENDING).delete()
        expires = on + datetime.timedelta(days=INVITATION_DAYS)
        invitations = Invitation.objects.bulk_create(
            Invitation(chapter=chapter, member_id=pk, invited_by=by, expires_on=expires)
            for pk in batch)
        audit_bulk_created(Invitation.objects.filter(pk__in=[i.pk for i in invitations])
                           .select_related("member", "chapter"))
        audit_record(actor=by, action="chapter_growth_invite", target=chapter,
                     kind=Action.CREATE, changes={"invited": len(batch), "already": already,
                                                  "waiting": len(fresh) - len(batch)})
        link = site_link("invitations")
        for invitation in Invitation.objects.filter(pk__in=[i.pk for i in invitations]) \
                .select_related("member", "chapter"):
            member_mail(invitation.member,
                        partial(_invitation_mail, invitation, ctx.organization.name, link),
                        kind=KIND_INVITATION)
        _tell_runners(chapter, by, len(batch))
    logger.info("chapter %s: %d members of a plan's group invited as its growth by member %s",
                chapter.pk, len(batch), by.pk)
    return GrowthInvited(len(batch), already, len(fresh) - len(batch))


def _tell_runners(chapter: Chapter, by: Member, n: int) -> None:
    """The chapter's coordinators and its carrying organizer hear how many are invited."""
    runners = {m.pk: m for m in chapter.coordinators.filter(is_active=True)}
    carrier = chapter.organizer
    if carrier is not None and carrier.active and carrier.member.is_active:
        runners.setdefault(carrier.member_id, carrier.member)
    runners.pop(by.pk, None)
    names = {"chapter": chapter.name, "by": by.display_name, "n": n,
             "path": site_link("chapter_detail", chapter.slug)}
    for runner in runners.values():
        def mail(runner: Member = runner) -> tuple[str, str]:
            return (
                ngettext("%(n)d member near you is invited to join %(chapter)s",
                         "%(n)d members near you are invited to join %(chapter)s", n) % names,
                ngettext("Hello %(name)s,\n\nThe growth plan found %(n)d member without a "
                         "chapter living inside the area of %(chapter)s, and %(by)s invited "
                         "them to join it rather than start a chapter beside yours. They join "
                         "only if they accept; you will see them among the members when they "
                         "do. A welcome from you helps: %(path)s",
                         "Hello %(name)s,\n\nThe growth plan found %(n)d members without a "
                         "chapter living inside the area of %(chapter)s, and %(by)s invited "
                         "them to join it rather than start a chapter beside yours. They join "
                         "only if they accept; you will see them among the members when they "
                         "do. A welcome from you helps: %(path)s", n)
                % {**names, "name": runner.display_name},
            )
        member_mail(runner, mail, kind=KIND_TOLD)


def _invitation_mail(invitation: Invitation, organization: str, link: str) -> tuple[str, str]:
    names = {"name": invitation.member.display_name, "org": organization,
             "chapter": invitation.chapter.name, "path": link,
             "date": invitation.expires_on.isoformat()}
    return (
        _("You are invited to join %(chapter)s") % names,
        _("Hello %(name)s,\n\n%(chapter)s, a chapter of %(org)s, meets near where you live, "
          "and you are invited to join it. You become a member only if you accept, on the "
          "site: %(path)s\n\nThe invitation is open until %(date)s. If you do not want to "
          "join, ignore it: nothing happens.") % names,
    )
