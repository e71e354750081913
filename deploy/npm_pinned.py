"""A file from an npm package at a pinned version, checked against its integrity hash: the
build scripts' one way to bring a JavaScript package's file into the site (deploy/build_*.py).
npm from the PATH, with fixed arguments: the registry's ordinary client, at build time only."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path


def pinned_files(package: str, integrity: str, names: list[str], folder: Path) -> dict[str, bytes]:
    """`names` (paths inside the tarball, "package/...") of `package` ("name@version"), read
    from a tarball whose sha512 is `integrity`; exits with a message otherwise."""
    command = ["npm", "pack", package, "--silent", "--pack-destination", str(folder)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    tarball = next(folder.glob("*.tgz"))
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != integrity:
        sys.exit(f"{package}: integrity {digest} is not the pinned {integrity}")
    found: dict[str, bytes] = {}
    with tarfile.open(tarball) as archive:
        for name in names:
            member = archive.extractfile(name)
            if member is None:
                sys.exit(f"{package} has no {name}")
            found[name] = member.read()
    return found
