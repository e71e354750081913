"""Who may vote is fixed when a poll opens: a membership or account written after the opening
gives no vote, even if its `joined_on` date says earlier (attack 3 of issue 9)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.decisions import rules, services
from chapterhouse.decisions.models import Level
from tests.conftest import make_member
from tests.decisions.conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def test_a_member_enrolled_after_the_opening_cannot_vote_and_is_not_counted(
        organization, springfield, chapter_poll, olivia):
    before = rules.eligible_voters(chapter_poll).count()
    # Enrolled now, "backdated" to 2012 as the old attendance screen did.
    ChapterMembership.objects.create(chapter=springfield, member=olivia,
                                     joined_on=datetime.date(2012, 1, 1))
    assert not rules.is_eligible(olivia, chapter_poll)
    assert rules.eligible_voters(chapter_poll).count() == before == 2
    with pytest.raises(ValidationError, match="not among the eligible voters"):
        services.ballot_cast(poll=chapter_poll, member=olivia,
                             data={"choice": [option_ids(chapter_poll)["Apples"]]})


def test_a_membership_written_before_the_opening_gives_a_vote(organization, springfield, olivia):
    ChapterMembership.objects.create(chapter=springfield, member=olivia,
                                     joined_on=datetime.date(2012, 1, 1))
    poll = make_poll(organization, chapter=springfield,
                     opens=timezone.now() + datetime.timedelta(seconds=1))
    assert rules.is_eligible(olivia, poll)


def test_an_account_created_after_an_organization_poll_opened_has_no_vote(organization, org_poll):
    late = make_member("late@example.org", "Late", joined_on=datetime.date(2012, 1, 1),
                       created_at=timezone.now())
    assert not rules.is_eligible(late, org_poll)
    assert late not in rules.eligible_voters(org_poll)
    assert rules.eligible_voters(org_poll).count() == 4


def test_the_same_holds_for_a_regional_poll(organization, alice):
    poll = make_poll(organization, level=Level.REGION, region="NA")
    late = make_member("late@example.org", "Late", created_at=timezone.now())
    assert rules.is_eligible(alice, poll) and not rules.is_eligible(late, poll)
