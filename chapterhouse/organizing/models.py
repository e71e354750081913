from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizerQuerySet(models.QuerySet["Organizer"]):
    def active(self) -> OrganizerQuerySet:
        return self.filter(active=True).select_related("member", "place")


class Organizer(models.Model):
    """A member who gives hours a week for some months to build new chapters (the letter's
    author: 10-20 h/week for 3-5 months), usually endorsed by their chapter."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organizer"
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("works from"), on_delete=models.PROTECT,
        related_name="+", help_text=_("Usually the organizer's own city."),
    )
    hours_per_week = models.DecimalField(
        _("hours a week"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(80)],
    )
    starts_on = models.DateField(_("available from"))
    months = models.DecimalField(
        _("for how many months"), max_digits=4, decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(36)],
    )
    reach_km = models.PositiveSmallIntegerField(
        _("travel reach (km)"), default=100, validators=[MinValueValidator(1)],
        help_text=_("How far the organizer can travel to help a new chapter start."),
    )
    endorsed_by = models.ForeignKey(
        "chapters.Chapter", verbose_name=_("endorsed by"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="endorsed_organizers",
    )
    active = models.BooleanField(_("active"), default=True)

    objects = OrganizerQuerySet.as_manager()

    class Meta:
        ordering = ["member__display_name"]
        verbose_name = _("organizer")
        verbose_name_plural = _("organizers")

    def __str__(self) -> str:
        return f"{self.member} ({self.hours_per_week} h/week)"


class Affiliation(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    CONTACTED = "contacted", _("Contacted")
    TALKING = "talking", _("In conversation")
    AFFILIATED = "affiliated", _("Became a chapter")
    DECLINED = "declined", _("Declined")


class SympatheticOrganization(models.Model):
    """An existing group that might convert into a chapter (as the Norwegian network did)."""

    name = models.CharField(_("name"), max_length=200)
    place = models.ForeignKey("places.Place", verbose_name=_("place"), on_delete=models.PROTECT,
                              related_name="+")
    size = models.PositiveIntegerField(_("about how many people"), default=0)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True,
        help_text=_("A public contact: an organization's email or web address."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Affiliation.choices,
                              default=Affiliation.IDENTIFIED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sympathetic organization")
        verbose_name_plural = _("sympathetic organizations")

    def __str__(self) -> str:
        return self.name


class AffiliationStep(models.Model):
    """One step of a sympathetic organization's way to a chapter, as it happened: the stage
    it reached, who moved it (none: the members' vote or the system) and when (the
    organization's clock), with a note. Kept as history: nothing edits or deletes a step."""

    organization = models.ForeignKey(SympatheticOrganization, on_delete=models.CASCADE,
                                     related_name="steps")
    stage = models.CharField(_("stage"), max_length=16)  # domain/affiliation.py's Stage
    note = models.TextField(_("note"), blank=True, max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"),
                           on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("affiliation step")
        verbose_name_plural = _("affiliation steps")

    def __str__(self) -> str:
        return f"{self.organization}: {self.stage}"
