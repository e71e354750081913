"""The apportionment methods (domain/apportionment.py) against published apportionments and
the properties each method is known for."""

import csv
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.domain.apportionment import (
    ApportionmentError,
    Method,
    Unit,
    apportion,
    method_named,
)

DATA = Path(__file__).parent.parent / "data"
DIVISOR = [Method.JEFFERSON, Method.WEBSTER, Method.HUNTINGTON_HILL]


def _rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_us_house_after_the_2020_census_state_by_state():
    units = [Unit(row["unit"], int(row["population"]))
             for row in _rows("us_house_2020_populations.csv")]
    published = {row["unit"]: int(row["seats"]) for row in _rows("us_house_2020_seats.csv")}
    assert len(units) == 50
    assert sum(published.values()) == 435
    result = apportion(units, 435, Method.HUNTINGTON_HILL, floor=1)
    assert {share.name: share.seats for share in result.shares} == published
    assert (result.seats_of("California"), result.seats_of("Texas"),
            result.seats_of("Montana")) == (52, 38, 2)


def test_the_us_house_2020_by_other_methods_differs_as_known():
    units = [Unit(row["unit"], int(row["population"]))
             for row in _rows("us_house_2020_populations.csv")]
    jefferson = apportion(units, 435, Method.JEFFERSON)
    hill = apportion(units, 435, Method.HUNTINGTON_HILL)
    # Jefferson favours the large states.
    assert jefferson.seats_of("California") > hill.seats_of("California")


def test_sainte_lague_worked_example():
    # Wikipedia, "Sainte-Lague method": 53,000 / 24,000 / 23,000 votes, 7 seats -> 3, 2, 2.
    units = [Unit("A", 53_000), Unit("B", 24_000), Unit("C", 23_000)]
    result = apportion(units, 7, method_named("sainte-lague"), floor=0)
    assert [s.seats for s in result.shares] == [3, 2, 2]


def test_dhondt_worked_example():
    # Wikipedia, "D'Hondt method": 100,000 / 80,000 / 30,000 / 20,000 votes, 8 seats.
    units = [Unit("A", 100_000), Unit("B", 80_000), Unit("C", 30_000), Unit("D", 20_000)]
    assert [s.seats for s in apportion(units, 8, method_named("dhondt"), 0).shares] == [4, 3, 1, 0]
    # The same votes by Sainte-Lague: 3, 3, 1, 1 (A and D tie at 20,000 for the 6th seat).
    assert [s.seats for s in apportion(units, 8, Method.WEBSTER, 0).shares] == [3, 3, 1, 1]


def test_hamilton_textbook_example():
    # Quotas 4.5 / 3.3 / 2.2 for 10 seats: 4 + 3 + 2 = 9, the 10th to the largest remainder.
    units = [Unit("A", 450), Unit("B", 330), Unit("C", 220)]
    result = apportion(units, 10, Method.HAMILTON, floor=0)
    assert [s.seats for s in result.shares] == [5, 3, 2]
    assert result.shares[0].quota == Fraction(9, 2)


def test_the_alabama_paradox_is_hamiltons():
    # Hamilton is not house monotone: 10 -> 11 seats takes a seat from C (textbook example).
    units = [Unit("A", 6), Unit("B", 6), Unit("C", 2)]
    ten = apportion(units, 10, Method.HAMILTON, 0)
    eleven = apportion(units, 11, Method.HAMILTON, 0)
    assert [s.seats for s in ten.shares] == [4, 4, 2]
    assert [s.seats for s in eleven.shares] == [5, 5, 1]


def test_the_floor_lifts_small_units_in_every_method():
    units = [Unit("big", 1_000_000), Unit("small", 1)]
    for method in Method:
        result = apportion(units, 10, method, floor=2)
        assert [s.seats for s in result.shares] == [8, 2]


def test_ties_go_to_the_larger_population_then_the_unit_listed_first():
    result = apportion([Unit("A", 10), Unit("B", 10)], 3, Method.JEFFERSON, floor=0)
    assert [s.seats for s in result.shares] == [2, 1]
    assert result.tie
    result = apportion([Unit("B", 10), Unit("A", 10)], 3, Method.HAMILTON, floor=0)
    assert [s.seats for s in result.shares] == [2, 1]
    assert result.tie
    assert not apportion([Unit("A", 30), Unit("B", 10)], 4, Method.JEFFERSON, 0).tie


@pytest.mark.parametrize(("units", "seats", "floor", "code"), [
    ([], 5, 1, "apportion.no_units"),
    ([Unit("A", -1)], 5, 1, "apportion.negative_population"),
    ([Unit("A", 1), Unit("A", 2)], 5, 1, "apportion.unit_twice"),
    ([Unit("A", 1), Unit("B", 2), Unit("C", 3)], 2, 1, "apportion.too_few_seats"),
    ([Unit("A", 1)], -1, 0, "apportion.seats_out_of_range"),
    ([Unit("A", 1)], 3, -1, "apportion.negative_floor"),
    ([Unit("A", 0), Unit("B", 0)], 3, 1, "apportion.no_population"),
])
def test_impossible_requests_are_refused_with_a_reason(units, seats, floor, code):
    for method in Method:
        with pytest.raises(ApportionmentError) as refused:
            apportion(units, seats, method, floor)
        assert refused.value.reason.code == code


def test_too_few_seats_says_how_many_are_needed():
    with pytest.raises(ApportionmentError) as refused:
        apportion([Unit("A", 1), Unit("B", 2), Unit("C", 3)], 5, Method.WEBSTER, floor=2)
    assert refused.value.reason.params["needed"] == 6


def test_unknown_method_name():
    with pytest.raises(ValueError, match="borda"):
        method_named("borda")
    assert method_named("D'Hondt") is Method.JEFFERSON
    assert method_named("Huntington-Hill") is Method.HUNTINGTON_HILL


populations = st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=12)


@st.composite
def problems(draw):
    pops = draw(populations)
    if sum(pops) == 0:
        pops[0] = 1
    floor = draw(st.integers(min_value=0, max_value=2))
    seats = draw(st.integers(min_value=floor * len(pops), max_value=floor * len(pops) + 60))
    units = [Unit(f"u{i}", p) for i, p in enumerate(pops)]
    return units, seats, floor


@given(problems(), st.sampled_from(list(Method)))
@settings(max_examples=300, deadline=None)
def test_seats_sum_to_the_total_and_respect_the_floor(problem, method):
    units, seats, floor = problem
    result = apportion(units, seats, method, floor)
    assert sum(s.seats for s in result.shares) == seats
    assert all(s.seats >= floor for s in result.shares)
    assert [s.name for s in result.shares] == [u.name for u in units]


@given(problems(), st.sampled_from(DIVISOR))
@settings(max_examples=300, deadline=None)
def test_divisor_methods_are_house_monotone(problem, method):
    units, seats, floor = problem
    before = apportion(units, seats, method, floor)
    after = apportion(units, seats + 1, method, floor)
    assert all(b.seats <= a.seats for b, a in zip(before.shares, after.shares, strict=True))


@given(problems())
@settings(max_examples=300, deadline=None)
def test_hamilton_satisfies_the_quota_rule_without_a_floor(problem):
    units, seats, _floor = problem
    result = apportion(units, seats, Method.HAMILTON, floor=0)
    for share in result.shares:
        upper = -(-share.quota.numerator // share.quota.denominator)
        assert int(share.quota) <= share.seats <= upper


@given(problems(), st.sampled_from(list(Method)))
@settings(max_examples=200, deadline=None)
def test_a_larger_unit_never_gets_fewer_seats(problem, method):
    units, seats, floor = problem
    result = apportion(units, seats, method, floor)
    for a in result.shares:
        for b in result.shares:
            if a.population > b.population:
                assert a.seats >= b.seats
