from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoalSetQuerySet(models.QuerySet["GoalSet"]):
    def current(self) -> GoalSet | None:
        """The goal set in force: the most recently adopted."""
        return self.order_by("-adopted_on", "-pk").first()


class GoalSet(models.Model):
    """Targets adopted by the members (usually by a poll), with a deadline."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="goal_sets"
    )
    target_members = models.PositiveIntegerField(_("members"))
    target_chapters = models.PositiveIntegerField(_("qualifying chapters"))
    target_continents = models.PositiveSmallIntegerField(
        _("continents with a qualifying chapter"), validators=[MaxValueValidator(7)]
    )
    target_women_share = models.DecimalField(
        _("women's participation"), max_digits=4, decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)], default=Decimal("0.300"),
    )
    deadline = models.DateField(_("deadline"))
    adopted_on = models.DateField(_("adopted on"))
    source = models.CharField(
        _("where it came from"), max_length=300,
        help_text=_("e.g. 'Member poll, 2012: 712 voters'."),
    )

    objects = GoalSetQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_on"]
        verbose_name = _("goal set")
        verbose_name_plural = _("goal sets")

    def __str__(self) -> str:
        return f"{self.source} (deadline {self.deadline:%Y-%m-%d})"
