"""The founding convention: how delegates are apportioned (settings chosen by staff), the
delegate elections held in the chapters, the delegates' credentials, and the convention's
sessions with their proxies and votes (docs/convention.md)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chapterhouse.domain.apportionment import Method


class MethodChoice(models.TextChoices):
    HAMILTON = Method.HAMILTON.value, _("Hamilton (largest remainder)")
    JEFFERSON = Method.JEFFERSON.value, _("Jefferson / D'Hondt")
    WEBSTER = Method.WEBSTER.value, _("Webster / Sainte-Laguë")
    HUNTINGTON_HILL = Method.HUNTINGTON_HILL.value, _("Huntington-Hill")


class Weighting(models.TextChoices):
    EQUAL = "equal", _("One delegate, one vote")
    APPORTIONED = "apportioned", _("Weighted by the chapter's members")


class ConventionSettings(models.Model):
    """How the convention's delegates are counted; one row per organization, set by staff."""

    organization = models.OneToOneField("organizations.Organization", on_delete=models.CASCADE,
                                        related_name="convention_settings")
    seats = models.PositiveIntegerField(_("delegate seats in all"), default=30,
                                        validators=[MinValueValidator(1),
                                                    MaxValueValidator(10_000)])
    floor = models.PositiveSmallIntegerField(_("seats every qualifying chapter gets at least"),
                                             default=1, validators=[MaxValueValidator(100)])
    method = models.CharField(_("apportionment method"), max_length=20,
                              choices=MethodChoice.choices, default=MethodChoice.WEBSTER)
    weighting = models.CharField(_("how delegates' votes weigh"), max_length=16,
                                 choices=Weighting.choices, default=Weighting.EQUAL)
    women_share = models.DecimalField(
        _("share of each chapter's delegates who must be women"), max_digits=4,
        decimal_places=3, default=Decimal("0.300"), null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)])
    quorum = models.DecimalField(
        _("quorum: share of the delegates' weight present"), max_digits=4, decimal_places=3,
        default=Decimal("0.500"), validators=[MinValueValidator(0), MaxValueValidator(1)])
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("convention settings")
        verbose_name_plural = _("convention settings")

    def __str__(self) -> str:
        return f"{self.seats} seats, {self.method}, floor {self.floor}"


class DelegateElection(models.Model):
    """A chapter's election of its delegates: an STV poll of the decisions app, whose options
    are the candidates, counted again here with the women's share rule (docs/convention.md)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="delegate_elections")
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE,
                                related_name="delegate_elections")
    poll = models.OneToOneField("decisions.Poll", on_delete=models.CASCADE,
                                related_name="delegate_election")
    seats = models.PositiveSmallIntegerField(_("delegates to elect"))
    women_share = models.DecimalField(_("women's share rule"), max_digits=4, decimal_places=3,
                                      null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True, editable=False)
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("delegate election")
        verbose_name_plural = _("delegate elections")

    def __str__(self) -> str:
        return f"{self.chapter}: {self.seats} delegate(s)"


class DelegateCandidate(models.Model):
    """A member standing: one option of the election's poll. Whether they count toward the
    women's share is their own declaration (services.candidacy_declare), which only they can
    make or change, until the poll closes; it is shown to the chapter's members in this
    election, and never read from their profile, whose gender is only shown in aggregates.
    Until they declare, they count as not a woman, as members who do not say do at meetings.
    A candidate named by a coordinator may withdraw until the poll closes; the count leaves
    them out and their ballots' next preferences count instead."""

    election = models.ForeignKey(DelegateElection, on_delete=models.CASCADE,
                                 related_name="candidates")
    option = models.OneToOneField("decisions.Option", on_delete=models.CASCADE,
                                  related_name="delegate_candidate")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    counts_as_woman = models.BooleanField(_("stands as a woman for the share rule"),
                                          default=False)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delegate candidate")
        verbose_name_plural = _("delegate candidates")
        constraints = [models.UniqueConstraint(fields=["election", "member"],
                                               name="one_candidacy_per_election")]

    def __str__(self) -> str:
        return f"{self.member} in {self.election}"


class Delegate(models.Model):
    """A credential: this member sits at the convention for this chapter. Written by an
    election's count (unconfirmed) or by staff; staff confirm it."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="delegates")
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE,
                                related_name="delegates")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="delegacies")
    election = models.ForeignKey(DelegateElection, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="delegates")
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["chapter", "pk"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        constraints = [models.UniqueConstraint(fields=["organization", "member"],
                                               name="one_seat_per_delegate")]

    def __str__(self) -> str:
        return f"{self.member} for {self.chapter}"


class Session(models.Model):
    """One sitting of the convention and the one question it votes on (yes, no, abstain)."""

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="convention_sessions")
    title = models.CharField(_("motion"), max_length=200)
    weighting = models.CharField(_("how delegates' votes weigh"), max_length=16,
                                 choices=Weighting.choices)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # The quorum when it opened, and each delegate's weight when it closed ("num/den" by
    # Delegate pk): a closed session's result never changes with later settings, members or
    # credentials.
    quorum = models.DecimalField(_("quorum"), max_digits=5, decimal_places=4, null=True,
                                 blank=True)
    weights = models.JSONField(_("weights at closing"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("convention session")
        verbose_name_plural = _("convention sessions")

    def __str__(self) -> str:
        return self.title


class Proxy(models.Model):
    """A delegate hands their vote to another delegate for one session. No chains: the holder
    may not have given their own; one proxy per holder at most."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="proxies_given")
    holder = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="proxies_held")
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(fields=["session", "giver"], name="one_proxy_given"),
            models.UniqueConstraint(fields=["session", "holder"], name="one_proxy_held"),
            models.CheckConstraint(condition=~Q(giver=models.F("holder")),
                                   name="proxy_not_to_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} -> {self.holder}"


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class SessionVote(models.Model):
    """A delegate's vote in a session, cast by them or by the holder of their proxy."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="votes")
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="votes")
    cast_by = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session vote")
        verbose_name_plural = _("session votes")
        constraints = [models.UniqueConstraint(fields=["session", "delegate"],
                                               name="one_vote_per_delegate")]

    def __str__(self) -> str:
        return f"{self.delegate}: {self.choice}"
