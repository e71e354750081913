"""Dates as every page writes them, one format per kind, in the reader's language:

- a date: `{{ day|date:"DATE_FORMAT" }}` ("Feb. 1, 2014"; "1. Februar 2014");
- a date and time: `{{ moment|when_in_zone }}`, DATETIME_FORMAT followed by the zone it is
  shown in ("Feb. 1, 2014, noon (UTC)"), or `{{ moment|when_in_zone:zone }}` in another zone;
  templates that already name the zone beside it use `|date:"DATETIME_FORMAT"`;
- a time of day whose date is shown nearby: `|time:"TIME_FORMAT"`.

tests/core/test_dates.py keeps templates to these formats.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats, timezone

from chapterhouse.domain.timebounds import local_time

register = template.Library()


@register.filter(expects_localtime=True)
def when_in_zone(value: object, zone: str = "") -> str:
    """A date and time in the reader's format, with the zone it is shown in."""
    if not isinstance(value, datetime.datetime):
        return ""
    if zone:
        value = local_time(value, ZoneInfo(zone)).replace(tzinfo=None)
        name = zone
    else:
        name = timezone.get_current_timezone_name()
    return f"{formats.date_format(value, 'DATETIME_FORMAT')} ({name})"
