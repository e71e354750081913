"""Every email leaves through the outbox: queued with the write that caused it, sent by the
worker over one connection, retried with backoff, shown to staff when every attempt failed."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chapterhouse.context import context_for
from chapterhouse.helpboard.models import Offer
from chapterhouse.helpboard.services import need_post
from chapterhouse.outbox import services
from chapterhouse.outbox.models import OutboxMessage, State
from chapterhouse.outbox.services import message_queue, outbox_deliver_due
from chapterhouse.privacy.services import member_erase
from tests.conftest import client_for, login_staff, make_member
from tests.outbox.backends import FlakyBackend

pytestmark = pytest.mark.django_db


def later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_a_write_that_rolls_back_queues_no_message(organization, queued):
    def queue_then_fail() -> None:
        with transaction.atomic():
            message_queue(to="ana@example.org", subject="Hello", body="Hi")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        queue_then_fail()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_transaction_books_one_delivery_however_many_messages_it_queues(
        organization, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(3):
            message_queue(to=f"m{n}@example.org", subject="Hello", body="Hi")
    assert queued == [None]
    assert mail.outbox == []  # nothing leaves before the worker runs
    assert outbox_deliver_due() == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["m0@example.org", "m1@example.org",
                                                     "m2@example.org"]
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {State.SENT}


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.FlakyBackend"
    FlakyBackend.refused = FlakyBackend.opened = 0
    yield FlakyBackend
    FlakyBackend.FAILURES = 2


@pytest.fixture
def need(alice, springfield):
    return need_post(context_for(alice), chapter=springfield, title="Chairs for forty",
                     details="", language="en")


def test_smtp_failing_twice_then_working_the_request_succeeds_and_the_mail_arrives_once(
        client, need, charlie, flaky, queued, django_capture_on_commit_callbacks):
    client_for(client, charlie)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("need_detail", args=[need.pk]), {"message": "I can."})
    assert response.status_code == 302
    assert Offer.objects.filter(member=charlie).exists()
    assert queued == [None]  # the request booked a delivery; it talked to no server
    assert flaky.opened == 0
    assert outbox_deliver_due() == 0  # refused: tried again later
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (State.PENDING, 1)
    assert message.last_error.startswith("SMTPServerDisconnected")
    assert outbox_deliver_due() == 0  # not due yet: nothing is tried
    assert outbox_deliver_due(now=later(1.5)) == 0  # refused again
    message.refresh_from_db()
    assert message.attempts == 2
    first_wait = message.next_attempt_at - message.created_at
    assert first_wait > datetime.timedelta(minutes=1.5)  # the backoff doubled
    assert outbox_deliver_due(now=later(10)) == 1
    assert outbox_deliver_due(now=later(1000)) == 0
    [email] = mail.outbox
    assert email.to == ["alice@example.org"]
    assert "I can." in email.body
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.SENT, 3, "")


def test_after_the_last_attempt_staff_see_the_failure(
        client, organization, settings, flaky, queued):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    flaky.FAILURES = 10
    message_queue(to="ana@example.org", subject="Welcome", body="Hi")
    outbox_deliver_due()
    outbox_deliver_due(now=later(10))
    message = OutboxMessage.objects.get()
    assert (message.state, message.attempts) == (State.FAILED, 2)
    assert outbox_deliver_due(now=later(10000)) == 0  # a failed message is not tried again
    login_staff(client, make_member("root@example.org", "Root", is_staff=True,
                                    is_superuser=True))
    index = client.get(reverse("admin:index")).text
    assert "1 email could not be sent after every attempt." in index
    listing = client.get(reverse("admin:outbox_outboxmessage_changelist"),
                         {"state__exact": "failed"})
    assert listing.status_code == 200
    assert "ana@example.org" in listing.text
    assert "SMTPServerDisconnected" in listing.text
    flaky.FAILURES = 0
    client.post(reverse("admin:outbox_outboxmessage_changelist"),
                {"action": "send_again", "_selected_action": [message.pk]})
    assert outbox_deliver_due() == 1
    assert "could not be sent" not in client.get(reverse("admin:index")).text


def test_one_connection_per_batch(organization, flaky, queued):
    flaky.FAILURES = 0
    for n in range(5):
        message_queue(to=f"m{n}@example.org", subject="Hello", body="Hi")
    assert outbox_deliver_due() == 5
    assert flaky.opened == 1


def test_a_claim_is_kept_until_its_lease_expires_then_taken_again(organization, queued):
    message_queue(to="ana@example.org", subject="Hello", body="Hi")
    token, [_claimed] = services._claim(timezone.now(), 10)  # a worker that then dies
    assert outbox_deliver_due() == 0  # another worker leaves it alone while the lease runs
    assert outbox_deliver_due(now=later(6)) == 1  # the lease (5 minutes) expired
    assert len(mail.outbox) == 1
    # The dead worker's late mark changes nothing: its token is gone.
    assert not OutboxMessage.objects.filter(claim_token=token).exists()


def test_the_rate_limit_lets_a_big_send_trickle_out(organization, settings, queued):
    settings.OUTBOX_RATE_PER_MINUTE = 3
    for n in range(7):
        message_queue(to=f"m{n}@example.org", subject="Hello", body="Hi")
    assert outbox_deliver_due() == 3
    assert outbox_deliver_due() == 0  # this minute's budget is spent
    assert outbox_deliver_due(now=later(1.1)) == 3
    assert len(mail.outbox) == 6


def test_erasure_leaves_no_message_holding_the_address(organization, alice, bob, queued):
    from chapterhouse.members.mail import member_mail

    member_mail(alice, lambda: ("Hello", "Hi Alice"), kind="join_answer")
    message_queue(to="ALICE@example.org", subject="Invitation", body="Join us")  # no account
    member_mail(bob, lambda: ("Hello", "Hi Bob"), kind="join_answer")
    outbox_deliver_due()
    member_mail(alice, lambda: ("Later", "Still waiting"), kind="join_answer")
    member_erase(context_for(), member=alice)
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["bob@example.org"]


def test_headers_never_carry_a_line_break():
    assert services.header_clean("Picnic\r\nBcc: x@example.org\n\tplace ") == \
        "Picnic Bcc: x@example.org place"
    assert services.header_clean("a\u2028b\x0bc\x85d") == "a b c d"
