import datetime

import pytest

from chapterhouse.planning.rule import Rule, suggested_size
from chapterhouse.planning.timeline import (
    capacity,
    counts_by,
    first_counts_on,
    organizer_starts,
    start_by,
)

D = datetime.date


@pytest.mark.parametrize(("rate", "size"), [(1.0, 5), (0.6, 9), (0.5, 10), (0.7, 8), (0.9, 6)])
def test_suggested_size_is_ceil_of_attendees_over_rate(rate, size):
    assert suggested_size(rate) == size


def test_suggested_size_rejects_rates_outside_zero_to_one():
    with pytest.raises(ValueError, match="attendance rate"):
        suggested_size(0.0)
    with pytest.raises(ValueError, match="attendance rate"):
        suggested_size(1.2)


def test_a_core_of_five_needs_two_women_and_ten_need_three():
    rule = Rule()
    assert rule.core_women == 2
    assert rule.min_women(10) == 3
    assert rule.is_valid(10, 3)
    assert not rule.is_valid(11, 3)


def test_start_by_is_the_first_of_the_month_three_months_before_the_deadline_month():
    assert start_by(D(2014, 7, 1)) == D(2014, 4, 1)
    assert start_by(D(2014, 7, 15)) == D(2014, 4, 1)
    assert start_by(D(2014, 2, 1)) == D(2013, 11, 1)


def test_a_chapter_starting_on_the_first_counts_three_months_later():
    assert first_counts_on(D(2014, 4, 1)) == D(2014, 7, 1)
    assert first_counts_on(D(2014, 4, 2)) == D(2014, 8, 1)
    assert counts_by(D(2014, 4, 1), D(2014, 7, 1))
    assert not counts_by(D(2014, 4, 2), D(2014, 7, 1))


def test_counting_by_the_deadline_is_starting_by_start_by():
    deadline = D(2014, 7, 20)
    for offset in range(0, 200, 3):
        start = D(2014, 1, 1) + datetime.timedelta(days=offset)
        assert counts_by(start, deadline) == (start <= start_by(deadline))


def test_fifteen_hours_for_four_months_builds_three_chapters():
    assert capacity(15, 4) == 3
    assert capacity(10, 3) == 1
    assert capacity(20, 5) == 5
    assert capacity(0, 5) == 0


def test_an_organizers_chapters_start_one_ramp_apart():
    starts = organizer_starts(D(2014, 2, 1), 20, 4)  # 80 h at 20 h/week: 4 weeks each
    assert starts == [D(2014, 3, 1), D(2014, 3, 29), D(2014, 4, 26), D(2014, 5, 24)]
