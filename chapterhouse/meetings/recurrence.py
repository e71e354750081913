"""Monthly meeting dates ("the 2nd Tuesday", "the last Thursday") and local times made UTC.

Pure and typed: no database, no Django. python-dateutil's rrule could do the dates, but it is
only a transitive dependency here, and these forty lines are easier to test than to pin it.
"""

from __future__ import annotations

import calendar
import datetime
from zoneinfo import ZoneInfo

LAST = -1


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date | None:
    """The nth (1-5, or LAST) `weekday` (0 = Monday) of a month; None if it has no 5th."""
    days = [week[weekday] for week in calendar.monthcalendar(year, month) if week[weekday]]
    if nth == LAST:
        return datetime.date(year, month, days[-1])
    if 1 <= nth <= len(days):
        return datetime.date(year, month, days[nth - 1])
    return None


def position_in_month(day: datetime.date) -> int:
    """Which occurrence of its weekday `day` is: 1 for the first Tuesday, ... up to 5."""
    return (day.day - 1) // 7 + 1


def is_last_in_month(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=7)).month != day.month


def monthly_dates(first: datetime.date, count: int, *, last: bool = False) -> list[datetime.date]:
    """`count` dates on the same weekday position as `first`, one a month, starting with it.

    A 5th weekday (`last=False`) skips the months that have none rather than drifting.
    """
    if count < 1:
        return []
    nth = LAST if last else position_in_month(first)
    dates: list[datetime.date] = []
    year, month = first.year, first.month
    while len(dates) < count:
        day = nth_weekday(year, month, first.weekday(), nth)
        if day is not None and day >= first:
            dates.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def local_problem(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> str | None:
    """'gap' when the local time does not exist that day (clocks jump forward over it),
    'ambiguous' when it happens twice (clocks fall back), else None."""
    early = datetime.datetime.combine(day, time, tzinfo=zone)
    late = early.replace(fold=1)
    if early.utcoffset() == late.utcoffset():
        return None
    roundtrip = early.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    return "gap" if roundtrip != early.replace(tzinfo=None) else "ambiguous"


def to_utc(day: datetime.date, time: datetime.time, zone: ZoneInfo) -> datetime.datetime:
    """A wall-clock time in `zone` as an aware UTC datetime (the first one when ambiguous)."""
    return datetime.datetime.combine(day, time, tzinfo=zone).astimezone(datetime.UTC)
