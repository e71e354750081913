"""The engagement ladder and its follow-ups (domain/engagement.py): the boundaries of 14 days,
48 hours and 3 months, and when a person leaves the queue."""

from __future__ import annotations

import datetime

from chapterhouse.domain.engagement import (
    History,
    Need,
    Rung,
    arrival,
    follow_ups,
    is_regular,
    lapsed,
    no_show,
    rung,
    welcome_due,
)

UTC = datetime.UTC
TODAY = datetime.date(2014, 2, 1)
NOW = datetime.datetime(2014, 2, 1, 12, tzinfo=UTC)  # a demo clock's noon
D = datetime.date


def arrived(days: int = 0, hours: int = 0) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days, hours=hours)


def test_new_lasts_fourteen_days_counting_the_day_of_joining():
    joined_13_days_ago = History(arrived_at=datetime.datetime(2014, 1, 19, tzinfo=UTC))
    joined_14_days_ago = History(arrived_at=datetime.datetime(2014, 1, 18, 23, 59, tzinfo=UTC))
    assert rung(joined_13_days_ago, today=TODAY) == Rung.NEW
    assert rung(joined_14_days_ago, today=TODAY) == Rung.NOT_REACHED


def test_a_welcome_is_due_at_exactly_48_hours_not_a_minute_before():
    just = History(arrived_at=arrived(hours=48))
    almost = History(arrived_at=arrived(hours=48) + datetime.timedelta(minutes=1))
    assert welcome_due(just, now=NOW, today=TODAY).need == Need.WELCOME
    assert welcome_due(almost, now=NOW, today=TODAY) is None


def test_a_welcome_or_a_first_meeting_takes_the_person_off_the_queue():
    waiting = History(arrived_at=arrived(days=5))
    assert welcome_due(waiting, now=NOW, today=TODAY) is not None
    welcomed = History(arrived_at=arrived(days=5), talked=(TODAY,))
    came = History(arrived_at=arrived(days=5), attended=(D(2014, 1, 30),))
    assert welcome_due(welcomed, now=NOW, today=TODAY) is None
    assert welcome_due(came, now=NOW, today=TODAY) is None
    assert rung(welcomed, today=TODAY) == Rung.WELCOMED
    assert rung(came, today=TODAY) == Rung.ATTENDED


def test_the_queue_stops_asking_for_a_welcome_after_sixty_days():
    assert welcome_due(History(arrived_at=arrived(days=59)), now=NOW, today=TODAY) is not None
    assert welcome_due(History(arrived_at=arrived(days=60)), now=NOW, today=TODAY) is None


def test_core_people_are_core_and_never_followed_up():
    core = History(arrived_at=arrived(days=3), core=True, said_yes=(D(2014, 1, 14),))
    assert rung(core, today=TODAY) == Rung.CORE
    assert follow_ups(core, held=[D(2014, 1, 14)], now=NOW, today=TODAY) == []


def test_regular_means_each_of_the_last_three_calendar_months():
    # On 1 February: November, December and January...
    assert is_regular([D(2013, 11, 30), D(2013, 12, 1), D(2014, 1, 31)], TODAY)
    # ... or February (already) with December and January.
    assert is_regular([D(2013, 12, 10), D(2014, 1, 10), D(2014, 2, 1)], TODAY)
    # A gap of one month is not regular, nor are two months.
    assert not is_regular([D(2013, 10, 10), D(2013, 12, 10), D(2014, 1, 10)], TODAY)
    assert not is_regular([D(2013, 12, 10), D(2014, 1, 10)], TODAY)
    # October to December, nothing in January yet: no longer regular on 1 February.
    assert not is_regular([D(2013, 10, 10), D(2013, 11, 10), D(2013, 12, 10)], TODAY)
    history = History(arrived_at=arrived(days=200),
                      attended=(D(2013, 11, 30), D(2013, 12, 1), D(2014, 1, 31)))
    assert rung(history, today=TODAY) == Rung.REGULAR


def test_a_yes_without_coming_is_a_no_show_until_they_come_or_someone_talks_with_them():
    said_yes = History(arrived_at=arrived(days=300), attended=(D(2013, 12, 11),),
                       said_yes=(D(2014, 1, 15),))
    found = no_show(said_yes, today=TODAY)
    assert (found.need, found.since, found.reason.params["count"]) == (
        Need.NO_SHOW, D(2014, 1, 15), 1)
    came_back = History(arrived_at=arrived(days=300), attended=(D(2014, 1, 29),),
                        said_yes=(D(2014, 1, 15),))
    talked = History(arrived_at=arrived(days=300), said_yes=(D(2014, 1, 15),),
                     talked=(D(2014, 1, 20),))
    talked_before = History(arrived_at=arrived(days=300), said_yes=(D(2014, 1, 15),),
                            talked=(D(2014, 1, 10),))
    assert no_show(came_back, today=TODAY) is None
    assert no_show(talked, today=TODAY) is None
    assert no_show(talked_before, today=TODAY) is not None
    assert no_show(History(arrived_at=arrived(days=300), said_yes=(D(2013, 11, 2),)),
                   today=TODAY) is None  # older than 90 days


def test_a_regular_who_missed_two_months_of_meetings_has_lapsed():
    regular_until_october = History(arrived_at=arrived(days=300),
                                    attended=(D(2013, 8, 8), D(2013, 9, 12), D(2013, 10, 10)))
    held = [D(2013, 8, 8), D(2013, 9, 12), D(2013, 10, 10), D(2013, 11, 14)]
    assert lapsed(regular_until_october, held=held, today=TODAY) is None  # one month missed
    held.append(D(2013, 12, 12))
    found = lapsed(regular_until_october, held=held, today=TODAY)
    assert (found.need, found.since, found.reason.params["months"]) == (
        Need.LAPSED, D(2013, 11, 14), 2)
    # A month without a meeting is not a month missed.
    assert lapsed(regular_until_october, held=held[:4], today=TODAY) is None
    # Someone who came now and then was never a regular.
    now_and_then = History(arrived_at=arrived(days=300), attended=(D(2013, 8, 8),
                                                                  D(2013, 10, 10)))
    assert lapsed(now_and_then, held=held, today=TODAY) is None
    # A conversation after the first missed meeting takes them off.
    talked = History(arrived_at=arrived(days=300), attended=regular_until_october.attended,
                     talked=(D(2013, 12, 20),))
    assert lapsed(talked, held=held, today=TODAY) is None


def test_arrival_is_the_written_moment_when_it_falls_on_the_day_joined():
    written = datetime.datetime(2014, 1, 30, 15, 30, tzinfo=UTC)
    assert arrival(D(2014, 1, 30), written) == written
    # A history given as dates only (the demo, an import) starts at the day's start.
    assert arrival(D(2014, 1, 30), datetime.datetime(2026, 12, 3, tzinfo=UTC)) == (
        datetime.datetime(2014, 1, 30, tzinfo=UTC))
