"""The health warning's rule (domain/risk.py), pure: who is at risk, and why."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from chapterhouse.domain.qualification import MeetingCount, MonthCheck, Rule
from chapterhouse.domain.risk import Code, days_left, risk

RULE = Rule()  # 5 attendees, 30% women, 3 months
UTC = ZoneInfo("UTC")


def month(year: int, number: int, *, attendees: int = 6, counted: int = 3, guests: int = 0,
          start: datetime.datetime | None = None) -> MonthCheck:
    first = datetime.date(year, number, 1)
    start = start or datetime.datetime(year, number, 2, 18, tzinfo=datetime.UTC)
    best = MeetingCount("m", start, attendees, counted, guests)
    enough = attendees >= RULE.min_attendees
    women = attendees > 0 and counted / attendees >= 0.3
    return MonthCheck(first, 1, best, enough, women)


def qualifying_until(year: int, number: int) -> dict:
    """Passing months for the three months before (year, number)."""
    checks = {}
    first = datetime.date(year, number, 1)
    for _ in range(3):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        checks[first] = month(first.year, first.month)
    return checks


def at(y: int, m: int, d: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(y, m, d, hour, tzinfo=datetime.UTC)


def test_days_left_count_today():
    assert days_left(datetime.date(2013, 12, 31)) == 1
    assert days_left(datetime.date(2013, 12, 25)) == 7
    assert days_left(datetime.date(2016, 2, 23)) == 7  # a leap year's February
    assert days_left(datetime.date(2014, 2, 1)) == 28


def test_warned_when_n_days_or_fewer_are_left():
    checks = qualifying_until(2013, 12)
    assert risk(checks, RULE, now=at(2013, 12, 24), zone=UTC, days=7) is None  # 8 left
    found = risk(checks, RULE, now=at(2013, 12, 25), zone=UTC, days=7)
    assert found is not None
    assert found.codes == (Code.MONTH_ENDING,)
    assert found.days_left == 7
    assert found.qualifying
    assert found.month == datetime.date(2013, 12, 1)
    assert found.reasons[0].params == {"month": "2013-12", "days_left": 7, "qualifying": True}
    last = risk(checks, RULE, now=at(2013, 12, 31, 23), zone=UTC, days=1)
    assert last is not None
    assert last.days_left == 1


def test_the_chapters_zone_decides_the_day_and_the_month():
    # 31 January 2014, 20:00 UTC: still 31 January in New York, already 1 February in Auckland.
    now = at(2014, 1, 31, 20)
    new_york = risk(qualifying_until(2014, 1), RULE, now=now,
                    zone=ZoneInfo("America/New_York"), days=3)
    assert new_york is not None
    assert new_york.days_left == 1
    assert new_york.month == datetime.date(2014, 1, 1)
    # In Auckland January is over: February is at stake, with 28 days left.
    auckland = ZoneInfo("Pacific/Auckland")
    assert risk(qualifying_until(2014, 2), RULE, now=now, zone=auckland, days=3) is None
    # ... and January's months no longer decide: November to January must have passed.
    assert risk(qualifying_until(2014, 1), RULE, now=now, zone=auckland, days=28) is None
    found = risk(qualifying_until(2014, 2), RULE, now=now, zone=auckland, days=28)
    assert found is not None
    assert found.month == datetime.date(2014, 2, 1)


def test_a_chapter_that_already_met_the_rule_this_month_is_not_at_risk():
    checks = qualifying_until(2013, 12)
    checks[datetime.date(2013, 12, 1)] = month(2013, 12)
    assert risk(checks, RULE, now=at(2013, 12, 30), zone=UTC, days=28) is None


def test_a_meeting_short_of_five_warns_whatever_the_days_left():
    checks = qualifying_until(2014, 2)
    checks[datetime.date(2014, 2, 1)] = month(2014, 2, attendees=4, counted=2,
                                              start=at(2014, 2, 1, 9))
    found = risk(checks, RULE, now=at(2014, 2, 1), zone=UTC, days=7)
    assert found is not None
    assert found.codes == (Code.SHORT_ATTENDEES,)
    assert found.reasons[0].params == {"month": "2014-02", "attendees": 4, "needed": 5}
    both = risk(checks, RULE, now=at(2014, 2, 1), zone=UTC, days=28)
    assert both is not None
    assert both.codes == (Code.MONTH_ENDING, Code.SHORT_ATTENDEES)


def test_a_meeting_to_come_or_without_attendance_has_not_fallen_short():
    checks = qualifying_until(2014, 2)
    checks[datetime.date(2014, 2, 1)] = month(2014, 2, attendees=0, counted=0,
                                              start=at(2014, 2, 20))
    assert risk(checks, RULE, now=at(2014, 2, 1), zone=UTC, days=7) is None
    checks[datetime.date(2014, 2, 1)] = month(2014, 2, attendees=4, counted=2,
                                              start=at(2014, 2, 1, 19))  # tonight
    assert risk(checks, RULE, now=at(2014, 2, 1), zone=UTC, days=7) is None


def test_short_of_the_womens_share_says_no_figure_of_women():
    checks = qualifying_until(2014, 2)
    checks[datetime.date(2014, 2, 1)] = month(2014, 2, attendees=10, counted=2,
                                              start=at(2014, 2, 1, 9))
    found = risk(checks, RULE, now=at(2014, 2, 1), zone=UTC, days=7)
    assert found is not None
    assert found.codes == (Code.SHORT_WOMEN,)
    assert found.reasons[0].params == {"month": "2014-02", "needs_share": 0.3}


def test_a_group_too_small_without_its_guests_says_nothing_of_its_women():
    # Five attendees, three of them guests: two members, below the disclosure minimum.
    checks = qualifying_until(2014, 2)
    checks[datetime.date(2014, 2, 1)] = month(2014, 2, attendees=5, counted=0, guests=3,
                                              start=at(2014, 2, 1, 9))
    found = risk(checks, RULE, now=at(2014, 2, 1), zone=UTC, days=7)
    assert found is not None
    assert found.codes == (Code.SHORT,)
    assert found.reasons[0].params == {"month": "2014-02"}


def test_only_chapters_whose_status_this_month_decides():
    lapsing = qualifying_until(2014, 2)
    del lapsing[datetime.date(2014, 1, 1)]  # January failed: lapsed next month whatever
    assert risk(lapsing, RULE, now=at(2014, 2, 25), zone=UTC, days=7) is None
    # December and January passed, November did not: February would make it qualify.
    forming = qualifying_until(2014, 2)
    del forming[datetime.date(2013, 11, 1)]
    found = risk(forming, RULE, now=at(2014, 2, 25), zone=UTC, days=7)
    assert found is not None
    assert not found.qualifying
    assert risk({}, RULE, now=at(2014, 2, 25), zone=UTC, days=7) is None
    one_month = Rule(months=1)
    assert risk({}, one_month, now=at(2014, 2, 25), zone=UTC, days=7) is None
    assert risk({datetime.date(2014, 1, 1): month(2014, 1)}, one_month, now=at(2014, 2, 25),
                zone=UTC, days=7) is not None


def test_the_warning_period_is_bounded():
    with pytest.raises(ValueError, match="between 1 and 28"):
        risk({}, RULE, now=at(2014, 2, 1), zone=UTC, days=0)
    with pytest.raises(ValueError, match="between 1 and 28"):
        risk({}, RULE, now=at(2014, 2, 1), zone=UTC, days=29)
    with pytest.raises(ValueError, match="aware"):
        risk({}, RULE, now=datetime.datetime(2014, 2, 1), zone=UTC, days=7)
