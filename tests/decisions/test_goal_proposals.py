"""Goals put to the members from the web: staff only, all-or-nothing, shown on the poll page,
adopted at a passing close and then measured on the dashboard with the poll named."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.decisions.models import GoalProposal, Poll
from chapterhouse.decisions.services import ballot_cast, poll_close
from chapterhouse.goals.models import GoalSet
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

FORM = {"title": "Goals for 2031", "description": "Grow into a federation.",
        "target_members": "5000", "target_chapters": "30", "target_continents": "4",
        "target_women_share": "35", "deadline": "2031-07-01",
        "opens_at": "2030-03-01T09:00", "closes_at": "2030-03-15T09:00", "quorum": "10",
        "pass_threshold": "50"}  # shares are typed as percentages


@pytest.fixture
def staff(alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return alice


def test_staff_put_goals_to_every_member_as_a_proposal(client, staff):
    client_for(client, staff)
    response = client.post(reverse("goal_proposal_new"), FORM)
    assert response.status_code == 302, response.context["form"].errors
    poll = Poll.objects.get()
    assert (poll.kind, poll.level, poll.secret) == ("proposal", "organization", True)
    assert poll.opens_at == datetime.datetime(2030, 3, 1, 14, 0, tzinfo=datetime.UTC)  # EST
    assert (poll.quorum, poll.pass_threshold) == (Decimal("0.100"), Decimal("0.500"))
    goals = poll.goal_proposal
    assert (goals.target_members, goals.target_chapters, goals.target_continents) == (5000, 30, 4)
    assert goals.target_women_share == Decimal("0.350")
    assert goals.deadline == datetime.date(2031, 7, 1)


@pytest.mark.parametrize("member", ["bob", "charlie", "olivia"])
def test_members_and_coordinators_cannot_put_goals(client, request, member):
    client.force_login(request.getfixturevalue(member))
    assert client.get(reverse("goal_proposal_new")).status_code == 404
    assert client.post(reverse("goal_proposal_new"), FORM).status_code == 404
    assert not Poll.objects.exists()


def test_a_coordinator_is_not_staff_either(client, alice):
    client.force_login(alice)  # coordinates Springfield: may create chapter polls, not goals
    assert client.post(reverse("goal_proposal_new"), FORM).status_code == 404
    assert not Poll.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("target_continents", "8", "less than or equal to 7"),
    ("target_women_share", "150", "less than or equal to 100"),
    ("target_women_share", "0.35", "no more than 1 decimal place"),
    ("deadline", "2030-03-10", "deadline must come after the poll closes"),
    ("closes_at", "2030-02-01T09:00", "must close after it opens"),
    ("quorum", "101", "less than or equal to 100"),
])
def test_bad_goals_are_refused_with_a_message_and_create_nothing(client, staff, field, value,
                                                                message):
    client_for(client, staff)
    response = client.post(reverse("goal_proposal_new"), {**FORM, field: value})
    assert response.status_code == 200
    assert message in response.text
    assert not Poll.objects.exists()
    assert not GoalProposal.objects.exists()


def test_the_poll_page_shows_what_passing_adopts_and_then_that_it_was_adopted(
        client, staff, bob, charlie, organization):
    client_for(client, staff)
    now = organization.clock.now()
    opens, closes = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2)
    fmt = "%Y-%m-%dT%H:%M"
    client.post(reverse("goal_proposal_new"), {
        **FORM, "opens_at": opens.astimezone(datetime.timezone(datetime.timedelta(hours=-5)))
        .strftime(fmt), "closes_at": closes.astimezone(
            datetime.timezone(datetime.timedelta(hours=-5))).strftime(fmt), "quorum": "0"})
    poll = Poll.objects.get()
    client.force_login(charlie)  # Vienna: every member votes on the organization's goals
    page = client.get(reverse("poll_detail", args=[poll.pk])).text
    assert "What passing it does" in page
    assert "5,000" in page
    assert "35%" in page
    for member in (staff, bob, charlie):
        ballot_cast(context_for(member), poll=poll, data={"stance": ["agree"]})
    poll_close(context_for(), poll=poll, now=poll.closes_at)
    goal_set = GoalSet.objects.current()
    assert goal_set.target_chapters == 30
    assert goal_set.adopted_on == poll.closes_at.date()
    page = client.get(reverse("poll_detail", args=[poll.pk])).text
    assert "Adopted on" in page
    assert "Support 100.0% (needs 50.0%)." in page  # three agree, none disagree
    dashboard = client.get(reverse("dashboard")).text
    assert "Goals for 2031" in dashboard
