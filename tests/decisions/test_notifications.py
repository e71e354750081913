"""Eligible voters hear when a poll opens and a day before it closes, in their language, in one
email per run however many polls concern them."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from chapterhouse.context import context_for
from chapterhouse.decisions.models import Poll
from chapterhouse.decisions.notifications import poll_notices_send
from chapterhouse.decisions.services import ballot_cast
from chapterhouse.members.language import member_language
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db


def test_the_opening_notice_goes_to_eligible_voters_once_in_their_language(
        organization, springfield, charlie, django_capture_on_commit_callbacks):
    quick_member("ana@example.org", "Ana", springfield, languages=["es", "en"])
    quick_member("kim@example.org", "Kim", springfield, languages=["ko"])  # not a site language
    poll = make_poll(organization, chapter=springfield, title="Next meeting place")
    now = organization.clock.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_notices_send(context_for(), now=now).emails == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"ana@example.org", "kim@example.org"}  # not charlie (Vienna)
    assert "Next meeting place" in by_address["ana@example.org"].subject
    assert "Hello Kim" in by_address["kim@example.org"].body  # English, the default
    spanish_months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                      "septiembre", "octubre", "noviembre", "diciembre")
    assert any(month in by_address["ana@example.org"].body for month in spanish_months)
    assert "America/New_York" in by_address["kim@example.org"].body  # the voter's zone
    assert by_address["kim@example.org"].alternatives[0][1] == "text/html"
    assert f"/decisions/{poll.pk}/" in by_address["kim@example.org"].body
    assert f"{settings.SITE_URL}/decisions/{poll.pk}/" in by_address["kim@example.org"].body
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_notices_send(context_for(), now=now).emails == 0
    assert len(mail.outbox) == 2


def test_language_is_the_first_one_the_site_has():
    class M:
        languages = ["es", "en"]
    assert member_language(M) == "es"
    M.languages = ["ko", "en"]
    assert member_language(M) == "en"
    M.languages = []
    assert member_language(M) == "en"


def test_a_day_before_closing_only_those_who_have_not_voted_are_reminded(
        organization, springfield, alice, bob, django_capture_on_commit_callbacks):
    now = organization.clock.now()
    poll = make_poll(organization, chapter=springfield, closes=now + datetime.timedelta(hours=20))
    far = make_poll(organization, chapter=springfield, closes=now + datetime.timedelta(days=3))
    Poll.objects.update(opening_sent_at=now - datetime.timedelta(hours=1))  # told already
    ballot_cast(context_for(alice), poll=poll, data={"choice": [option_ids(poll)["Pears"]]})
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_notices_send(context_for(), now=now).closing == 1
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "closes tomorrow" in mail.outbox[0].subject
    far.refresh_from_db()
    assert far.reminder_sent_at is None


def test_notify_polls_command(organization, springfield, alice,
                              django_capture_on_commit_callbacks):
    make_poll(organization, chapter=springfield,
              closes=organization.clock.now() + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_polls")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]


def test_one_email_per_member_lists_every_poll_that_opened_or_closes_soon(
        organization, springfield, alice, bob, django_capture_on_commit_callbacks):
    now = organization.clock.now()
    make_poll(organization, chapter=springfield, title="Picnic place",
              closes=now + datetime.timedelta(days=5))
    make_poll(organization, chapter=springfield, title="Treasurer",
              closes=now + datetime.timedelta(days=5))
    closing = make_poll(organization, chapter=springfield, title="Budget",
                        closes=now + datetime.timedelta(hours=10))
    Poll.objects.filter(pk=closing.pk).update(opening_sent_at=now - datetime.timedelta(days=2))
    ballot_cast(context_for(alice), poll=closing, data={"choice": [option_ids(closing)["Pears"]]})
    with django_capture_on_commit_callbacks(execute=True):
        notices = poll_notices_send(context_for(), now=now)
    assert (notices.emails, notices.opened, notices.closing) == (2, 2, 1)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["alice@example.org", "bob@example.org"]  # one each
    assert "2 polls" in by_address["alice@example.org"].subject
    assert "3 polls" in by_address["bob@example.org"].subject  # Budget too: bob has not voted
    for title in ("Picnic place", "Treasurer", "Budget"):
        assert title in by_address["bob@example.org"].body
    assert "Budget" not in by_address["alice@example.org"].body
    assert by_address["bob@example.org"].alternatives[0][1] == "text/html"


def test_polls_are_marked_notified_only_with_their_messages(
        organization, springfield, alice, monkeypatch):
    """A failure while composing leaves the polls unmarked and no message queued: the next run
    tells everyone (the old command marked first, so its voters were never told)."""
    from chapterhouse.decisions import notifications
    from chapterhouse.outbox.models import OutboxMessage

    poll = make_poll(organization, chapter=springfield, closes=organization.clock.now()
                     + datetime.timedelta(days=3))
    monkeypatch.setattr(notifications, "_draft", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        poll_notices_send(context_for(), now=organization.clock.now())
    poll.refresh_from_db()
    assert poll.opening_sent_at is None
    assert not OutboxMessage.objects.exists()
    monkeypatch.undo()
    assert poll_notices_send(context_for(), now=organization.clock.now()).emails == 1
    assert OutboxMessage.objects.get().to == "alice@example.org"
