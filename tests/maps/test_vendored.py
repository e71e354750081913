"""The vendored map script (Leaflet.markercluster, deploy/build_markercluster.py) is the one
pinned: each committed file matches the SHA256 its build wrote, and the map pages load it from
this site."""

import hashlib
from pathlib import Path

import chapterhouse

VENDORED = Path(chapterhouse.__file__).parent / "static" / "vendor" / "markercluster"


def test_the_vendored_files_are_the_ones_built_from_the_pinned_package():
    lines = (VENDORED / "SHA256SUMS").read_text().splitlines()
    assert {line.split()[1] for line in lines} == {
        "LICENCE.txt", "MarkerCluster.css", "leaflet.markercluster.js"}
    for line in lines:
        digest, name = line.split()
        assert hashlib.sha256((VENDORED / name).read_bytes()).hexdigest() == digest, name


def test_the_script_points_at_no_source_map_the_site_does_not_ship():
    assert "sourceMappingURL" not in (VENDORED / "leaflet.markercluster.js").read_text()
