"""Closing: automatic, frozen, announced; goal sets adopted and organizers endorsed."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from chapterhouse.context import context_for
from chapterhouse.decisions.models import EndorsementPlan, GoalProposal, Kind, Level
from chapterhouse.decisions.selectors import goal_set_source
from chapterhouse.decisions.services import (
    ballot_cast,
    endorsement_propose,
    poll_close,
    polls_close_due,
)
from chapterhouse.goals.models import GoalSet
from chapterhouse.organizing.models import Organizer
from tests.conftest import make_qualifying
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db


def vote_all(poll, stances):
    for i, stance in enumerate(stances):
        member = quick_member(f"v{i}@example.org", f"Voter {i}", poll.chapter)
        ballot_cast(context_for(member), poll=poll, data={"stance": [stance]})


def test_the_background_job_closes_due_polls_and_freezes_the_result(
        chapter_poll, bob, django_capture_on_commit_callbacks):
    ballot_cast(context_for(bob), poll=chapter_poll,
                data={"choice": [option_ids(chapter_poll)["Plums"]]})
    assert polls_close_due(context_for(),
                           now=chapter_poll.closes_at - datetime.timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert polls_close_due(context_for(), now=chapter_poll.closes_at) == 1
    chapter_poll.refresh_from_db()
    frozen = chapter_poll.result
    assert chapter_poll.closed_at == chapter_poll.closes_at
    assert frozen["winners"] == ["Plums"]
    assert frozen["ballots"] == 1
    assert frozen["eligible"] == 2
    assert chapter_poll.eligible_count == 2
    # Results are announced to every eligible voter, with a plain-text part.
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "bob@example.org"]
    assert "Plums" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    # A second run changes nothing, and the frozen result stays as it was.
    assert polls_close_due(context_for(),
                           now=chapter_poll.closes_at + datetime.timedelta(days=1)) == 0
    chapter_poll.refresh_from_db()
    assert chapter_poll.result == frozen


def test_close_polls_command_runs_the_job(organization, springfield, alice):
    past = datetime.datetime(2013, 1, 1, tzinfo=datetime.UTC)
    poll = make_poll(organization, chapter=springfield, opens=past,
                     closes=past + datetime.timedelta(days=1))
    call_command("close_polls")
    poll.refresh_from_db()
    assert poll.closed_at is not None
    assert poll.result["winners"] == []


def test_a_choice_poll_below_quorum_chooses_nothing(organization, springfield, alice, bob):
    poll = make_poll(organization, chapter=springfield, quorum=Decimal("0.75"))
    ballot_cast(context_for(bob), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    poll.refresh_from_db()
    assert poll.result["quorum_met"] is False
    assert poll.result["winners"] == []
    assert poll.result["turnout"] == "0.5000"


def test_ranked_polls_count_by_irv_or_stv(organization, springfield):
    irv = make_poll(organization, kind=Kind.RANKED, chapter=springfield)
    stv = make_poll(organization, kind=Kind.RANKED, chapter=springfield, seats=2,
                    options=("Ann", "Ben", "Cat", "Dan"))
    marks = [("Pears", "Apples"), ("Plums", "Apples"), ("Apples",), ("Apples", "Pears"),
             ("Pears", "Plums")]
    for i, ranking in enumerate(marks):
        member = quick_member(f"r{i}@example.org", f"R {i}", springfield)
        ids = option_ids(irv)
        ballot_cast(context_for(member), poll=irv, data={"ranking": [ids[o] for o in ranking]})
        names = dict(zip(("Apples", "Pears", "Plums"), ("Ann", "Ben", "Cat"), strict=True))
        ballot_cast(context_for(member), poll=stv,
                    data={"ranking": [option_ids(stv)[names[o]] for o in ranking]})
    for poll in (irv, stv):
        poll_close(context_for(), poll=poll, now=poll.closes_at)
        poll.refresh_from_db()
    assert irv.result["method"] == "irv"
    assert irv.result["winners"] == ["Apples"]
    assert stv.result["method"] == "stv"
    assert stv.result["count"]["quota"] == 2
    assert sorted(stv.result["winners"]) == ["Ann", "Ben"]


def test_a_passed_goal_proposal_adopts_a_goal_set_shown_with_its_poll(organization, alice):
    poll = make_poll(organization, kind=Kind.PROPOSAL, level=Level.ORGANIZATION, secret=True)
    GoalProposal.objects.create(poll=poll, target_members=5000, target_chapters=30,
                                target_continents=4, deadline=datetime.date(2016, 1, 1))
    vote_all(poll, ["agree", "agree", "abstain", "disagree"])
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    poll.refresh_from_db()
    goal_set = GoalSet.objects.current()
    assert poll.result["passed"]
    assert poll.adopts_goal_set == goal_set
    assert (goal_set.target_members, goal_set.target_chapters) == (5000, 30)
    assert goal_set.adopted_on == poll.closes_at.date()
    assert goal_set.source.endswith(": 4 voters")
    assert goal_set_source(goal_set)[:2] == (poll, poll.closed_at)


def test_a_blocked_proposal_adopts_nothing(organization, alice):
    poll = make_poll(organization, kind=Kind.PROPOSAL, level=Level.ORGANIZATION)
    GoalProposal.objects.create(poll=poll, target_members=1, target_chapters=1,
                                target_continents=1, deadline=datetime.date(2016, 1, 1))
    vote_all(poll, ["agree", "agree", "block"])
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    poll.refresh_from_db()
    assert not poll.result["passed"]
    assert poll.result["reasons"][0]["code"] == "consent.fails.blocks"
    assert poll.adopts_goal_set is None
    assert not GoalSet.objects.exists()
    assert goal_set_source(GoalSet.objects.create(
        organization=organization, target_members=1, target_chapters=1, target_continents=1,
        deadline=datetime.date(2016, 1, 1), adopted_on=datetime.date(2015, 1, 1))) is None


def test_a_passed_endorsement_makes_the_member_an_endorsed_organizer(springfield, bob, alice):
    make_qualifying(springfield)  # only a qualifying chapter endorses organizers
    poll = endorsement_propose(context_for(bob), chapter=springfield, hours_per_week=Decimal("12"),
                               months=Decimal("3"), starts_on=datetime.date(2014, 3, 1),
                               target_areas="Brooklyn", reach_km=80)
    assert EndorsementPlan.objects.get(poll=poll).member == bob
    assert poll.kind == Kind.PROPOSAL
    assert poll.chapter == springfield
    for member in (alice, bob):
        ballot_cast(context_for(member), poll=poll, data={"stance": ["agree"]})
    assert not Organizer.objects.exists()
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    organizer = Organizer.objects.active().get()
    assert (organizer.member, organizer.endorsed_by) == (bob, springfield)
    assert (organizer.hours_per_week, organizer.months, organizer.reach_km) == (12, 3, 80)
