"""Finding a city in the offline gazetteer by what a member types, in any language.

Names and alternate names are folded (case and accents removed: "São Paulo" -> "sao paulo") and
kept in one sorted list, so a prefix search is two bisections. The index is built once per
process (about a second for 34,000 cities and their 350,000 alternate names).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache

from chapterhouse.places import gazetteer
from chapterhouse.places.countries import country_name

MIN_QUERY = 2
LIMIT = 8


@dataclass(frozen=True, slots=True)
class CityMatch:
    city: gazetteer.GazetteerCity
    matched: str  # the name or alternate name that matched what was typed
    exact: bool

    @property
    def label(self) -> str:
        """'Munich, Germany', or 'Munich, Germany (München)' when found by another name."""
        if _fold(self.matched) == _fold(self.city.name):
            return self.city.label
        return f"{self.city.label} ({self.matched})"

    def as_json(self) -> dict[str, str | int]:
        return {"id": self.city.geonameid, "name": self.city.name,
                "country": country_name(self.city.country_code, self.city.country_name),
                "label": self.label,
                "population": self.city.population}


def _fold(text: str) -> str:
    # Most names are plain ASCII: lowercasing is their whole fold, and ten times faster.
    return text.lower().strip() if text.isascii() else gazetteer.fold(text)


@cache
def _index() -> tuple[list[str], list[tuple[int, str]]]:
    """Folded names in order, and beside each the city id and the name as written."""
    rows: list[tuple[str, int, str]] = []
    for city in gazetteer.cities().values():
        written: dict[str, str] = {}
        for name in (city.name, *city.alternate_names):
            folded = _fold(name)
            # Of "Munchen" and "München", show the one with its accents.
            if folded and (folded not in written or written[folded].isascii()):
                written[folded] = name
        rows.extend((folded, city.geonameid, name) for folded, name in written.items())
    rows.sort()
    return [r[0] for r in rows], [(r[1], r[2]) for r in rows]


def _split_country(text: str) -> tuple[str, str | None]:
    """'Paris, France' -> ('paris', 'france'): what the autocomplete's labels look like."""
    name, sep, country = text.rpartition(",")
    if sep and name.strip() and country.strip():
        return _fold(name), _fold(country.split("(")[0])
    return _fold(text), None


def search(text: str, limit: int = LIMIT) -> list[CityMatch]:
    """Cities whose name or an alternate name starts with the text; exact names first, then the
    most populous. One entry per city."""
    wanted, country = _split_country(text.strip())
    if len(wanted) < MIN_QUERY and not (wanted and not wanted.isascii()):
        return []  # one Latin letter matches thousands; one CJK character is a name
    keys, values = _index()
    cities = gazetteer.cities()
    best: dict[int, CityMatch] = {}
    start = bisect.bisect_left(keys, wanted)
    end = bisect.bisect_left(keys, wanted + "\uffff")
    for i in range(start, end):
        geonameid, written = values[i]
        city = cities[geonameid]
        if country and country not in (_fold(city.country_name),
                                       _fold(country_name(city.country_code))):
            continue
        if _fold(city.name) == keys[i]:
            written = city.name  # label a city by its own name whenever that matched
        match = CityMatch(city, written, exact=keys[i] == wanted)
        seen = best.get(geonameid)
        if seen is None or _rank(match) < _rank(seen):
            best[geonameid] = match
    return sorted(best.values(), key=_rank)[:limit]


def _rank(match: CityMatch) -> tuple[bool, bool, int]:
    """Exact matches first, then matches of a city's own name, then the most populous."""
    own = _fold(match.matched) == _fold(match.city.name)
    return (not match.exact, not own, -match.city.population)


def resolve(text: str) -> list[CityMatch]:
    """The cities a typed name stands for: the exact matches of a city's own name if there are
    any ("Brooklyn" is not also Oshkosh), else other exact matches ("Wien"), else the prefix
    matches. One result means the name is settled; several mean ask which."""
    matches = search(text)
    exact = [m for m in matches if m.exact]
    own = [m for m in exact if _fold(m.matched) == _fold(m.city.name)]
    return own or exact or matches
