"""Measure the organization on a day: the numbers the goals are checked against."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import members_unaffiliated
from chapterhouse.domain import qualification
from chapterhouse.domain.qualification import Verdict
from chapterhouse.goals.progress import Snapshot
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import Standing, chapter_standings


@dataclass(frozen=True)
class ChapterRow:
    chapter: Chapter
    standing: Standing

    @property
    def status(self) -> qualification.Status:
        return self.standing.status

    @property
    def verdict(self) -> Verdict:  # built when first asked for
        return self.standing.verdict

    @property
    def at_risk(self) -> bool:  # qualifying, with no passing meeting yet this month
        return self.standing.at_risk


@dataclass(frozen=True)
class Measurement:
    snapshot: Snapshot
    chapters: list[ChapterRow]
    countries: int
    unaffiliated: int
    members_without_city: int


def measure(organization: Organization, on: datetime.date | None = None) -> Measurement:
    """Members, qualifying chapters, continents and women's participation on `on`: the
    chapters' stored months (verdicts.selectors.chapter_standings), never their attendance."""
    on = on or organization.today
    rule = organization.rule
    members = Member.objects.filter(is_active=True, joined_on__lte=on)
    chapters = list(
        Chapter.objects.filter(founded_on__lte=on).select_related("place").order_by("name")
    )
    standings = chapter_standings(chapters, rule=rule, on=on)
    rows, continents, counted, attendees = [], set(), 0, 0
    for chapter in chapters:
        standing = standings[chapter.pk]
        rows.append(ChapterRow(chapter, standing))
        if standing.status is qualification.Status.QUALIFYING:
            continents.add(chapter.place.continent_code)
            counted, attendees = counted + standing.counted, attendees + standing.attendees
    qualifying = sum(1 for r in rows if r.status is qualification.Status.QUALIFYING)
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
