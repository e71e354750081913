"""Affiliations carried out: a sympathetic organization moves through contacted, talking,
agreement proposed, agreed by the members and affiliated (or declined), on a page for staff
and organizers; each step is recorded (organizing.AffiliationStep, and the audit log).

"Agreement proposed" puts the affiliation to the members nearest to the organization as a
proposal (`AffiliationProposal` on a `Poll`): the nearest chapter with members within
`domain.affiliation.NEAR_KM`, else the organization's region (continent), else everyone.
When it passes, `poll_close` carries it out (`affiliation_carry_out`, in the close's
transaction): the affiliated chapter is created at the organization's place, with no members.
Its people then come in by invitation from the organization's list (chapters/affiliation.py):
nobody is made a member without accepting.

The stage is computed (domain/affiliation.py): the typed status says identified, contacted,
talking or declined; an open or passed poll and the chapter say the rest.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chapterhouse.audit.services import Action, audit_record
from chapterhouse.chapters.affiliation import (
    ListInvited,
    affiliated_chapter_create,
    affiliation_list_invite,
)
from chapterhouse.chapters.models import Chapter, ChapterMembership, InvitationStatus
from chapterhouse.decisions.models import AffiliationProposal, Kind, Level, Poll
from chapterhouse.domain.affiliation import (
    MOVES,
    Proposal,
    Spot,
    Stage,
    move_refusal,
    nearest_chapter,
    propose_refusal,
    stage_of,
)
from chapterhouse.organizations.context import Actor, Context
from chapterhouse.organizing.models import (
    Affiliation,
    AffiliationStep,
    Organizer,
    SympatheticOrganization,
)
from chapterhouse.organizing.permissions import may_organize

logger = logging.getLogger(__name__)

DEFAULT_DAYS = 14
NOTE_MAX = 2000

STAGE_WORDS = {
    Stage.IDENTIFIED: gettext_lazy("Identified"),
    Stage.CONTACTED: gettext_lazy("Contacted"),
    Stage.TALKING: gettext_lazy("In conversation"),
    Stage.PROPOSED: gettext_lazy("Agreement proposed"),
    Stage.AGREED: gettext_lazy("Agreed by the members"),
    Stage.AFFILIATED: gettext_lazy("Affiliated chapter"),
    Stage.DECLINED: gettext_lazy("Declined"),
    "invited": gettext_lazy("List invited"),
}
REFUSALS = {
    "affiliation.not_typed": gettext_lazy(
        "That stage comes from the data (a vote, a chapter); it cannot be chosen."),
    "affiliation.settled": gettext_lazy(
        "The members have agreed to this affiliation; its stage can no longer be changed."),
    "affiliation.proposal_open": gettext_lazy(
        "The members are voting on this affiliation; wait for the result."),
    "affiliation.same_stage": gettext_lazy("The organization is at this stage already."),
    "affiliation.not_talking": gettext_lazy(
        "Propose an agreement once you are in conversation with the organization."),
}


def affiliations_allowed(actor: Actor) -> bool:
    """Who sees and moves the pipeline: staff and organizers."""
    return may_organize(actor)


def _refuse_unless_allowed(ctx: Context) -> None:
    if not affiliations_allowed(ctx.actor):
        raise ValidationError(_("Only staff and organizers can move an affiliation."))


def _refuse(code: str | None) -> None:
    if code is not None:
        raise ValidationError(str(REFUSALS[code]), code=code)


# Reading the stage -------------------------------------------------------------------------

def proposal_state(poll: Poll) -> Proposal:
    if poll.withdrawn_at is not None:
        return Proposal.FAILED
    if poll.closed_at is not None:
        return Proposal.PASSED if (poll.result or {}).get("passed") else Proposal.FAILED
    return Proposal.OPEN


def latest_proposal(organization: SympatheticOrganization) -> AffiliationProposal | None:
    return (AffiliationProposal.objects.filter(organization=organization)
            .select_related("poll", "chapter").order_by("-pk").first())


def stage_now(organization: SympatheticOrganization,
              proposal: AffiliationProposal | None) -> Stage:
    return stage_of(organization.status,
                    proposal=proposal_state(proposal.poll) if proposal else None,
                    has_chapter=bool(proposal and proposal.chapter_id))


def _locked(organization: SympatheticOrganization) -> SympatheticOrganization:
    """The organization's row, locked until the transaction ends: two clicks at once are
    answered one after the other, and the second sees what the first did."""
    return SympatheticOrganization.objects.select_for_update().get(pk=organization.pk)


# Moving by hand ------------------------------------------------------------------------------

def affiliation_move(ctx: Context, *, organization: SympatheticOrganization, to: str,
                     note: str = "") -> AffiliationStep:
    """Staff or an organizer moves the organization to contacted, talking or declined, with a
    note. A stage the data decides (proposed, agreed, affiliated) cannot be typed."""
    _refuse_unless_allowed(ctx)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("Keep the note under %(max)d characters.") % {"max": NOTE_MAX})
    try:
        target = Stage(to)
    except ValueError:
        raise ValidationError(str(REFUSALS["affiliation.not_typed"])) from None
    with transaction.atomic():
        organization = _locked(organization)
        before = stage_now(organization, latest_proposal(organization))
        _refuse(move_refusal(before, target))
        organization.status = target.value
        organization.save(update_fields=["status"])
        step = AffiliationStep.objects.create(organization=organization, stage=target.value,
                                              note=note, by=ctx.actor.member, at=ctx.now())
        audit_record(actor=ctx.actor.member, action="affiliation_move", target=organization,
                     kind=Action.UPDATE, changes={"stage": (before.value, target.value)})
    logger.info("organization %s moved from %s to %s", organization.pk, before, target)
    return step


# Proposing the agreement -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Voters:
    """Who votes on an organization's affiliation."""

    level: str
    chapter: Chapter | None = None
    region: str = ""


def affiliation_voters(organization: SympatheticOrganization, on: datetime.date) -> Voters:
    """The nearest chapter with members within NEAR_KM of the organization's place, else its
    continent, else the whole organization."""
    counts = dict(ChapterMembership.objects.current(on).values("chapter_id")
                  .annotate(n=Count("pk")).values_list("chapter_id", "n"))
    spots = [Spot(pk, lat, lon, counts.get(pk, 0)) for pk, lat, lon in
             Chapter.objects.filter(pk__in=counts)
             .values_list("pk", "place__latitude", "place__longitude")]
    place = organization.place
    nearest = nearest_chapter(place.latitude, place.longitude, spots)
    if nearest is not None:
        return Voters(Level.CHAPTER, chapter=Chapter.objects.get(pk=nearest))
    if place.continent_code:
        return Voters(Level.REGION, region=place.continent_code)
    return Voters(Level.ORGANIZATION)


def affiliation_propose(ctx: Context, *, organization: SympatheticOrganization,
                        note: str = "", days: int = DEFAULT_DAYS) -> Poll:
    """Put the affiliation to the members nearest to the organization: a secret proposal
    open from now (the organization's clock) for `days`."""
    _refuse_unless_allowed(ctx)
    if not 3 <= days <= 60:
        raise ValidationError(_("A proposal stays open from 3 to 60 days."))
    note = note.strip()[:NOTE_MAX]
    now, by = ctx.now(), ctx.actor.member
    with transaction.atomic():
        organization = _locked(organization)
        _refuse(propose_refusal(stage_now(organization, latest_proposal(organization))))
        voters = affiliation_voters(organization, ctx.today())
        names = {"name": organization.name, "place": organization.place.name,
                 "size": organization.size}
        description = _("%(name)s, a group of about %(size)d people in %(place)s, would "
                        "become a chapter. If the proposal passes, a chapter is created "
                        "there and its people are invited to join; nobody becomes a member "
                        "without accepting.") % names
        if note:
            description += "\n\n" + note
        poll = Poll.objects.create(
            organization=ctx.organization,
            title=(_("Affiliate %(name)s as a chapter") % names)[:200],
            description=description, kind=Kind.PROPOSAL, level=voters.level,
            chapter=voters.chapter, region=voters.region, opens_at=now,
            closes_at=now + datetime.timedelta(days=days), created_by=by, secret=True)
        AffiliationProposal.objects.create(poll=poll, organization=organization)
        AffiliationStep.objects.create(organization=organization, stage=Stage.PROPOSED.value,
                                       note=note, by=by, at=now)
        audit_record(actor=by, action="affiliation_propose", target=organization,
                     kind=Action.CREATE, changes={"poll": poll.pk, "level": voters.level})
    logger.info("organization %s proposed for affiliation: poll %s (%s)", organization.pk,
                poll.pk, voters.level)
    return poll


# The members agreed ------------------------------------------------------------------------

def affiliation_carry_out(*, proposal: AffiliationProposal) -> Chapter | None:
    """A passed proposal takes effect: the affiliated chapter is created (once). Called by
    `poll_close` inside its transaction, after the count."""
    poll = proposal.poll
    if poll.closed_at is None or not (poll.result or {}).get("passed"):
        return None
    organization = _locked(proposal.organization)
    proposal = AffiliationProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.chapter_id is not None or AffiliationProposal.objects.filter(
            organization=organization, chapter__isnull=False).exists():
        return None
    organizer = (Organizer.objects.filter(member_id=poll.created_by_id, active=True).first()
                 if poll.created_by_id is not None else None)
    chapter = affiliated_chapter_create(organization=organization, on=poll.closed_at.date(),
                                        organizer=organizer)
    proposal.chapter = chapter
    proposal.save(update_fields=["chapter"])
    organization.status = Affiliation.AFFILIATED
    organization.save(update_fields=["status"])
    ballots = (poll.result or {}).get("ballots", 0)
    AffiliationStep.objects.create(
        organization=organization, stage=Stage.AGREED.value, at=poll.closed_at,
        note=_("The members agreed (%(n)d ballots).") % {"n": ballots})
    AffiliationStep.objects.create(
        organization=organization, stage=Stage.AFFILIATED.value, at=poll.closed_at,
        note=_("Chapter %(chapter)s created.") % {"chapter": chapter.name})
    return chapter


# Its people, from the organization's list --------------------------------------------------

def affiliation_invite(ctx: Context, *, organization: SympatheticOrganization,
                       data: bytes) -> ListInvited:
    """Invite the people of the organization's list (name,email CSV) to its affiliated
    chapter; see chapters.affiliation.affiliation_list_invite. Recorded as a step."""
    proposal = (AffiliationProposal.objects.filter(organization=organization,
                                                   chapter__isnull=False)
                .select_related("chapter").first())
    if proposal is None or proposal.chapter is None:
        raise ValidationError(_("The members have not agreed to this affiliation yet: there "
                                "is no chapter to invite to."))
    with transaction.atomic():
        result = affiliation_list_invite(ctx, chapter=proposal.chapter, data=data)
        AffiliationStep.objects.create(
            organization=organization, stage="invited", by=ctx.actor.member, at=ctx.now(),
            note=_("Invited %(n)d people from the list; %(already)d were already members "
                   "or invited.") % {"n": result.emailed + result.on_site,
                                     "already": result.already})
    return result


# The pages' reads --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Row:
    organization: SympatheticOrganization
    stage: Stage
    proposal: AffiliationProposal | None

    @property
    def stage_label(self) -> str:
        return str(STAGE_WORDS[self.stage])


def affiliation_rows() -> list[Row]:
    """Every sympathetic organization with its stage, in pipeline order (two queries)."""
    organizations = list(SympatheticOrganization.objects.select_related("place"))
    latest: dict[int, AffiliationProposal] = {}
    for proposal in (AffiliationProposal.objects.select_related("poll", "chapter")
                     .order_by("pk")):
        latest[proposal.organization_id] = proposal
    rows = [Row(o, stage_now(o, latest.get(o.pk)), latest.get(o.pk)) for o in organizations]
    order = {stage: i for i, stage in enumerate((*reversed(_PIPELINE), Stage.DECLINED))}
    return sorted(rows, key=lambda r: (order[r.stage], r.organization.name))


_PIPELINE = (Stage.IDENTIFIED, Stage.CONTACTED, Stage.TALKING, Stage.PROPOSED, Stage.AGREED,
             Stage.AFFILIATED)


@dataclass(frozen=True, slots=True)
class StepRow:
    stage: str
    label: str
    note: str
    by: str
    at: datetime.datetime


@dataclass(frozen=True, slots=True)
class Page:
    row: Row
    steps: list[StepRow]
    moves: list[tuple[str, str]]  # (stage, label) staff may choose now
    may_propose: bool
    voters: Voters | None
    invitations: dict[str, int]
    # The affiliated chapter has no coordinator yet: the viewer names one among its members.
    needs_coordinator: bool = False


def affiliation_page(ctx: Context, organization: SympatheticOrganization) -> Page:
    proposal = latest_proposal(organization)
    stage = stage_now(organization, proposal)
    steps = [StepRow(s.stage, str(STAGE_WORDS.get(s.stage, s.stage)), s.note,
                     s.by.display_name if s.by else "", s.at)
             for s in organization.steps.select_related("by")]
    moves = [(m.value, str(STAGE_WORDS[m])) for m in MOVES if move_refusal(stage, m) is None]
    may_propose = propose_refusal(stage) is None
    invitations: dict[str, int] = {}
    chapter = proposal.chapter if proposal else None
    if chapter is not None:
        for status in InvitationStatus:
            invitations[status.value] = (
                chapter.invitations.filter(status=status).count()
                + chapter.email_invitations.filter(status=status).count())
    return Page(Row(organization, stage, proposal), steps, moves, may_propose,
                affiliation_voters(organization, ctx.today()) if may_propose else None,
                invitations,
                needs_coordinator=chapter is not None and not chapter.coordinators.exists())
