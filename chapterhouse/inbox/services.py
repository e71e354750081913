"""Writing messages: new conversations, a message to a chapter's people, replies, reading, and
what an erasure leaves (issue 13, item 7; who may write to whom is in permissions.py).

Limits, each a setting:
- INBOX_MESSAGE_MAX_CHARS: the longest message; a longer one is refused whole, nothing kept.
- INBOX_MESSAGES_PER_DAY: what one member may send in any 24 hours, counted by message: a new
  conversation, a reply, and a group message each count one. A group message is one act of
  writing that reaches each recipient once; counting it by recipients would forbid the
  coordinator of a chapter of 300 members from ever writing to it, while the members are
  protected by the next limit instead.
- INBOX_GROUP_MESSAGES_PER_DAY: how many group messages one member may send in 24 hours, so
  nobody receives more than that many a day from one coordinator or organizer.
The limits count the real time (when rows were written), as every rate limit does; what
readers see is the organization's clock (`sent_at`).

A form sends a one-time token: the same token twice (a double click, a reload after posting)
makes one message. The sender's row is locked first, so two sends at once are counted one after
the other.

Email: each recipient is told by an email in their language with the text (or its beginning)
and a link to the conversation; no email carries anyone's address, and replies are made on the
site (the email says so: nothing reads replies to the site's address).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.inbox.models import Message, Participant, Thread
from chapterhouse.inbox.permissions import (
    Audience,
    Standing,
    audiences,
    chapter_standing,
    participates,
    reachable,
    reply_standing,
    standing_towards,
)
from chapterhouse.inbox.selectors import chapter_recipients
from chapterhouse.members.language import member_language
from chapterhouse.members.mail import site_link
from chapterhouse.members.models import Member
from chapterhouse.notices.services import entries_forget
from chapterhouse.organizations.context import Context
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.outbox.services import Draft, messages_queue

logger = logging.getLogger(__name__)

SUBJECT_MAX = 200
EXCERPT_CHARS = 600
EMAIL_KIND = "inbox_message"  # category: messages
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Sent:
    """What a send made: the conversations (one per recipient) and whether it was a repeat of
    a send already made with the same token (then nothing new was written)."""

    threads: list[Thread]
    repeated: bool = False

    @property
    def count(self) -> int:
        return len(self.threads)


# Checks -------------------------------------------------------------------------------------

def body_clean(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("Write a message first."), code="empty")
    limit = settings.INBOX_MESSAGE_MAX_CHARS
    if len(text) > limit:
        raise ValidationError(
            _("A message can be at most %(limit)d characters long; this one has %(length)d. "
              "Nothing was sent: shorten it and send it again.")
            % {"limit": limit, "length": len(text)}, code="too_long")
    return text


def subject_clean(subject: str) -> str:
    text = " ".join((subject or "").split())
    if not text:
        raise ValidationError(_("Give the conversation a subject."), code="no_subject")
    if len(text) > SUBJECT_MAX:
        raise ValidationError(_("A subject can be at most %(limit)d characters long.")
                              % {"limit": SUBJECT_MAX}, code="subject_too_long")
    return text


def _token_clean(token: str) -> str:
    return (token or "")[:64]


def _lock_sender(member: Member) -> None:
    # A no-op UPDATE rather than SELECT ... FOR UPDATE: PostgreSQL locks the row and SQLite
    # takes its write lock here, before the counts (as chapters' invitation limit does).
    Member.objects.filter(pk=member.pk).update(display_name=F("display_name"))


def _repeat(member: Member, token: str) -> list[Thread] | None:
    """The conversations an earlier send with this token made, or None."""
    if not token:
        return None
    ids = list(Message.objects.filter(sender=member, token=token)
               .values_list("thread_id", flat=True))
    return list(Thread.objects.filter(pk__in=ids)) if ids else None


def _within_limits(member: Member, *, group: bool) -> None:
    since = timezone.now() - DAY
    sent = Message.objects.filter(sender=member, created_at__gt=since).aggregate(
        single=Count("pk", filter=Q(broadcast__isnull=True)),
        groups=Count("broadcast", distinct=True))
    if sent["single"] + sent["groups"] >= settings.INBOX_MESSAGES_PER_DAY:
        raise ValidationError(
            _("You have sent %(limit)d messages in the last 24 hours, the most one member may "
              "send. Nothing was sent; try again tomorrow.")
            % {"limit": settings.INBOX_MESSAGES_PER_DAY}, code="daily_limit")
    if group and sent["groups"] >= settings.INBOX_GROUP_MESSAGES_PER_DAY:
        raise ValidationError(
            _("You have written to a whole group %(limit)d times in the last 24 hours, the most "
              "allowed. Nothing was sent; try again tomorrow.")
            % {"limit": settings.INBOX_GROUP_MESSAGES_PER_DAY}, code="group_limit")


# Writing ------------------------------------------------------------------------------------

def message_write(ctx: Context, *, recipient: Member, subject: str, body: str,
                  token: str = "") -> Sent:
    """Start a conversation with one member the actor may write to (permissions.py)."""
    standing = standing_towards(ctx.actor, recipient, on=ctx.today())
    if standing is None:
        raise PermissionDenied
    return _open(ctx, recipients=[recipient], standing=standing, subject=subject, body=body,
                 token=token, group=False)


def message_write_chapter(ctx: Context, *, chapter: Chapter, audience: str, subject: str,
                          body: str, token: str = "") -> Sent:
    """Write to every current member of a chapter (or, for its organizer, every pending
    invitee): one private conversation per recipient, so nobody sees who else received it and
    replies come to the sender only."""
    standing = chapter_standing(ctx.actor, chapter)
    if standing is None or audience not in audiences(standing):
        raise PermissionDenied
    recipients = [m for m in chapter_recipients(ctx, chapter, audience)
                  if m.pk != ctx.actor.member.pk]
    if not recipients:
        raise ValidationError(
            _("Nobody can receive this message: the chapter has no other members yet.")
            if audience == Audience.MEMBERS else
            _("Nobody can receive this message: no invitation is waiting for an answer."),
            code="nobody")
    return _open(ctx, recipients=recipients, standing=standing, subject=subject, body=body,
                 token=token, group=True)


def conversation_open(ctx: Context, *, recipient: Member, subject: str, body: str,
                      token: str = "", chapter: Chapter | None = None) -> Sent:
    """A conversation that a feature above this app allows by a rule of its own (the help
    board: an asker and a helper who offered). The caller has checked that rule; this still
    refuses a visitor, oneself and an account that cannot be written to, and applies the
    limits."""
    actor = ctx.actor
    if not actor.is_member or recipient.pk == actor.member.pk:
        raise PermissionDenied
    if not reachable(recipient):
        raise ValidationError(_("This member's account no longer exists."), code="gone")
    standing = reply_standing(actor, chapter, on=ctx.today())
    return _open(ctx, recipients=[recipient], standing=standing, subject=subject, body=body,
                 token=token, group=False, chapter=chapter)


def message_reply(ctx: Context, *, thread: Thread, body: str, token: str = "") -> Message:
    """Write in a conversation one takes part in; the others are told by email."""
    actor = ctx.actor
    if not participates(actor, thread):
        raise PermissionDenied
    body = body_clean(body)
    token = _token_clean(token)
    member = actor.member
    with transaction.atomic():
        _lock_sender(member)
        earlier = (Message.objects.filter(thread=thread, sender=member, token=token).first()
                   if token else None)
        if earlier is not None:
            return earlier
        others = [p.member for p in thread.participants.select_related("member")
                  .exclude(member=member)]
        if not any(reachable(m) for m in others):
            raise ValidationError(_("Nobody else is left in this conversation to read a "
                                    "reply."), code="alone")
        _within_limits(member, group=False)
        standing = reply_standing(actor, thread.chapter, on=ctx.today())
        message = Message.objects.create(thread=thread, token=token, body=body,
                                         sent_at=ctx.now(), **_signature(member, standing))
        Participant.objects.filter(thread=thread, member=member).update(read_up_to=message.pk)
        _notify(ctx, [(message, m) for m in others if reachable(m)], thread=thread)
    logger.info("inbox: member %s replied in conversation %s", member.pk, thread.pk)
    return message


def _signature(member: Member, standing: Standing) -> dict[str, object]:
    return {"sender": member, "sender_name": member.display_name[:100],
            "sender_role": standing.role,
            "sender_chapter": standing.chapter.name if standing.chapter else ""}


def _open(ctx: Context, *, recipients: list[Member], standing: Standing, subject: str,
          body: str, token: str, group: bool, chapter: Chapter | None = None) -> Sent:
    subject = subject_clean(subject)
    body = body_clean(body)
    token = _token_clean(token)
    member = ctx.actor.member
    chapter = chapter or standing.chapter
    with transaction.atomic():
        _lock_sender(member)
        repeated = _repeat(member, token)
        if repeated is not None:
            return Sent(repeated, repeated=True)
        _within_limits(member, group=group)
        now = ctx.now()
        threads = Thread.objects.bulk_create(
            Thread(subject=subject, chapter=chapter) for _recipient in recipients)
        broadcast = uuid.uuid4() if group else None
        signature = _signature(member, standing)
        messages = Message.objects.bulk_create(
            Message(thread=thread, body=body, sent_at=now, broadcast=broadcast, token=token,
                    **signature)
            for thread in threads)
        Participant.objects.bulk_create(
            participant
            for thread, message, recipient in zip(threads, messages, recipients, strict=True)
            for participant in (Participant(thread=thread, member=member, read_up_to=message.pk),
                                Participant(thread=thread, member=recipient)))
        _notify(ctx, list(zip(messages, recipients, strict=True)))
    logger.info("inbox: member %s wrote to %d member(s)%s", member.pk, len(recipients),
                " (a group message)" if group else "")
    return Sent(threads)


# Email --------------------------------------------------------------------------------------

def excerpt(body: str) -> str:
    return body if len(body) <= EXCERPT_CHARS else body[:EXCERPT_CHARS].rstrip() + " […]"


def _notify(ctx: Context, sends: list[tuple[Message, Member]], *,
            thread: Thread | None = None) -> None:
    """One email per recipient, in their language, queued with the message. It names the
    sender and their role, never an address (the outbox sends from the site's address)."""
    organization = ctx.organization.name
    drafts: list[Draft] = []
    for message, recipient in sends:
        conversation = thread or message.thread
        link = site_link("inbox_thread", conversation.pk)
        with translation.override(member_language(recipient)):
            role = message.signed_role()
            subject = _("%(name)s (%(role)s): %(subject)s") % {
                "name": message.sender_name, "role": role, "subject": conversation.subject}
            body = _(
                "Hello %(recipient)s,\n\n%(name)s (%(role)s) wrote to you on the site of "
                "%(organization)s:\n\n%(subject)s\n\n%(text)s\n\nRead the whole conversation "
                "and reply on the site:\n%(link)s\n\nPlease do not reply to this email: your "
                "answer would not reach %(name)s. On the site neither of you sees the other's "
                "email address.") % {
                "recipient": recipient.display_name, "name": message.sender_name, "role": role,
                "organization": organization, "subject": conversation.subject,
                "text": excerpt(message.body), "link": link}
        drafts.append(Draft(to=recipient.email, subject=subject, body=body, member=recipient,
                            kind=EMAIL_KIND, link=link))
    # Only the emails sent now come back (a recipient's preferences may keep theirs for a
    # digest, or drop it): each is matched to its message by its recipient, one per send.
    sent = {row.member_id: row for row in messages_queue(drafts)}
    told = []
    for message, recipient in sends:
        if (notice := sent.get(recipient.pk)) is not None:
            message.notice = notice
            told.append(message)
    Message.objects.bulk_update(told, ["notice"], batch_size=500)


# Reading ------------------------------------------------------------------------------------

def thread_mark_read(ctx: Context, *, thread: Thread) -> None:
    """The actor has read the conversation up to its last message."""
    if not ctx.actor.is_member:
        return
    last = thread.messages.aggregate(last=Max("pk"))["last"] or 0
    Participant.objects.filter(thread=thread, member=ctx.actor.member,
                               read_up_to__lt=last).update(read_up_to=last)


# Erasure ------------------------------------------------------------------------------------

def conversations_erase(member: Member) -> None:
    """For the account erasure (privacy.services.member_erase): the text and signature of every
    message the member sent go, and so does their place in each conversation; the others keep
    the conversation, where the member's messages read as from "a former member". The emails
    that told others of those messages (they quote them) go from the outbox. A conversation
    with nobody left in it is deleted."""
    sent = Message.objects.filter(sender=member)
    OutboxMessage.objects.filter(pk__in=sent.filter(notice__isnull=False)
                                 .values("notice_id")).delete()
    sent.update(
        sender=None, sender_name="", sender_role="", sender_chapter="", body="", token="",
        notice=None)
    threads = list(Participant.objects.filter(member=member).values_list("thread_id", flat=True))
    # Others' digests still to come would name them beside these conversations: those lines go.
    entries_forget(kind=EMAIL_KIND, but_member=member,
                   links=[site_link("inbox_thread", pk) for pk in threads])
    Participant.objects.filter(member=member).delete()
    Thread.objects.filter(pk__in=threads, participants__isnull=True).delete()
