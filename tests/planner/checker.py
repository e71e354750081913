"""An independent checker for plans: recomputes everything from the members and the rule.

It shares no code with the planner (its own haversine), so a bug there cannot hide here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: str
    lat: float
    lon: float
    woman: bool
    chapter: str = ""
    willing: bool = True


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * r * math.asin(math.sqrt(min(1.0, a)))


def problems(chapters: Sequence[dict], people: Sequence[Person], *, radius_km: float = 25.0,
             min_size: int = 5, min_share: float = 0.3, tol_km: float = 1e-6) -> list[str]:
    """Everything wrong with `chapters` (the plan's new_chapters); empty when valid."""
    by_id = {p.id: p for p in people}
    seen: dict[str, int] = {}
    out: list[str] = []
    for n, ch in enumerate(chapters):
        lat, lon = ch["center"]
        ids = ch["members"]
        if len(ids) < min_size:
            out.append(f"chapter {n}: {len(ids)} members < {min_size}")
        women = 0
        far = 0.0
        for i in ids:
            person = by_id.get(str(i))
            if person is None:
                out.append(f"chapter {n}: unknown member {i}")
                continue
            if i in seen:
                out.append(f"member {i} in chapters {seen[i]} and {n}")
            seen[i] = n
            if person.chapter:
                out.append(f"chapter {n}: member {i} already in chapter {person.chapter}")
            if not person.willing:
                out.append(f"chapter {n}: member {i} is not willing")
            women += person.woman
            far = max(far, haversine(lat, lon, person.lat, person.lon))
        if far > radius_km + tol_km:
            out.append(f"chapter {n}: a member lives {far:.6f} km from the meeting point")
        if women < min_share * len(ids) - 1e-9:
            out.append(f"chapter {n}: {women} women of {len(ids)} is under {min_share:.0%}")
        if ch.get("women") is not None and ch["women"] != women:
            out.append(f"chapter {n}: says {ch['women']} women, has {women}")
        if ch.get("size") is not None and ch["size"] != len(ids):
            out.append(f"chapter {n}: says size {ch['size']}, has {len(ids)}")
        if ch.get("max_travel_km") is not None and abs(ch["max_travel_km"] - far) > 0.01:
            out.append(f"chapter {n}: says max travel {ch['max_travel_km']}, is {far:.3f}")
    return out
