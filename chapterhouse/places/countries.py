"""Country names in the reader's language, from CLDR (the `babel` package).

Places store GeoNames' English country name; a page shows the name in the language it is
rendered in ("Vienna, Österreich" on a German page), looked up by the ISO country code. Each
language's table is read from CLDR once per process. English keeps GeoNames' own names, which
the search and the stored data use; a code CLDR does not know keeps the stored name.
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


def place_label(city: str, code: str, stored: str = "") -> str:
    """'Vienna, Österreich': a city and its country, in the active language's punctuation."""
    return pgettext("a city and its country", "%(city)s, %(country)s") % {
        "city": city, "country": country_name(code, stored)}
