"""iCal feeds of meetings: one per member (all their chapters) and one per chapter.

Calendar apps fetch feeds without a session, so each feed has a secret random token in its
address (CalendarFeed), regenerable when it leaks. Events carry the chapter's zone as TZID
(with its VTIMEZONE), so a calendar shows them right in any zone and across DST changes.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.meetings.models import CalendarFeed, Meeting, new_feed_token
from chapterhouse.timebounds import local_time

HISTORY = datetime.timedelta(days=90)  # recent past meetings stay in the calendar


def feed_for_member(member) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(member=member)[0]


def feed_for_chapter(chapter: Chapter) -> CalendarFeed:
    return CalendarFeed.objects.get_or_create(chapter=chapter)[0]


def feed_regenerate(*, feed: CalendarFeed) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    with transaction.atomic():
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


def member_chapter_ids(member, on: datetime.date) -> list[int]:
    """Chapters whose meetings concern a member: those they belong to or coordinate."""
    current = ChapterMembership.objects.current(on).filter(member=member).values("chapter_id")
    return list(Chapter.objects.filter(Q(pk__in=current) | Q(coordinators=member))
                .values_list("pk", flat=True).distinct())


def feed_meetings(feed: CalendarFeed, now: datetime.datetime) -> QuerySet[Meeting]:
    if feed.chapter_id is not None:
        chapter_ids = [feed.chapter_id]
    else:
        chapter_ids = member_chapter_ids(feed.member, now.date())
    return (Meeting.objects.filter(chapter_id__in=chapter_ids, starts_at__gte=now - HISTORY)
            .select_related("chapter__place").order_by("starts_at"))


def calendar_ical(*, name: str, meetings: QuerySet[Meeting] | list[Meeting],
                  url_for, stamp: datetime.datetime) -> bytes:
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
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
