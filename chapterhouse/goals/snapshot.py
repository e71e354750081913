"""Measure the organization on a day: the numbers the goals are checked against."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import MeetingRecord, Rule, Verdict
from chapterhouse.domain.timebounds import local_time
from chapterhouse.goals.progress import Snapshot
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import meeting_records


@dataclass(frozen=True)
class ChapterRow:
    chapter: Chapter
    verdict: Verdict


@dataclass(frozen=True)
class Measurement:
    snapshot: Snapshot
    chapters: list[ChapterRow]
    countries: int
    unaffiliated: int
    members_without_city: int


def women_share(records: list[MeetingRecord], rule: Rule, zone: ZoneInfo, on: datetime.date
                ) -> tuple[int, int]:
    """(counted, attendees) over the meetings of the rule's window: distinct per meeting."""
    months = set(qualification.window(on, rule.months))
    counted = attendees = 0
    for record in records:
        if qualification.first_of_month(local_time(record.start, zone).date()) in months:
            count = qualification.count_meeting(record, rule)
            counted += count.counted
            attendees += count.attendees
    return counted, attendees


def measure(organization: Organization, on: datetime.date | None = None) -> Measurement:
    """Members, qualifying chapters, continents and women's participation on `on`."""
    on = on or organization.today
    rule = organization.rule
    members = Member.objects.filter(is_active=True, joined_on__lte=on)
    chapters = list(
        Chapter.objects.filter(founded_on__lte=on).select_related("place").order_by("name")
    )
    records = meeting_records(chapters, until=on)
    rows, continents, counted, attendees = [], set(), 0, 0
    for chapter in chapters:
        verdict = qualification.verdict(records[chapter.pk], rule, on, chapter.place.zone)
        rows.append(ChapterRow(chapter, verdict))
        if verdict.status is qualification.Status.QUALIFYING:
            continents.add(chapter.place.continent_code)
            c, a = women_share(records[chapter.pk], rule, chapter.place.zone, on)
            counted, attendees = counted + c, attendees + a
    qualifying = sum(1 for r in rows if r.verdict.status is qualification.Status.QUALIFYING)
    snapshot = Snapshot(
        on=on,
        started=organization.founded_on,
        members=members.count(),
        chapters=qualifying,
        continents=len(continents),
        women_share=counted / attendees if attendees else None,
    )
    return Measurement(
        snapshot=snapshot,
        chapters=rows,
        countries=members.exclude(place=None).values("place__country_code").distinct().count(),
        unaffiliated=members_unaffiliated(members, on).count(),
        members_without_city=members.filter(place=None).count(),
    )
