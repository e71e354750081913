"""Writes for the convention: the staff's settings, delegate elections (a chapter's STV poll,
counted again with the women's share rule), credentials, sessions, proxies and votes. Each
checks the actor's permission itself (docs/convention.md has the matrix)."""

from __future__ import annotations

import datetime
import json
import logging
import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chapterhouse.audit.services import audit_record
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.reasons import percent
from chapterhouse.convention.models import (
    Choice,
    ConventionSettings,
    Delegate,
    DelegateCandidate,
    DelegateElection,
    MethodChoice,
    Proxy,
    Session,
    SessionVote,
    Weighting,
)
from chapterhouse.convention.selectors import delegate_weights, seats_of_chapter, settings_current
from chapterhouse.decisions.counting import Ballot
from chapterhouse.decisions.counting.stv import Reserve, count_stv
from chapterhouse.decisions.models import Kind, Level, Option, Poll
from chapterhouse.decisions.services import poll_create
from chapterhouse.members.mail import member_mail, site_link
from chapterhouse.members.models import Member
from chapterhouse.organizations.context import Context

logger = logging.getLogger(__name__)


def _staff_only(ctx: Context) -> None:
    if not ctx.actor.is_staff:
        raise ValidationError(_("Only staff may do this."))


def convention_settings_update(ctx: Context, *, seats: int, floor: int, method: str,
                               weighting: str, women_share: Decimal | None,
                               quorum: Decimal) -> ConventionSettings:
    """Staff set how delegates are apportioned, weighed and elected."""
    _staff_only(ctx)
    if method not in MethodChoice.values or weighting not in Weighting.values:
        raise ValidationError(_("Choose a method and a weighting from the list."))
    found = settings_current(ctx.organization)
    found.seats, found.floor, found.method = seats, floor, method
    found.weighting, found.women_share, found.quorum = weighting, women_share, quorum
    found.updated_by = ctx.actor.member
    found.full_clean()
    found.save()
    audit_record(actor=ctx.actor.member, action="convention_settings", target=found,
                 changes={"seats": seats, "floor": floor, "method": method,
                          "weighting": weighting, "women_share": women_share,
                          "quorum": quorum})
    return found


def women_needed(share: Decimal | None, seats: int) -> int:
    """Delegates who must be women: the share of the seats, rounded up ("at least 30%": 1 of
    1, 2 or 3 seats, 2 of 4 to 6)."""
    if share is None or share <= 0:
        return 0
    return min(seats, math.ceil(Fraction(share) * seats))


KIND_CANDIDACY = "delegate_candidacy"  # category: chapter


def delegate_election_open(ctx: Context, *, chapter: Chapter, candidates: Sequence[Member],
                           opens_at: datetime.datetime, closes_at: datetime.datetime
                           ) -> DelegateElection:
    """A chapter elects its apportioned delegates: a ranked (STV) chapter poll of the decisions
    app whose options are the candidates. Staff or the chapter's coordinators. Each candidate
    is emailed: only they can say whether they stand as a woman for the share rule, or
    withdraw (candidacy_declare, candidacy_withdraw)."""
    if not (ctx.actor.is_staff or ctx.actor.coordinates(chapter)):
        raise ValidationError(_("Only staff or the chapter's coordinators may hold its "
                                "delegate election."))
    seats = seats_of_chapter(ctx.organization, chapter)
    if seats == 0:
        raise ValidationError(_("This chapter has no delegate seats: it is not qualifying."))
    members = list(candidates)
    if len({m.pk for m in members}) != len(members):
        raise ValidationError(_("Each candidate may stand once."))
    if not all(chapter.is_member(m, ctx.today()) for m in members):
        raise ValidationError(_("Every candidate must be a member of the chapter."))
    share = settings_current(ctx.organization).women_share
    with transaction.atomic():
        # The chapter's row first (as chapters' invitation limit does): two clicks at once
        # open one election, the second sees the first.
        Chapter.objects.filter(pk=chapter.pk).update(radius_km=F("radius_km"))
        if DelegateElection.objects.filter(chapter=chapter, result__isnull=True).exists():
            raise ValidationError(_("This chapter already has a delegate election under way."))
        # The seats still open: a chapter with delegates already (staff's credentials, an
        # earlier election) elects only the rest.
        seats -= Delegate.objects.filter(organization=ctx.organization, chapter=chapter).count()
        if seats <= 0:
            raise ValidationError(_("This chapter's delegates fill its seats already."))
        if Delegate.objects.filter(organization=ctx.organization, member__in=members).exists():
            raise ValidationError(_("A candidate is a delegate already; each member holds one "
                                    "seat at most."))
        poll = poll_create(
            ctx, title=_("Delegates of %(chapter)s to the convention") % {"chapter": chapter.name},
            kind=Kind.RANKED, level=Level.CHAPTER, chapter=chapter, opens_at=opens_at,
            closes_at=closes_at, options=[_label(m) for m in members], seats=seats)
        election = DelegateElection.objects.create(
            organization=ctx.organization, chapter=chapter, poll=poll, seats=seats,
            women_share=share)
        options = list(poll.options.order_by("position"))
        DelegateCandidate.objects.bulk_create(
            DelegateCandidate(election=election, option=option, member=member)
            for option, member in zip(options, members, strict=True))
        for member in members:
            _tell_candidate(member, election, by=ctx.actor.member)
    logger.info("delegate election %s opened: chapter %s, %d seat(s), %d candidates",
                election.pk, chapter.pk, seats, len(members))
    return election


def _tell_candidate(member: Member, election: DelegateElection, *, by: Member | None) -> None:
    names = {"chapter": election.chapter.name, "path": site_link("convention"),
             "by": by.display_name if by is not None else ""}

    def mail() -> tuple[str, str]:
        rule = (_("\n\nThe convention asks that at least %(share)s of each chapter's delegates "
                  "be women. Whether you stand as a woman for that rule is yours alone to say, "
                  "on the page above; until you do, you count as not a woman for it. What you "
                  "say is shown to the chapter's members in this election.")
                % {"share": percent(float(election.women_share))}
                if election.women_share else "")
        return (
            _("You stand in the delegate election of %(chapter)s") % names,
            (_("Hello %(name)s,\n\n%(by)s named you a candidate in the election of the "
               "delegates of %(chapter)s to the convention. The chapter's members rank the "
               "candidates until the poll closes; you can withdraw until then: %(path)s")
             % {**names, "name": member.display_name}) + rule,
        )
    member_mail(member, mail, kind=KIND_CANDIDACY)


def _candidacy_open(ctx: Context, candidate: DelegateCandidate) -> DelegateCandidate:
    """The candidate's own row, locked, while its election's poll is still open."""
    if ctx.actor.member is None or candidate.member_id != ctx.actor.member.pk:
        raise ValidationError(_("Only the candidate may say this."))
    locked = (DelegateCandidate.objects.select_for_update()
              .select_related("election__poll").get(pk=candidate.pk))
    poll = locked.election.poll
    if poll.closed_at is not None or ctx.now() >= poll.closes_at:
        raise ValidationError(_("The election's poll is closed: candidacies cannot change."))
    if locked.withdrawn_at is not None:
        raise ValidationError(_("You have withdrawn from this election."))
    return locked


def candidacy_declare(ctx: Context, *, candidate: DelegateCandidate, counts_as_woman: bool
                      ) -> DelegateCandidate:
    """The candidate says whether they stand as a woman for the share rule: only they, and
    only until the poll closes (the count reads it then)."""
    with transaction.atomic():
        locked = _candidacy_open(ctx, candidate)
        locked.counts_as_woman, locked.declared_at = counts_as_woman, ctx.now()
        locked.save(update_fields=["counts_as_woman", "declared_at"])
    return locked


def candidacy_withdraw(ctx: Context, *, candidate: DelegateCandidate) -> DelegateCandidate:
    """The candidate withdraws, until the poll closes: the count leaves them out."""
    with transaction.atomic():
        locked = _candidacy_open(ctx, candidate)
        locked.withdrawn_at = ctx.now()
        locked.save(update_fields=["withdrawn_at"])
        _option_withdrawn(locked)
    logger.info("delegate candidate %s withdrew from election %s", locked.pk,
                locked.election_id)
    return locked


def _label(member: Member) -> str:
    return f"{member.display_name} (#{member.pk})"[:200]


def delegate_election_count(ctx: Context, *, election: DelegateElection) -> list[Delegate]:
    """Count a closed election's ballots by STV with the women's share rule and give the
    elected their (unconfirmed) credentials. Staff; once."""
    _staff_only(ctx)
    poll = Poll.objects.get(pk=election.poll_id)
    if poll.closed_at is None:
        raise ValidationError(_("The election's poll is not closed yet."))
    if election.result is not None:
        raise ValidationError(_("This election is counted already."))
    # Withdrawn candidates are left out: ballots go on to their next preferences.
    candidates = {c.option_id: c for c in election.candidates.filter(withdrawn_at=None)
                  .select_related("option")}
    labels = {pk: c.option.label for pk, c in candidates.items()}
    ballots = [Ballot(str(i), tuple(labels[o] for o in marks if o in labels))
               for i, marks in enumerate(poll.ballots.values_list("marks", flat=True), 1)
               if isinstance(marks, list)]
    women = frozenset(labels[pk] for pk, c in candidates.items() if c.counts_as_woman)
    seats = min(election.seats, len(labels))
    needed = women_needed(election.women_share, seats)
    # Every candidate withdrew: nobody is elected, and the chapter may hold another election.
    winners: list[str] = []
    stored: dict[str, Any] = {"winners": winners, "rounds": []}
    if seats:
        result = count_stv(ballots, seats=seats, options=list(labels.values()),
                           reserve=Reserve(women, needed) if needed else None)
        winners, stored = list(result.winners), result.to_json()
    by_label = {c.option.label: c for c in candidates.values()}
    with transaction.atomic():
        election.result = stored | {"women_needed": needed}
        election.counted_at = ctx.now()
        election.save(update_fields=["result", "counted_at"])
        made = []
        for label in winners:
            member = by_label[label].member
            delegate, _created = Delegate.objects.get_or_create(
                organization=ctx.organization, member=member,
                defaults={"chapter": election.chapter, "election": election})
            made.append(delegate)
    logger.info("delegate election %s counted: %d elected", election.pk, len(made))
    return made


def delegate_credential(ctx: Context, *, chapter: Chapter, member: Member) -> Delegate:
    """Staff give a member a credential directly (a chapter that elected on paper)."""
    _staff_only(ctx)
    if not chapter.is_member(member, ctx.today()):
        raise ValidationError(_("A delegate must be a member of the chapter they represent."))
    try:
        with transaction.atomic():
            delegate = Delegate.objects.create(organization=ctx.organization, chapter=chapter,
                                               member=member, confirmed_at=ctx.now(),
                                               confirmed_by=ctx.actor.member)
    except IntegrityError:
        raise ValidationError(_("This member is a delegate already.")) from None
    audit_record(actor=ctx.actor.member, action="delegate_credential", target=member)
    return delegate


def delegate_confirm(ctx: Context, *, delegate: Delegate) -> Delegate:
    """Staff confirm an elected delegate's credential: only then may they vote."""
    _staff_only(ctx)
    if delegate.confirmed_at is None:
        delegate.confirmed_at, delegate.confirmed_by = ctx.now(), ctx.actor.member
        delegate.save(update_fields=["confirmed_at", "confirmed_by"])
        audit_record(actor=ctx.actor.member, action="delegate_confirm", target=delegate.member)
    return delegate


def session_open(ctx: Context, *, title: str) -> Session:
    """Staff open a session with one motion; its weighting is the settings' at that moment."""
    _staff_only(ctx)
    title = title.strip()
    if not title:
        raise ValidationError(_("Say what the session votes on."))
    chosen = settings_current(ctx.organization)
    return Session.objects.create(organization=ctx.organization, title=title[:200],
                                  weighting=chosen.weighting, quorum=chosen.quorum,
                                  opened_at=ctx.now(), created_by=ctx.actor.member)


def session_close(ctx: Context, *, session: Session) -> Session:
    """Staff close a session: each delegate's weight is written down with it, so its result
    stays what it was whatever changes later (members, credentials, erasures)."""
    _staff_only(ctx)
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.closed_at is None:
            weights = delegate_weights(ctx.organization, session.weighting)
            session.closed_at = ctx.now()
            session.weights = {str(pk): str(weight) for pk, weight in weights.items()}
            session.save(update_fields=["closed_at", "weights"])
    return session


def _option_withdrawn(candidate: DelegateCandidate) -> None:
    """The poll's option says so, wherever the poll shows it (its page, its own result)."""
    option = Option.objects.get(pk=candidate.option_id)
    label = _("%(name)s (withdrawn)") % {"name": option.label}
    Option.objects.filter(pk=option.pk).update(label=label[:200])


def candidacies_erase(member: Member) -> None:
    """Erasure: the member's name leaves the delegate elections they stood in (the poll's
    option and the stored count say "a former member"); the count itself does not change. From
    an election not yet counted they withdraw: an erased member cannot take a seat."""
    DelegateCandidate.objects.filter(member=member, election__result__isnull=True,
                                     withdrawn_at=None).update(withdrawn_at=timezone.now())
    # What they said of themselves goes; the counts already made keep their result.
    DelegateCandidate.objects.filter(member=member).update(counts_as_woman=False,
                                                           declared_at=None)
    for candidate in DelegateCandidate.objects.filter(member=member).select_related(
            "option", "election"):
        old, new = candidate.option.label, f"{_('a former member')} (#{candidate.pk})"
        Option.objects.filter(pk=candidate.option_id).update(label=new[:200])
        result = candidate.election.result
        if result is not None:
            DelegateElection.objects.filter(pk=candidate.election_id).update(
                result=json.loads(json.dumps(result).replace(json.dumps(old)[1:-1],
                                                             json.dumps(new)[1:-1])))


def delegate_of(ctx: Context) -> Delegate | None:
    """The actor's confirmed credential, if they have one."""
    member = ctx.actor.member
    if member is None:
        return None
    return (Delegate.objects.filter(organization=ctx.organization, member=member)
            .exclude(confirmed_at=None).first())


def _open(session: Session) -> None:
    if session.closed_at is not None:
        raise ValidationError(_("This session is closed."))


def proxy_give(ctx: Context, *, session: Session, holder: Delegate) -> Proxy:
    """The actor, a delegate, hands their vote in this session to another delegate. Refused:
    to oneself, to a delegate who gave their own proxy (no chains), to one who holds one
    already (one each), after voting, or twice."""
    giver = delegate_of(ctx)
    if giver is None:
        raise ValidationError(_("Only a delegate may give a proxy."))
    _open(session)
    with transaction.atomic():
        Session.objects.select_for_update().get(pk=session.pk)
        if holder.pk == giver.pk:
            raise ValidationError(_("A proxy goes to another delegate."))
        if holder.confirmed_at is None or holder.organization_id != ctx.organization.pk:
            raise ValidationError(_("A proxy goes to a delegate with a confirmed credential."))
        if Proxy.objects.filter(session=session, giver=giver).exists():
            raise ValidationError(_("You have given your proxy for this session already."))
        if Proxy.objects.filter(session=session, holder=giver).exists():
            raise ValidationError(_("You hold another delegate's proxy: a proxy cannot be "
                                    "passed on."))
        if Proxy.objects.filter(session=session, giver=holder).exists():
            raise ValidationError(_("That delegate has given their own proxy: a proxy cannot "
                                    "be passed on."))
        if Proxy.objects.filter(session=session, holder=holder).exists():
            raise ValidationError(_("That delegate holds a proxy already (one each at most)."))
        if SessionVote.objects.filter(session=session, delegate=giver).exists():
            raise ValidationError(_("You have voted in this session already."))
        proxy = Proxy.objects.create(session=session, giver=giver, holder=holder)
    return proxy


def session_vote(ctx: Context, *, session: Session, choice: str,
                 for_delegate: Delegate | None = None) -> SessionVote:
    """The actor votes for themselves, or (`for_delegate`) for the delegate whose proxy they
    hold in this session. A delegate who gave their proxy may not vote themselves; nobody,
    staff included, votes for another without their proxy. A vote may be changed while the
    session is open."""
    actor = delegate_of(ctx)
    if actor is None:
        raise ValidationError(_("Only a delegate with a confirmed credential may vote."))
    if choice not in Choice.values:
        raise ValidationError(_("Choose yes, no or abstain."))
    whose = for_delegate or actor
    with transaction.atomic():
        # The session's row, as proxy_give takes it: a vote and a proxy given at the same
        # moment are one after the other, never both; a session closed meanwhile is closed.
        session = Session.objects.select_for_update().get(pk=session.pk)
        _open(session)
        if whose.pk == actor.pk:
            if Proxy.objects.filter(session=session, giver=actor).exists():
                raise ValidationError(_("You gave your proxy for this session: its holder "
                                        "votes for you."))
        elif not Proxy.objects.filter(session=session, giver=whose, holder=actor).exists():
            raise ValidationError(_("You may vote for another delegate only with their proxy."))
        vote, _created = SessionVote.objects.update_or_create(
            session=session, delegate=whose, defaults={"cast_by": actor, "choice": choice})
    return vote


