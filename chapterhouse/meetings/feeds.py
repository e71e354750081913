"""iCal feeds of meetings: one per member (all their chapters) and one per chapter.

Calendar apps fetch feeds without a session, so each feed has a secret random token in its
address (CalendarFeed), regenerable when it leaks (services.feed_regenerate); which meetings a
feed has is selectors.feed_meetings. Events carry the chapter's zone as TZID
(with its VTIMEZONE), so a calendar shows them right in any zone and across DST changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from chapterhouse.domain.timebounds import local_time
from chapterhouse.meetings.models import Meeting


def calendar_ical(*, name: str, meetings: Iterable[Meeting], url_for: Callable[[Meeting], str],
                  stamp: datetime.datetime) -> bytes:
    """The meetings as an iCalendar document; `url_for(meeting)` gives each one's page."""
    calendar = Calendar()
    calendar.add("prodid", "-//Chapterhouse//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        zone = meeting.chapter.place.zone
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@chapterhouse")
        event.add("dtstamp", stamp.astimezone(datetime.UTC))
        event.add("dtstart", local_time(meeting.starts_at, zone))
        event.add("dtend", local_time(meeting.ends_at, zone))
        event.add("summary", _("%(chapter)s: %(title)s")
                  % {"chapter": meeting.chapter.name, "title": meeting.title or _("Meeting")})
        if meeting.venue:
            event.add("location", meeting.venue)
        event.add("url", url_for(meeting))
        if meeting.cancelled_at is not None:  # calendars strike it through or drop it
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
