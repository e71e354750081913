"""Who may vote is fixed when a poll opens: a membership or account written after the opening
gives no vote, even if its `joined_on` date says earlier (attack 3 of issue 9)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.context import context_for
from chapterhouse.decisions import electorate, services
from chapterhouse.decisions.models import Level
from tests.conftest import make_member
from tests.decisions.conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def test_a_member_enrolled_after_the_opening_cannot_vote_and_is_not_counted(
        organization, springfield, chapter_poll, olivia):
    before = electorate.eligible_voters(chapter_poll).count()
    # Enrolled now, "backdated" to 2012 as the old attendance screen did.
    ChapterMembership.objects.create(chapter=springfield, member=olivia,
                                     joined_on=datetime.date(2012, 1, 1))
    assert not electorate.is_eligible(olivia, chapter_poll)
    assert electorate.eligible_voters(chapter_poll).count() == before == 2
    with pytest.raises(ValidationError, match="not among the eligible voters"):
        services.ballot_cast(context_for(olivia), poll=chapter_poll,
                             data={"choice": [option_ids(chapter_poll)["Apples"]]})


def test_a_membership_written_before_the_opening_gives_a_vote(organization, springfield, olivia):
    # Written a second before the opening, on the organization's clock (fixed in the tests).
    ChapterMembership.objects.create(chapter=springfield, member=olivia,
                                     joined_on=datetime.date(2012, 1, 1),
                                     created_at=organization.clock.now())
    poll = make_poll(organization, chapter=springfield,
                     opens=organization.clock.now() + datetime.timedelta(seconds=1))
    assert electorate.is_eligible(olivia, poll)


def test_an_account_created_after_an_organization_poll_opened_has_no_vote(organization, org_poll):
    late = make_member("late@example.org", "Late", joined_on=datetime.date(2012, 1, 1),
                       created_at=organization.clock.now())
    assert not electorate.is_eligible(late, org_poll)
    assert late not in electorate.eligible_voters(org_poll)
    assert electorate.eligible_voters(org_poll).count() == 4


def test_the_same_holds_for_a_regional_poll(organization, alice):
    poll = make_poll(organization, level=Level.REGION, region="NA")
    late = make_member("late@example.org", "Late", created_at=organization.clock.now())
    assert electorate.is_eligible(alice, poll)
    assert not electorate.is_eligible(late, poll)
