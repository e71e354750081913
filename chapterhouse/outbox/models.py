"""The outbox: every email is a row first, written in the transaction that caused it, and sent
later by a worker (services.outbox_deliver_due). A row is claimed with a lease before sending,
so a worker that dies mid-send leaves a claim that expires and is taken again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    PENDING = "pending", "pending"  # waiting for its next attempt (next_attempt_at)
    CLAIMED = "claimed", "claimed"  # a worker is sending it until claimed_until
    SENT = "sent", "sent"
    FAILED = "failed", "failed"  # every attempt failed; staff see it


class OutboxMessage(models.Model):
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=998)  # one header line (RFC 5322's limit)
    body = models.TextField()
    html_body = models.TextField(blank=True)  # an optional HTML alternative
    member = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=40, blank=True, help_text="What the message is for.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outgoing email"
        indexes = [
            # The due query: pending by next attempt, and claims by their expiry.
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["state", "claimed_until"], name="outbox_claims"),
            models.Index(fields=["claim_token"], name="outbox_claim_token"),
            models.Index(fields=["sent_at"], name="outbox_sent_at"),  # the rate budget
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.state})"
