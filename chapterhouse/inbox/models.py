"""Conversations on the site (issue 13, item 7): coordinators and organizers write to their
chapter's members or a forming chapter's invitees, a help board asker and a helper talk, and
every participant replies, all without seeing one another's email address.

A message to a whole chapter is one private conversation per recipient (`Message.broadcast`
ties them together for the sender's daily limit): recipients never see each other, and a
reply goes to the sender only. Each message is signed with its sender's name and role as they
were when it was sent (`sender_name`, `sender_role`, `sender_chapter`), so a coordinator who
later steps down still reads as "coordinator of Lyon" on what they wrote then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SenderRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    ORGANIZER = "organizer", _("organizer")
    MEMBER = "member", _("member")


def role_words(role: str, chapter: str) -> str:
    """A signature's role in the reader's language: "coordinator of Lyon", "organizer"."""
    if role == SenderRole.COORDINATOR:
        return gettext("coordinator of %(chapter)s") % {"chapter": chapter}
    if role == SenderRole.ORGANIZER:
        return (gettext("organizer for %(chapter)s") % {"chapter": chapter} if chapter
                else gettext("organizer"))
    if chapter:
        return gettext("member of %(chapter)s") % {"chapter": chapter}
    return gettext("member")


class Thread(models.Model):
    """One conversation between a few members (two, as every path on the site makes them)."""

    subject = models.CharField(_("subject"), max_length=200)
    # The chapter the conversation is about (signatures name it); kept if the chapter goes.
    chapter = models.ForeignKey("chapters.Chapter", verbose_name=_("chapter"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    created_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.subject


class Participant(models.Model):
    """A member in a conversation, and how far they have read it (a message id, not a time:
    a demo's clock stands still)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="conversations")
    read_up_to = models.PositiveBigIntegerField(_("read up to message"), default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["thread", "member"],
                                               name="inbox_one_participation")]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.thread_id}"


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    # None once the sender's account is erased (the text goes too; see services).
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="messages_sent")
    # The signature, as of sending.
    sender_name = models.CharField(_("sender's name"), max_length=100, blank=True)
    sender_role = models.CharField(_("sender's role"), max_length=16, blank=True,
                                   choices=SenderRole.choices)
    sender_chapter = models.CharField(_("sender's chapter"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    # When it was sent on the organization's clock (what readers see) ...
    sent_at = models.DateTimeField(_("sent at"))
    # ... and when the row was written (the real time: the daily limit counts it).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The same for every message of one group send (one per recipient).
    broadcast = models.UUIDField(null=True, blank=True, editable=False)
    # The form's one-time token: the same form sent twice makes one message.
    token = models.CharField(max_length=64, blank=True, editable=False)
    # The email that told the recipient, so an erasure of the sender removes that copy too.
    notice = models.ForeignKey("outbox.OutboxMessage", on_delete=models.SET_NULL, null=True,
                               blank=True, editable=False, related_name="+")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["sender", "created_at"], name="inbox_sent_by_day"),
                   models.Index(fields=["sender", "token"], name="inbox_sent_token")]
        constraints = [models.UniqueConstraint(fields=["thread", "token"],
                                               condition=~Q(token=""),
                                               name="inbox_one_message_per_token")]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.thread_id}"

    @property
    def erased(self) -> bool:
        return self.sender_id is None

    def signed_name(self) -> str:
        return self.sender_name if self.sender_id else gettext("a former member")

    def signed_role(self) -> str:
        """The sender's role as of sending, in the reader's language."""
        if self.sender_id is None:
            return ""
        return role_words(self.sender_role, self.sender_chapter)
