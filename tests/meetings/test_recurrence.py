"""Monthly dates and wall-clock times: pure rules, no database."""

import datetime
from zoneinfo import ZoneInfo

from chapterhouse.meetings.recurrence import (
    LAST,
    is_last_in_month,
    local_problem,
    monthly_dates,
    nth_weekday,
    position_in_month,
    to_utc,
)

NEW_YORK = ZoneInfo("America/New_York")
TUESDAY = 1


def test_the_second_tuesday_of_march_2014_is_the_11th():
    assert nth_weekday(2014, 3, TUESDAY, 2) == datetime.date(2014, 3, 11)


def test_the_last_friday_and_a_missing_fifth_friday():
    assert nth_weekday(2014, 2, 4, LAST) == datetime.date(2014, 2, 28)
    assert nth_weekday(2014, 2, 4, 5) is None


def test_a_monthly_series_keeps_the_weekday_position():
    days = monthly_dates(datetime.date(2014, 2, 11), 4)
    assert days == [datetime.date(2014, 2, 11), datetime.date(2014, 3, 11),
                    datetime.date(2014, 4, 8), datetime.date(2014, 5, 13)]
    assert all(d.weekday() == TUESDAY and position_in_month(d) == 2 for d in days)


def test_a_fifth_weekday_series_skips_months_without_one():
    days = monthly_dates(datetime.date(2014, 1, 29), 3)  # the 5th Wednesday
    assert days == [datetime.date(2014, 1, 29), datetime.date(2014, 4, 30),
                    datetime.date(2014, 7, 30)]


def test_a_last_weekday_series_crosses_the_year():
    first = datetime.date(2014, 11, 27)
    assert is_last_in_month(first)
    assert monthly_dates(first, 3, last=True) == [
        first, datetime.date(2014, 12, 25), datetime.date(2015, 1, 29)]


def test_no_dates_for_no_occurrences():
    assert monthly_dates(datetime.date(2014, 2, 11), 0) == []


def test_seven_in_the_evening_in_new_york_is_utc_midnight_in_winter_and_23_in_summer():
    assert to_utc(datetime.date(2014, 2, 11), datetime.time(19), NEW_YORK) == datetime.datetime(
        2014, 2, 12, 0, tzinfo=datetime.UTC)
    assert to_utc(datetime.date(2014, 4, 8), datetime.time(19), NEW_YORK) == datetime.datetime(
        2014, 4, 8, 23, tzinfo=datetime.UTC)


def test_a_time_skipped_by_the_clocks_is_a_gap_and_a_repeated_one_is_ambiguous():
    assert local_problem(datetime.date(2014, 3, 9), datetime.time(2, 30), NEW_YORK) == "gap"
    assert local_problem(datetime.date(2014, 11, 2), datetime.time(1, 30),
                         NEW_YORK) == "ambiguous"
    assert local_problem(datetime.date(2014, 3, 9), datetime.time(19), NEW_YORK) is None
