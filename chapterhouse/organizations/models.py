from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chapterhouse.core.gender import Gender
from chapterhouse.domain.qualification import Rule
from chapterhouse.organizations.clock import Clock

# Inside `read_once()` (each web request, see middleware.py) the organization is read once;
# elsewhere (commands, jobs, tests) every call reads it.
_request_holder: ContextVar[dict[str, Organization] | None] = ContextVar(
    "request_organization", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    token = _request_holder.set({})
    try:
        yield
    finally:
        _request_holder.reset(token)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def current(self) -> Organization:
        """The organization this install serves (created with defaults on first use)."""
        holder = _request_holder.get()
        if holder is not None and "organization" in holder:
            return holder["organization"]
        organization: Organization | None = self.order_by("pk").first()
        if organization is None:
            organization = self.create(name="Chapterhouse")
        if holder is not None:
            holder["organization"] = organization
        return organization


class Organization(models.Model):
    """The one organization an install serves; its rule and settings are edited in the admin."""

    name = models.CharField(_("name"), max_length=200)
    founded_on = models.DateField(
        _("founded on"), default=timezone.localdate,
        help_text=_("The pace so far is measured from this date."),
    )
    dashboard_public = models.BooleanField(
        _("dashboard is public"), default=True,
        help_text=_("If off, only logged-in members see the dashboard."),
    )
    figures_as_of = models.DateField(
        _("figures as of"), null=True, blank=True,
        help_text=_("Compute the dashboard for this date instead of today (for demos and "
                    "looking back). Leave empty for today."),
    )
    # A fixed date for the figures must never move a real organization's calendar: polls
    # would open, close and be counted by it (issue 11 review). Only a demo lives on it.
    demo_clock = models.BooleanField(
        _("the whole site lives on that date (demo)"), default=False,
        help_text=_("For a demo only: meetings, polls, reminders and invitations then follow "
                    "the date above instead of the real one. Never for a real organization."),
    )
    # The qualification rule (DOMAIN.md): every number is a setting.
    min_attendees = models.PositiveSmallIntegerField(
        _("minimum attendees"), default=5, validators=[MinValueValidator(1)],
        help_text=_("A month counts when a meeting had at least this many attendees..."),
    )
    min_women_share = models.DecimalField(
        _("minimum women's share"), max_digits=4, decimal_places=3, default=Decimal("0.300"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("...of whom at least this share (0.30 = 30%) count toward participation."),
    )
    qualifying_months = models.PositiveSmallIntegerField(
        _("qualifying months"), default=3, validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text=_("A chapter qualifies when each of this many last whole calendar months "
                    "counts."),
    )
    counted_genders = models.JSONField(
        _("genders counted toward the share"), default=list,
        help_text=_('Self-described genders that count, e.g. ["woman"] or '
                    '["woman", "nonbinary"]. Undisclosed never counts.'),
    )
    # Health warnings (domain/risk.py): an organization's policy, set by its staff, not a
    # deployment's (a setting from the environment would need an operator and a restart).
    at_risk_days = models.PositiveSmallIntegerField(
        _("days left for a warning"), default=7,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("A chapter whose status depends on this month and has no meeting yet that "
                    "meets the rule is warned when this many days or fewer are left in the "
                    "month."),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organization")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.counted_genders:
            self.counted_genders = ["woman"]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.demo_clock and self.figures_as_of is None:
            raise ValidationError({"demo_clock": _(
                "A demo's clock needs the date it lives on: set “figures as of”.")})
        unknown = set(self.counted_genders or []) - set(Gender.values)
        if unknown:
            raise ValidationError(
                {"counted_genders": ngettext("Unknown gender word: %(words)s. Use %(known)s.",
                                             "Unknown gender words: %(words)s. Use %(known)s.",
                                             len(unknown))
                 % {"words": ", ".join(sorted(unknown)), "known": ", ".join(Gender.values)}}
            )

    @property
    def clock(self) -> Clock:
        """The one clock every part obeys (organizations/clock.py): the real one, or for a
        demo the day it lives on."""
        return Clock(self.figures_as_of if self.demo_clock else None)

    @property
    def today(self) -> datetime.date:
        """The date the figures are computed for (the dashboard's "as of"): `figures_as_of`
        when set, else the clock's today."""
        return self.figures_as_of or self.clock.today()

    @property
    def rule(self) -> Rule:
        return Rule(
            min_attendees=self.min_attendees,
            min_women_share=self.min_women_share,
            months=self.qualifying_months,
            counted_genders=frozenset(self.counted_genders or ["woman"]),
        )


class DemoSeal(models.Model):
    """What `seed_demo` made (issue 10), so that it can tell its own rows from an
    organization's and never replace real data: per model, the highest id it left (or, for
    models with random ids, how many rows). One row, rewritten at every seeding."""

    seeded_at = models.DateTimeField(auto_now=True)
    # {"members.member": {"max_pk": 3444}, "decisions.ballot": {"count": 120}, ...}
    made = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Demo seeded at {self.seeded_at:%Y-%m-%d %H:%M}"
