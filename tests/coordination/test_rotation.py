"""The rotation of a recurring call: nobody always gets the inconvenient hour."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.coordination.rotation import inconvenience, is_inconvenient, rotate

NEW_YORK, LONDON, MELBOURNE = (ZoneInfo(z) for z in
                               ("America/New_York", "Europe/London", "Australia/Melbourne"))


def utc(hour: int, day: int = 11) -> datetime.datetime:
    return datetime.datetime(2014, 2, day, hour, tzinfo=datetime.UTC)


def test_eight_is_convenient_and_twenty_two_is_not():
    assert not is_inconvenient(utc(13), NEW_YORK)  # 08:00 EST
    assert is_inconvenient(utc(22), LONDON)  # 22:00 GMT
    assert is_inconvenient(utc(12, day=10), MELBOURNE)  # 23:00 AEDT


def test_daylight_saving_decides_the_local_hour():
    # 12:00 UTC is 08:00 in New York in July (EDT) but 07:00 in February (EST).
    assert not is_inconvenient(datetime.datetime(2014, 7, 1, 12, tzinfo=datetime.UTC), NEW_YORK)
    assert is_inconvenient(utc(12), NEW_YORK)


def test_a_time_convenient_for_everyone_is_used_every_time():
    bad = [frozenset({0}), frozenset(), frozenset({1, 2})]
    result = rotate(bad, participants=3, occurrences=4)
    assert result.sequence == (1, 1, 1, 1)
    assert result.worst == 0


def test_three_regions_three_times_each_region_takes_its_turn():
    zones = [NEW_YORK, LONDON, MELBOURNE]
    starts = [utc(0), utc(9), utc(14)]  # bad for London, New York, Melbourne respectively
    bad = inconvenience(starts, zones)
    assert bad == [frozenset({1}), frozenset({0}), frozenset({2})]
    result = rotate(bad, participants=3, occurrences=6)
    assert result.per_participant == (2, 2, 2)
    assert sorted(result.sequence) == [0, 0, 1, 1, 2, 2]
    assert all(a != b for a, b in itertools.pairwise(result.sequence))


def test_with_a_single_candidate_its_victims_get_every_occurrence():
    result = rotate([frozenset({1})], participants=2, occurrences=3)
    assert result.sequence == (0, 0, 0)
    assert result.per_participant == (0, 3)


def test_a_candidate_worse_for_everyone_is_never_chosen():
    result = rotate([frozenset({0, 1}), frozenset({0})], participants=2, occurrences=5)
    assert set(result.sequence) == {1}


def test_it_refuses_an_empty_rotation():
    with pytest.raises(ValueError, match="candidate"):
        rotate([], participants=1, occurrences=2)
    with pytest.raises(ValueError, match="occurrence"):
        rotate([frozenset()], participants=1, occurrences=0)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 4).flatmap(lambda people: st.tuples(
    st.just(people),
    st.lists(st.frozensets(st.integers(0, people - 1)), min_size=1, max_size=4),
    st.integers(1, 5))))
def test_the_worst_load_is_the_best_any_sequence_achieves(case):
    people, bad, occurrences = case
    result = rotate(bad, participants=people, occurrences=occurrences)
    best = min(
        max(sum(p in bad[i] for i in sequence) for p in range(people))
        for sequence in itertools.product(range(len(bad)), repeat=occurrences))
    assert result.worst == best
    assert len(result.sequence) == occurrences
    assert result.per_participant == tuple(
        sum(p in bad[i] for i in result.sequence) for p in range(people))
