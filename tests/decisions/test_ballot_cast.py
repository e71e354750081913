"""Casting a ballot: one member, one vote; changes while open; refusals change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Ballot, Kind, Participation, SealedBallot
from chapterhouse.decisions.services import ballot_cast
from tests.conftest import make_member
from tests.decisions.conftest import held_ballots, make_poll, option_ids

pytestmark = pytest.mark.django_db


def snapshot(poll):
    return (sorted(map(str, held_ballots(poll))),
            Participation.objects.filter(poll=poll).count())


def test_a_member_votes_once_and_the_ballot_is_stored(chapter_poll, bob):
    ids = option_ids(chapter_poll)
    outcome = ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [ids["Pears"]]})
    assert not outcome.changed
    assert outcome.receipt
    assert snapshot(chapter_poll) == ([str(([int(ids["Pears"])], ""))], 1)


def test_an_open_poll_vote_is_changed_in_place(organization, springfield, bob):
    poll = make_poll(organization, chapter=springfield, secret=False)
    ids = option_ids(poll)
    ballot_cast(context_for(bob), poll=poll, data={"choice": [ids["Pears"]]})
    outcome = ballot_cast(context_for(bob), poll=poll, data={"choice": [ids["Plums"]]})
    assert outcome.changed
    assert list(Ballot.objects.filter(poll=poll).values_list("member", "marks")) == [
        (bob.pk, [int(ids["Plums"])])]


def test_a_secret_vote_is_changed_only_with_its_receipt(chapter_poll, bob):
    ids = option_ids(chapter_poll)
    receipt = ballot_cast(context_for(bob), poll=chapter_poll,
                          data={"choice": [ids["Pears"]]}).receipt
    with pytest.raises(ValidationError, match="receipt"):
        ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [ids["Plums"]]})
    with pytest.raises(ValidationError, match="receipt"):
        ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [ids["Plums"]]},
                    receipt="not-my-receipt")
    ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [ids["Plums"]]},
                receipt=receipt)
    assert snapshot(chapter_poll) == ([str(([int(ids["Plums"])], ""))], 1)


def test_a_poll_without_changeable_votes_refuses_a_second_one(organization, springfield, bob):
    poll = make_poll(organization, chapter=springfield, secret=False, changeable=False)
    ids = option_ids(poll)
    ballot_cast(context_for(bob), poll=poll, data={"choice": [ids["Pears"]]})
    with pytest.raises(ValidationError, match="already voted"):
        ballot_cast(context_for(bob), poll=poll, data={"choice": [ids["Plums"]]})
    assert snapshot(poll)[0] == [str(([int(ids["Pears"])], ""))]


def test_a_vote_after_the_close_is_refused_and_changes_nothing(chapter_poll, bob):
    ids = option_ids(chapter_poll)
    ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [ids["Pears"]]})
    before = snapshot(chapter_poll)
    later = chapter_poll.closes_at + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="closed on"):
        ballot_cast(context_for(bob), poll=chapter_poll, data={"choice": [ids["Plums"]]}, now=later)
    assert snapshot(chapter_poll) == before


def test_a_vote_before_the_opening_is_refused(organization, springfield, bob):
    soon = timezone.now() + datetime.timedelta(hours=1)
    poll = make_poll(organization, chapter=springfield, opens=soon,
                     closes=soon + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="not open yet"):
        ballot_cast(context_for(bob), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    assert snapshot(poll) == ([], 0)


def test_an_option_from_another_poll_is_refused(organization, springfield, chapter_poll, bob):
    other = make_poll(organization, chapter=springfield, options=("Red", "Blue"))
    with pytest.raises(ValidationError, match="not an option of this poll"):
        ballot_cast(context_for(bob), poll=chapter_poll,
                    data={"choice": [option_ids(other)["Red"]]})
    assert snapshot(chapter_poll) == ([], 0)


def test_a_ranking_with_an_option_twice_is_refused(organization, springfield, bob):
    poll = make_poll(organization, kind=Kind.RANKED, chapter=springfield)
    ids = option_ids(poll)
    for data in ({"ranking": [ids["Pears"], ids["Plums"], ids["Pears"]]},
                 {f"rank_{ids['Pears']}": ["1"], f"rank_{ids['Plums']}": ["1"]},
                 {f"rank_{ids['Pears']}": ["9"]}, {}):
        with pytest.raises(ValidationError):
            ballot_cast(context_for(bob), poll=poll, data=data)
    assert snapshot(poll) == ([], 0)
    ballot_cast(context_for(bob), poll=poll, data={f"rank_{ids['Plums']}": ["1"],
                                             f"rank_{ids['Apples']}": ["2"]})
    assert snapshot(poll)[0] == [str(([int(ids["Plums"]), int(ids["Apples"])], ""))]


def test_a_member_of_another_chapter_is_not_eligible(chapter_poll, charlie):
    with pytest.raises(ValidationError, match="not among the eligible"):
        ballot_cast(context_for(charlie), poll=chapter_poll,
                    data={"choice": [option_ids(chapter_poll)["Pears"]]})
    assert snapshot(chapter_poll) == ([], 0)


def test_too_many_choices_and_bad_scores_are_refused(organization, springfield, bob):
    multiple = make_poll(organization, kind=Kind.MULTIPLE, chapter=springfield, max_choices=2)
    ids = option_ids(multiple)
    with pytest.raises(ValidationError, match="at most 2"):
        ballot_cast(context_for(bob), poll=multiple, data={"choices": list(ids.values())})
    score = make_poll(organization, kind=Kind.SCORE, chapter=springfield, max_score=5)
    ids = option_ids(score)
    with pytest.raises(ValidationError, match="0 to 5"):
        ballot_cast(context_for(bob), poll=score, data={f"score_{ids['Pears']}": ["6"]})
    proposal = make_poll(organization, kind=Kind.PROPOSAL, chapter=springfield)
    with pytest.raises(ValidationError, match="Choose agree"):
        ballot_cast(context_for(bob), poll=proposal, data={"stance": ["maybe"]})
    assert not Ballot.objects.exists()
    assert not SealedBallot.objects.exists()


def test_someone_who_joined_after_the_opening_may_not_vote(organization, springfield,
                                                           chapter_poll):
    from tests.conftest import join

    newcomer = make_member("new@example.org", "Newcomer")
    join(springfield, newcomer, on=timezone.now().date() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="not among the eligible"):
        ballot_cast(context_for(newcomer), poll=chapter_poll,
                    data={"choice": [option_ids(chapter_poll)["Pears"]]})
