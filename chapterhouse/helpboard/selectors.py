"""The help board's reads: open needs, and what a need's page shows to whom."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.helpboard.permissions import may_see_offers
from chapterhouse.organizations.context import Context

BOARD_SHOWN = 200


def needs_open(*, region: str = "", language: str = "") -> list[Need]:
    """Open needs, newest first, with how many offers each has."""
    needs = (Need.objects.open().select_related("chapter", "posted_by")
             .annotate(offer_count=Count("offers"))
             .matching(region=region, language=language))
    return list(needs[:BOARD_SHOWN])


def need_with_asker(need_id: int) -> QuerySet[Need]:
    return Need.objects.select_related("chapter", "posted_by").filter(pk=need_id)


def offer_of(need_id: int, offer_id: int) -> QuerySet[Offer]:
    return Offer.objects.select_related("need", "need__posted_by", "member").filter(
        pk=offer_id, need_id=need_id)


@dataclass(frozen=True, slots=True)
class NeedPage:
    offers_visible: bool
    offers: list[Offer] | None  # for the asker and the chapter's coordinators only
    my_offer: Offer | None
    offer_count: int


def need_page(ctx: Context, need: Need) -> NeedPage:
    visible = may_see_offers(ctx.actor, need)
    offers = list(need.offers.select_related("member")) if visible else None
    return NeedPage(
        offers_visible=visible,
        offers=offers,
        my_offer=need.offers.filter(member=ctx.actor.member).first(),
        offer_count=len(offers) if offers is not None else need.offers.count(),
    )
