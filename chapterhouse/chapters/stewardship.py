"""Services about who carries a chapter: a coordinator asks a member to coordinate with them
or to take the role over, the member answers, a coordinator steps down, a member leaves.
(Split from services.py by size; the same rules: the context first, the actor's permission
checked here, one transaction, email through the outbox in it.)

The decisions, and why:
- Nobody becomes a coordinator without accepting, as nobody becomes a member without
  accepting: an offer waits for its receiver, who must be a current member of the chapter.
- A handover is an offer too; the giver stops coordinating only when the receiver accepts,
  in the same transaction, so a chapter is never left without a coordinator by it.
- A coordinator steps down, or leaves the chapter, only if another coordinator remains (the
  count is taken under the chapter's row lock, so two stepping down at once cannot both go).
- No one offers the role to themselves, and an offer made by someone who has since stopped
  coordinating lapses: no action grants its actor a power. The organizer who carries a chapter
  without coordinators (Chapter.organizer: started from the plan, affiliated, a split's part)
  offers its first coordinator role as a coordinator would; staff too. Once the chapter has a
  coordinator, the organizer asks nobody more: its coordinators choose who joins them (an
  offer the organizer made before still stands).
- Whoever made an offer may withdraw it while it waits, and staff may (they look after every
  chapter); other coordinators may not take back a colleague's word. The receiver declines.
- Leaving ends the membership (history stays: past attendance and verdicts are unchanged);
  the apps above withdraw what belonged to it and has not happened yet (meetings: the RSVPs
  to upcoming meetings), through chapters.signals, in the same transaction.
"""

from __future__ import annotations

import logging
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.audit.services import Action, audit_record
from chapterhouse.chapters.models import Chapter, ChapterMembership, CoordinatorOffer, OfferStatus
from chapterhouse.chapters.permissions import may_ask_coordinator
from chapterhouse.chapters.services import _lock, _member
from chapterhouse.chapters.signals import membership_ended
from chapterhouse.domain.roles import Capability
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context

logger = logging.getLogger(__name__)


def coordinator_offer_create(ctx: Context, *, chapter: Chapter, member: Member,
                             handover: bool) -> CoordinatorOffer:
    """Ask `member` to coordinate `chapter` with its coordinators (a coordinator or staff), or
    to take the role over from the actor (`handover`: the actor's own role, so a coordinator
    of this chapter only). The member is emailed; nothing changes until they accept."""
    by, on = _member(ctx), ctx.today()
    if handover and not ctx.actor.coordinates(chapter):
        raise ValidationError(_("Only a coordinator of %(chapter)s can hand the role over.")
                              % {"chapter": chapter.name})
    if not ctx.actor.may(Capability.CHAPTER_COORDINATE, chapter):
        raise ValidationError(_("Only the chapter's coordinators can add a coordinator."))
    if not may_ask_coordinator(ctx, chapter,
                               has_coordinators=chapter.coordinators.exists()):
        raise ValidationError(_("%(chapter)s has coordinators now: they choose who "
                                "coordinates with them.") % {"chapter": chapter.name})
    if member.pk == by.pk:
        raise ValidationError(_("Choose another member: nobody makes themselves a "
                                "coordinator."))
    if not member.is_active or not chapter.is_member(member, on):
        raise ValidationError(_("%(name)s is not a member of %(chapter)s: a coordinator is "
                                "chosen among its current members.")
                              % {"name": member.display_name, "chapter": chapter.name})
    if chapter.coordinators.filter(pk=member.pk).exists():
        raise ValidationError(_("%(name)s already coordinates %(chapter)s.")
                              % {"name": member.display_name, "chapter": chapter.name})
    already = _("%(name)s has already been asked and has not answered yet.") % {
        "name": member.display_name}
    if chapter.coordinator_offers.filter(member=member, status=OfferStatus.PENDING).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            offer = CoordinatorOffer.objects.create(chapter=chapter, member=member,
                                                    offered_by=by, handover=handover)
            member_mail(member, partial(_offer_mail, offer), kind="coordinator_offer")
    except IntegrityError:  # asked a moment ago by another coordinator
        raise ValidationError(already) from None
    logger.info("coordinator offer %s in chapter %s (handover=%s)", offer.pk, chapter.pk,
                handover)
    return offer


def coordinator_offer_answer(ctx: Context, *, offer: CoordinatorOffer,
                             accept: bool) -> CoordinatorOffer:
    """The receiver accepts (they coordinate from now; on a handover the giver stops, in the
    same transaction) or declines. Whoever offered is emailed the answer."""
    member, on = _member(ctx), ctx.today()
    if offer.member_id != member.pk:
        raise PermissionDenied
    chapter = offer.chapter
    answered = _("This offer has already been answered.")
    if offer.status != OfferStatus.PENDING:
        raise ValidationError(answered)
    giver = offer.offered_by
    if accept:
        if not chapter.is_member(member, on):
            raise ValidationError(_("Only a current member of %(chapter)s can coordinate it.")
                                  % {"chapter": chapter.name})
        giver_may = giver is not None and giver.is_active and (
            (giver.is_staff and not offer.handover)
            or chapter.coordinators.filter(pk=giver.pk).exists()
            or (not offer.handover and _carries(chapter, giver)))
        if not giver_may:
            CoordinatorOffer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=OfferStatus.WITHDRAWN, answered_at=timezone.now())
            raise ValidationError(_("This offer lapsed: whoever made it no longer coordinates "
                                    "%(chapter)s.") % {"chapter": chapter.name})
    status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    with transaction.atomic():
        _lock(chapter)
        if not CoordinatorOffer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=status, answered_at=timezone.now()):
            raise ValidationError(answered)  # answered a moment ago in another tab
        offer.status = status
        if accept:
            chapter.coordinators.add(member)
            if offer.handover and giver is not None:
                chapter.coordinators.remove(giver)
                _withdraw_offers_by(chapter, giver)
        if giver is not None and giver.is_active:
            member_mail(giver, partial(_answer_mail, offer, giver), kind="coordinator_answer")
    logger.info("coordinator offer %s %s", offer.pk, status)
    return offer


def coordinator_offer_withdraw(ctx: Context, *, offer: CoordinatorOffer) -> CoordinatorOffer:
    """Whoever made a waiting offer (or staff) takes it back; the member asked is told."""
    by = _member(ctx)
    if offer.offered_by_id != by.pk and not ctx.actor.is_staff:
        raise PermissionDenied
    with transaction.atomic():
        if not CoordinatorOffer.objects.filter(pk=offer.pk, status=OfferStatus.PENDING).update(
                status=OfferStatus.WITHDRAWN, answered_at=timezone.now()):
            raise ValidationError(_("This offer has already been answered."))
        offer.status = OfferStatus.WITHDRAWN
        audit_record(actor=by, action="coordinator_offer_withdraw", target=offer,
                     kind=Action.UPDATE, about=[offer.member_id],
                     changes={"status": (OfferStatus.PENDING, OfferStatus.WITHDRAWN)})
        if offer.member.is_active:
            member_mail(offer.member, partial(_withdrawn_mail, offer, by),
                        kind="coordinator_offer_withdrawn")
    logger.info("coordinator offer %s withdrawn by member %s", offer.pk, by.pk)
    return offer


def coordinator_step_down(ctx: Context, *, chapter: Chapter) -> None:
    """The actor stops coordinating `chapter`, if another coordinator remains; they stay a
    member."""
    by = _member(ctx)
    if not ctx.actor.coordinates(chapter):
        raise ValidationError(_("You do not coordinate %(chapter)s.")
                              % {"chapter": chapter.name})
    with transaction.atomic():
        _leave_coordinators(chapter, by)
    logger.info("member %s stepped down as coordinator of chapter %s", by.pk, chapter.pk)


def membership_leave(ctx: Context, *, chapter: Chapter) -> ChapterMembership:
    """The actor leaves `chapter` today: their membership ends (kept, with its end date), so
    their past attendance and the chapter's verdicts stay as they were; their answers to its
    meetings that have not started yet are withdrawn (they no longer count as coming). A
    coordinator leaves only if another coordinator remains, and stops coordinating with it."""
    by, on = _member(ctx), ctx.today()
    with transaction.atomic():
        membership = (chapter.memberships.current(on).filter(member=by)
                      .select_for_update().first())
        if membership is None:
            raise ValidationError(_("You are not a member of %(chapter)s.")
                                  % {"chapter": chapter.name})
        if chapter.coordinators.filter(pk=by.pk).exists():
            _leave_coordinators(chapter, by, leaving=True)
        membership.left_on = max(on, membership.joined_on)
        membership.save(update_fields=["left_on"])
        CoordinatorOffer.objects.filter(chapter=chapter, member=by,
                                        status=OfferStatus.PENDING).update(
            status=OfferStatus.WITHDRAWN, answered_at=timezone.now())
        membership_ended.send(sender=ChapterMembership, membership=membership,
                              after=ctx.now())
    logger.info("member %s left chapter %s", by.pk, chapter.pk)
    return membership


def _leave_coordinators(chapter: Chapter, member: Member, *, leaving: bool = False) -> None:
    """Inside the caller's transaction: remove `member` from the coordinators unless they are
    the last one (counted under the chapter's lock)."""
    _lock(chapter)
    if not chapter.coordinators.exclude(pk=member.pk).filter(is_active=True).exists():
        if leaving:
            raise ValidationError(
                _("You are the only coordinator of %(chapter)s: hand the role over to another "
                  "member first (on its coordinators page), then leave.")
                % {"chapter": chapter.name})
        raise ValidationError(
            _("You are the only coordinator of %(chapter)s: hand the role over to another "
              "member, or add a co-coordinator, before you step down.")
            % {"chapter": chapter.name})
    chapter.coordinators.remove(member)
    _withdraw_offers_by(chapter, member)


def _carries(chapter: Chapter, member: Member) -> bool:
    """`member` is the active organizer who carries `chapter` (Chapter.organizer): they run a
    chapter without coordinators (started from the plan, affiliated, a split's part) and ask
    its first coordinator."""
    carrier = chapter.organizer
    return carrier is not None and carrier.active and carrier.member_id == member.pk


def _withdraw_offers_by(chapter: Chapter, member: Member) -> None:
    """Offers made by someone who no longer coordinates lapse."""
    CoordinatorOffer.objects.filter(chapter=chapter, offered_by=member,
                                    status=OfferStatus.PENDING).update(
        status=OfferStatus.WITHDRAWN, answered_at=timezone.now())


# Mail ------------------------------------------------------------------------------------------

def _offer_mail(offer: CoordinatorOffer) -> tuple[str, str]:
    names = {"name": offer.member.display_name, "chapter": offer.chapter.name,
             "by": offer.offered_by.display_name if offer.offered_by else "",
             "path": site_link("chapter_detail", offer.chapter.slug)}
    if not offer.handover and not offer.chapter.coordinators.exists():
        # A chapter without coordinators (started from the plan, affiliated, a split's part):
        # its carrying organizer or staff ask its first one.
        return (_("Will you coordinate %(chapter)s?") % names,
                _("Hello %(name)s,\n\n%(by)s asks you to be the first coordinator of "
                  "%(chapter)s. You become one only if you accept, on the chapter's page: "
                  "%(path)s") % names)
    if offer.handover:
        return (_("%(by)s asks you to take over %(chapter)s") % names,
                _("Hello %(name)s,\n\n%(by)s asks you to take over as coordinator of "
                  "%(chapter)s. They stay coordinator until you accept. Accept or decline on "
                  "the chapter's page: %(path)s") % names)
    return (_("%(by)s asks you to coordinate %(chapter)s with them") % names,
            _("Hello %(name)s,\n\n%(by)s asks you to become a co-coordinator of %(chapter)s. "
              "Accept or decline on the chapter's page: %(path)s") % names)


def _withdrawn_mail(offer: CoordinatorOffer, by: Member) -> tuple[str, str]:
    names = {"name": offer.member.display_name, "chapter": offer.chapter.name,
             "by": by.display_name}
    return (_("The offer to coordinate %(chapter)s is withdrawn") % names,
            _("Hello %(name)s,\n\n%(by)s withdrew the offer to coordinate %(chapter)s. "
              "Nothing changes for you: you stay a member.") % names)


def _answer_mail(offer: CoordinatorOffer, giver: Member) -> tuple[str, str]:
    names = {"giver": giver.display_name, "name": offer.member.display_name,
             "chapter": offer.chapter.name}
    if offer.status == OfferStatus.ACCEPTED:
        return (_("%(name)s now coordinates %(chapter)s") % names,
                _("Hello %(giver)s,\n\n%(name)s accepted and now coordinates %(chapter)s.")
                % names)
    return (_("%(name)s declined to coordinate %(chapter)s") % names,
            _("Hello %(giver)s,\n\n%(name)s declined to coordinate %(chapter)s. Nothing "
              "changed.") % names)
