"""The decisions list and a poll's pages cost the same number of queries with three times
the polls, voters and ballots (issue 12, item 4)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Level
from chapterhouse.decisions.services import ballot_cast, poll_close
from tests.conftest import join, make_member
from tests.decisions.conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def more_polls(organization, chapter, count: int, prefix: str) -> None:
    for i in range(count):
        make_poll(organization, chapter=chapter, title=f"{prefix} {i}")
        make_poll(organization, level=Level.ORGANIZATION, title=f"{prefix} all {i}")


def voters(chapter, poll, count: int, prefix: str) -> None:
    ids = option_ids(poll)
    for i in range(count):
        member = make_member(f"{prefix}{i}@example.org", f"{prefix} {i}")
        join(chapter, member)
        ballot_cast(context_for(member), poll=poll, data={"choice": [ids["Pears"]]})


def test_the_decisions_list_costs_the_same_with_three_times_the_polls(
        client, organization, springfield, bob):
    client.force_login(bob)
    more_polls(organization, springfield, 4, "first")
    counted = queries(client, reverse("polls"))
    more_polls(organization, springfield, 8, "more")
    assert queries(client, reverse("polls")) == counted


def test_a_poll_page_costs_the_same_with_three_times_the_voters(client, organization,
                                                               springfield, bob):
    poll = make_poll(organization, chapter=springfield)
    client.force_login(bob)
    voters(springfield, poll, 5, "v")
    page, voted = reverse("poll_detail", args=[poll.pk]), queries(client, reverse(
        "poll_detail", args=[poll.pk]))
    voters(springfield, poll, 10, "w")
    assert queries(client, page) == voted


def test_a_polls_results_cost_the_same_with_three_times_the_ballots(client, organization,
                                                                   springfield, bob):
    poll = make_poll(organization, chapter=springfield)
    voters(springfield, poll, 5, "v")
    later = make_poll(organization, chapter=springfield, title="Later")
    voters(springfield, later, 15, "w")
    for closing in (poll, later):
        poll_close(context_for(), poll=closing, now=closing.closes_at)
    client.force_login(bob)
    assert (queries(client, reverse("poll_results", args=[poll.pk]))
            == queries(client, reverse("poll_results", args=[later.pk])))
