"""Reads about polls: what each page shows, computed here so that views only render and
templates run no query.

Who has voted in a secret poll is shown only as far as the count has reached: participations
whose ballots still wait sealed in the box are neither listed nor counted, so the list and the
live result change together, in batches of at least `SECRET_BALLOT_BATCH` (docs/decisions.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.decisions.electorate import eligible_voters, is_eligible
from chapterhouse.decisions.models import (
    Ballot,
    Level,
    Option,
    Participation,
    Poll,
    ResultsShown,
    Stance,
)
from chapterhouse.decisions.permissions import (
    poll_create_allowed_somewhere,
    poll_visible,
    poll_withdraw_allowed,
)
from chapterhouse.decisions.tally import PollSpec, StoredBallot, tally
from chapterhouse.goals.models import GoalSet
from chapterhouse.organizations.context import Context

MIN_NAMED_VOTERS = 3  # fewer than this, and names would say too much about a secret ballot


def batch_size() -> int:
    """k: the fewest new secret ballots the count takes in at once while a poll is open."""
    return max(1, int(settings.SECRET_BALLOT_BATCH))


def participations_listed(poll: Poll) -> QuerySet[Participation]:
    """The participations a page may count or name: all of an open-ballot poll's; of a secret
    poll's, those whose ballots are counted."""
    if not poll.secret:
        return poll.participations.all()
    return poll.participations.filter(pk__lte=poll.published_through)


def voters_waiting(poll: Poll) -> int:
    """How many voters' ballots wait in the box (not yet counted, not yet listed)."""
    return poll.participations.filter(pk__gt=poll.published_through).count()


def polls_with_listed_voters(polls: QuerySet[Poll]) -> QuerySet[Poll]:
    """Annotate `voters`: the number of listed participations of each poll."""
    return polls.annotate(voters=Count(
        "participations", distinct=True,
        filter=Q(secret=False) | Q(participations__pk__lte=F("published_through"))))


def polls_visible(ctx: Context) -> QuerySet[Poll]:
    """The polls the actor may see (a QuerySet; the list page's one query)."""
    polls = Poll.objects.all()
    member = ctx.actor.member
    if member is None:
        return polls.none()
    if ctx.actor.is_staff:
        return polls
    chapters = (ChapterMembership.objects.current(ctx.today()).filter(member=member)
                .values("chapter_id"))
    seen = (Q(level=Level.ORGANIZATION) | Q(chapter_id__in=chapters)
            | Q(chapter__coordinators=member) | Q(participations__member=member))
    if member.place_id:
        seen |= Q(level=Level.REGION, region=member.place.continent_code)
    return polls.filter(seen).distinct()


def poll_get_visible(ctx: Context, poll_id: int) -> Poll | None:
    """The poll, if it exists and the actor may see it (None otherwise: "not found", so that
    a poll's existence is not revealed)."""
    poll: Poll | None = (Poll.objects.select_related(
        "chapter", "organization", "goal_proposal", "endorsement__member", "adopts_goal_set")
        .filter(pk=poll_id).first())
    if poll is None or not poll_visible(ctx.actor, poll, ctx.today()):
        return None
    return poll


def poll_spec(poll: Poll) -> PollSpec:
    labels = {o.pk: o.label for o in poll.options.all()}
    return PollSpec(poll.kind, labels, poll.seats, poll.max_score, poll.quorum,
                    poll.pass_threshold, poll.max_blocks)


def poll_result_live(poll: Poll) -> dict[str, Any]:
    """The count so far (for an open poll whose results are shown to those who voted)."""
    ballots = [StoredBallot(m, s) for m, s in poll.ballots.values_list("marks", "stance")]
    return tally(poll_spec(poll), ballots, eligible=eligible_voters(poll).count())


def results_visible(poll: Poll, voted: bool) -> bool:
    if poll.is_withdrawn:
        return False
    return poll.is_closed or (poll.results_shown == ResultsShown.AFTER_VOTING and voted)


def ballot_described(ballot: Ballot, labels: dict[int, str], kind: str) -> str:
    """A ballot in words: a stance, options in order (a ranking: first preference first) or
    option=score pairs."""
    if ballot.stance:
        return str(Stance(ballot.stance).label)
    if isinstance(ballot.marks, dict):
        return ", ".join(f"{labels.get(int(o), o)}={s}" for o, s in ballot.marks.items())
    return (" > " if kind == "ranked" else ", ").join(
        labels.get(o, str(o)) for o in ballot.marks)


@dataclass(frozen=True)
class PollLists:
    """The list page: the actor's polls by state, and what they may start."""

    groups: dict[str, list[Poll]]
    may_create: bool
    has_chapters: bool


def polls_listed(ctx: Context) -> PollLists:
    now = ctx.now()
    member = ctx.actor.member
    mine = Participation.objects.filter(poll=OuterRef("pk"), member=member)
    polls = (polls_with_listed_voters(polls_visible(ctx)).select_related("chapter")
             .annotate(voted=Exists(mine)).order_by("-closes_at"))
    groups: dict[str, list[Poll]] = {"open": [], "upcoming": [], "closed": []}
    for poll in polls:
        state = ("closed" if poll.is_closed or poll.closes_at <= now
                 else "open" if poll.opens_at <= now else "upcoming")
        groups[state].append(poll)
    return PollLists(groups=groups, may_create=poll_create_allowed_somewhere(ctx.actor),
                     has_chapters=member is not None and ChapterMembership.objects.current(
                         ctx.today()).filter(member=member).exists())


@dataclass(frozen=True)
class PollPage:
    """What the poll's page shows the actor."""

    poll: Poll
    now: datetime.datetime
    options: list[Option]
    voted: bool
    waiting: bool  # the actor's secret ballot still waits sealed in the box
    eligible: bool
    may_vote: bool
    shown: bool
    result: dict[str, Any] | None
    own_ballot: str | None
    voters: int
    may_withdraw: bool
    ranks: Sequence[int] = field(default=())
    scores: Sequence[int] = field(default=())


def poll_page(ctx: Context, poll: Poll) -> PollPage:
    now = ctx.now()
    member = ctx.actor.member
    mine = Participation.objects.filter(poll=poll, member=member).first() if member else None
    voted = mine is not None
    # A secret ballot not yet counted waits sealed in the box, with the next batch's.
    waiting = bool(mine and poll.secret and not poll.is_closed
                   and mine.pk > poll.published_through)
    eligible = is_eligible(member, poll)
    shown = results_visible(poll, voted)
    result = poll.result if poll.is_closed else (poll_result_live(poll) if shown else None)
    options = list(poll.options.all())
    own_ballot = None
    if voted and not poll.secret:
        ballot = poll.ballots.filter(member=member).first()
        labels = {o.pk: o.label for o in options}
        own_ballot = ballot_described(ballot, labels, poll.kind) if ballot else None
    return PollPage(
        poll=poll, now=now, options=options, voted=voted, waiting=waiting, eligible=eligible,
        may_vote=poll.is_open(now) and eligible and (not voted or poll.changeable),
        shown=shown, result=result, own_ballot=own_ballot,
        voters=participations_listed(poll).count(),
        may_withdraw=not poll.is_closed and poll_withdraw_allowed(ctx.actor, poll),
        ranks=range(1, len(options) + 1), scores=range(0, poll.max_score + 1))


@dataclass(frozen=True)
class ResultsPage:
    shown: bool
    result: dict[str, Any] | None
    open_ballots: list[tuple[str, str]] | None  # (voter, ballot in words) of an open ballot


def poll_results(ctx: Context, poll: Poll) -> ResultsPage:
    member = ctx.actor.member
    voted = member is not None and Participation.objects.filter(poll=poll, member=member).exists()
    shown = results_visible(poll, voted)
    result = None
    if shown:
        result = poll.result if poll.is_closed else poll_result_live(poll)
    open_ballots = None
    if shown and poll.is_closed and not poll.secret:
        labels = {o.pk: o.label for o in poll.options.all()}
        # An open ballot names its voter (Ballot.member is set on every open-ballot poll).
        open_ballots = [(b.member.display_name if b.member else "",
                         ballot_described(b, labels, poll.kind)) for b in
                        poll.ballots.select_related("member").order_by("member__display_name")]
    return ResultsPage(shown=shown, result=result, open_ballots=open_ballots)


@dataclass(frozen=True)
class VotersPage:
    count: int
    names: list[str] | None  # None until at least MIN_NAMED_VOTERS have voted
    unnamed: int  # counted at a secret close but not named (fewer than a batch)
    batched: bool


def poll_voters(poll: Poll) -> VotersPage:
    """Who has voted, by name, once at least three have (never what they voted). A secret
    poll lists only voters whose ballots are counted, so the list grows by whole batches."""
    listed = participations_listed(poll)
    count = listed.count()
    names = None
    if count >= MIN_NAMED_VOTERS:
        names = list(listed.order_by("member__display_name")
                     .values_list("member__display_name", flat=True))
    # At a close after live results, fewer than k late voters are counted but not named.
    unnamed = (poll.participations.count() - count) if poll.is_closed and poll.secret else 0
    return VotersPage(count=count, names=names, unnamed=unnamed,
                      batched=poll.secret and not poll.is_closed)


def chapters_for_poll_creation(ctx: Context) -> QuerySet[Chapter]:
    """The chapters the actor may create a chapter poll for."""
    if ctx.actor.is_staff:
        return Chapter.objects.all().order_by("name")
    return Chapter.objects.filter(pk__in=ctx.actor.coordinated_chapter_ids).order_by("name")


def chapters_joined(ctx: Context) -> QuerySet[Chapter]:
    """The chapters the actor belongs to today (where they may put a plan)."""
    return Chapter.objects.filter(
        pk__in=ChapterMembership.objects.current(ctx.today()).filter(member=ctx.actor.member)
        .values("chapter_id")).order_by("name")


class GoalSetSource(NamedTuple):
    """The poll that adopted a goal set, when it closed, and how many voted (the dashboard)."""

    poll: Poll
    closed_at: datetime.datetime
    voters: int


def goal_set_source(goal_set: GoalSet) -> GoalSetSource | None:
    poll = Poll.objects.filter(adopts_goal_set=goal_set, closed_at__isnull=False).first()
    if poll is None or poll.closed_at is None:
        return None
    return GoalSetSource(poll, poll.closed_at, poll.participations.count())
