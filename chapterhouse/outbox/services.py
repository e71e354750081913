"""Queueing and delivering email through the outbox.

`message_queue` writes the message in the caller's transaction (if the business write rolls
back, there is no message) and, once that commits, enqueues the delivery task; the request
never talks to SMTP. `outbox_deliver_due` claims due messages with a lease, sends them over one
connection and marks each one: sent, or retried later with exponential backoff, or failed after
the last attempt. A worker that dies mid-send leaves claims that expire and are taken again.
"""

from __future__ import annotations

import datetime
import logging
import uuid
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from chapterhouse.outbox.models import OutboxMessage, State

if TYPE_CHECKING:
    from chapterhouse.members.models import Member

logger = logging.getLogger(__name__)

SUBJECT_MAX = 300


def header_clean(text: str) -> str:
    """One line: CR, LF and every other line break or run of whitespace become one space, so
    member text (a poll title, a name) can never end a header or add one."""
    return " ".join(str(text).split())[:SUBJECT_MAX]


@dataclass(frozen=True, slots=True)
class Draft:
    """An email to write into the outbox; `message_queue` or `messages_queue` queues it."""

    to: str
    subject: str
    body: str
    html_body: str = ""
    member: Member | None = None
    kind: str = ""
    # The page the email is about, when its text may hold other links (a digest entry points
    # there; an erasure finds the entries by it). Otherwise the first link in the text.
    link: str = ""

    def row(self, now: datetime.datetime) -> OutboxMessage:
        return OutboxMessage(
            to=header_clean(self.to), subject=header_clean(self.subject), body=self.body,
            html_body=self.html_body, member=self.member, kind=self.kind[:40],
            next_attempt_at=now, created_at=now)


class Router(Protocol):
    """What decides, above the outbox, what becomes of each email (chapterhouse.notices: the
    member's preferences) and which headers it leaves with (List-Unsubscribe)."""

    def route(self, drafts: list[Draft]) -> list[Draft]:
        """The drafts to send now (changed or not); the others are kept for later or dropped."""

    def headers(self, message: OutboxMessage) -> dict[str, str]:
        """Extra headers for one message as it leaves."""


_router: Router | None = None


def router_set(router: Router | None) -> None:
    """Installed by chapterhouse.notices when the app loads (the outbox cannot import it)."""
    global _router
    _router = router


def message_queue(*, to: str, subject: str, body: str, html_body: str = "",
                  member: Member | None = None, kind: str = "") -> OutboxMessage | None:
    """Queue one email in the current transaction; it is delivered after the commit. None when
    the member's preferences keep it for a digest or drop it."""
    rows = messages_queue([Draft(to, subject, body, html_body, member, kind)])
    return rows[0] if rows else None


def messages_queue(drafts: list[Draft]) -> list[OutboxMessage]:
    """Queue many emails in one insert (a poll digest for a whole organization): those the
    recipients' preferences let through now (the router); the rest wait for a digest."""
    now = timezone.now()
    if _router is not None:
        drafts = _router.route(list(drafts))
    rows = OutboxMessage.objects.bulk_create([draft.row(now) for draft in drafts],
                                             batch_size=500)
    if rows:
        delivery_after_commit()
    return rows


# The delivery callback booked in each connection's current transaction (delivery_after_commit).
_booked: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _DeliveryOnCommit] = (
    weakref.WeakKeyDictionary())


class _DeliveryOnCommit:
    """The on-commit callback that enqueues the delivery task; it remembers having run."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self) -> None:
        self.done = True
        delivery_enqueue()


def delivery_after_commit() -> None:
    """Enqueue one delivery task when the transaction commits (one per transaction, however
    many messages it queued). A callback booked earlier in this transaction is reused while it
    has not run and is still registered (a rolled-back savepoint discards it). If enqueueing
    fails, the periodic sweep still sends the messages."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's connection (not the proxy)
    booked = _booked.get(wrapper)
    if booked is not None and not booked.done and any(
            entry[1] is booked for entry in wrapper.run_on_commit):
        return
    _booked[wrapper] = callback = _DeliveryOnCommit()
    transaction.on_commit(callback, robust=True)


def delivery_enqueue(run_after: datetime.datetime | None = None) -> None:
    task_ = outbox_deliver.using(run_after=run_after) if run_after else outbox_deliver
    task_.enqueue()


@task()
def outbox_deliver() -> int:
    """The task the queue runs after a commit (and, deferred, for retries)."""
    return outbox_deliver_due()


@dataclass
class _Tally:
    """What one delivery run did, for its log line."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


def outbox_deliver_due(*, now: datetime.datetime | None = None) -> int:
    """Send every due message the rate allows, batch by batch; returns how many were sent.
    Safe to run from several workers at once, and from a periodic sweep."""
    tally = _Tally()
    while True:
        now_ = now or timezone.now()
        budget = rate_budget(now_)
        if budget <= 0:
            logger.info("outbox: the rate limit (%d a minute) holds the rest back",
                        settings.OUTBOX_RATE_PER_MINUTE)
            break
        token, batch = _claim(now_, min(budget, settings.OUTBOX_BATCH_SIZE))
        if not batch:
            break
        _send_batch(batch, token, tally)
        if now is not None:  # a fixed clock (tests): one pass
            break
    if tally.sent or tally.retrying or tally.failed:
        logger.info("outbox: %d sent, %d to retry, %d failed after the last attempt",
                    tally.sent, tally.retrying, tally.failed)
    _follow_up(now or timezone.now())
    return tally.sent


def rate_budget(now: datetime.datetime) -> int:
    """How many more messages may leave in the minute ending now (OUTBOX_RATE_PER_MINUTE), so
    a big send (an import of 100,000 members) trickles out instead of flooding the server."""
    recent = OutboxMessage.objects.filter(
        sent_at__gt=now - datetime.timedelta(minutes=1)).count()
    return settings.OUTBOX_RATE_PER_MINUTE - recent


def _due(now: datetime.datetime) -> Q:
    return (Q(state=State.PENDING, next_attempt_at__lte=now)
            | Q(state=State.CLAIMED, claimed_until__lt=now))  # a dead worker's claim


def _claim(now: datetime.datetime, limit: int) -> tuple[str, list[OutboxMessage]]:
    """Take up to `limit` due messages for this worker until now + the lease. The UPDATE checks
    again that each is still due, so two workers never hold the same message; on PostgreSQL
    they also skip each other's locked rows instead of waiting."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        due = OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(_due(now), pk__in=ids).update(
            state=State.CLAIMED, claim_token=token,
            claimed_until=now + datetime.timedelta(seconds=settings.OUTBOX_LEASE_SECONDS))
    return token, list(OutboxMessage.objects.filter(claim_token=token, state=State.CLAIMED)
                       .order_by("pk"))


def _email(message: OutboxMessage, connection_: BaseEmailBackend) -> EmailMultiAlternatives:
    headers = _router.headers(message) if _router is not None else {}
    email = EmailMultiAlternatives(message.subject, message.body, settings.DEFAULT_FROM_EMAIL,
                                   [message.to], connection=connection_, headers=headers)
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def _send_batch(batch: list[OutboxMessage], token: str, tally: _Tally) -> None:
    """Send the claimed messages over one connection; mark each as it goes."""
    connection_ = get_connection(fail_silently=False)
    try:
        connection_.open()
    except Exception as error:  # the server is down: every message waits for a retry
        logger.warning("outbox: the email server cannot be reached (%s); %d message(s) wait",
                       type(error).__name__, len(batch))
        for message in batch:
            _mark_failed_attempt(message, token, error, tally)
        return
    try:
        for message in batch:
            try:
                connection_.send_messages([_email(message, connection_)])
            except Exception as error:
                _mark_failed_attempt(message, token, error, tally)
            else:
                OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
                    state=State.SENT, sent_at=timezone.now(), attempts=message.attempts + 1,
                    claim_token="", claimed_until=None, last_error="")
                logger.debug("outbox: message %s sent", message.pk)
                tally.sent += 1
    finally:
        try:
            connection_.close()
        except Exception:  # the messages are marked already; a failed QUIT changes nothing
            logger.warning("Closing the email connection failed", exc_info=True)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2 x base, 4 x base ... capped at six hours."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, 6 * 3600))


def _mark_failed_attempt(message: OutboxMessage, token: str, error: Exception,
                         tally: _Tally) -> None:
    attempts = message.attempts + 1
    last = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    # The error's class and first words only: no message body, no credentials. Stored for
    # staff (who see the address anyway); the log gets the class alone, as a refusal's words
    # often quote the address.
    summary = header_clean(f"{type(error).__name__}: {error}")[:200]
    if last:
        tally.failed += 1
        logger.error("outbox: message %s (member %s) failed for good after %d attempt(s): %s",
                     message.pk, message.member_id, attempts, type(error).__name__)
    else:
        tally.retrying += 1
        logger.warning("outbox: message %s (member %s) failed (attempt %d of %d): %s; "
                       "retrying", message.pk, message.member_id, attempts,
                       settings.OUTBOX_MAX_ATTEMPTS, type(error).__name__)
    OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
        state=State.FAILED if last else State.PENDING, attempts=attempts,
        next_attempt_at=timezone.now() + retry_delay(attempts), last_error=summary,
        claim_token="", claimed_until=None)


def _follow_up(now: datetime.datetime) -> None:
    """Book one deferred run for what is still waiting (a retry, or what the rate held back),
    unless one is booked already; the periodic sweep is the safety net if this is lost."""
    waiting = (OutboxMessage.objects.filter(state=State.PENDING).order_by("next_attempt_at")
               .values_list("next_attempt_at", flat=True).first())
    if waiting is None or not outbox_deliver.get_backend().supports_defer or _run_booked():
        return
    when = max(waiting, now + datetime.timedelta(seconds=5))
    if rate_budget(now) <= 0:  # the next slot opens when the oldest send leaves the minute
        oldest = (OutboxMessage.objects.filter(sent_at__gt=now - datetime.timedelta(minutes=1))
                  .order_by("sent_at").values_list("sent_at", flat=True).first())
        when = max(when, (oldest or now) + datetime.timedelta(minutes=1))
    try:
        delivery_enqueue(run_after=when)
    except Exception:
        logger.warning("Could not book the next email delivery; the sweep will", exc_info=True)


def _run_booked() -> bool:
    """A delivery waits in the database queue already (so runs never multiply)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # another backend: book anyway
        return False
    from django_tasks.base import TaskResultStatus
    if not outbox_deliver.get_backend().__class__.__module__.startswith("django_tasks_db"):
        return False
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY,
                                       task_path=outbox_deliver.module_path).exists()


def member_messages_erase(member: Member, email: str) -> int:
    """Erasure: the member's messages go, sent or not, and any sent to their address before
    they had an account (an email invitation): each holds the address, often the name."""
    deleted, _detail = OutboxMessage.objects.filter(Q(member=member) | Q(to__iexact=email)).delete()
    return deleted
