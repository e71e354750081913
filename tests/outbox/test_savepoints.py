"""The delivery booked on commit survives what happens inside the transaction."""

import pytest
from django.db import transaction

from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.outbox.services import message_queue

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rolled_back_savepoint_does_not_take_the_delivery_of_later_messages(queued):
    with transaction.atomic():
        def queue_then_fail() -> None:
            with transaction.atomic():
                message_queue(to="gone@example.org", subject="Gone", body="rolled back")
                raise ZeroDivisionError

        with pytest.raises(ZeroDivisionError):
            queue_then_fail()
        message_queue(to="kept@example.org", subject="Kept", body="committed")
    assert list(OutboxMessage.objects.values_list("to", flat=True)) == ["kept@example.org"]
    assert queued == [None]  # booked once, by the message that stayed


def test_each_transaction_books_its_own_delivery(queued):
    for n in range(2):
        with transaction.atomic():
            message_queue(to=f"m{n}@example.org", subject="Hello", body="Hi")
            message_queue(to=f"n{n}@example.org", subject="Hello", body="Hi")
    assert queued == [None, None]
