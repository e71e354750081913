"""Great-circle geometry on plain arrays.

Radius queries run on 3-D unit vectors in a cKDTree: the straight-line (chord) distance between
two unit vectors grows monotonically with the great-circle distance, so "within R km" is exactly
"chord <= chord_for_km(R)" and the tree needs no haversine metric.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from chapterhouse.domain.distance import EARTH_RADIUS_KM

FloatArray = NDArray[np.float64]


def unit_vectors(lat: ArrayLike, lon: ArrayLike) -> FloatArray:
    """(n, 3) unit vectors for latitudes and longitudes in degrees."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lam = np.radians(np.asarray(lon, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)], axis=-1)


def lat_lon(xyz: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Latitudes and longitudes in degrees of (n, 3) vectors (normalised first)."""
    v = np.asarray(xyz, dtype=np.float64)
    v = v / np.linalg.norm(v, axis=-1, keepdims=True)
    lat = np.degrees(np.arcsin(np.clip(v[..., 2], -1.0, 1.0)))
    lon = np.degrees(np.arctan2(v[..., 1], v[..., 0]))
    return lat, lon


def chord_for_km(km: float) -> float:
    """Chord length between unit vectors that lie `km` apart on the Earth's surface."""
    return float(2.0 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2.0))


def km_for_chord(chord: ArrayLike) -> FloatArray:
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0))


def km_between(a_xyz: ArrayLike, b_xyz: ArrayLike) -> FloatArray:
    """Great-circle km between unit vectors (broadcasting)."""
    diff = np.asarray(a_xyz, dtype=np.float64) - np.asarray(b_xyz, dtype=np.float64)
    return km_for_chord(np.linalg.norm(diff, axis=-1))


def circle_intersections(a: FloatArray, b: FloatArray, radius_km: float) -> FloatArray:
    """Both points at `radius_km` from a[i] and from b[i]: (2n, 3), for pairs at most 2R apart.

    They are the meeting points that matter: any set of places that fits in one radius-R disc
    also fits in a disc centred at one of these points (or at the place itself, if only one).
    """
    cos_rho = np.cos(radius_km / EARTH_RADIUS_KM)
    c = np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0)
    alpha = cos_rho / (1.0 + c)
    cross = np.cross(a, b)
    beta_sq = (1.0 - 2.0 * alpha**2 * (1.0 + c)) / np.maximum(1.0 - c**2, 1e-300)
    beta = np.sqrt(np.clip(beta_sq, 0.0, None))[:, None]
    mid = alpha[:, None] * (a + b)
    points = np.concatenate([mid + beta * cross, mid - beta * cross])
    unit: FloatArray = points / np.linalg.norm(points, axis=1, keepdims=True)
    return unit


def spherical_mean(xyz: FloatArray, weights: ArrayLike | None = None) -> FloatArray:
    """The normalised (weighted) mean direction: a good meeting point for a compact group."""
    mean = np.average(xyz, axis=0,
                      weights=None if weights is None else np.asarray(weights, dtype=np.float64))
    return mean / np.linalg.norm(mean)
