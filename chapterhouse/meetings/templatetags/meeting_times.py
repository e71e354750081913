"""A meeting's time for the reader: in their own zone, with the chapter's time beside it."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template

from chapterhouse.domain.timebounds import local_time

register = template.Library()


@register.inclusion_tag("meetings/when.html")
def when(at: datetime.datetime, chapter_zone: str,
         viewer_zone: str | None = None) -> dict[str, Any]:
    viewer_zone = viewer_zone or chapter_zone
    # Converted here, not with the `timezone` filter, which overflows on a time stored at the
    # calendar's ends; naive, so the template does not convert them again.
    return {"iso": at.isoformat(), "chapter_zone": chapter_zone, "viewer_zone": viewer_zone,
            "mine": local_time(at, ZoneInfo(viewer_zone)).replace(tzinfo=None),
            "theirs": local_time(at, ZoneInfo(chapter_zone)).replace(tzinfo=None)}


@register.filter
def in_zone(at: object, zone: datetime.tzinfo | str) -> datetime.datetime | str:
    """Django's `timezone` filter, except that a time stored at the calendar's ends stays in UTC
    instead of raising; naive, so `date` does not convert it again."""
    if not isinstance(at, datetime.datetime):
        return ""
    zone = zone if isinstance(zone, datetime.tzinfo) else ZoneInfo(str(zone))
    return local_time(at, zone).replace(tzinfo=None)
