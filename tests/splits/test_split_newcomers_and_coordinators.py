"""A split's loose ends (issue 13): members who join the parent while its members confirm
their parts are asked too (by the hourly job, or on the split's page), or placed in the
nearest part at the settling with an email that says so and how to change; a coordinator of
the parent who confirms a part keeps coordinating it; parts left without one are carried by
the parent's organizer, who is asked to name one (an offer the member accepts). On the demo's
New York City split."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, CoordinatorOffer
from chapterhouse.chapters.stewardship import coordinator_offer_answer, coordinator_offer_create
from chapterhouse.context import context_for
from chapterhouse.decisions.services import poll_close
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.splits.models import Split, SplitAnswer, Status
from chapterhouse.splits.services import splits_settle_due
from tests.conftest import client_for, join, make_member

pytestmark = pytest.mark.django_db

COORDINATOR = "coordinator@demo.example.org"
BROOKLYN = 5110302
STATEN_ISLAND = 5139568


def _set_day(day: datetime.date) -> None:
    Organization.objects.update(figures_as_of=day)


@pytest.fixture
def passed(demo):
    nyc = Chapter.objects.get(name="New York City")
    split = Split.objects.get(parent=nyc, status=Status.VOTING)
    poll = split.poll
    assert poll_close(context_for(), poll=poll, now=poll.closes_at, announce=False)
    split.refresh_from_db()
    assert split.status == Status.CONFIRMING
    return split


def test_parts_are_carried_by_the_parents_organizer(passed):
    carrier = passed.parent.organizer
    assert carrier is not None
    parts = Chapter.objects.filter(parent=passed.parent)
    assert parts.count() == 5
    assert {c.organizer_id for c in parts} == {carrier.pk}
    assert not any(c.coordinators.exists() for c in parts)


def test_members_who_join_during_the_window_are_asked_then_placed(passed, client):
    nyc = passed.parent
    day = passed.passed_on + datetime.timedelta(days=2)
    _set_day(day)
    early = make_member("early@example.org", "Early", BROOKLYN)
    join(nyc, early, on=day)
    # On the split's page before any job ran: asked, the nearest part as the default.
    page = client_for(client, early).get(reverse("split_detail", args=[passed.pk])).text
    assert "If you do not answer, you join it." in page
    hourly = make_member("hourly@example.org", "Hourly", STATEN_ISLAND)
    join(nyc, hourly, on=day)
    # The hourly job asks whoever joined since, once, with the same email as everyone.
    assert splits_settle_due(context_for()) == 0
    asked = SplitAnswer.objects.get(split=passed, member=hourly)
    assert asked.default.name == "Staten Island"
    assert OutboxMessage.objects.filter(kind="split_confirm", to=hourly.email).count() == 1
    splits_settle_due(context_for())
    assert OutboxMessage.objects.filter(kind="split_confirm", to=hourly.email).count() == 1
    # The early one answers on the page: their row is written then.
    brooklyn = passed.parts.get(name="Brooklyn")
    client.post(reverse("split_answer", args=[passed.pk]), {"part": str(brooklyn.pk)})
    assert brooklyn.chapter.is_member(early, day)
    # Someone joins on the last day, after the job's last run: placed at the settling.
    last = passed.confirm_by
    _set_day(last)
    late = make_member("late@example.org", "Late", BROOKLYN)
    join(nyc, late, on=last)
    _set_day(last + datetime.timedelta(days=1))
    Split.objects.filter(pk=passed.pk).update(confirm_by=last)
    # (the job's run on the last day is skipped here: nothing asked them)
    settle = context_for()
    assert splits_settle_due(settle) == 1
    today = settle.today()
    assert brooklyn.chapter.is_member(late, today)
    assert passed.parts.get(name="Staten Island").chapter.is_member(hourly, today)
    assert not nyc.is_member(late, today)
    mail = OutboxMessage.objects.get(kind="split_placed", to=late.email)
    assert "while it was splitting" in mail.body
    assert "Brooklyn" in mail.body
    assert "/splits/" in mail.body  # where to see it and change
    assert not OutboxMessage.objects.filter(kind="split_placed", to=early.email).exists()


def test_a_coordinator_keeps_their_part_and_the_organizer_names_the_others(passed, client):
    coordinator = Member.objects.get(email=COORDINATOR)
    mine = SplitAnswer.objects.get(split=passed, member=coordinator)
    _set_day(passed.passed_on + datetime.timedelta(days=1))
    c = client_for(client, coordinator)
    # The box is ticked for a coordinator of the parent: they see it and confirm.
    form = c.get(reverse("split_detail", args=[passed.pk])).context["form"]
    assert form.initial["coordinate"] is True
    c.post(reverse("split_answer", args=[passed.pk]),
           {"part": str(mine.default_id), "coordinate": "on"})
    kept = mine.default.chapter
    assert kept.coordinators.filter(pk=coordinator.pk).exists()

    _set_day(passed.confirm_by + datetime.timedelta(days=1))
    assert splits_settle_due(context_for()) == 1
    carrier = passed.parent.organizer.member
    asks = OutboxMessage.objects.filter(kind="split_coordinator_needed")
    assert [m.to for m in asks] == [carrier.email]
    bare = [c for c in Chapter.objects.filter(parent=passed.parent) if c != kept]
    for chapter in bare:
        assert chapter.name in asks[0].body
    assert kept.name not in asks[0].body.split("\n\n", 2)[-1]
    # The organizer asks a member of a bare part; only their accepting makes them one.
    part = bare[0]
    today = context_for().today()
    member = part.memberships.current(today).exclude(member=carrier).first().member
    offer = coordinator_offer_create(context_for(carrier), chapter=part, member=member,
                                     handover=False)
    assert not part.coordinators.exists()
    coordinator_offer_answer(context_for(member), offer=offer, accept=True)
    assert list(part.coordinators.all()) == [member]
    assert CoordinatorOffer.objects.get(pk=offer.pk).status == "accepted"
