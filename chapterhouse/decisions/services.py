"""Every write to polls and ballots goes through here: atomic, checked, email on commit.

One member, one vote: `Participation(poll, member)` is unique, and a vote locks the poll row
(SELECT ... FOR UPDATE) so that closing and voting cannot interleave: a ballot is either in the
frozen result or refused. SQLite has no row locks, but its transactions begin IMMEDIATE (one
writer at a time, the others wait: settings.DATABASES, docs/sqlite.md), which serializes them
as well. Only a lost race for a unique row (two first votes at once) is tried again.

Secret polls: the voter's transaction writes the participation and a sealed ballot in the box,
never the count. `ballot_box_move` (run after the commit of a vote that fills the box to
`SECRET_BALLOT_BATCH`, by `close_polls`, and at close or withdrawal) moves the whole box into
the count in its own transaction, which writes no participation, in content order.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.chapters.models import Chapter
from chapterhouse.decisions import notifications, sealing
from chapterhouse.decisions.affiliation import affiliation_carry_out
from chapterhouse.decisions.electorate import eligible_voters, is_eligible
from chapterhouse.decisions.marks import BallotRules, MarksError, check_marks
from chapterhouse.decisions.models import (
    AffiliationProposal,
    Ballot,
    EndorsementPlan,
    GoalProposal,
    Kind,
    Level,
    Option,
    Participation,
    Poll,
    ResultsShown,
    SealedBallot,
)
from chapterhouse.decisions.permissions import poll_create_allowed, poll_withdraw_allowed
from chapterhouse.decisions.sealing import Boxed
from chapterhouse.decisions.selectors import batch_size, poll_spec, voters_waiting
from chapterhouse.decisions.tally import StoredBallot, tally
from chapterhouse.goals.models import GoalSet
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context
from chapterhouse.organizing.models import Organizer
from chapterhouse.splits.services import split_carry_out
from chapterhouse.verdicts.selectors import chapter_qualifies

T = TypeVar("T")
UNIQUE_RACE_RETRIES = 3
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VoteOutcome:
    changed: bool  # an earlier vote was replaced
    receipt: str = ""  # secret polls, first vote only: shown once, never stored in clear


def receipt_hash(poll: Poll, token: str) -> str:
    return hashlib.sha256(f"{poll.salt}:{token.strip()}".encode()).hexdigest()


def poll_create(ctx: Context, *, title: str, kind: str, level: str,
                opens_at: datetime.datetime, closes_at: datetime.datetime,
                options: Sequence[str] = (), chapter: Chapter | None = None, region: str = "",
                **fields: Any) -> Poll:
    """A poll with its options, created by the actor. `fields`: description, seats,
    max_choices, max_score, quorum, pass_threshold, max_blocks, secret, results_shown,
    changeable."""
    if not poll_create_allowed(ctx.actor, level, chapter):
        raise ValidationError(_("You may not create a poll for that group."))
    labels = [label.strip() for label in options if label.strip()]
    if kind != Kind.PROPOSAL and len(labels) < 2:
        raise ValidationError(_("A poll needs at least two options."))
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Each option must be different."))
    if timezone.is_naive(opens_at) or timezone.is_naive(closes_at):
        raise ValueError("opening and closing times must be timezone-aware")
    if closes_at <= opens_at:
        raise ValidationError(_("A poll must close after it opens."))
    if level == Level.REGION and not region:
        raise ValidationError(_("Choose the region (continent)."))
    poll = Poll(organization=ctx.organization, title=title, kind=kind, level=level,
                region=region if level == Level.REGION else "",
                chapter=chapter if level == Level.CHAPTER else None,
                opens_at=opens_at, closes_at=closes_at, created_by=ctx.actor.member, **fields)
    if kind == Kind.RANKED and poll.seats >= len(labels):
        raise ValidationError(_("A ranked poll needs more options than winners."))
    poll.full_clean()
    with transaction.atomic():
        poll.save()
        Option.objects.bulk_create(Option(poll=poll, label=label, position=i)
                                   for i, label in enumerate(labels))
    logger.info("poll %s created: %s, %s, %d options", poll.pk, kind, level, len(labels))
    return poll


def goal_proposal_create(ctx: Context, *, title: str, opens_at: datetime.datetime,
                         closes_at: datetime.datetime, targets: Mapping[str, Any],
                         **fields: Any) -> Poll:
    """A goal set put to the whole organization as a proposal; adopted when it passes.
    `targets`: target_members, target_chapters, target_continents, target_women_share,
    deadline. `fields` as for `poll_create` (description, quorum, pass_threshold, ...)."""
    proposal = GoalProposal(**targets)
    proposal.full_clean(exclude=["poll"])
    if proposal.deadline <= closes_at.date():
        raise ValidationError(_("The deadline must come after the poll closes."))
    with transaction.atomic():
        poll = poll_create(ctx, title=title, kind=Kind.PROPOSAL, level=Level.ORGANIZATION,
                           opens_at=opens_at, closes_at=closes_at, **fields)
        proposal.poll = poll
        proposal.save()
    return poll


def endorsement_propose(ctx: Context, *, chapter: Chapter, hours_per_week: Decimal,
                        months: Decimal, starts_on: datetime.date, target_areas: str,
                        reach_km: int = 100, days: int = 7) -> Poll:
    """The actor puts their organizing plan to their chapter as a proposal, open from now
    (the organization's clock) for `days`."""
    now = ctx.now()
    by = ctx.actor.member
    if by is None or not chapter.is_member(by, ctx.today()):
        raise ValidationError(_("You can put a plan only to a chapter you belong to."))
    organization = ctx.organization
    # A forming chapter (its founder alone, say) cannot make anyone an organizer: only a
    # qualifying chapter's vote endorses one (members/roles.py).
    if not chapter_qualifies(chapter, rule=organization.rule, on=organization.today):
        raise ValidationError(_("Only a qualifying chapter can endorse an organizer; "
                                "%(chapter)s does not qualify yet.") % {"chapter": chapter.name})
    # Guests count toward qualifying, so a lone member could make a chapter qualify with
    # invented guests and then endorse themselves: an endorsement needs at least the rule's
    # minimum of members who can vote on it.
    voters = chapter.memberships.current(organization.today).count()
    if voters < organization.min_attendees:
        raise ValidationError(_("An endorsement needs a chapter of at least %(minimum)d members "
                                "to vote on it; %(chapter)s has %(count)d.")
                              % {"minimum": organization.min_attendees, "chapter": chapter.name,
                                 "count": voters})
    if by.place_id is None:
        raise ValidationError(_("Set your city first: the plan starts from where you live."))
    plan = EndorsementPlan(member=by, place_id=by.place_id, hours_per_week=hours_per_week,
                           months=months, starts_on=starts_on, reach_km=reach_km,
                           target_areas=target_areas)
    plan.full_clean(exclude=["poll"])
    title = _("Endorse %(name)s as an organizer") % {"name": by.display_name}
    description = _("%(hours)s hours a week for %(months)s months from %(date)s. Target "
                    "areas: %(areas)s") % {"hours": hours_per_week, "months": months,
                                           "date": starts_on.isoformat(),
                                           "areas": target_areas or "-"}
    with transaction.atomic():
        poll = Poll(organization=organization, title=title[:200],
                    description=description, kind=Kind.PROPOSAL, level=Level.CHAPTER,
                    chapter=chapter, opens_at=now,
                    closes_at=now + datetime.timedelta(days=days), created_by=by, secret=True)
        poll.save()
        plan.poll = poll
        plan.save()
    return poll


def ballot_cast(ctx: Context, *, poll: Poll, data: Mapping[str, list[str]],
                receipt: str = "", now: datetime.datetime | None = None) -> VoteOutcome:
    """Record the actor's vote, or change it while the poll is open (a secret one with the
    receipt), at the organization's now (`now`: a vote recorded after the fact, such as the
    demo's). Refusals raise ValidationError and change nothing."""
    member = ctx.actor.member
    at = now or ctx.now()
    return _unique_race_retried(lambda: _cast(poll, member, data, receipt, at))


def _cast(poll: Poll, member: Member | None, data: Mapping[str, list[str]], receipt: str,
          now: datetime.datetime) -> VoteOutcome:
    # Checks that do not depend on the poll's state run before the lock (on the poll as the
    # caller read it), so that voters in the last minute queue on the lock only for the close
    # check and the writes.
    _refuse_unless_open(poll, now)
    if member is None or not is_eligible(member, poll):
        raise ValidationError(_("You are not among the eligible voters of this poll."))
    options = set(poll.options.values_list("pk", flat=True))
    try:
        marked = check_marks(BallotRules(poll.kind, options, poll.max_choices, poll.max_score),
                             data)
    except MarksError as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        _refuse_unless_open(poll, now)  # again, under the lock: closing may have won the race
        _participation, created = Participation.objects.get_or_create(poll=poll, member=member)
        if poll.secret:
            transaction.on_commit(lambda: _move_if_full(poll.pk), robust=True)
        if created:
            if poll.secret:
                token = secrets.token_urlsafe(16)
                _box_put(poll, Boxed(marked.marks, marked.stance, receipt_hash(poll, token)))
                return VoteOutcome(changed=False, receipt=token)
            Ballot.objects.create(poll=poll, member=member, marks=marked.marks,
                                  stance=marked.stance)
            return VoteOutcome(changed=False)
        if not poll.changeable:
            raise ValidationError(_("You have already voted in this poll."))
        if poll.secret:
            changed = bool(receipt.strip()) and _box_change(
                poll, Boxed(marked.marks, marked.stance, receipt_hash(poll, receipt), True))
        else:
            changed = bool(poll.ballots.filter(member=member)
                           .update(marks=marked.marks, stance=marked.stance))
        if not changed:
            raise ValidationError(_("You have already voted. To change a secret ballot, give "
                                    "the receipt you were shown when you voted."))
        return VoteOutcome(changed=True)


def _box_put(poll: Poll, item: Boxed) -> None:
    key = sealing.box_keys()[0]
    SealedBallot.objects.create(poll=poll, sealed=sealing.seal(item, poll_id=poll.pk, key=key))


def _box_opened(poll: Poll) -> list[tuple[SealedBallot, Boxed]]:
    keys = sealing.box_keys()
    return [(row, sealing.unseal(bytes(row.sealed), poll_id=poll.pk, keys=keys))
            for row in SealedBallot.objects.filter(poll=poll)]


def _box_change(poll: Poll, change: Boxed) -> bool:
    """A change of a secret vote, sealed into the box like a vote (the count is never written
    in a voter's transaction). The box holds at most one item per receipt: a change of a ballot
    still in the box replaces it there. False if no ballot has this receipt."""
    for row, item in _box_opened(poll):
        if item.receipt_hash == change.receipt_hash:
            row.delete()
            _box_put(poll, Boxed(change.marks, change.stance, change.receipt_hash, item.change))
            return True
    if not poll.ballots.filter(receipt_hash=change.receipt_hash).exists():
        return False
    _box_put(poll, change)
    return True


def ballot_box_move(*, poll: Poll, least: int | None = None) -> int:
    """Move a secret poll's box into the count if at least `least` (default k) new ballots
    wait; returns how many new ballots were counted. Its own transaction: it locks the poll
    (so it cannot interleave with a vote, a close or a withdrawal) and writes no participation.
    Whatever fails leaves the box as it was, for the next vote, `close_polls` or the close."""
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if not poll.secret or poll.is_closed:
            return 0
        return _move_box(poll, least=batch_size() if least is None else least)


def _move_box(poll: Poll, *, least: int, publish: bool = True) -> int:
    """The move itself, inside a transaction that holds the poll's lock. `publish=False`
    counts the ballots without listing their voters (see `poll_close`)."""
    if least and voters_waiting(poll) < least:
        return 0
    opened = _box_opened(poll)
    SealedBallot.objects.filter(pk__in=[row.pk for row, _item in opened]).delete()
    items = [item for _row, item in opened]
    # A changed ballot leaves the count and comes back with the batch, under a new key: the
    # count is only ever appended to, in content order, so a change is not told apart either.
    changed = [i for i in items if i.change]
    found = set(poll.ballots.filter(receipt_hash__in=[i.receipt_hash for i in changed])
                .values_list("receipt_hash", flat=True))
    if len(found) < len(changed):
        logger.error("poll %s: a boxed change matched no counted ballot", poll.pk)
    poll.ballots.filter(receipt_hash__in=found).delete()
    batch = sealing.count_order([i for i in items if not i.change or i.receipt_hash in found])
    Ballot.objects.bulk_create([Ballot(poll=poll, marks=i.marks, stance=i.stance,
                                       receipt_hash=i.receipt_hash) for i in batch],
                               batch_size=1000)
    if publish:
        _publish(poll)
    return len(items) - len(changed)


def _publish(poll: Poll) -> None:
    """Every participation recorded so far now has its ballot in the count: list them all."""
    newest = poll.participations.aggregate(newest=Max("pk"))["newest"] or 0
    if newest != poll.published_through:
        poll.published_through = newest
        poll.save(update_fields=["published_through"])


def _move_if_full(poll_id: int) -> None:
    """After a secret vote's commit: count the box if it holds k new ballots. Cheap check
    first (no lock); a failure is logged by on_commit and retried by the next vote or job."""
    poll = Poll.objects.filter(pk=poll_id).only("pk", "published_through").first()
    if poll is not None and voters_waiting(poll) >= batch_size():
        ballot_box_move(poll=poll)


def ballot_boxes_move_due() -> int:
    """The job's part: count every open secret poll's box that holds k new ballots (a vote's
    own move failed or was cut short). Returns how many boxes were moved."""
    moved = 0
    for poll in Poll.objects.filter(secret=True, closed_at__isnull=True, box__isnull=False) \
            .distinct().order_by("pk"):
        if voters_waiting(poll) >= batch_size():
            moved += bool(ballot_box_move(poll=poll))
    if moved:
        logger.info("%d secret ballot boxes counted", moved)
    return moved


def _refuse_unless_open(poll: Poll, now: datetime.datetime) -> None:
    if poll.is_withdrawn:
        raise ValidationError(_("This poll was withdrawn: %(reason)s")
                              % {"reason": poll.withdrawn_reason})
    if poll.closed_at is not None or now >= poll.closes_at:
        raise ValidationError(_("This poll closed on %(date)s; votes are no longer "
                                "accepted.") % {"date": f"{poll.closes_at:%Y-%m-%d %H:%M} UTC"})
    if now < poll.opens_at:
        raise ValidationError(_("This poll is not open yet."))


def _unique_race_retried(work: Callable[[], T]) -> T:
    """`work` again when a concurrent first vote won a unique constraint: the retry finds that
    vote and answers accordingly. A busy database is not retried here: writers wait for it
    (the busy timeout on SQLite, row locks on PostgreSQL)."""
    for attempt in range(UNIQUE_RACE_RETRIES):
        try:
            return work()
        except IntegrityError:
            if attempt == UNIQUE_RACE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def poll_close(ctx: Context, *, poll: Poll, now: datetime.datetime | None = None,
               announce: bool = True) -> bool:
    """Freeze the result of a poll whose closing time has passed on the organization's clock
    (`now`: a close recorded after the fact, such as the demo's 2012 poll). False if it was
    closed already (another worker got there first) or is not due. `announce=False` skips the
    result emails."""
    now = now or ctx.now()
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.closed_at is not None or now < poll.closes_at:
            return False
        eligible = eligible_voters(poll).count()
        # The whole box is counted, however few wait. But if voters could watch live results,
        # fewer than k voters after the last batch are not named: the final result minus the
        # last live one is what they chose, and the new names would be who chose it.
        late = voters_waiting(poll)
        unnamed = (poll.secret and poll.results_shown == ResultsShown.AFTER_VOTING
                   and 0 < late < batch_size())
        _move_box(poll, least=0, publish=not unnamed)
        ballots = list(poll.ballots.values_list("marks", "stance"))
        if poll.secret:
            _refill_count(poll, ballots)
        secrets.SystemRandom().shuffle(ballots)  # the count never follows the order of voting
        poll.result = tally(poll_spec(poll), [StoredBallot(m, s) for m, s in ballots],
                            eligible=eligible)
        poll.eligible_count = eligible
        poll.closed_at = now
        poll.save(update_fields=["result", "eligible_count", "closed_at"])
        if poll.result["passed"] and poll.kind == Kind.PROPOSAL:
            _carry_out(poll)
        if announce:
            notifications.results_send(poll.pk)  # queued with the close, sent after commit
    # Counts only: who voted, and how, is never logged.
    logger.info("poll %s closed and counted: %d ballots of %d eligible, passed=%s",
                poll.pk, len(ballots), eligible, poll.result["passed"])
    return True


def _refill_count(poll: Poll, ballots: list[tuple[Any, str]]) -> None:
    """Rewrite a secret poll's counted ballots in content order, with new keys and no receipts,
    in one transaction: nothing stored, physical order included, keeps the order of voting or
    the batches they were counted in."""
    box = [Ballot(poll=poll, marks=m, stance=s)
           for m, s in sorted(ballots, key=lambda b: sealing.content_key(*b))]
    poll.ballots.all().delete()
    Ballot.objects.bulk_create(box, batch_size=1000)


def _carry_out(poll: Poll) -> None:
    """A passed proposal that adopts goals or endorses an organizer takes effect."""
    if poll.closed_at is None or poll.result is None:  # not closed and counted: nothing to do
        return
    closed_on = poll.closed_at.date()
    proposal = GoalProposal.objects.filter(poll=poll).first()
    if proposal is not None and poll.adopts_goal_set_id is None:
        poll.adopts_goal_set = GoalSet.objects.create(
            organization=poll.organization, target_members=proposal.target_members,
            target_chapters=proposal.target_chapters,
            target_continents=proposal.target_continents,
            target_women_share=proposal.target_women_share, deadline=proposal.deadline,
            adopted_on=closed_on,
            source=(_("Member poll, %(year)d: %(n)d voters")
                    % {"year": closed_on.year, "n": poll.result["ballots"]})[:300])
        poll.save(update_fields=["adopts_goal_set"])
    plan = EndorsementPlan.objects.filter(poll=poll).first()
    if plan is not None and poll.chapter is not None:
        organizer_endorse(plan=plan, chapter=poll.chapter)
    affiliation = AffiliationProposal.objects.filter(poll=poll).first()
    if affiliation is not None:  # the members agreed: the affiliated chapter is created
        affiliation_carry_out(proposal=affiliation)
    split_carry_out(poll=poll)  # a split of the chapter: its parts become chapters


def organizer_endorse(*, plan: EndorsementPlan, chapter: Chapter) -> Organizer:
    """The organizer, endorsed by the chapter, with the plan's capacity: the planner uses it."""
    with transaction.atomic():
        organizer, _created = Organizer.objects.update_or_create(
            member=plan.member,
            defaults={"place": plan.place, "hours_per_week": plan.hours_per_week,
                      "months": plan.months, "starts_on": plan.starts_on,
                      "reach_km": plan.reach_km, "endorsed_by": chapter, "active": True})
    return organizer


def poll_withdraw(ctx: Context, *, poll: Poll, reason: str,
                  now: datetime.datetime | None = None) -> None:
    """The actor withdraws a poll before its close (on the organization's clock; `now`:
    another moment): it is closed with no result and counts nothing. The voters who were told
    it opened are told it was withdrawn, and why."""
    now = now or ctx.now()
    reason = reason.strip()
    if not poll_withdraw_allowed(ctx.actor, poll):
        raise ValidationError(_("You may not withdraw this poll."))
    if not reason:
        raise ValidationError(_("Say why the poll is withdrawn: the voters are told."))
    with transaction.atomic():
        poll = Poll.objects.select_for_update().get(pk=poll.pk)
        if poll.is_closed or now >= poll.closes_at:
            raise ValidationError(_("This poll has closed; it can no longer be withdrawn."))
        _move_box(poll, least=0)
        if poll.secret:  # counts nothing, but keeps no order of voting either
            _refill_count(poll, list(poll.ballots.values_list("marks", "stance")))
        poll.withdrawn_at = poll.closed_at = now
        poll.withdrawn_reason = reason[:300]
        poll.save(update_fields=["withdrawn_at", "closed_at", "withdrawn_reason"])
        if poll.opening_sent_at is not None:
            notifications.withdrawal_send(poll.pk)  # queued with the withdrawal
    logger.info("poll %s withdrawn", poll.pk)


def polls_close_due(ctx: Context, *, now: datetime.datetime | None = None) -> int:
    """The background job: close every poll whose time is up on the organization's clock
    (`now`: another moment, for tests and records). Safe to run in parallel."""
    now = now or ctx.now()
    closed = 0
    for poll in Poll.objects.due_to_close(now).order_by("closes_at"):
        closed += poll_close(ctx, poll=poll, now=now)
    return closed
