"""The demo's split: New York City's split into its boroughs, proposed by its coordinator
from the planner's centres and open for the chapter's vote (docs/splits.md). Left open, not
carried out, so that New York City stays as the letter describes it (and as the other demo
parts use it); a few members have voted.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.decisions.electorate import eligible_voters
from chapterhouse.decisions.services import ballot_cast
from chapterhouse.decisions.split_services import split_propose
from chapterhouse.members.models import Member
from chapterhouse.splits.models import Source, Split
from chapterhouse.splits.selectors import split_parts_from_members
from chapterhouse.splits.services import PartSpec

COORDINATOR_EMAIL = "coordinator@demo.example.org"
VOTES = (("agree", 9), ("abstain", 2), ("disagree", 1))


def seed_split(*, today: datetime.date) -> Split | None:
    nyc = Chapter.objects.filter(name="New York City").first()
    coordinator = Member.objects.filter(email=COORDINATOR_EMAIL).first()
    if nyc is None or coordinator is None:
        return None
    ctx = context_for(coordinator)
    places = split_parts_from_members(nyc, today, ctx.organization.min_attendees)
    if len(places) < 2:
        return None
    with transaction.atomic():
        split = split_propose(ctx, chapter=nyc, parts=[PartSpec(p.name, p.pk) for p in places],
                              source=Source.PLANNER, days=10)
        poll = split.poll
        poll.opening_sent_at = poll.opens_at  # the demo sends no opening notices
        poll.save(update_fields=["opening_sent_at"])
        stances = [stance for stance, n in VOTES for _ in range(n)]
        voters = [m for m in eligible_voters(poll).order_by("pk")
                  if m.email != COORDINATOR_EMAIL][:len(stances)]
        for voter, stance in zip(voters, stances, strict=False):
            ballot_cast(context_for(voter), poll=poll, data={"stance": [stance]})
    return split
