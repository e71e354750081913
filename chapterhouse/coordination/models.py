from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chapterhouse.core.constraints import ConstraintsOnFields
from chapterhouse.places.models import Continent


class Scope(models.TextChoices):
    ORGANIZATION = "organization", _("The whole organization")
    REGION = "region", _("One region (continent)")


# Regions a call can be for: every continent with people on it.
CALL_REGIONS = [(code, name) for code, name in Continent.choices if code != Continent.ANTARCTICA]


class Call(ConstraintsOnFields):
    """A coordination call (the letter's "Skype conversations") among active members.

    The organizer proposes candidate times; members sign up. A call with more than one
    occurrence rotates among its candidate times (see rotation.py).
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is for"), blank=True)
    scope = models.CharField(_("who it is for"), max_length=16, choices=Scope.choices,
                             default=Scope.ORGANIZATION)
    continent = models.CharField(_("region"), max_length=2, choices=CALL_REGIONS,
                                 blank=True)
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("organizer"),
                                  on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="organized_calls")
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    occurrences = models.PositiveSmallIntegerField(
        _("how many calls"), default=1,
        help_text=_("1 for a single call; more for a recurring call that rotates its time."))
    link = models.URLField(_("where to join"), blank=True,
                           help_text=_("The call's address (video or voice), shown to "
                                       "participants."))
    notes = models.TextField(_("notes"), blank=True)
    notes_updated_at = models.DateTimeField(_("notes updated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    CONSTRAINT_FIELDS = {"call_region": "continent"}

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("coordination call")
        verbose_name_plural = _("coordination calls")
        constraints = [
            models.CheckConstraint(
                condition=(Q(scope="organization", continent="")
                           | (Q(scope="region") & ~Q(continent=""))),
                name="regional_calls_name_their_region", violation_error_code="call_region",
                violation_error_message=_("Choose a region for a regional call, and none for "
                                          "a call for the whole organization."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return self.occurrences > 1


class CandidateTime(models.Model):
    """A proposed start, stored in UTC (entered in the proposer's zone)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="candidates")
    starts_at = models.DateTimeField(_("starts at"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("candidate time")
        verbose_name_plural = _("candidate times")
        constraints = [models.UniqueConstraint(fields=["call", "starts_at"],
                                               name="one_candidate_per_time")]

    def __str__(self) -> str:
        return f"{self.call}: {self.starts_at:%Y-%m-%d %H:%M} UTC"


class SignupQuerySet(models.QuerySet["Signup"]):
    def accepted(self) -> SignupQuerySet:
        return self.filter(accepted_at__isnull=False)

    def pending(self) -> SignupQuerySet:
        return self.filter(accepted_at__isnull=True)


class Signup(models.Model):
    """A member's request to take part in a call. Pressing "sign up" alone reveals nothing:
    the call's notes, link and who else takes part are for participants, whom the call's
    organizer (or staff) accepted."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="call_signups")
    signed_up_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [models.UniqueConstraint(fields=["call", "member"],
                                               name="sign_up_once")]

    def __str__(self) -> str:
        return f"{self.member} on {self.call}"
