"""The organization's "now": the real clock, or a fixed moment when figures are shown as of a date.

The demo is set on 1 February 2014 (Organization.figures_as_of); upcoming meetings, RSVPs and
reminders must agree with the dashboard about what "now" is, so they all ask here. The fixed
moment is noon UTC of that date, so a meeting that evening anywhere is still upcoming.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from chapterhouse.organizations.models import Organization

AS_OF_TIME = datetime.time(12, 0)


def now(organization: Organization | None = None) -> datetime.datetime:
    organization = organization or Organization.objects.current()
    if organization.figures_as_of is None:
        return timezone.now()
    return datetime.datetime.combine(organization.figures_as_of, AS_OF_TIME, tzinfo=datetime.UTC)
