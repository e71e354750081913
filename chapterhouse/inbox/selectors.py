"""Reading conversations: my list with unread counts, one conversation, whom a chapter message
reaches. Templates get plain data and run no query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation, InvitationStatus
from chapterhouse.inbox.models import Message, Participant, Thread
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context

PER_PAGE = 30


@dataclass(frozen=True, slots=True)
class ConversationRow:
    thread: Thread
    with_names: list[str]
    last: Message | None
    unread: int


def _names(members: list[Member]) -> list[str]:
    """Who else is in a conversation; someone erased (or nobody left) reads as a former member."""
    names = [m.display_name for m in members if m.erased_at is None and m.display_name]
    return names or [_("a former member")]


@dataclass(frozen=True, slots=True)
class Conversations:
    rows: list[ConversationRow]
    page: Page[Participant]  # for the page links


def conversations_of(ctx: Context, *, page: int | str = 1) -> Conversations:
    """The actor's conversations, the latest message first, each with how many messages from
    others they have not read. Four queries for a page, however long the list."""
    me = ctx.actor.member
    participations = (
        Participant.objects.filter(member=me).select_related("thread", "thread__chapter")
        .annotate(last_pk=Max("thread__messages__pk"),
                  unread=Count("thread__messages", filter=Q(
                      thread__messages__pk__gt=F("read_up_to"))
                      & ~Q(thread__messages__sender=me)))
        .order_by("-last_pk", "-pk"))
    paginator: Paginator[Participant] = Paginator(participations, PER_PAGE)
    shown = paginator.get_page(page)
    rows = list(shown.object_list)
    thread_ids = [p.thread_id for p in rows]
    others: dict[int, list[Member]] = {pk: [] for pk in thread_ids}
    for other in (Participant.objects.filter(thread_id__in=thread_ids).exclude(member=me)
                  .select_related("member").order_by("pk")):
        others[other.thread_id].append(other.member)
    lasts = Message.objects.in_bulk([p.last_pk for p in rows if p.last_pk])  # type: ignore[attr-defined]
    return Conversations(rows=[
        ConversationRow(thread=p.thread, with_names=_names(others[p.thread_id]),
                        last=lasts.get(p.last_pk),  # type: ignore[attr-defined]
                        unread=p.unread)  # type: ignore[attr-defined]
        for p in rows], page=shown)


def unread_total(ctx: Context) -> int:
    """Messages from others the actor has not read, in all their conversations."""
    me = ctx.actor.member
    if me is None:
        return 0
    return Message.objects.filter(thread__participants__member=me,
                                  pk__gt=F("thread__participants__read_up_to")).exclude(
        sender=me).count()


@dataclass(frozen=True, slots=True)
class ThreadPage:
    thread: Thread
    with_names: list[str]
    messages: list[Message]
    unread_from: int  # messages with a larger id are new to the reader
    may_reply: bool  # somebody else is still there to read a reply


def thread_page(ctx: Context, thread_id: int) -> ThreadPage | None:
    """One conversation, for those who take part in it only (None for anyone else)."""
    me = ctx.actor.member
    if me is None or not 0 < thread_id < 2**63:  # an absurd id in the address: not found
        return None
    mine = (Participant.objects.filter(thread_id=thread_id, member=me)
            .select_related("thread", "thread__chapter").first())
    if mine is None:
        return None
    others = [p.member for p in Participant.objects.filter(thread_id=thread_id)
              .exclude(member=me).select_related("member")]
    return ThreadPage(
        thread=mine.thread, with_names=_names(others),
        messages=list(Message.objects.filter(thread_id=thread_id).order_by("pk")),
        unread_from=mine.read_up_to,
        may_reply=any(m.is_active and m.erased_at is None for m in others))


def chapter_recipients(ctx: Context, chapter: Chapter, audience: str) -> list[Member]:
    """Whom a message to a chapter reaches: its current members, or its pending invitees
    (invitations not yet expired); active accounts only."""
    today = ctx.today()
    ids: QuerySet[Any, Any]
    if audience == "invitees":
        ids = Invitation.objects.filter(chapter=chapter, status=InvitationStatus.PENDING,
                                        expires_on__gte=today).values("member_id")
    else:
        ids = ChapterMembership.objects.current(today).filter(chapter=chapter).values(
            "member_id")
    return list(Member.objects.filter(pk__in=ids, is_active=True, erased_at__isnull=True)
                .order_by("pk"))


def chapter_audience_sizes(ctx: Context, chapter: Chapter, audiences: list[str]) -> dict[str, int]:
    """How many each audience reaches (the sender not counted), for the write page."""
    me = ctx.actor.member
    return {audience: sum(1 for m in chapter_recipients(ctx, chapter, audience) if m != me)
            for audience in audiences}
