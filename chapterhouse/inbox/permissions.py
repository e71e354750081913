"""Who may write to whom (issue 13, item 7). Nobody may write to an arbitrary member:

- a chapter's coordinators and its organizer (`Chapter.organizer`, while active) write to one
  of its current members, or to all of them;
- a chapter's organizer also writes to its pending invitees (people asked to join a forming
  chapter, who have not answered yet);
- a help board asker and a member who offered help talk about that offer (the help board
  checks that rule itself and opens the conversation through `services.conversation_open`);
- whoever takes part in a conversation replies in it.

Staff get nothing more: they see addresses in the admin already, and a site-wide channel from
staff to any member would be a bulk-mail tool that needs rules of its own (and consent). A
member who is staff and coordinates a chapter writes as its coordinator, like anyone.

Each rule returns the standing the sender writes with (role and chapter: the signature), or
None when the rule does not allow it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation, InvitationStatus
from chapterhouse.inbox.models import Participant, SenderRole, Thread, role_words
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Actor


class Audience:
    MEMBERS = "members"
    INVITEES = "invitees"


@dataclass(frozen=True, slots=True)
class Standing:
    """What a sender writes as: the signature on their message."""

    role: str  # a SenderRole
    chapter: Chapter | None = None

    def words(self) -> str:
        return role_words(self.role, self.chapter.name if self.chapter else "")


def reachable(member: Member) -> bool:
    """Only an active account that is not erased can be written to."""
    return bool(member.is_active and member.erased_at is None)


def _organizes(actor: Actor, chapter: Chapter) -> bool:
    if chapter.organizer_id is None:  # no query for the many chapters without one
        return False
    organizer = chapter.organizer
    return (organizer is not None and organizer.active
            and organizer.member_id == actor.member.pk)


def chapter_standing(actor: Actor, chapter: Chapter) -> Standing | None:
    """Whether the actor may write to the chapter's people: its coordinators and organizer."""
    if not actor.is_member:
        return None
    if actor.coordinates(chapter):
        return Standing(SenderRole.COORDINATOR, chapter)
    if _organizes(actor, chapter):
        return Standing(SenderRole.ORGANIZER, chapter)
    return None


def audiences(standing: Standing | None) -> list[str]:
    """Whom a standing may write to in its chapter: members; and invitees for its organizer."""
    if standing is None:
        return []
    if standing.role == SenderRole.ORGANIZER:
        return [Audience.MEMBERS, Audience.INVITEES]
    return [Audience.MEMBERS]


def standing_towards(actor: Actor, recipient: Member, *,
                     on: datetime.date) -> Standing | None:
    """Whether the actor may start a conversation with `recipient`, and as what."""
    if not actor.is_member or recipient.pk == actor.member.pk or not reachable(recipient):
        return None
    their_chapters = set(ChapterMembership.objects.current(on).filter(member=recipient)
                         .values_list("chapter_id", flat=True))
    shared = sorted(their_chapters & actor.coordinated_chapter_ids)
    if shared:
        return Standing(SenderRole.COORDINATOR, Chapter.objects.get(pk=shared[0]))
    organized = Chapter.objects.filter(organizer__member=actor.member, organizer__active=True)
    chapter = organized.filter(pk__in=their_chapters).order_by("pk").first()
    if chapter is None:
        invited = Invitation.objects.filter(
            member=recipient, status=InvitationStatus.PENDING, expires_on__gte=on)
        chapter = organized.filter(pk__in=invited.values("chapter_id")).order_by("pk").first()
    if chapter is not None:
        return Standing(SenderRole.ORGANIZER, chapter)
    return None


def reply_standing(actor: Actor, chapter: Chapter | None, *, on: datetime.date) -> Standing:
    """What a participant writes as about `chapter` (a conversation's): its coordinator or
    organizer when they are so now, else an organizer, else a member (of the chapter, if they
    are one)."""
    if chapter is not None:
        standing = chapter_standing(actor, chapter)
        if standing is not None:
            return standing
    if actor.is_organizer:
        return Standing(SenderRole.ORGANIZER)
    if chapter is not None and chapter.is_member(actor.member, on):
        return Standing(SenderRole.MEMBER, chapter)
    return Standing(SenderRole.MEMBER)


def participates(actor: Actor, thread: Thread) -> bool:
    return actor.is_member and Participant.objects.filter(
        thread=thread, member=actor.member).exists()
