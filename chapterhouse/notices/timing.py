"""When a digest is due (typed, no Django): the last morning slot at or before now."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo


def last_slot(now: datetime.datetime, zone: ZoneInfo, *, hour: int,
              weekday: int | None = None) -> datetime.datetime:
    """The latest moment <= now that is `hour`:00 in `zone` (on `weekday`, 0 = Monday, when
    given), in UTC. Entries written before it belong in the digest sent at it."""
    local = now.astimezone(zone)
    day = local.date()
    step = datetime.timedelta(days=1)
    if weekday is not None:
        day -= datetime.timedelta(days=(day.weekday() - weekday) % 7)
        step = datetime.timedelta(days=7)
    slot = datetime.datetime.combine(day, datetime.time(hour), tzinfo=zone)
    if slot > local:
        slot = datetime.datetime.combine(day - step, datetime.time(hour), tzinfo=zone)
    return slot.astimezone(datetime.UTC)
