"""The demo's decisions: the 2012 poll that set the goals, an endorsement, an open NYC poll."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.decisions.models import Ballot, Participation
from chapterhouse.decisions.selectors import goal_set_source
from chapterhouse.demo.decisions import seed_decisions
from chapterhouse.goals.models import GoalSet
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.organizing.models import Organizer
from tests.decisions.conftest import held_ballots


@pytest.fixture(scope="module")
def polls(demo, django_db_blocker):
    with django_db_blocker.unblock():
        organization = Organization.objects.current()
        return seed_decisions(today=organization.today, organization=organization)


@pytest.fixture
def db_polls(db, polls):
    return polls


def test_the_founding_poll_closed_in_2012_and_adopted_the_goals(db_polls):
    poll = db_polls["founding"]
    goal_set = GoalSet.objects.current()
    assert goal_set_source(goal_set)[:2] == (poll, poll.closed_at)
    assert poll.closed_at.year == 2012
    assert poll.closed_at.date() == goal_set.adopted_on
    assert 700 <= poll.result["ballots"] == Ballot.objects.filter(poll=poll).count() == 712
    assert Participation.objects.filter(poll=poll).count() == 712
    assert poll.result["passed"]
    assert poll.secret
    # Voters had all joined by the opening date.
    opening = poll.opens_at.date()
    assert not Participation.objects.filter(poll=poll, member__joined_on__gt=opening).exists()
    assert poll.eligible_count >= 712


def test_the_endorsement_gave_the_coordinator_his_capacity(db_polls):
    poll = db_polls["endorsement"]
    organizer = Organizer.objects.get(member__email="coordinator@demo.example.org")
    assert poll.result["passed"]
    assert poll.closed_at.date() < datetime.date(2014, 2, 1)
    assert organizer.endorsed_by == poll.chapter
    assert organizer.hours_per_week == 15


def test_the_open_chapter_poll_is_open_to_new_york_city(db_polls, client):
    poll = db_polls["open"]
    # One clock: open on the demo's 1 February 2014, not on the real date.
    assert poll.is_open(poll.organization.clock.now())
    assert poll.chapter.name == "New York City"
    assert poll.closes_at.date() == datetime.date(2014, 2, 13)
    assert len(held_ballots(poll)) == Participation.objects.filter(poll=poll).count() == 11
    coordinator = Member.objects.get(email="coordinator@demo.example.org")
    client.force_login(coordinator)
    page = client.get(reverse("poll_detail", args=[poll.pk]))
    assert page.status_code == 200
    assert page.context["may_vote"]
    assert "closes Feb. 13, 2014" in page.text  # DATETIME_FORMAT, then "UTC"
    outsider = Member.objects.exclude(chapter_memberships__chapter=poll.chapter).filter(
        chapter_memberships__isnull=False, is_staff=False).first()
    client.force_login(outsider)
    assert client.get(reverse("poll_detail", args=[poll.pk])).status_code == 404
