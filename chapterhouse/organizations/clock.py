"""The organization's "now": the real clock, or a fixed moment when figures are shown as of a date.

One clock for every part of the product (issue 11): the dashboard, meetings, RSVPs, reminders,
polls, join requests and invitations all ask the organization's clock, so a demo fixed on
1 February 2014 never mixes its date with today's. The fixed moment is noon UTC of that date, so
a meeting that evening anywhere is still upcoming.

Infrastructure times are not the organization's: when a row was written (audit entries, the
outbox, task schedules, rate limits, token expiry) is always the real time.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

if TYPE_CHECKING:
    from chapterhouse.organizations.models import Organization

AS_OF_TIME = datetime.time(12, 0)


@dataclass(frozen=True)
class Clock:
    """Real time when `fixed_on` is None; else noon UTC of that day, always."""

    fixed_on: datetime.date | None = None

    @property
    def is_fixed(self) -> bool:
        return self.fixed_on is not None

    def now(self) -> datetime.datetime:
        if self.fixed_on is None:
            return timezone.now()
        return datetime.datetime.combine(self.fixed_on, AS_OF_TIME, tzinfo=datetime.UTC)

    def today(self) -> datetime.date:
        return self.fixed_on or timezone.localdate()


def now(organization: Organization | None = None) -> datetime.datetime:
    """The organization's now (the current organization's when none is given)."""
    if organization is None:
        from chapterhouse.organizations.models import Organization

        organization = Organization.objects.current()
    return organization.clock.now()
