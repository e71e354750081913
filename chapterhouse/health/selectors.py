"""The health checks behind /healthz: each is cheap (one or two indexed queries, one cache
round trip) and says only whether its part works, never a secret."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import connection

from chapterhouse.jobs.selectors import queue_lag


def database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return bool(cursor.fetchone() == (1,))


def cache_answers() -> bool:
    """A value set is read back: rate limits need a cache every process shares."""
    token = secrets.token_hex(8)
    cache.set("healthz", token, timeout=30)
    return bool(cache.get("healthz") == token)


def queue_lag_seconds() -> float:
    """How long the oldest work that is due has waited to start, in seconds (0: none waits):
    tasks ready and due, and outbox messages due for delivery (jobs.selectors.queue_lag)."""
    lag = queue_lag()
    return lag.total_seconds() if lag is not None else 0.0
