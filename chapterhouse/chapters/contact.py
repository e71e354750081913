"""An affiliated chapter's first coordinator (issue 13, item 5): the organization's contact
person, once they have joined.

When a person accepts an invitation to an affiliated chapter that has no coordinator yet and
their address is the contact the organization gave (`SympatheticOrganization.contact`, when it
is an email address), they are asked to coordinate it: a CoordinatorOffer, made in the name of
the organizer who carries the chapter (or, when none does, of the staff member who invited
them). Joining does not make anyone a coordinator: they accept or decline the offer on the
chapter's page, as any offer. Otherwise staff or the carrying organizer name one among the
members who joined (the chapter's coordinators page).

Called by chapters.services when an invitation is accepted (in its transaction); kept apart
from stewardship.py, which imports services.
"""

from __future__ import annotations

import logging
from functools import partial

from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter, CoordinatorOffer, OfferStatus, Origin
from chapterhouse.members.emails import normalize_email
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import SympatheticOrganization

logger = logging.getLogger(__name__)


def contact_of(chapter: Chapter) -> str | None:
    """The canonical address of the affiliated organization's contact, if it gave an email."""
    if chapter.origin != Origin.AFFILIATED or not chapter.affiliated_from:
        return None
    contact = (SympatheticOrganization.objects.filter(name=chapter.affiliated_from)
               .values_list("contact", flat=True).first())
    if not contact or "@" not in contact:
        return None
    return normalize_email(contact)


def _giver(chapter: Chapter, invited_by: Member | None) -> Member | None:
    carrier = chapter.organizer
    if carrier is not None and carrier.active and carrier.member.is_active:
        return carrier.member
    if invited_by is not None and invited_by.is_active and invited_by.is_staff:
        return invited_by
    return None


def contact_offer_on_join(chapter: Chapter, member: Member,
                          invited_by: Member | None) -> CoordinatorOffer | None:
    """Inside the accepting transaction: if `member` is the contact of the organization behind
    this affiliated chapter, and it has no coordinator nor an offer waiting for them, ask them
    to coordinate it. None when nothing is asked."""
    contact = contact_of(chapter)
    if contact is None or normalize_email(member.email) != contact:
        return None
    if chapter.coordinators.exists() or chapter.coordinator_offers.filter(
            member=member, status=OfferStatus.PENDING).exists():
        return None
    giver = _giver(chapter, invited_by)
    if giver is None or giver.pk == member.pk:
        return None
    offer = CoordinatorOffer.objects.create(chapter=chapter, member=member, offered_by=giver)
    member_mail(member, partial(_mail, offer), kind="coordinator_offer")
    logger.info("affiliated chapter %s: its organization's contact (member %s) asked to "
                "coordinate", chapter.pk, member.pk)
    return offer


def _mail(offer: CoordinatorOffer) -> tuple[str, str]:
    names = {"name": offer.member.display_name, "chapter": offer.chapter.name,
             "by": offer.offered_by.display_name if offer.offered_by else "",
             "path": site_link("chapter_detail", offer.chapter.slug)}
    return (_("Will you coordinate %(chapter)s?") % names,
            _("Hello %(name)s,\n\nYou joined %(chapter)s, and you are the contact its "
              "organization gave. %(by)s asks you to be its first coordinator. You become one "
              "only if you accept, on the chapter's page: %(path)s") % names)
