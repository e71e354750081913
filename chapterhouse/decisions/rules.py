"""Who may create, see and vote in a poll. Named predicates, one place.

- Create: staff for organization and region polls; a chapter's coordinators (and staff) for
  that chapter's polls.
- Vote (eligible): active members who, on the opening date (UTC), had joined the organization
  (organization), also live on that continent (region), or were members of the chapter
  (chapter). The list is fixed when the poll opens: the account, and for a chapter poll the
  membership, must have been written (`created_at`, which nobody can edit) before `opens_at`,
  so joining late, or a membership backdated to an earlier `joined_on`, does not add a vote.
- Withdraw (before the close): the poll's author, and those who may create it.
- See: staff, the eligible, and for chapter polls the chapter's current members and
  coordinators; for region polls members living there. Everyone else gets 404.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.decisions.models import Level, Poll
from chapterhouse.members.access import may
from chapterhouse.members.models import Member, MemberQuerySet
from chapterhouse.members.roles import Capability


def opening_date(poll: Poll) -> datetime.date:
    return poll.opens_at.astimezone(datetime.UTC).date()


def may_create(member: Member, level: str, chapter: Chapter | None = None) -> bool:
    """The roles come from members/roles.py."""
    if level == Level.CHAPTER and chapter is not None:
        return may(member, Capability.CHAPTER_POLL_CREATE, chapter=chapter)
    return may(member, Capability.ORGANIZATION_POLL_CREATE)


def may_withdraw(member: Member, poll: Poll) -> bool:
    """The poll's author (a member withdrawing their own plan, say), or whoever may create
    such a poll."""
    if not member.is_authenticated or not member.is_active:
        return False
    return poll.created_by_id == member.pk or may_create(member, poll.level, poll.chapter)


def creatable_chapters(member: Member):
    if member.is_staff:
        return Chapter.objects.all()
    return member.coordinated_chapters.all()


def eligible_voters(poll: Poll) -> MemberQuerySet:
    on = opening_date(poll)
    voters = Member.objects.active().filter(joined_on__lte=on, created_at__lt=poll.opens_at)
    if poll.level == Level.REGION:
        voters = voters.filter(place__continent_code=poll.region)
    elif poll.level == Level.CHAPTER:
        current = (ChapterMembership.objects.current(on)
                   .filter(chapter_id=poll.chapter_id, created_at__lt=poll.opens_at))
        voters = voters.filter(pk__in=current.values("member_id"))
    return voters


def is_eligible(member: Member, poll: Poll) -> bool:
    if not member.is_authenticated:
        return False
    return eligible_voters(poll).filter(pk=member.pk).exists()


def visible_polls(member: Member, today: datetime.date):
    """The polls this member may see (a QuerySet; the list page's one query)."""
    polls = Poll.objects.all()
    if member.is_staff:
        return polls
    chapters = ChapterMembership.objects.current(today).filter(member=member).values("chapter_id")
    seen = (Q(level=Level.ORGANIZATION) | Q(chapter_id__in=chapters)
            | Q(chapter__coordinators=member) | Q(participations__member=member))
    if member.place_id:
        seen |= Q(level=Level.REGION, region=member.place.continent_code)
    return polls.filter(seen).distinct()


def may_see(member: Member, poll: Poll, today: datetime.date) -> bool:
    if not member.is_authenticated or not member.is_active:
        return False
    if member.is_staff or poll.level == Level.ORGANIZATION:
        return True
    if poll.level == Level.REGION:
        if member.place_id and member.place.continent_code == poll.region:
            return True
    elif (poll.chapter.is_member(member, today)
          or poll.chapter.coordinators.filter(pk=member.pk).exists()):
        return True
    return is_eligible(member, poll)
