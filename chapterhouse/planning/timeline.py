"""Dates: when a new chapter must start meeting to count by a deadline, and when it can start.

The qualification rule looks at the last `months` whole calendar months before a date D: a
chapter counts on D when it met (well enough) in each of them. So a chapter that starts meeting
on day S has its first whole month at S's month when S is the 1st, else the month after, and
first counts on the 1st of the month `months` months after that.

start_by(deadline) is the 1st of the month `months` whole months before the deadline's month
(deadline 2014-07-01 or 2014-07-15, 3 months: 2014-04-01): a chapter counts by the deadline if
and only if it starts meeting on or before that day.

An organizer spends `hours_per_chapter` hours building each chapter before it meets, at
`hours_per_week`: their j-th chapter (j = 1, 2, ...) starts j * hours_per_chapter /
hours_per_week weeks after today (rounded to whole days), and they can build as many as fit in
the months they give (a month is 52/12 weeks).
"""

from __future__ import annotations

import datetime
import math

from chapterhouse.domain.qualification import add_months

WEEKS_PER_MONTH = 52 / 12


def start_by(deadline: datetime.date, months: int = 3) -> datetime.date:
    return add_months(deadline, -months)


def first_counts_on(start: datetime.date, months: int = 3) -> datetime.date:
    """The first day a chapter that starts meeting on `start` can count."""
    first_whole = start.replace(day=1) if start.day == 1 else add_months(start, 1)
    return add_months(first_whole, months)


def counts_by(start: datetime.date, deadline: datetime.date, months: int = 3) -> bool:
    return first_counts_on(start, months) <= deadline


def capacity(hours_per_week: float, months: float, hours_per_chapter: float = 80.0) -> int:
    """Chapters an organizer can build: 15 h/week for 4 months at 80 h each is 3."""
    if hours_per_week <= 0 or months <= 0:
        return 0
    return math.floor(hours_per_week * months * WEEKS_PER_MONTH / hours_per_chapter + 1e-9)


def organizer_starts(today: datetime.date, hours_per_week: float, months: float,
                     hours_per_chapter: float = 80.0) -> list[datetime.date]:
    """Start dates of an organizer's chapters, one per unit of capacity, in order."""
    weeks_each = hours_per_chapter / hours_per_week if hours_per_week > 0 else math.inf
    return [today + datetime.timedelta(days=round(7 * j * weeks_each))
            for j in range(1, capacity(hours_per_week, months, hours_per_chapter) + 1)]
