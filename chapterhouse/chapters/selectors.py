"""Reads about chapters and their members that need no meetings (those are in verdicts/)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, QuerySet

from chapterhouse.chapters.models import (
    Chapter,
    ChapterMembership,
    CoordinatorOffer,
    EmailInvitation,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    OfferStatus,
    VisionRevision,
    token_hash,
)
from chapterhouse.chapters.permissions import may_ask_coordinator, members_visible
from chapterhouse.domain.distance import EARTH_RADIUS_KM, great_circle_km
from chapterhouse.domain.roles import Capability
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.places.models import Place

VISION_HISTORY = 10
ANSWERED_SHOWN = 20
ROSTER_PER_PAGE = 100


@dataclass(frozen=True)
class ChapterPeople:
    """A chapter's people as the viewer may see them, and the viewer's own standing."""

    members_visible: bool  # roster, attendance and the vision's editors
    is_member: bool
    coordinating: bool
    pending_request: bool  # the viewer asked to join and waits
    pending_requests: int  # waiting for the coordinators (0 unless coordinating)
    roster: list[ChapterMembership]  # a page of them (ROSTER_PER_PAGE); empty unless
    # members_visible
    roster_page: Page[ChapterMembership] | None  # None unless members_visible
    coordinators: list[Member]
    vision: VisionRevision | None
    vision_history: list[VisionRevision]  # newest first; empty unless members_visible
    coordinator_offer: CoordinatorOffer | None  # the viewer is asked to coordinate


def chapter_people(ctx: Context, chapter: Chapter, *, roster_page: int | str = 1
                   ) -> ChapterPeople:
    """What the viewer may see of a chapter's people; its members a page at a time (a big
    city's chapter has thousands)."""
    on, actor = ctx.today(), ctx.actor
    visible = members_visible(actor, chapter, on=on)
    coordinating = actor.may(Capability.CHAPTER_COORDINATE, chapter)
    member = actor.member
    revisions = list(chapter.vision_revisions.select_related("edited_by")
                     [:VISION_HISTORY if visible else 1])
    pending = chapter.join_requests.filter(status=JoinRequestStatus.PENDING)
    roster = (Paginator(chapter.memberships.current(on).select_related("member__place")
                        .order_by("member__display_name", "pk"), ROSTER_PER_PAGE)
              .get_page(roster_page) if visible else None)
    return ChapterPeople(
        members_visible=visible,
        is_member=member is not None and chapter.is_member(member, on),
        coordinating=coordinating,
        pending_request=member is not None and pending.filter(member=member).exists(),
        pending_requests=pending.count() if coordinating else 0,
        roster=list(roster.object_list) if roster else [],
        roster_page=roster,
        coordinators=list(chapter.coordinators.order_by("display_name")),
        vision=revisions[0] if revisions else None,
        vision_history=revisions if visible else [],
        coordinator_offer=(chapter.coordinator_offers.filter(
            member=member, status=OfferStatus.PENDING).select_related("offered_by").first()
            if member is not None else None),
    )


@dataclass(frozen=True)
class ChapterCoordinators:
    """The coordinators page: who coordinates, who may be asked, who was asked."""

    coordinators: list[Member]
    candidates: list[Member]  # current members who do not coordinate, but the viewer
    pending: list[CoordinatorOffer]
    withdrawable: frozenset[int]  # pending offers the viewer may withdraw: theirs (staff: all)
    coordinating: bool  # the viewer coordinates (may hand over and step down)
    may_ask: bool  # the viewer may ask someone (stewardship.may_ask_coordinator)


def chapter_coordinators(ctx: Context, chapter: Chapter) -> ChapterCoordinators:
    on, actor = ctx.today(), ctx.actor
    coordinators = list(chapter.coordinators.order_by("display_name"))
    taken = {m.pk for m in coordinators} | {getattr(actor.member, "pk", None)}
    current = chapter.memberships.current(on).filter(member__is_active=True)
    candidates = [m for m in Member.objects.filter(pk__in=current.values("member_id"))
                  .order_by("display_name", "pk") if m.pk not in taken]
    pending = list(chapter.coordinator_offers.filter(status=OfferStatus.PENDING)
                   .select_related("member", "offered_by"))
    viewer = getattr(actor.member, "pk", None)
    return ChapterCoordinators(
        coordinators=coordinators,
        candidates=candidates,
        pending=pending,
        withdrawable=frozenset(o.pk for o in pending
                               if actor.is_staff or o.offered_by_id == viewer),
        coordinating=actor.coordinates(chapter),
        may_ask=may_ask_coordinator(ctx, chapter, has_coordinators=bool(coordinators)),
    )


def vision_current(chapter: Chapter) -> VisionRevision | None:
    return chapter.vision_revisions.first()


@dataclass(frozen=True)
class PendingJoinRequest:
    request: JoinRequest
    languages: list[str]  # the member's languages, named in the reader's language


@dataclass(frozen=True)
class ChapterJoinRequests:
    pending: list[PendingJoinRequest]  # oldest first
    answered: list[JoinRequest]  # the latest answers, newest first


def chapter_join_requests(chapter: Chapter) -> ChapterJoinRequests:
    """Who asked to join, for the coordinators: name, city and languages only."""
    names = dict(settings.LANGUAGES)
    pending = (chapter.join_requests.filter(status=JoinRequestStatus.PENDING)
               .select_related("member__place").order_by("created_at"))
    answered = (chapter.join_requests.exclude(status=JoinRequestStatus.PENDING)
                .select_related("member", "answered_by").order_by("-answered_at"))
    return ChapterJoinRequests(
        pending=[PendingJoinRequest(r, [str(names.get(code, code))
                                        for code in r.member.languages or []])
                 for r in pending],
        answered=list(answered[:ANSWERED_SHOWN]),
    )


def invitations_of(member: Member) -> list[Invitation]:
    """A member's invitations, newest first, each with `invited`: how many were invited to the
    same chapter (never who)."""
    return list(member.invitations.select_related("chapter__place")
                .annotate(invited=Count("chapter__invitations__member", distinct=True))
                .order_by("-created_at"))


def email_invitation_for_token(token: str) -> EmailInvitation | None:
    return (EmailInvitation.objects.select_related("chapter__place")
            .filter(token_hash=token_hash(token)).first())


def chapter_ids_of(member: Member, *, on: datetime.date) -> set[int]:
    """The chapters the member belongs to on this date."""
    return set(member.chapter_memberships.current(on).values_list("chapter_id", flat=True))


def chapter_ids_asked(member: Member) -> set[int]:
    """The chapters the member asked to join and waits for."""
    return set(member.join_requests.filter(status=JoinRequestStatus.PENDING)
               .values_list("chapter_id", flat=True))


def members_unaffiliated(members: QuerySet[Member], on: datetime.date) -> QuerySet[Member]:
    """Those of `members` in no chapter on this date. NOT EXISTS, not NOT IN: PostgreSQL plans
    NOT IN (subquery) quadratically above a few hundred thousand memberships."""
    current = ChapterMembership.objects.current(on).filter(member_id=OuterRef("pk"))
    return members.filter(~Exists(current))


def distance_km(a: Place, b: Place) -> float:
    return great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude)


def unaffiliated_near(place: Place, *, radius_km: float, on: datetime.date,
                      exclude: Member | None = None) -> list[int]:
    """Ids of members in no chapter, with a confirmed email and willing to meet in person,
    whose city is within the radius, nearest first. One query: a latitude/longitude box in the
    database, the exact distance here."""
    rows = (members_unaffiliated(Member.objects.active(), on)
            .filter(email_confirmed=True, willing_to_meet=True, place__isnull=False)
            .filter(**_box(place, radius_km))
            .values_list("pk", "place__latitude", "place__longitude"))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    near = ((great_circle_km(place.latitude, place.longitude, lat, lon), pk)
            for pk, lat, lon in rows)
    return [pk for km, pk in sorted(near) if km <= radius_km]


def unaffiliated_near_count(place: Place, *, radius_km: float, on: datetime.date,
                            exclude: Member | None = None) -> int:
    """How many members unaffiliated_near() finds, counted per city in the database (members
    share a few thousand cities: one row per city of the box, not one per member)."""
    rows = (members_unaffiliated(Member.objects.active(), on)
            .filter(email_confirmed=True, willing_to_meet=True, place__isnull=False)
            .filter(**_box(place, radius_km)))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    cities = (rows.order_by().values("place_id", "place__latitude", "place__longitude")
              .annotate(members=Count("pk"))
              .values_list("place__latitude", "place__longitude", "members"))
    return sum(members for lat, lon, members in cities
               if great_circle_km(place.latitude, place.longitude, lat, lon) <= radius_km)


def _box(place: Place, radius_km: float) -> dict[str, Any]:
    """A latitude/longitude range that contains the circle (none for longitude near a pole or
    across the date line, where the box would wrap)."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    box: dict[str, Any] = {"place__latitude__range": (place.latitude - dlat,
                                                      place.latitude + dlat)}
    if abs(place.latitude) + dlat < 89:
        dlon = dlat / math.cos(math.radians(abs(place.latitude) + dlat))
        low, high = place.longitude - dlon, place.longitude + dlon
        if low > -180 and high < 180:
            box["place__longitude__range"] = (low, high)
    return box


@dataclass(frozen=True, slots=True)
class CoveringChapter:
    """An existing chapter whose area covers a point: its home place lies within its own
    radius_km of it."""

    chapter: Chapter
    distance_km: float


COVERING_SHOWN = 5


def chapters_covering(latitude: float, longitude: float, *, exclude: int | None = None
                      ) -> list[CoveringChapter]:
    """The chapters whose area covers this point, nearest first (at most COVERING_SHOWN): a
    new chapter there would be a rival by accident (issue 13). Every chapter's coordinates and
    radius are read as values (one query of small rows), then only the ones shown."""
    every = Chapter.objects.values_list("pk", "radius_km", "place__latitude", "place__longitude")
    covering = sorted((great_circle_km(latitude, longitude, lat, lon), pk)
                      for pk, radius, lat, lon in every
                      if pk != exclude and great_circle_km(latitude, longitude, lat, lon)
                      <= radius)[:COVERING_SHOWN]
    chapters = Chapter.objects.select_related("place").in_bulk([pk for _d, pk in covering])
    return [CoveringChapter(chapters[pk], d) for d, pk in covering]
