"""Posting needs, offering help and closing needs; the asker hears of each offer by email.
When a need closes is the organization's clock, like every other time members see."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.helpboard.permissions import may_close, may_talk
from chapterhouse.inbox.models import Thread
from chapterhouse.inbox.services import conversation_open, message_reply
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.organizations.context import Context

logger = logging.getLogger(__name__)


def need_post(ctx: Context, *, title: str, details: str, language: str,
              chapter: Chapter | None = None) -> Need:
    """Ask for help, for oneself or (a coordinator) on behalf of a chapter."""
    member = ctx.actor.member
    if member is None:
        raise PermissionDenied
    if chapter is not None and not ctx.actor.coordinates(chapter):
        raise ValidationError(_("Only a coordinator can ask on behalf of %(chapter)s.")
                              % {"chapter": chapter.name})
    place = chapter.place if chapter else member.place
    need = Need.objects.create(
        posted_by=member, chapter=chapter, title=title, details=details, language=language,
        region=place.continent_code if place else "",
    )
    logger.info("need %s posted", need.pk)
    return need


def offer_make(ctx: Context, *, need: Need, message: str) -> Offer:
    member = ctx.actor.member
    if member is None:
        raise PermissionDenied
    if need.closed_at is not None:
        raise ValidationError(_("This need was closed: thank you all the same."))
    if need.posted_by_id == member.pk:
        raise ValidationError(_("You cannot offer help on your own request."))
    try:
        with transaction.atomic():
            offer = Offer.objects.create(need=need, member=member, message=message)
            _tell_asker(offer)  # queued with the offer, sent after commit
    except IntegrityError:
        raise ValidationError(_("You have already offered help here.")) from None
    logger.info("need %s: offer %s made", need.pk, offer.pk)
    return offer


def need_close(ctx: Context, *, need: Need) -> Need:
    if not may_close(ctx.actor, need):
        raise PermissionDenied
    if need.closed_at is None:
        need.closed_at = ctx.now()
        need.save(update_fields=["closed_at"])
    return need


def offer_talk(ctx: Context, *, offer: Offer, body: str, token: str = "") -> Thread:
    """The asker answers an offer, or the helper writes to the asker: the first message opens
    their conversation (on the site, addresses unseen; inbox), later ones are replies in it.
    Only these two; the offer's row is locked so two first messages make one conversation."""
    if not may_talk(ctx.actor, offer):
        raise PermissionDenied
    with transaction.atomic():
        offer = Offer.objects.select_for_update(of=("self",)).select_related(
            "need", "need__posted_by", "need__chapter", "member").get(pk=offer.pk)
        if offer.thread_id is not None:
            thread = offer.thread
            assert thread is not None
            message_reply(ctx, thread=thread, body=body, token=token)
            return thread
        asker = offer.need.posted_by
        other = offer.member if ctx.actor.member.pk == asker.pk else asker
        sent = conversation_open(ctx, recipient=other, subject=offer.need.title, body=body,
                                 token=token, chapter=offer.need.chapter)
        offer.thread = sent.threads[0]
        offer.save(update_fields=["thread"])
    logger.info("need %s: offer %s has a conversation", offer.need_id, offer.pk)
    return offer.thread


def _tell_asker(offer: Offer) -> None:
    def compose() -> tuple[str, str]:
        return (
            _("%(name)s offers help: %(title)s")
            % {"name": offer.member.display_name, "title": offer.need.title},
            _("%(name)s wrote:\n\n%(message)s\n\nReply on the site: %(path)s")
            % {"name": offer.member.display_name, "message": offer.message,
               "path": site_link("need_detail", offer.need.pk)},
        )

    member_mail(offer.need.posted_by, compose, kind="help_offer")
