"""Eligible voters hear when a poll opens and a day before it closes, in their language."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from chapterhouse.decisions.notifications import openings_send, reminders_send
from chapterhouse.decisions.services import ballot_cast
from chapterhouse.members.language import member_language
from tests.decisions.conftest import make_poll, option_ids, quick_member

pytestmark = pytest.mark.django_db


def test_the_opening_notice_goes_to_eligible_voters_once_in_their_language(
        organization, springfield, charlie, django_capture_on_commit_callbacks):
    quick_member("ana@example.org", "Ana", springfield, languages=["es", "en"])
    quick_member("kim@example.org", "Kim", springfield, languages=["ko"])  # not a site language
    poll = make_poll(organization, chapter=springfield, title="Next meeting place")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert openings_send(now=now) == 2
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
        assert openings_send(now=now) == 0
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
    now = timezone.now()
    poll = make_poll(organization, chapter=springfield, closes=now + datetime.timedelta(hours=20))
    far = make_poll(organization, chapter=springfield, closes=now + datetime.timedelta(days=3))
    ballot_cast(poll=poll, member=alice, data={"choice": [option_ids(poll)["Pears"]]})
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send(now=now) == 1
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "closes tomorrow" in mail.outbox[0].subject
    far.refresh_from_db()
    assert far.reminder_sent_at is None


def test_notify_polls_command(organization, springfield, alice,
                              django_capture_on_commit_callbacks):
    make_poll(organization, chapter=springfield,
              closes=timezone.now() + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_polls")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
