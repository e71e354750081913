"""Digests: one email per member at the morning hour in their own zone, skipped when empty,
grouped by category; a second run sends nothing twice and a run killed halfway loses nothing."""

import datetime

import pytest
from django.core import mail

from chapterhouse.notices import services
from chapterhouse.notices.kinds import Frequency
from chapterhouse.notices.models import Digest, DigestEntry
from chapterhouse.outbox.services import outbox_deliver_due
from tests.conftest import VIENNA, make_member

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# Wednesday 2026-12-02: 07:00 in Vienna is 06:00 UTC, in New York 12:00 UTC.
WRITTEN = datetime.datetime(2026, 12, 1, 20, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: int = 2) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=UTC)


def entry(member, category="polls", frequency=Frequency.DAILY, subject="Poll open: Budget",
          link="http://testserver/decisions/7/", written=WRITTEN, kind="poll_opening"):
    return DigestEntry.objects.create(member=member, category=category, kind=kind,
                                      frequency=frequency, subject=subject, link=link,
                                      created_at=written)


@pytest.fixture
def vera(organization):
    return make_member("vera@example.org", "Vera", VIENNA)


@pytest.fixture
def nora(organization):
    return make_member("nora@example.org", "Nora")  # New York


def test_each_member_gets_the_digest_at_seven_in_their_own_zone(vera, nora):
    entry(vera)
    entry(nora)
    assert services.digests_send(now=at(5, 59)).digests == 0  # 06:59 in Vienna
    assert services.digests_send(now=at(6, 5)).digests == 1  # 07:05 in Vienna, 01:05 in NY
    outbox_deliver_due()
    assert [m.to for m in mail.outbox] == [["vera@example.org"]]
    assert services.digests_send(now=at(11, 55)).digests == 0  # 06:55 in New York
    assert services.digests_send(now=at(12, 0)).digests == 1
    outbox_deliver_due()
    assert [m.to[0] for m in mail.outbox] == ["vera@example.org", "nora@example.org"]


def test_a_digest_groups_its_entries_by_category_with_links_and_one_click_headers(vera):
    entry(vera, subject="Poll open: Budget")
    entry(vera, subject="Poll closes tomorrow: <Rules>", kind="poll_reminder")
    entry(vera, category="meetings", kind="meeting_changed", subject="Meeting moved",
          link="http://testserver/meetings/3/")
    services.digests_send(now=at(6, 5))
    outbox_deliver_due()
    (sent,) = mail.outbox
    assert sent.subject == "Your daily digest: 3 notices"
    body = sent.body
    assert body.index("Meetings") < body.index("Meeting moved") < body.index("Polls")
    assert body.index("Polls") < body.index("Poll open: Budget")
    assert "http://testserver/meetings/3/" in body
    assert "/email/unsubscribe/" in body
    html = sent.alternatives[0][0]
    assert "&lt;Rules&gt;" in html
    assert "<Rules>" not in html
    assert '<a href="http://testserver/meetings/3/">Meeting moved</a>' in html
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_entries_written_after_the_morning_wait_for_the_next_one(vera):
    entry(vera, written=at(6, 30))  # 07:30 in Vienna, after the slot
    assert services.digests_send(now=at(8)).digests == 0
    assert services.digests_send(now=at(6, 1, day=3)).digests == 1


def test_weekly_entries_wait_for_monday_morning(vera):
    entry(vera, frequency=Frequency.WEEKLY)
    entry(vera, subject="Daily one")
    sent = services.digests_send(now=at(6, 5))  # Wednesday: only the daily one
    assert (sent.digests, sent.entries) == (1, 1)
    assert services.digests_send(now=at(6, 5, day=6)).digests == 0  # Sunday
    monday = services.digests_send(now=at(6, 5, day=7))
    assert (monday.digests, monday.entries) == (1, 1)
    assert Digest.objects.filter(weekly=True).count() == 1


def test_a_second_run_sends_nothing_twice_and_an_empty_digest_is_never_sent(vera, nora):
    entry(vera)
    services.digests_send(now=at(13))
    assert services.digests_send(now=at(13, 10)) == services.DigestsSent(0, 0)
    outbox_deliver_due()
    assert len(mail.outbox) == 1  # nora had nothing waiting: no email
    assert DigestEntry.objects.filter(digest__isnull=True).count() == 0


def test_a_run_killed_halfway_leaves_every_entry_in_exactly_one_digest(vera, nora, monkeypatch):
    for member in (vera, nora):
        entry(member)
        entry(member, subject="Another")
    real = services.messages_queue
    calls = []

    def dies_on_the_second(drafts):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("killed")
        return real(drafts)

    monkeypatch.setattr(services, "messages_queue", dies_on_the_second)
    with pytest.raises(SystemExit):
        services.digests_send(now=at(13))
    assert Digest.objects.count() == 1  # the first member's digest committed whole
    assert DigestEntry.objects.filter(digest__isnull=True).count() == 2  # the other's wait
    monkeypatch.setattr(services, "messages_queue", real)
    assert services.digests_send(now=at(13, 10)) == services.DigestsSent(1, 2)
    outbox_deliver_due()
    assert sorted(m.to[0] for m in mail.outbox) == ["nora@example.org", "vera@example.org"]
    assert all(e.digest_id for e in DigestEntry.objects.all())
    assert Digest.objects.count() == 2


def test_pages_of_members_are_read_one_at_a_time(vera, nora, monkeypatch):
    monkeypatch.setattr(services, "PAGE", 1)
    entry(vera)
    entry(nora)
    assert services.digests_send(now=at(13)).digests == 2
