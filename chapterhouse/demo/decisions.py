"""The demo's decisions: the 2012 founding-convention goal poll, an endorsement, an open poll.

Called by the demo generator after members, chapters, the goal set and organizers exist:
- the organization-wide proposal that adopted the current goal set (secret, closed on the goal
  set's adoption date, 712 ballots from members who had joined by its opening);
- New York City's proposal that endorsed the coordinator persona as an organizer (closed in
  January, before `today`), whose plan is the organizer's capacity in the planner;
- an open New York City poll (ranked choice), open on the organization's clock (the demo's
  fixed 1 February 2014, or today) so it can be voted in.
Deterministic but for the random ballot keys (and the open poll's dates on a real clock).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.decisions import services
from chapterhouse.decisions.electorate import eligible_voters
from chapterhouse.decisions.models import (
    Ballot,
    EndorsementPlan,
    GoalProposal,
    Kind,
    Level,
    Option,
    Participation,
    Poll,
    ResultsShown,
)
from chapterhouse.goals.models import GoalSet
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization

COORDINATOR_EMAIL = "coordinator@demo.example.org"
FOUNDING_VOTERS = 712
# The letter says "more than 700 people voted that goal on": most agreed.
FOUNDING_STANCES = (("agree", 641), ("abstain", 27), ("disagree", 44))
BOROUGHS = ("Brooklyn", "Queens", "The Bronx", "Staten Island", "Manhattan")


def _utc(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 17, 0, tzinfo=datetime.UTC)


def seed_decisions(*, today: datetime.date, organization: Organization) -> dict[str, Poll]:
    rng = random.Random(2012)
    with transaction.atomic():
        Poll.objects.all().delete()  # seeding twice gives the same polls, not a second set
        polls = {"founding": _founding_poll(rng, organization)}
        nyc = Chapter.objects.filter(name="New York City").first()
        if nyc is not None:
            polls["endorsement"] = _endorsement(rng, organization, nyc, today)
            polls["open"] = _open_poll(rng, organization, nyc)
    return polls


def _founding_poll(rng: random.Random, organization: Organization) -> Poll:
    goal_set = GoalSet.objects.filter(organization=organization).current()
    closes = _utc(goal_set.adopted_on.year, goal_set.adopted_on.month, goal_set.adopted_on.day) \
        if goal_set else _utc(2012, 6, 15)
    poll = Poll.objects.create(
        organization=organization, kind=Kind.PROPOSAL, level=Level.ORGANIZATION, secret=True,
        title="Goals for the founding convention",
        description=("Before we call a founding convention we reach: 3,500 members; 20 "
                     "chapters that meet monthly with at least 5 people; chapters on at least 3 "
                     "continents; at least 30% women's participation. Deadline: July 2014."),
        opens_at=closes - datetime.timedelta(days=14), closes_at=closes,
        opening_sent_at=closes - datetime.timedelta(days=14),
        reminder_sent_at=closes - datetime.timedelta(days=1))
    if goal_set is not None:
        GoalProposal.objects.create(
            poll=poll, target_members=goal_set.target_members,
            target_chapters=goal_set.target_chapters,
            target_continents=goal_set.target_continents,
            target_women_share=goal_set.target_women_share, deadline=goal_set.deadline)
        poll.adopts_goal_set = goal_set
        poll.save(update_fields=["adopts_goal_set"])
    eligible = list(eligible_voters(poll).order_by("pk").values_list("pk", flat=True))
    voters = rng.sample(eligible, min(FOUNDING_VOTERS, len(eligible)))
    stances = [s for s, n in FOUNDING_STANCES for _ in range(n)][:len(voters)]
    rng.shuffle(stances)
    Participation.objects.bulk_create(Participation(poll=poll, member_id=m) for m in voters)
    Ballot.objects.bulk_create(Ballot(poll=poll, stance=s) for s in stances)
    services.poll_close(context_for(organization=organization), poll=poll, now=closes,
                        announce=False)
    poll.refresh_from_db()
    return poll


def _endorsement(rng: random.Random, organization: Organization, nyc: Chapter,
                 today: datetime.date) -> Poll:
    """The letter's author put his plan (10-20 h/week for 3-5 months) to his chapter."""
    author = Member.objects.get(email=COORDINATOR_EMAIL)
    opens = _utc(today.year, today.month, 1) - datetime.timedelta(days=21)
    closes = opens + datetime.timedelta(days=7)
    poll = Poll.objects.create(
        organization=organization, kind=Kind.PROPOSAL, level=Level.CHAPTER, chapter=nyc,
        secret=True, created_by=author, title=f"Endorse {author.display_name} as an organizer",
        description=("15 hours a week for 4 months, to start 2-4 new chapters in the areas "
                     "closest to New York: the boroughs, then the northeastern US."),
        opens_at=opens, closes_at=closes, opening_sent_at=opens, reminder_sent_at=closes)
    EndorsementPlan.objects.create(
        poll=poll, member=author, place=nyc.place, hours_per_week=Decimal("15"),
        months=Decimal("4"), starts_on=today, reach_km=350,
        target_areas="Brooklyn, Queens, The Bronx; Boston, Philadelphia")
    voters = list(eligible_voters(poll).order_by("pk"))
    during = opens + datetime.timedelta(days=2)
    for member in rng.sample(voters, min(24, len(voters))):
        stance = "agree" if rng.random() < 0.85 else "abstain"
        services.ballot_cast(context_for(member, organization), poll=poll,
                             data={"stance": [stance]}, now=during)
    services.poll_close(context_for(organization=organization), poll=poll, now=closes,
                        announce=False)
    poll.refresh_from_db()
    return poll


def _open_poll(rng: random.Random, organization: Organization, nyc: Chapter) -> Poll:
    # The organization's now (the demo's 1 February 2014), like every poll date: the poll opened
    # two days before it and closes twelve days after.
    now = organization.clock.now().replace(second=0, microsecond=0)
    poll = Poll.objects.create(
        organization=organization, kind=Kind.RANKED, level=Level.CHAPTER, chapter=nyc,
        secret=True, results_shown=ResultsShown.AFTER_CLOSE,
        created_by=Member.objects.get(email=COORDINATOR_EMAIL),
        title="Where should New York City help start its first borough chapter?",
        description=("Rank the boroughs. The winner gets the organizers' first months and a "
                     "founding meeting at the library."),
        opens_at=now - datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=12),
        opening_sent_at=now - datetime.timedelta(days=2))
    options = Option.objects.bulk_create(Option(poll=poll, label=label, position=i)
                                         for i, label in enumerate(BOROUGHS))
    voters = [m for m in eligible_voters(poll).order_by("pk")
              if m.email != COORDINATOR_EMAIL]
    for member in rng.sample(voters, min(11, len(voters))):
        ranking = rng.sample(options, rng.randint(1, 3))
        services.ballot_cast(context_for(member, organization), poll=poll,
                             data={"ranking": [str(o.pk) for o in ranking]})
    return poll
