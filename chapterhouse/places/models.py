from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from chapterhouse.places import gazetteer
from chapterhouse.places.countries import city_name, country_name, place_label


class Continent(models.TextChoices):
    """GeoNames' continent codes, with translated names: the regions of the help board,
    regional polls and calls."""

    AFRICA = "AF", _("Africa")
    ANTARCTICA = "AN", _("Antarctica")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    NORTH_AMERICA = "NA", _("North America")
    OCEANIA = "OC", _("Oceania")
    SOUTH_AMERICA = "SA", _("South America")


class PlaceQuerySet(models.QuerySet["Place"]):
    def from_gazetteer(self, geonameid: int) -> Place:
        """The stored place for a gazetteer city, created on first use."""
        try:
            return self.get(pk=geonameid)
        except self.model.DoesNotExist:
            found = gazetteer.city(geonameid)
            place, _created = self.get_or_create(
                pk=geonameid,
                defaults={
                    "name": found.name,
                    "country_code": found.country_code,
                    "country_name": found.country_name,
                    "continent_code": found.continent_code,
                    "timezone": found.timezone,
                    "latitude": found.latitude,
                    "longitude": found.longitude,
                    "population": found.population,
                },
            )
            return place


class Place(models.Model):
    """A city from the offline gazetteer. Never a street address.

    Country, continent and time zone are copied from the gazetteer, so members and chapters
    derive them from the city they chose rather than typing them.
    """

    geonameid = models.PositiveIntegerField(_("GeoNames id"), primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    country_code = models.CharField(_("country code"), max_length=2, db_index=True)
    country_name = models.CharField(_("country"), max_length=200)
    continent_code = models.CharField(_("continent code"), max_length=2, db_index=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveBigIntegerField(_("population"), default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return place_label(self.name, self.country_code, self.country_name, self.timezone)

    @property
    def city_label(self) -> str:
        """The city's name in the reader's language where CLDR has it (places/countries.py)."""
        return city_name(self.name, self.timezone)

    @property
    def country_label(self) -> str:
        """The country's name in the reader's language."""
        return country_name(self.country_code, self.country_name)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def continent_name(self) -> str:
        try:
            return str(Continent(self.continent_code).label)
        except ValueError:
            return self.continent_code
