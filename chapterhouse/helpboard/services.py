"""Posting needs, offering help and closing needs; the asker hears of each offer by email."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.members.mail import member_mail, site_link


def need_post(*, member, title: str, details: str, language: str,
              chapter: Chapter | None = None) -> Need:
    if chapter is not None and not chapter.coordinators.filter(pk=member.pk).exists():
        raise ValidationError(_("Only a coordinator can ask on behalf of %(chapter)s.")
                              % {"chapter": chapter.name})
    place = chapter.place if chapter else member.place
    return Need.objects.create(
        posted_by=member, chapter=chapter, title=title, details=details, language=language,
        region=place.continent_code if place else "",
    )


def offer_make(*, need: Need, member, message: str) -> Offer:
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
    return offer


def need_close(*, need: Need) -> None:
    if need.closed_at is None:
        need.closed_at = timezone.now()
        need.save(update_fields=["closed_at"])


def _tell_asker(offer: Offer) -> None:
    member_mail(offer.need.posted_by, lambda: (
        _("%(name)s offers help: %(title)s")
        % {"name": offer.member.display_name, "title": offer.need.title},
        _("%(name)s wrote:\n\n%(message)s\n\nReply on the site: %(path)s")
        % {"name": offer.member.display_name, "message": offer.message,
           "path": site_link("need_detail", offer.need.pk)},
    ), kind="help_offer")
