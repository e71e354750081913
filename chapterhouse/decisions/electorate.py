"""Who may vote in a poll: the voting rule, one place (who may create, withdraw or see a poll
is in permissions.py).

Eligible: active members who, on the opening date (UTC), had joined the organization
(organization), also live on that continent (region), or were members of the chapter
(chapter). The list is fixed when the poll opens: the account, and for a chapter poll the
membership, must have been written (`created_at`, which nobody can edit) before `opens_at`, so
joining late, or a membership backdated to an earlier `joined_on`, does not add a vote.
"""

from __future__ import annotations

import datetime
from typing import Any

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.decisions.models import Level, Poll
from chapterhouse.members.models import Member, MemberQuerySet


def opening_date(poll: Poll) -> datetime.date:
    return poll.opens_at.astimezone(datetime.UTC).date()


def eligible_voters(poll: Poll) -> MemberQuerySet:
    on = opening_date(poll)
    voters: MemberQuerySet = Member.objects.active().filter(joined_on__lte=on,
                                                            created_at__lt=poll.opens_at)
    if poll.level == Level.REGION:
        voters = voters.filter(place__continent_code=poll.region)
    elif poll.level == Level.CHAPTER:
        assert poll.chapter_id is not None  # a chapter poll names its chapter (a constraint)
        current = (ChapterMembership.objects.current(on)
                   .filter(chapter_id=poll.chapter_id, created_at__lt=poll.opens_at))
        voters = voters.filter(pk__in=current.values("member_id"))
    return voters


def is_eligible(member: Any, poll: Poll) -> bool:
    """`member`: a Member, or None / an anonymous user (never eligible)."""
    if member is None or not member.is_authenticated:
        return False
    return eligible_voters(poll).filter(pk=member.pk).exists()
