#!/usr/bin/env python3
"""Vendor Leaflet.markercluster (the maps' grouping of candidates that overlap at low zoom).

Fetched at build time with the ordinary client (`npm pack`), checked against the integrity hash
below, and its built script and stylesheet copied to chapterhouse/static/vendor/markercluster/
with its licence; the files are committed, so the site fetches nothing at run time. The only
change made: the script's last line, a pointer to a source map that is not shipped, is left out
(a browser's developer tools would ask the site for it).

    python3 deploy/build_markercluster.py           # from the repository's root; needs npm
    python3 deploy/build_markercluster.py --check   # exit 1 if the committed files differ

To move to another version, change PACKAGE and INTEGRITY (npm view leaflet.markercluster@X
dist.integrity). tests/maps/test_vendored.py checks the committed files against SHA256.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

from npm_pinned import pinned_files  # deploy/npm_pinned.py, beside this script

PACKAGE = "leaflet.markercluster@1.5.3"
INTEGRITY = ("sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+"
             "NTRSEGfCSeA==")
FILES = {  # in the package -> in the static folder
    "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
    "package/dist/MarkerCluster.css": "MarkerCluster.css",
    "package/MIT-LICENCE.txt": "LICENCE.txt",
}
OUT = Path(__file__).resolve().parent.parent / "chapterhouse/static/vendor/markercluster"
# The committed files' SHA256, written by this script and checked by the test suite.
DIGESTS = OUT / "SHA256SUMS"


def fetch(folder: Path) -> dict[str, bytes]:
    packed = pinned_files(PACKAGE, INTEGRITY, list(FILES), folder)
    found = {FILES[name]: data for name, data in packed.items()}
    script = found["leaflet.markercluster.js"].decode()
    found["leaflet.markercluster.js"] = "\n".join(
        line for line in script.splitlines() if not line.startswith("//# sourceMappingURL")
    ).encode() + b"\n"
    return found


def sums(files: dict[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(files.items())).encode()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        files = fetch(Path(folder))
    if "--check" in sys.argv[1:]:
        differ = [name for name, data in files.items()
                  if not (OUT / name).exists() or (OUT / name).read_bytes() != data]
        if differ:
            sys.exit(f"differs from {PACKAGE}: {', '.join(differ)}")
        print(f"{OUT} is {PACKAGE}")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (OUT / name).write_bytes(data)
    DIGESTS.write_bytes(sums(files))
    print(f"wrote {len(files)} files of {PACKAGE} to {OUT}")


if __name__ == "__main__":
    main()
