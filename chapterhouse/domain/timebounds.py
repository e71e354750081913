"""Times stored at the very ends of the calendar (years 1 and 9999: old data, or the admin)
must still show: moving them into a zone or by a duration would overflow. Pure functions."""

from __future__ import annotations

import datetime


def local_time(at: datetime.datetime, zone: datetime.tzinfo) -> datetime.datetime:
    """`at` in `zone`; a time stored at the very ends of the calendar (years 1 and 9999, which
    old data or the admin may hold) stays in UTC rather than overflowing into year 0 or 10000."""
    try:
        return at.astimezone(zone)
    except OverflowError:
        return at.astimezone(datetime.UTC)


def moved(at: datetime.datetime, by: datetime.timedelta) -> datetime.datetime:
    """`at` + `by`, stopping at the end (or start) of the calendar instead of overflowing."""
    try:
        return at + by
    except OverflowError:
        if by > datetime.timedelta(0):
            return datetime.datetime.max.replace(tzinfo=at.tzinfo)
        return datetime.datetime.min.replace(tzinfo=at.tzinfo)

