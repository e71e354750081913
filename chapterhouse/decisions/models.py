"""Polls, their options, who took part, and the ballots.

Secret ballots: `Participation` says who has voted and `Ballot` what was voted, and no column
links the two. A secret ballot has a random UUID key, no member, no timestamp and no
auto-increment; the only way back to it is the receipt token its voter was shown once (stored
here as a salted hash, in the ballot row only). The voter's transaction writes only the
participation and a `SealedBallot` (encrypted) in the poll's box; the count moves boxed ballots
into `Ballot` in batches of at least `SECRET_BALLOT_BATCH`, in its own transaction and in an
order that depends on their content only (`sealing.count_order`), and `Poll.published_through`
says which participations the count has reached. At close and withdrawal the whole box is
counted and the table rewritten in content order without receipts. See docs/decisions.md.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.constraints import ConstraintsOnFields


class Kind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice (up to a limit)")
    APPROVAL = "approval", _("Approval (any number)")
    RANKED = "ranked", _("Ranked choice (instant runoff, or STV for several seats)")
    SCORE = "score", _("Score")
    PROPOSAL = "proposal", _("Proposal (agree / abstain / disagree / block)")


class Level(models.TextChoices):
    ORGANIZATION = "organization", _("The whole organization")
    REGION = "region", _("A region (continent)")
    CHAPTER = "chapter", _("A chapter")


class ResultsShown(models.TextChoices):
    AFTER_CLOSE = "after_close", _("Only after the poll closes")
    AFTER_VOTING = "after_voting", _("To those who have voted, while it is open")


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    ABSTAIN = "abstain", _("Abstain")
    DISAGREE = "disagree", _("Disagree")
    BLOCK = "block", _("Block")


def new_salt() -> str:
    return secrets.token_hex(16)


class PollQuerySet(models.QuerySet["Poll"]):
    def due_to_close(self, now: datetime.datetime) -> PollQuerySet:
        return self.filter(closed_at__isnull=True, closes_at__lte=now)

    def open_at(self, now: datetime.datetime) -> PollQuerySet:
        return self.filter(closed_at__isnull=True, opens_at__lte=now, closes_at__gt=now)


class Poll(ConstraintsOnFields):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="polls"
    )
    title = models.CharField(_("question"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("who votes"), max_length=16, choices=Level.choices)
    region = models.CharField(
        _("region (continent code)"), max_length=2, blank=True,
        help_text=_("For a regional poll: AF, AS, EU, NA, OC, SA or AN."),
    )
    chapter = models.ForeignKey(
        "chapters.Chapter", verbose_name=_("chapter"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="polls",
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    seats = models.PositiveSmallIntegerField(
        _("winners"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many options win. Ranked choice with more than one uses STV."),
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most options a voter may choose"), null=True, blank=True,
        validators=[MinValueValidator(1)], help_text=_("For multiple choice."),
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    quorum = models.DecimalField(
        _("quorum"), max_digits=4, decimal_places=3, default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of eligible voters who must take part (0.25 = 25%)."),
    )
    pass_threshold = models.DecimalField(
        _("pass threshold"), max_digits=4, decimal_places=3, default=Decimal("0.500"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("For proposals: agree / (agree + disagree) needed to pass."),
    )
    max_blocks = models.PositiveSmallIntegerField(
        _("blocks allowed"), default=0, help_text=_("For proposals: more blocks stop it."),
    )
    secret = models.BooleanField(
        _("secret ballot"), default=True,
        help_text=_("Store who voted apart from what was voted."),
    )
    results_shown = models.CharField(
        _("results shown"), max_length=16, choices=ResultsShown.choices,
        default=ResultsShown.AFTER_CLOSE,
    )
    changeable = models.BooleanField(_("votes can be changed while open"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    adopts_goal_set = models.OneToOneField(
        "goals.GoalSet", verbose_name=_("adopted goal set"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="adopted_by_poll",
    )
    salt = models.CharField(max_length=32, default=new_salt, editable=False)
    # Filled at close: the frozen result, and how many were eligible.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(_("eligible voters"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    # Withdrawn before its close by its author, a coordinator or staff: closed with no result.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True,
                                        editable=False)
    withdrawn_reason = models.CharField(_("why it was withdrawn"), max_length=300, blank=True,
                                        editable=False)
    opening_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Secret polls: participations with an id up to this one have their ballots in the count
    # (and are listed and counted as voters); later ones still wait in the sealed box.
    published_through = models.BigIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PollQuerySet.as_manager()

    CONSTRAINT_FIELDS = {"poll_closes_early": "closes_at", "poll_chapter_level": "chapter"}

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_opening", violation_error_code="poll_closes_early",
                violation_error_message=_("The poll must close after it opens.")),
            models.CheckConstraint(
                condition=(Q(level="chapter", chapter__isnull=False)
                           | (~Q(level="chapter") & Q(chapter__isnull=True))),
                name="poll_chapter_matches_level", violation_error_code="poll_chapter_level",
                violation_error_message=_("Choose the chapter for a chapter poll, and no "
                                          "chapter for any other.")),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def is_open(self, now: datetime.datetime) -> bool:
        return self.closed_at is None and self.opens_at <= now < self.closes_at


class Option(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["poll", "label"],
                                               name="option_label_unique_in_poll")]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """That a member has voted in a poll: nothing about what, and no time."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="poll_participations")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["poll", "member"],
                                               name="one_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member} voted in {self.poll}"


class Ballot(models.Model):
    """What was voted. `member` is set only on open (non-secret) polls."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    # Option ids (a ranking in order for ranked polls), {option id: score}, or a stance.
    marks = models.JSONField(default=list)
    stance = models.CharField(max_length=8, choices=Stance.choices, blank=True)
    receipt_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [models.UniqueConstraint(fields=["poll", "member"],
                                               condition=Q(member__isnull=False),
                                               name="one_open_ballot_per_member")]

    def __str__(self) -> str:
        return f"Ballot {self.pk}"


class SealedBallot(models.Model):
    """A secret ballot, or a change of one, waiting in its poll's box: encrypted and padded
    (`sealing.seal`), so this row, written in the voter's transaction, says nothing about what
    was voted. The count opens and deletes it (`services.ballot_box_move`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="box")
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self) -> str:
        return f"Sealed ballot {self.pk}"


class GoalProposal(models.Model):
    """A goal set put to a poll (a proposal); adopted as a GoalSet when it passes."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="goal_proposal")
    target_members = models.PositiveIntegerField(_("members"))
    target_chapters = models.PositiveIntegerField(_("qualifying chapters"))
    target_continents = models.PositiveSmallIntegerField(
        _("continents with a qualifying chapter"), validators=[MaxValueValidator(7)])
    target_women_share = models.DecimalField(
        _("women's participation"), max_digits=4, decimal_places=3, default=Decimal("0.300"),
        validators=[MinValueValidator(0), MaxValueValidator(1)])
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("goal proposal")
        verbose_name_plural = _("goal proposals")

    def __str__(self) -> str:
        return f"{self.target_chapters} chapters by {self.deadline}"


class EndorsementPlan(models.Model):
    """An organizer's plan put to their chapter (a proposal); endorsed when it passes."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="endorsement")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organizer"),
                               on_delete=models.CASCADE, related_name="+")
    place = models.ForeignKey("places.Place", verbose_name=_("works from"),
                              on_delete=models.PROTECT, related_name="+")
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(80)])
    months = models.DecimalField(
        _("for how many months"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(36)])
    starts_on = models.DateField(_("available from"))
    reach_km = models.PositiveSmallIntegerField(_("travel reach (km)"), default=100,
                                                validators=[MinValueValidator(1)])
    target_areas = models.TextField(_("target areas"), blank=True)

    class Meta:
        verbose_name = _("endorsement plan")
        verbose_name_plural = _("endorsement plans")

    def __str__(self) -> str:
        return f"{self.member}: {self.hours_per_week} h/week for {self.months} months"


class AffiliationProposal(models.Model):
    """A sympathetic organization's affiliation put to the members nearest to it (a chapter,
    else its region, else everyone) as a proposal; when it passes, the organization becomes an
    affiliated chapter (`chapter`), whose people then join by invitation only."""

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, related_name="affiliation")
    organization = models.ForeignKey(
        "organizing.SympatheticOrganization", verbose_name=_("organization"),
        on_delete=models.CASCADE, related_name="proposals")
    chapter = models.OneToOneField(
        "chapters.Chapter", verbose_name=_("affiliated chapter"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="affiliation_proposal")

    class Meta:
        verbose_name = _("affiliation proposal")
        verbose_name_plural = _("affiliation proposals")

    def __str__(self) -> str:
        return f"Affiliation of {self.organization}"
