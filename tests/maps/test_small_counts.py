"""The small-count rule of the maps' unaffiliated members (chapterhouse/maps/small_counts.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chapterhouse.maps.small_counts import Counted, counts_disclosed


def test_a_city_with_fewer_than_the_minimum_is_not_drawn_but_counted_in_the_total():
    d = counts_disclosed([Counted("Boston", 12), Counted("Tromsø", 1), Counted("Graz", 4)],
                         minimum=5)
    assert [c.place for c in d.shown] == ["Boston"]
    assert (d.hidden_people, d.hidden_places, d.total) == (5, 2, 17)


def test_a_city_with_exactly_the_minimum_is_drawn():
    d = counts_disclosed([Counted("Lyon", 5)], minimum=5)
    assert [(c.place, c.count) for c in d.shown] == [("Lyon", 5)]
    assert d.hidden_people == 0


def test_the_largest_cities_come_first_and_those_past_the_limit_join_the_hidden_total():
    d = counts_disclosed([Counted("a", 6), Counted("b", 30), Counted("c", 9)], minimum=5,
                         shown_at_most=2)
    assert [c.place for c in d.shown] == ["b", "c"]
    assert (d.hidden_people, d.hidden_places) == (6, 1)


def test_empty_places_are_left_out_and_nonsense_is_refused():
    assert counts_disclosed([Counted("x", 0)], minimum=5).hidden_places == 0
    with pytest.raises(ValueError, match="minimum"):
        counts_disclosed([], minimum=0)
    with pytest.raises(ValueError, match="negative"):
        counts_disclosed([Counted("x", -1)], minimum=5)


@given(st.lists(st.integers(0, 40), max_size=30), st.integers(1, 10),
       st.none() | st.integers(0, 10))
def test_no_drawn_city_is_below_the_minimum_and_nobody_is_lost(counts, minimum, limit):
    d = counts_disclosed([Counted(i, n) for i, n in enumerate(counts)], minimum=minimum,
                         shown_at_most=limit)
    assert all(c.count >= minimum for c in d.shown)
    assert d.total == sum(counts)
    assert limit is None or len(d.shown) <= limit
