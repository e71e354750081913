"""A day before a meeting, one worker emails those who said yes or maybe, in their language."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation

from chapterhouse.context import context_for
from chapterhouse.meetings import selectors, services
from chapterhouse.meetings.models import Meeting, Rsvp
from chapterhouse.members.language import member_language
from chapterhouse.outbox.services import outbox_deliver_due
from tests.conftest import VIENNA, join, make_member

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def send_reminders() -> None:
    """The command queues the reminders in the outbox; the worker's next turn sends them."""
    call_command("send_reminders")
    outbox_deliver_due()
ANSWERED = datetime.datetime(2014, 1, 30, tzinfo=UTC)


@pytest.fixture
def tomorrow(springfield, alice, bob):
    # The organization's now is 2014-02-01 12:00 UTC; this starts 20 hours later.
    meeting = Meeting.objects.create(chapter=springfield, venue="Library",
                                     starts_at=datetime.datetime(2014, 2, 2, 8, tzinfo=UTC))
    Rsvp.objects.create(meeting=meeting, member=alice, answer="yes", answered_at=ANSWERED)
    Rsvp.objects.create(meeting=meeting, member=bob, answer="no", answered_at=ANSWERED)
    return meeting


def test_those_who_said_yes_or_maybe_get_one_reminder(tomorrow, springfield):
    dora = make_member("dora@example.org", "Dora", VIENNA)
    join(springfield, dora)
    Rsvp.objects.create(meeting=tomorrow, member=dora, answer="maybe", answered_at=ANSWERED)
    send_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "dora@example.org"]
    send_reminders()
    assert len(mail.outbox) == 2
    tomorrow.refresh_from_db()
    assert tomorrow.reminder_sent_at is not None


def test_the_email_has_a_plain_text_part_and_both_times(tomorrow, springfield):
    dora = make_member("dora@example.org", "Dora", VIENNA)
    join(springfield, dora)
    Rsvp.objects.create(meeting=tomorrow, member=dora, answer="yes", answered_at=ANSWERED)
    send_reminders()
    message = next(m for m in mail.outbox if m.to == ["dora@example.org"])
    assert "Springfield meets tomorrow" in message.body
    assert "(Europe/Vienna)" in message.body
    assert "(America/New_York)" in message.body
    assert f"/meetings/{tomorrow.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_the_email_is_in_the_members_first_language(tomorrow, alice):
    alice.languages = ["es", "en"]
    alice.save(update_fields=["languages"])
    send_reminders()
    [message] = mail.outbox
    with translation.override("es"):
        expected = translation.gettext("You get this reminder because you answered yes or maybe.")
    assert expected in message.body
    assert "febrero" in message.body  # Django's own Spanish dates, whatever our catalogue has


def test_an_unknown_language_falls_back_to_the_sites(alice):
    alice.languages = ["xx"]
    assert member_language(alice) == "en"
    alice.languages = ["PT-BR"]
    assert member_language(alice) == "pt-br"


def test_meetings_more_than_a_day_ahead_or_already_started_are_left_alone(springfield, alice):
    for starts in (datetime.datetime(2014, 2, 3, tzinfo=UTC),
                   datetime.datetime(2014, 2, 1, 11, tzinfo=UTC)):
        meeting = Meeting.objects.create(chapter=springfield, starts_at=starts)
        Rsvp.objects.create(meeting=meeting, member=alice, answer="yes", answered_at=ANSWERED)
    send_reminders()
    assert mail.outbox == []
    assert not Meeting.objects.filter(reminder_sent_at__isnull=False).exists()


def test_a_meeting_claimed_by_another_worker_is_skipped(tomorrow, monkeypatch):
    now = datetime.datetime(2014, 2, 1, 12, tzinfo=UTC)
    listed = list(selectors.meetings_reminder_due(now).values_list("pk", flat=True))
    assert services.reminder_claim(meeting_id=tomorrow.pk, now=now)  # the other worker wins
    monkeypatch.setattr(services, "meetings_reminder_due", lambda now: Meeting.objects.filter(
        pk__in=listed))
    sent = services.reminders_send(context_for(), url_for=lambda m: "/")
    outbox_deliver_due()
    assert sent.emails == 0
    assert mail.outbox == []


def test_claiming_succeeds_exactly_once(tomorrow):
    now = datetime.datetime(2014, 2, 1, 12, tzinfo=UTC)
    assert [services.reminder_claim(meeting_id=tomorrow.pk, now=now)
            for _ in range(3)] == [True, False, False]


def test_a_member_who_left_gets_no_reminder(tomorrow, alice):
    alice.chapter_memberships.update(left_on=datetime.date(2014, 1, 20))
    send_reminders()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(organization, springfield, alice, bob):
    import threading

    from django.db import connection

    meetings = [Meeting.objects.create(chapter=springfield, starts_at=datetime.datetime(
        2014, 2, 2, hour, tzinfo=UTC)) for hour in range(1, 9)]
    for meeting in meetings:
        for member in (alice, bob):
            Rsvp.objects.create(meeting=meeting, member=member, answer="yes",
                                answered_at=ANSWERED)
    start = threading.Barrier(2)
    results: list = []

    errors = []

    def worker():
        try:
            start.wait()
            results.append(services.reminders_send(context_for(),
                                                   url_for=lambda m: f"/m/{m.pk}/"))
        except Exception as error:  # anything is a failure the test reports
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outbox_deliver_due()
    sent = [(m.to[0], next(line for line in m.body.splitlines() if "/m/" in line))
            for m in mail.outbox]
    assert len(sent) == len(set(sent)) == 16  # every (member, meeting) exactly once
    # Both workers run to the end: on SQLite the second waits for the first's write lock.
    assert not errors, (connection.vendor, errors)
