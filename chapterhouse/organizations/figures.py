"""The version of the organization's figures: a token in the cache that every write of what
the dashboard's figures are made of replaces (members, memberships, chapters, meetings and
attendance through the stored months, the organization's rule and date).

Cached figures are stored under a key that includes the version (goals/snapshot.py), so a
write makes the next request compute them again, and a request that computed them from data
older than the write can only store them under the version nobody asks for any more. The
version is replaced twice: at the write, so that the writer's own transaction (its next read,
a test) sees new figures, and again when the transaction commits, because a request between the
write and the commit may have stored figures of the old data under the first new version.

A missing version (a fresh or cleared cache, an evicted key) gets a new random token, never a
number that could meet figures stored under it earlier.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "figures-version"


def figures_version() -> str:
    """The current version's token (one cache read; two the first time)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def figures_changed() -> None:
    """The figures' data changed: a new version now, and another once the transaction
    commits (module docstring)."""
    _replace()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_replace, robust=True)


def _replace() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
