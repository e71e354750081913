import datetime

from django.db.models import Min

from chapterhouse.outbox.models import OutboxMessage, State


def failed_count() -> int:
    """Emails that used every attempt: staff see the number on the admin's front page."""
    return OutboxMessage.objects.filter(state=State.FAILED).count()


def outbox_oldest_due(now: datetime.datetime) -> datetime.datetime | None:
    """Since when the oldest message due for delivery has waited (queue lag, /healthz): a
    pending message from its next attempt, a dead worker's claim from its expiry."""
    messages = OutboxMessage.objects
    moments = [
        messages.filter(state=State.PENDING, next_attempt_at__lte=now)
        .aggregate(t=Min("next_attempt_at"))["t"],
        messages.filter(state=State.CLAIMED, claimed_until__lt=now)
        .aggregate(t=Min("claimed_until"))["t"],
    ]
    return min((moment for moment in moments if moment), default=None)
