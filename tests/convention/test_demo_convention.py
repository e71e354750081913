"""The demo's convention: delegates apportioned among the qualifying chapters, and one session
with weighted votes and a proxy whose holder voted for its giver."""

from __future__ import annotations

from fractions import Fraction

from django.urls import reverse

from chapterhouse.convention.models import (
    Delegate,
    DelegateElection,
    Proxy,
    Session,
    SessionVote,
)
from chapterhouse.convention.selectors import apportionment_current, session_page
from chapterhouse.organizations.models import Organization
from tests.conftest import client_for


def test_the_demo_apportions_thirty_seats_and_credentials_fill_them(demo, db):
    organization = Organization.objects.current()
    found = apportionment_current(organization)
    assert found.refusal is None
    assert sum(row.seats for row in found.chapters) == 30
    assert all(row.seats >= 1 for row in found.chapters)
    assert len(found.chapters) >= 5
    electing = DelegateElection.objects.get(result__isnull=True).chapter
    for row in found.chapters:
        # Every seat has its delegate, but the last of the chapter whose election is under way.
        open_seats = 1 if row.chapter == electing else 0
        assert row.delegates == min(row.seats, row.members) - open_seats
    assert Delegate.objects.filter(member__email="coordinator@demo.example.org").exists()


def test_the_demo_coordinators_chapter_elects_its_last_delegate(demo, db, client):
    """Three candidates of the coordinator's chapter; one said herself that she stands as a
    woman for the share rule, the others have not said. The chapter's members see it."""
    from chapterhouse.members.models import Member

    coordinator = Member.objects.get(email="coordinator@demo.example.org")
    election = DelegateElection.objects.get(result__isnull=True)
    assert election.chapter.coordinators.filter(pk=coordinator.pk).exists()
    candidates = list(election.candidates.all())
    assert len(candidates) == 3
    declared = [c for c in candidates if c.declared_at is not None]
    assert len(declared) == 1
    assert declared[0].counts_as_woman
    page = client_for(client, coordinator).get(reverse("convention")).content.decode()
    assert page.count("stands as a woman for the share rule") == 1
    assert page.count("has not said (counts as not a woman)") == 2


def test_the_demo_session_counts_weight_and_a_proxy(demo, db):
    organization = Organization.objects.current()
    session = Session.objects.get(title="Adopt the founding statutes")
    proxy = Proxy.objects.get(session=session)
    by_holder = SessionVote.objects.get(session=session, delegate=proxy.giver)
    assert by_holder.cast_by_id == proxy.holder_id
    count = session_page(organization, session, None).count
    members = sum(row.members for row in apportionment_current(organization).chapters)
    assert count.total == Fraction(members)  # weighted by members: every chapter's members
    assert count.by_proxy == 1
    assert count.quorum_met
    assert count.yes > count.no
    assert count.passed


def test_the_demo_coordinator_can_vote_on_the_page(demo, db, client):
    from chapterhouse.members.models import Member

    session = Session.objects.get(title="Adopt the founding statutes")
    coordinator = Member.objects.get(email="coordinator@demo.example.org")
    client_for(client, coordinator)
    url = reverse("convention_session", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="action" value="vote"' in page.content.decode()
    client.post(url, {"action": "vote", "choice": "yes"})
    assert SessionVote.objects.filter(session=session, delegate__member=coordinator).exists()
    overview = client.get(reverse("convention"))
    assert overview.status_code == 200
    assert "Adopt the founding statutes" in overview.content.decode()
