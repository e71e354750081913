"""Stored month results (meetings.ChapterMonth) give exactly the verdicts, and the dashboard's
women's participation, that attendance gives: on the demo, and after random edits of every
kind the application makes (issue 12, item 4)."""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from chapterhouse.chapters.models import Chapter
from chapterhouse.domain import qualification
from chapterhouse.goals.snapshot import measure
from chapterhouse.meetings.models import Attendance, ChapterMonth, GuestAttendance, Meeting
from chapterhouse.meetings.months import meeting_records
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.verdicts.selectors import (
    chapter_standings,
    chapter_verdicts,
    chapter_verdicts_recomputed,
)
from tests.conftest import NEW_YORK, VIENNA, make_chapter, make_member

pytestmark = pytest.mark.django_db
AUCKLAND = 2193733
GENDERS = ["woman", "man", "nonbinary", "other", ""]


def recomputed_share(chapters, rule, on):
    """The dashboard's women's participation as it was computed before months were stored."""
    records = meeting_records([c.pk for c in chapters], until=on)
    months = set(qualification.window(on, rule.months))
    counted = attendees = 0
    for chapter in chapters:
        verdict = qualification.verdict(records[chapter.pk], rule, on, chapter.place.zone)
        if verdict.status is not qualification.Status.QUALIFYING:
            continue
        for record in records[chapter.pk]:
            local = record.start.astimezone(chapter.place.zone).date()
            if qualification.first_of_month(local) in months:
                count = qualification.count_meeting(record, rule)
                counted, attendees = counted + count.counted, attendees + count.attendees
    return counted, attendees


def assert_same(on_days, rule=None):
    rule = rule or Organization.objects.current().rule
    chapters = list(Chapter.objects.select_related("place"))
    for on in on_days:
        stored = chapter_verdicts(chapters, rule=rule, on=on)
        assert stored == chapter_verdicts_recomputed(chapters, rule=rule, on=on), on
        standings = chapter_standings(chapters, rule=rule, on=on)
        qualifying = [c for c in chapters if standings[c.pk].verdict.status == "qualifying"]
        assert (sum(standings[c.pk].counted for c in qualifying),
                sum(standings[c.pk].attendees for c in qualifying)) == recomputed_share(
                    chapters, rule, on)
    # No row was read from attendance: every chapter's rows hold for this rule.
    key = f"{rule.min_attendees}|{rule.share}|{','.join(sorted(rule.counted_genders))}"
    assert not ChapterMonth.objects.exclude(rule_key=key).exists()


def _meeting_time(rng):
    # Near month ends too: the chapter's zone decides the month.
    day = datetime.date(2013, 1, 1) + datetime.timedelta(days=rng.randrange(0, 455))
    hour = rng.choice([0, 1, 12, 22, 23])
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=datetime.UTC)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_keep_the_stored_months_true(organization, seed):
    rng = random.Random(seed)
    chapters = [make_chapter("Springfield", NEW_YORK), make_chapter("Vienna", VIENNA),
                make_chapter("Auckland", AUCKLAND)]
    members = [make_member(f"m{i}@example.org", f"M{i}", gender=rng.choice(GENDERS))
               for i in range(14)]
    meetings = [Meeting.objects.create(chapter=rng.choice(chapters), starts_at=_meeting_time(rng))
                for _ in range(25)]
    days = [datetime.date(2014, 2, 1), datetime.date(2013, 7, 1), datetime.date(2013, 10, 17)]
    for step in range(70):
        meetings = list(Meeting.objects.all())
        action = rng.randrange(9)
        meeting = rng.choice(meetings) if meetings else None
        if meeting is None or action == 0:
            Meeting.objects.create(chapter=rng.choice(chapters), starts_at=_meeting_time(rng))
        elif action in (1, 2, 3):
            for member in rng.sample(members, rng.randrange(1, 6)):
                Attendance.objects.get_or_create(meeting=meeting, member=member)
        elif action == 4:
            meeting.attendances.filter(pk__in=list(meeting.attendances.values_list(
                "pk", flat=True)[:rng.randrange(1, 3)])).delete()
        elif action == 5:
            GuestAttendance.objects.create(meeting=meeting, name="Guest",
                                           counts_toward_share=rng.random() < 0.5)
        elif action == 6:
            member = Member.objects.get(pk=rng.choice(members).pk)
            member.gender = rng.choice(GENDERS)
            member.save()
        elif action == 7:
            meeting.starts_at = _meeting_time(rng)
            if rng.random() < 0.3:
                meeting.chapter = rng.choice(chapters)
            meeting.save()
        else:
            meeting.delete()
        if step % 10 == 9:
            assert_same(days)
    organization.refresh_from_db()
    organization.min_attendees, organization.min_women_share = 3, Decimal("0.5")
    organization.counted_genders = ["woman", "nonbinary"]
    organization.save()
    assert_same(days, Organization.objects.current().rule)
    organization.qualifying_months = 2  # applied when read: no rebuild needed
    organization.save()
    assert_same(days, Organization.objects.current().rule)


def test_moving_a_chapter_to_another_zone_never_shows_the_old_months(organization):
    chapter = make_chapter("Springfield", NEW_YORK)
    members = [make_member(f"m{i}@example.org", f"M{i}", gender="woman") for i in range(5)]
    for month in (11, 12):
        meeting = Meeting.objects.create(chapter=chapter, starts_at=datetime.datetime(
            2013, month, 1, 3, tzinfo=datetime.UTC))  # the month before, in New York
        for member in members:
            Attendance.objects.create(meeting=meeting, member=member)
    from chapterhouse.places.models import Place

    chapter.place = Place.objects.from_gazetteer(VIENNA)
    chapter.save()
    assert ChapterMonth.objects.filter(chapter=chapter).exclude(
        zone="Europe/Vienna").exists()  # not rewritten yet...
    assert_same_days = [datetime.date(2014, 1, 1), datetime.date(2014, 2, 1)]
    chapters = [Chapter.objects.select_related("place").get(pk=chapter.pk)]
    rule = Organization.objects.current().rule
    for on in assert_same_days:  # ...but never shown
        assert chapter_verdicts(chapters, rule=rule, on=on) == chapter_verdicts_recomputed(
            chapters, rule=rule, on=on)
    assert ZoneInfo("Europe/Vienna") == chapters[0].place.zone


def test_the_rebuild_command_rewrites_every_month(organization, capsys):
    chapter = make_chapter("Springfield", NEW_YORK)
    member = make_member("m@example.org", "M", gender="woman")
    meeting = Meeting.objects.create(chapter=chapter, starts_at=datetime.datetime(
        2013, 12, 5, 18, tzinfo=datetime.UTC))
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member=member)])  # no signal
    assert ChapterMonth.objects.get(chapter=chapter).best_attendees == 0
    call_command("verdicts_rebuild")
    assert ChapterMonth.objects.get(chapter=chapter).best_attendees == 1
    assert "1 chapter(s), 1 month row(s) rebuilt." in capsys.readouterr().out


def test_measure_reads_the_stored_months(organization):
    chapter = make_chapter("Springfield", NEW_YORK)
    members = [make_member(f"m{i}@example.org", f"M{i}", gender="woman" if i < 2 else "man")
               for i in range(5)]
    for month in (11, 12, 1):
        year = 2013 if month > 1 else 2014
        meeting = Meeting.objects.create(chapter=chapter, starts_at=datetime.datetime(
            year, month, 10, 18, tzinfo=datetime.UTC))
        for member in members:
            Attendance.objects.create(meeting=meeting, member=member)
    snapshot = measure(organization, datetime.date(2014, 2, 1)).snapshot
    assert snapshot.chapters == 1
    assert snapshot.women_share == pytest.approx(0.4)
