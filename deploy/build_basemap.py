#!/usr/bin/env python3
"""Rebuild the maps' offline basemap: country outlines from Natural Earth (1:110m), as GeoJSON.

The outlines come from the npm package `world-atlas` (Natural Earth's public-domain data as
TopoJSON), fetched at build time with the ordinary client (`npm pack`), checked against the
integrity hash below, decoded from TopoJSON here (no topojson-client at run time: the browser
gets plain GeoJSON that Leaflet draws), rounded to 0.01 degree (about a kilometre: far below a
pixel at the zoom levels the maps allow) and written to
chapterhouse/static/chapterhouse/maps/countries-110m.json, which is committed. The site never
fetches anything at run time.

    python3 deploy/build_basemap.py            # from the repository's root; needs npm
    python3 deploy/build_basemap.py --check    # exit 1 if the committed file differs

To move to another version, change PACKAGE and INTEGRITY (npm view world-atlas@X dist.integrity).
"""

from __future__ import annotations

import itertools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from npm_pinned import pinned_files  # deploy/npm_pinned.py, beside this script

PACKAGE = "world-atlas@2.0.2"
INTEGRITY = ("sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXny"
             "TU5lFHcYa5ChG0LQ==")
SOURCE = "package/countries-110m.json"
OUT = (Path(__file__).resolve().parent.parent
       / "chapterhouse/static/chapterhouse/maps/countries-110m.json")
DIGITS = 2
ANTARCTICA = "010"  # ISO 3166-1 numeric


def fetch(folder: Path) -> bytes:
    """The package's countries-110m.json, from a tarball whose hash is the one pinned."""
    return pinned_files(PACKAGE, INTEGRITY, [SOURCE], folder)[SOURCE]


def decode(topology: dict[str, Any]) -> dict[str, Any]:
    """TopoJSON's `countries` object as a GeoJSON FeatureCollection (the quantized, delta-encoded
    arcs decoded as topojson-client's `feature` does)."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale[0] + translate[0], DIGITS),
                           round(y * scale[1] + translate[1], DIGITS)))
        arcs.append(points)

    def line(indexes: list[int]) -> list[list[float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)  # arcs share their joining point
        deduped = [points[0]] + [p for prev, p in itertools.pairwise(points) if p != prev]
        return unwrapped([list(p) for p in deduped])

    def unwrapped(ring: list[list[float]]) -> list[list[float]]:
        """A ring that crosses the antimeridian (Russia's east, Fiji) jumps from 180 to -180:
        drawn flat, that jump is a stripe across the world. Its points are carried on past
        180 instead (Leaflet draws longitudes beyond 180 beside the map's edge)."""
        shift = 0.0
        out = [ring[0]]
        for (lon0, _), (lon, lat) in itertools.pairwise(ring):
            if lon - lon0 > 180:
                shift -= 360
            elif lon0 - lon > 180:
                shift += 360
            out.append([round(lon + shift, DIGITS), lat])
        return out

    def polygon(rings: list[list[int]]) -> list[list[list[float]]]:
        return [ring for ring in (line(r) for r in rings) if len(ring) >= 4]

    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA:
            continue  # no member lives there; it would take a fifth of every world view
        kind = geometry.get("type")
        if kind == "Polygon":
            coordinates: Any = polygon(geometry["arcs"])
        elif kind == "MultiPolygon":
            coordinates = [p for p in (polygon(rings) for rings in geometry["arcs"]) if p]
        else:
            continue  # a null geometry: nothing to draw
        features.append({"type": "Feature", "id": geometry.get("id"), "properties": {},
                         "geometry": {"type": kind, "coordinates": coordinates}})
    return {"type": "FeatureCollection",
            "source": f"Natural Earth 1:110m countries, from the npm package {PACKAGE} "
                      f"(public domain), built by deploy/build_basemap.py",
            "features": features}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        built = json.dumps(decode(json.loads(fetch(Path(folder)))),
                           separators=(",", ":"), ensure_ascii=True) + "\n"
    if "--check" in sys.argv[1:]:
        same = OUT.exists() and OUT.read_text() == built
        print(f"{OUT}: {'up to date' if same else 'differs from ' + PACKAGE}")
        sys.exit(0 if same else 1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(built)
    print(f"{OUT}: {len(built):,} bytes from {PACKAGE}")


if __name__ == "__main__":
    main()
