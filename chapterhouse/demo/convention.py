"""The demo's convention (issue 14, item 4): settings (30 seats by Webster / Sainte-Laguë,
floor 1, votes weighted by members, 30% women among each chapter's delegates, quorum 50%),
delegates with credentials for every qualifying chapter up to its apportioned seats (the demo's
coordinator among them, so that a visitor can vote), and one open session on a motion, with a
proxy given and votes cast, some by the proxy's holder. The demo coordinator's chapter keeps its
last seat open: its delegate election is under way, with three candidates of the chapter, one of
whom has said (on her own, through the service a candidate uses) that she stands as a woman for
the share rule."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.context import context_for
from chapterhouse.convention.models import ConventionSettings, Delegate, Session, Weighting
from chapterhouse.convention.selectors import apportionment_current
from chapterhouse.convention.services import (
    KIND_CANDIDACY,
    candidacy_declare,
    delegate_credential,
    delegate_election_open,
    proxy_give,
    session_open,
    session_vote,
)
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.outbox.models import OutboxMessage

ADMIN_EMAIL = "admin@demo.example.org"  # as in demo/seeding.py
COORDINATOR_EMAIL = "coordinator@demo.example.org"


def seed_convention(*, organization: Organization) -> Session | None:
    staff = Member.objects.filter(email=ADMIN_EMAIL).first()
    if staff is None:
        return None
    boss = context_for(staff, organization)
    coordinator = Member.objects.filter(email=COORDINATOR_EMAIL).first()
    with transaction.atomic():
        ConventionSettings.objects.update_or_create(organization=organization, defaults={
            "seats": 30, "floor": 1, "method": "webster", "weighting": Weighting.APPORTIONED,
            "women_share": Decimal("0.300"), "quorum": Decimal("0.500"), "updated_by": staff})
        today = organization.today
        electing: tuple[Chapter, list[int]] | None = None
        for row in apportionment_current(organization).chapters:
            members = list(ChapterMembership.objects.current(today)
                           .filter(chapter=row.chapter, member__is_active=True)
                           .exclude(member=staff).order_by("joined_on", "member_id")
                           .values_list("member_id", flat=True))
            seats = row.seats
            if coordinator is not None and coordinator.pk in members:
                members.remove(coordinator.pk)
                members.insert(0, coordinator.pk)
                if seats > 1 and len(members) > seats + 2:  # its last seat: elected below
                    seats -= 1
                    electing = (row.chapter, members[seats:seats + 3])
            for member in Member.objects.filter(pk__in=members[:seats]):
                if not Delegate.objects.filter(organization=organization, member=member).exists():
                    delegate_credential(boss, chapter=row.chapter, member=member)
        delegates = list(Delegate.objects.filter(organization=organization)
                         .select_related("member").order_by("chapter__name", "pk"))
        if len(delegates) < 3:
            return None
        session = session_open(boss, title="Adopt the founding statutes")
        # The second delegate hands their vote to the third; the demo's coordinator (if a
        # delegate, the first of their chapter) is left to vote on the page.
        giver, holder = delegates[1], delegates[2]
        if coordinator is not None and coordinator.pk in (giver.member_id, holder.member_id):
            giver, holder = delegates[-1], delegates[-2]
        proxy_give(context_for(giver.member, organization), session=session, holder=holder)
        for index, delegate in enumerate(delegates):
            if delegate.pk == giver.pk or delegate.member_id == getattr(coordinator, "pk", 0):
                continue
            if index % 5 == 4:  # a fifth stay away
                continue
            choice = "no" if index % 4 == 3 else "yes"
            session_vote(context_for(delegate.member, organization), session=session,
                         choice=choice)
        session_vote(context_for(holder.member, organization), session=session, choice="yes",
                     for_delegate=giver)
        if electing is not None:
            _election_under_way(organization, electing[0], electing[1], staff)
    return session


def _election_under_way(organization: Organization, chapter: Chapter, candidate_ids: list[int],
                        by: Member) -> None:
    """The chapter's election for its last seat, a week to vote; a woman among the candidates
    declares herself (the demo knows its made-up members' genders; the site never reads them)."""
    ctx = context_for(by, organization)
    candidates = list(Member.objects.filter(pk__in=candidate_ids).order_by("joined_on", "pk"))
    now = ctx.now()
    election = delegate_election_open(ctx, chapter=chapter, candidates=candidates, opens_at=now,
                                      closes_at=now + datetime.timedelta(days=7))
    # The demo's made-up members are sent nothing: their candidacies wait on the convention page.
    OutboxMessage.objects.filter(kind=KIND_CANDIDACY, sent_at=None,
                                 member__in=candidates).delete()
    woman = next((m for m in candidates if m.gender == "woman"), None)
    if woman is not None:
        candidacy_declare(context_for(woman, organization),
                          candidate=election.candidates.get(member=woman), counts_as_woman=True)
