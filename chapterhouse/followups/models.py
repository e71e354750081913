"""One-to-one conversations with members, and the reminders sent about new members waiting for
a welcome (issue 13, item 2). Conversations are seen only by the chapter's coordinators and its
organizer (followups/permissions.py) and are deleted when the member is erased
(privacy/services.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NOTES_MAX = 2000


class Kind(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    ONE_TO_ONE = "one_to_one", _("One-to-one conversation")


class Conversation(models.Model):
    """Someone of a chapter talked with a member (or a new member without a chapter living in
    its area): when, who, and short notes."""

    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE,
                                related_name="conversations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="conversations_about", verbose_name=_("with"))
    talked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="conversations_held",
                                  verbose_name=_("by"))
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices,
                            default=Kind.ONE_TO_ONE)
    notes = models.TextField(_("notes"), max_length=NOTES_MAX, blank=True)
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        indexes = [models.Index(fields=["chapter", "member"], name="conversation_by_person")]

    def __str__(self) -> str:
        return f"conversation {self.pk} in chapter {self.chapter_id}"


class WelcomeReminder(models.Model):
    """That the coordinators, then the organizer, were reminded of a new member waiting for a
    welcome in a chapter: once each (followups/services.welcome_reminders_send)."""

    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE,
                                related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    coordinators_told_at = models.DateTimeField(null=True, blank=True)
    organizer_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chapter", "member"],
                                               name="one_welcome_reminder_per_person")]

    def __str__(self) -> str:
        return f"welcome reminder {self.pk}"
