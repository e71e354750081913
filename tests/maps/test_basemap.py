"""The committed basemap (deploy/build_basemap.py builds it from world-atlas): small, from the
pinned package, and drawable flat without a stripe across the world."""

import itertools
import json
from pathlib import Path

BASEMAP = (Path(__file__).resolve().parents[2]
           / "chapterhouse/static/chapterhouse/maps/countries-110m.json")


def rings(feature):
    geometry = feature["geometry"]
    polygons = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
                else geometry["coordinates"])
    return [ring for polygon in polygons for ring in polygon]


def test_the_basemap_is_natural_earth_from_the_pinned_package_and_small():
    data = json.loads(BASEMAP.read_text())
    assert "world-atlas@2.0.2" in data["source"]
    assert 170 <= len(data["features"]) <= 180  # the 110m countries, Antarctica left out
    assert BASEMAP.stat().st_size < 200_000


def test_no_ring_jumps_across_the_antimeridian():
    data = json.loads(BASEMAP.read_text())
    for feature in data["features"]:
        for ring in rings(feature):
            assert ring[0] == ring[-1]
            assert all(abs(b[0] - a[0]) < 180 for a, b in itertools.pairwise(ring))
