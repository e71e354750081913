"""A member's email preferences per category, and what waits for their digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from chapterhouse.notices.kinds import CHOOSABLE, Frequency

CATEGORY_CHOICES = [(c.value, c.value) for c in CHOOSABLE]
FREQUENCY_CHOICES = [(f.value, f.value) for f in Frequency]


class Preference(models.Model):
    """How often a member wants one category's emails; no row means the default (kinds.py)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="notice_preferences")
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    frequency = models.CharField(max_length=12, choices=FREQUENCY_CHOICES)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "category"],
                                               name="notice_preference_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.category}: {self.frequency}"


class Digest(models.Model):
    """One digest email: the entries it carried point at it (each entry is in one digest)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    weekly = models.BooleanField(default=False)  # it carried weekly entries

    def __str__(self) -> str:
        return f"digest {self.pk} for {self.member_id}"


class DigestEntry(models.Model):
    """An email a member gets in their digest instead of on its own: its subject and link."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    kind = models.CharField(max_length=40)
    frequency = models.CharField(max_length=12, choices=FREQUENCY_CHOICES)
    subject = models.CharField(max_length=300)
    link = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    digest = models.ForeignKey(Digest, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="entries")

    class Meta:
        verbose_name_plural = "digest entries"
        indexes = [
            # The job's scan: members with entries waiting, in member order.
            models.Index(fields=["digest", "member"], name="notice_entry_waiting"),
            models.Index(fields=["member", "digest"], name="notice_entry_member"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.member_id}"
