"""Country and city names in the reader's language, from CLDR (the `babel` package).

Places store GeoNames' English names; a page shows them in the language it is rendered in
("Wien, Österreich" on a German page). Countries are looked up by their ISO code. Cities are
translated where CLDR knows them: CLDR names each time zone's exemplar city (Europe/Vienna:
"Wien", "Vienne", "فيينا"), about 450 large cities, so a place whose English name is its time
zone's city gets that city's name; every other place keeps its GeoNames name (no offline source
names the world's small towns in ten languages). Each language's tables are read from CLDR once
per process. English keeps GeoNames' own names, which the search and the stored data use.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils.translation import get_language, pgettext, to_locale


@cache
def _names(language: str) -> Mapping[str, str]:
    try:
        return Locale.parse(to_locale(language)).territories
    except (UnknownLocaleError, ValueError):
        return {}


def country_name(code: str, stored: str = "", language: str | None = None) -> str:
    """The country with this ISO 3166 code in `language` (default: the active one)."""
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    if language.split("-")[0] == "en":
        return stored or code
    return _names(language).get(code.upper(), stored or code)


@cache
def _cities(language: str) -> Mapping[str, str]:
    """Time zone -> its exemplar city in `language`, where CLDR gives one."""
    try:
        zones = Locale.parse(to_locale(language)).time_zones
    except (UnknownLocaleError, ValueError):
        return {}
    return {zone: names["city"] for zone, names in zones.items() if names.get("city")}


def city_name(city: str, timezone: str = "", language: str | None = None) -> str:
    """The city in `language` (default: the active one) when it is its time zone's exemplar
    city ("Vienna" in Europe/Vienna is "Wien" in German), else its stored name."""
    language = (language or get_language() or settings.LANGUAGE_CODE).lower()
    if not timezone or language.split("-")[0] == "en":
        return city
    if city != timezone.rsplit("/", 1)[-1].replace("_", " "):
        return city  # not the zone's own city (Springfield in America/Chicago)
    return _cities(language).get(timezone, city)


def place_label(city: str, code: str, stored: str = "", timezone: str = "") -> str:
    """'Wien, Österreich': a city and its country, in the active language's punctuation."""
    return pgettext("a city and its country", "%(city)s, %(country)s") % {
        "city": city_name(city, timezone), "country": country_name(code, stored)}
