"""Withdrawing a poll before its close: who may, what it changes, what voters are told."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Ballot, Level
from chapterhouse.decisions.notifications import poll_notices_send
from chapterhouse.decisions.services import (
    ballot_cast,
    poll_close,
    poll_withdraw,
    polls_close_due,
)
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db


def test_a_coordinator_withdraws_an_open_poll_and_nothing_is_counted(chapter_poll, alice,
                                                                     bob):
    ballot_cast(context_for(bob), poll=chapter_poll,
                data={"choice": [option_ids(chapter_poll)["Pears"]]})
    poll_withdraw(context_for(alice), poll=chapter_poll, reason="Two options were missing.")
    chapter_poll.refresh_from_db()
    assert chapter_poll.is_withdrawn
    assert chapter_poll.is_closed
    assert chapter_poll.result is None
    assert chapter_poll.withdrawn_reason == "Two options were missing."
    assert polls_close_due(context_for(),
                           now=chapter_poll.closes_at) == 0  # the close job leaves it alone
    assert not poll_close(context_for(), poll=chapter_poll, now=chapter_poll.closes_at)
    chapter_poll.refresh_from_db()
    assert chapter_poll.result is None


def test_a_vote_in_a_withdrawn_poll_is_refused_with_the_reason(chapter_poll, alice, bob):
    poll_withdraw(context_for(alice), poll=chapter_poll, reason="Wrong date")
    with pytest.raises(ValidationError, match="withdrawn: Wrong date"):
        ballot_cast(context_for(bob), poll=chapter_poll,
                    data={"choice": [option_ids(chapter_poll)["Pears"]]})
    assert not Ballot.objects.exists()


def test_members_who_neither_wrote_nor_coordinate_cannot_withdraw(chapter_poll, bob, charlie):
    for member in (bob, charlie):
        with pytest.raises(ValidationError, match="may not withdraw"):
            poll_withdraw(context_for(member), poll=chapter_poll, reason="I do not like it")
    chapter_poll.refresh_from_db()
    assert not chapter_poll.is_withdrawn


def test_the_author_withdraws_their_own_poll(organization, springfield, bob):
    poll = make_poll(organization, chapter=springfield, created_by=bob)
    poll_withdraw(context_for(bob), poll=poll, reason="I found another way.")
    poll.refresh_from_db()
    assert poll.is_withdrawn


def test_a_reason_is_needed_and_a_closed_poll_cannot_be_withdrawn(chapter_poll, alice):
    with pytest.raises(ValidationError, match="Say why"):
        poll_withdraw(context_for(alice), poll=chapter_poll, reason="   ")
    poll_close(context_for(), poll=chapter_poll, now=chapter_poll.closes_at)
    with pytest.raises(ValidationError, match="has closed"):
        poll_withdraw(context_for(alice), poll=chapter_poll, reason="Too late",
                      now=chapter_poll.closes_at)
    chapter_poll.refresh_from_db()
    assert not chapter_poll.is_withdrawn
    assert chapter_poll.result is not None


def test_voters_told_of_the_opening_are_told_of_the_withdrawal_in_their_language(
        organization, springfield, alice, django_capture_on_commit_callbacks):
    quick_member("ana@example.org", "Ana", springfield, languages=["es"])
    poll = make_poll(organization, chapter=springfield, title="Picnic")
    with django_capture_on_commit_callbacks(execute=True):
        poll_notices_send(context_for(), now=organization.clock.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        poll_withdraw(context_for(alice), poll=poll, reason="Rain all week")
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"alice@example.org", "ana@example.org"}
    assert "Rain all week" in by_address["alice@example.org"].body
    assert "withdrawn" in by_address["alice@example.org"].subject
    assert "Picnic" in by_address["ana@example.org"].subject
    assert "withdrawn" not in by_address["ana@example.org"].subject  # Spanish


def test_a_poll_withdrawn_before_it_opened_sends_nothing(organization, springfield, alice,
                                                         django_capture_on_commit_callbacks):
    now = organization.clock.now()
    poll = make_poll(organization, chapter=springfield, opens=now + datetime.timedelta(days=1),
                     closes=now + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        poll_withdraw(context_for(alice), poll=poll, reason="Duplicate")
    assert mail.outbox == []


def test_the_page_withdraws_and_then_shows_why_to_voters(client, chapter_poll, alice, bob):
    client.force_login(alice)
    assert "Withdraw this poll" in client.get(reverse("poll_detail",
                                                      args=[chapter_poll.pk])).text
    response = client.post(reverse("poll_withdraw", args=[chapter_poll.pk]),
                           {"reason": "Options were wrong"}, follow=True)
    assert "The poll was withdrawn." in response.text
    client.force_login(bob)
    page = client.get(reverse("poll_detail", args=[chapter_poll.pk])).text
    assert "no result is counted" in page
    assert "Options were wrong" in page
    assert 'name="choice"' not in page
    assert "Withdraw this poll" not in page
    assert "withdrawn" in client.get(reverse("polls")).text
    assert "no result is counted" in client.get(reverse("poll_results",
                                                        args=[chapter_poll.pk])).text


def test_withdrawing_through_the_page_checks_ownership(client, organization, chapter_poll,
                                                       bob, charlie):
    client.force_login(charlie)  # another chapter: the poll does not exist for her
    assert client.post(reverse("poll_withdraw", args=[chapter_poll.pk]),
                       {"reason": "x"}).status_code == 404
    client.force_login(bob)  # a member of the chapter, not its coordinator
    assert client.post(reverse("poll_withdraw", args=[chapter_poll.pk]),
                       {"reason": "x"}).status_code == 404
    org_wide = make_poll(organization, level=Level.ORGANIZATION)
    assert client.post(reverse("poll_withdraw", args=[org_wide.pk]),
                       {"reason": "x"}).status_code == 404
    chapter_poll.refresh_from_db()
    org_wide.refresh_from_db()
    assert not chapter_poll.is_withdrawn
    assert not org_wide.is_withdrawn
