"""The demo's people: where members live, who they are, and the rows that store them.

Everything is drawn from one `random.Random`, in a fixed order, over lists sorted by GeoNames id
or country code, so a seed always gives the same membership. No database access except
`place_rows` and `member_rows`, which only build unsaved objects.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

from chapterhouse.domain.distance import great_circle_km
from chapterhouse.members.models import Member, recorded_on
from chapterhouse.places import gazetteer
from chapterhouse.places.models import Place

T = TypeVar("T")

# Where an online, mostly English-speaking membership concentrates (weights are relative).
CORE_COUNTRIES: dict[str, float] = {
    "US": 10.0, "GB": 3.0, "CA": 2.0, "AU": 1.5, "DE": 1.2, "IE": 0.4, "NZ": 0.4,
}
CORE_SHARE = 0.62  # of unaffiliated members; the rest are isolated members elsewhere
ENGLISH_TOO = 0.4  # members outside English-speaking countries who also list "en"

GENDERS: tuple[str, ...] = ("woman", "man", "nonbinary", "other", "")
GENDER_WEIGHTS: tuple[float, ...] = (33, 55, 3, 2, 7)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "woman": ("Amina", "Ana", "Chloe", "Fatima", "Ingrid", "Lena", "Maria", "Mei", "Priya",
              "Rosa", "Sarah", "Yuki"),
    "man": ("Ahmed", "Ben", "Carlos", "David", "Erik", "Hiro", "Ivan", "Jon", "Kofi", "Luca",
            "Omar", "Tom"),
    "": ("Alex", "Ari", "Jamie", "Kim", "Noor", "Robin", "Sam", "Sasha"),
}
INITIALS = "ABCDEFGHIJKLMNOPRSTVWZ"


@dataclass(slots=True)
class Draft:
    """One member to be created, before it has a primary key."""

    place_id: int
    gender: str
    joined_on: datetime.date
    willing: bool
    languages: list[str]
    display_name: str = ""
    email: str = ""
    is_staff: bool = False
    # Chapter rosters: the chapter's index, the date the member joined it, founder or not.
    chapter: int | None = None
    chapter_joined_on: datetime.date | None = None
    founder: bool = False
    weight: float = 1.0  # how often this member comes to meetings, relative to the others

    @property
    def chapter_day(self) -> datetime.date:
        """The day a member on a chapter's roster joined it (draft_roster sets it for each)."""
        if self.chapter_joined_on is None:
            raise ValueError(f"{self.email or self.display_name} is on no chapter's roster")
        return self.chapter_joined_on


@cache
def cities_by_country() -> dict[str, tuple[gazetteer.GazetteerCity, ...]]:
    """Each country's cities sorted by GeoNames id: a stable order to sample from."""
    result: dict[str, list[gazetteer.GazetteerCity]] = {}
    for geonameid in sorted(gazetteer.cities()):
        found = gazetteer.city(geonameid)
        result.setdefault(found.country_code, []).append(found)
    return {code: tuple(rows) for code, rows in result.items()}


def nearby(home_id: int, radius_km: float) -> list[gazetteer.GazetteerCity]:
    """The home city and its same-country neighbours within the radius, by GeoNames id."""
    home = gazetteer.city(home_id)
    return [c for c in cities_by_country()[home.country_code]
            if great_circle_km(home.latitude, home.longitude, c.latitude, c.longitude)
            <= radius_km]


def weighted_sample(rng: random.Random, items: Sequence[T], weights: Sequence[float],
                    k: int) -> list[T]:
    """k distinct items, heavier ones more likely (Efraimidis-Spirakis keys)."""
    keyed = [(rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)]
    keyed.sort(reverse=True)
    return [items[i] for _key, i in keyed[:k]]


def choose_countries(rng: random.Random, count: int, required: Sequence[str]) -> list[str]:
    """`count` countries: the required ones plus others, larger countries more likely."""
    fixed = sorted(set(required) | set(CORE_COUNTRIES))
    if count < len(fixed):
        raise ValueError(f"The demo needs at least {len(fixed)} countries.")
    table = gazetteer.countries()
    others = [code for code in sorted(cities_by_country()) if code not in fixed]
    weights = [math.sqrt(max(table[code]["population"], 1000)) for code in others]
    return sorted(fixed + weighted_sample(rng, others, weights, count - len(fixed)))


def languages_for(rng: random.Random, country_code: str) -> list[str]:
    codes = [c for c in gazetteer.countries()[country_code].get("languages", "").split(",") if c]
    first = codes[0][:2].lower() if codes else "en"
    if first != "en" and rng.random() < ENGLISH_TOO:
        return [first, "en"]
    return [first]


def join_date(rng: random.Random, start: datetime.date, end: datetime.date,
              skew: float = 1.8) -> datetime.date:
    """A date in [start, end], more of them early (the launch brought most sign-ups)."""
    span = (end - start).days
    return start + datetime.timedelta(days=int(rng.random() ** skew * (span + 1)) if span else 0)


def draft_member(rng: random.Random, city: gazetteer.GazetteerCity, joined_on: datetime.date,
                 willing_share: float) -> Draft:
    gender = rng.choices(GENDERS, GENDER_WEIGHTS)[0]
    return Draft(
        place_id=city.geonameid,
        gender=gender,
        joined_on=joined_on,
        willing=rng.random() < willing_share,
        languages=languages_for(rng, city.country_code),
    )


def draft_roster(rng: random.Random, *, chapter: int, places: Sequence[int], size: int,
                 founders: int, founded_on: datetime.date, org_founded: datetime.date,
                 last_day: datetime.date, home_weight: float = 1.0) -> list[Draft]:
    """A chapter's members, living in `places` (weighted by population, each place at least once;
    the first place is the home city, its weight scaled by `home_weight`).

    Founders joined the organization before the chapter existed and the chapter on its first
    meeting; at least two of them are women and all would meet, so the ramp is possible.
    """
    cities = [gazetteer.city(p) for p in places]
    weights = [float(max(c.population, 1)) for c in cities]
    weights[0] *= home_weight
    roster = []
    for index in range(size):
        city = cities[index] if index < len(cities) else rng.choices(cities, weights)[0]
        if index < founders:
            draft = draft_member(rng, city, join_date(rng, org_founded, founded_on, 1.0), 1.0)
            draft.chapter_joined_on = founded_on
            draft.founder = True
            draft.weight = 6.0
            if index < 2:
                draft.gender = "woman"
        else:
            draft = draft_member(rng, city, join_date(rng, org_founded, last_day), 0.85)
            delay = datetime.timedelta(days=rng.randint(0, 60))
            draft.chapter_joined_on = min(max(draft.joined_on, founded_on) + delay, last_day)
            draft.weight = rng.random() ** 3 + 0.05  # a few regulars, many who rarely come
        draft.chapter = chapter
        roster.append(draft)
    return roster


def draft_unaffiliated(rng: random.Random, *, count: int, countries: Sequence[str],
                       covered: set[str], org_founded: datetime.date,
                       last_day: datetime.date) -> list[Draft]:
    """Members in no chapter: most in the big cities of a few countries, the rest scattered.

    Every country not already `covered` by a chapter roster gets at least one member.
    """
    uncovered = [c for c in countries if c not in covered]
    if count < len(uncovered):
        raise ValueError("Too few members for that many countries.")
    elsewhere = [c for c in countries if c not in CORE_COUNTRIES]
    table = gazetteer.countries()
    elsewhere_weights = [math.sqrt(max(table[c]["population"], 1000)) for c in elsewhere]
    core = [c for c in countries if c in CORE_COUNTRIES]
    core_weights = [CORE_COUNTRIES[c] for c in core]

    homes: list[gazetteer.GazetteerCity] = []
    for code in uncovered:  # isolated members in a small town or two per country
        homes.append(rng.choice(cities_by_country()[code]))
    while len(homes) < count:
        if rng.random() < CORE_SHARE:
            code = rng.choices(core, core_weights)[0]
            pool = cities_by_country()[code]
            homes.append(rng.choices(pool, cum_weights=_population_cumulative(code))[0])
        else:
            code = rng.choices(elsewhere, elsewhere_weights)[0]
            homes.append(rng.choice(cities_by_country()[code]))
    return [draft_member(rng, city, join_date(rng, org_founded, last_day), 1 / 3)
            for city in homes]


@cache
def _population_cumulative(country_code: str) -> tuple[float, ...]:
    total, result = 0.0, []
    for city in cities_by_country()[country_code]:
        total += max(city.population, 1)
        result.append(total)
    return tuple(result)


def name_drafts(rng: random.Random, drafts: list[Draft]) -> None:
    """Number members in order of joining and give each a first name and an initial."""
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i].joined_on, i))
    number = 0
    for index in order:
        draft = drafts[index]
        names = FIRST_NAMES.get(draft.gender, FIRST_NAMES[""])
        name = f"{rng.choice(names)} {rng.choice(INITIALS)}."
        if not draft.email:  # the personas keep the address and name they were given
            number += 1
            draft.email = f"member{number}@demo.example.org"
            draft.display_name = name


def place_rows(place_ids: set[int]) -> list[Place]:
    """Unsaved Place rows copied from the gazetteer, in GeoNames id order."""
    rows = []
    for geonameid in sorted(place_ids):
        found = gazetteer.city(geonameid)
        rows.append(Place(
            geonameid=found.geonameid, name=found.name, country_code=found.country_code,
            country_name=found.country_name, continent_code=found.continent_code,
            timezone=found.timezone, latitude=found.latitude, longitude=found.longitude,
            population=found.population,
        ))
    return rows


def member_rows(drafts: Sequence[Draft], unusable_password: str) -> list[Member]:
    # One unusable hash for everyone: hashing (or even randomising) thousands is wasted time.
    return [
        Member(
            email=d.email, display_name=d.display_name, place_id=d.place_id,
            languages=d.languages, gender=d.gender, willing_to_meet=d.willing,
            joined_on=d.joined_on, created_at=recorded_on(d.joined_on), is_staff=d.is_staff,
            is_superuser=d.is_staff, password=unusable_password,
        )
        for d in drafts
    ]
