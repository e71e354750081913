from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.decisions.counting import Ballot, count_stv, droop_quota
from tests.decisions.ballots import english, english_invalid, many, party_food


def test_the_wikipedia_party_food_example_elects_chocolate_oranges_and_strawberries():
    """Wikipedia, "Single transferable vote", section "Example" (see ballots.party_food).

    The article: quota 6; Chocolate elected in round 1 with 12; its surplus goes half to
    Strawberries (4) and half to Hamburgers (2); Pears is excluded and its votes elect Oranges
    with exactly the quota; Hamburgers is excluded and Strawberries takes the last seat.
    """
    result = count_stv(party_food(), seats=3)
    assert result.winners == ("Chocolate", "Oranges", "Strawberries")
    assert result.quota == 6
    first, second, third, fourth = result.rounds
    assert first.tallies == {"Oranges": 4, "Pears": 2, "Chocolate": 12, "Strawberries": 1,
                             "Hamburgers": 1}
    assert first.elected == ("Chocolate",)
    assert second.tallies == {"Oranges": 4, "Pears": 2, "Chocolate": 6, "Strawberries": 5,
                              "Hamburgers": 3}
    assert second.excluded == ("Pears",)
    assert third.tallies["Oranges"] == 6
    assert third.elected == ("Oranges",)
    assert third.excluded == ("Hamburgers",)
    # The Hamburgers-only ballot and the halves of four Chocolate > Hamburgers ballots.
    assert fourth.exhausted == 3
    assert fourth.elected == ("Strawberries",)
    assert "quota floor(20 / 4) + 1 = 6" in english(first.explanation)
    assert "at 1/2 of its value" in english(first.explanation)


@pytest.mark.parametrize(("valid", "seats", "quota"), [(20, 3, 6), (100, 1, 51), (7, 2, 3),
                                                        (9, 2, 4), (0, 1, 1)])
def test_the_droop_quota_is_floor_valid_over_seats_plus_one_plus_one(valid, seats, quota):
    assert droop_quota(valid, seats) == quota


def test_surplus_transfers_are_exact_fractions_and_exhaust_what_has_nowhere_to_go():
    ballots = (many(3, "ab", "A", "B") + many(2, "ac", "A", "C") + many(2, "a", "A")
               + many(2, "b", "B") + many(1, "c", "C"))
    result = count_stv(ballots, seats=2)
    assert result.quota == 4  # floor(10 / 3) + 1
    after = result.rounds[1]
    # A's surplus 3 of 7: each of A's ballots goes on at 3/7 of its value.
    assert after.tallies == {"A": 4, "B": 2 + F(9, 7), "C": 1 + F(6, 7)}
    assert after.exhausted == F(6, 7)
    assert sum(after.tallies.values()) + after.exhausted == 10
    assert result.winners == ("A", "B")


def test_when_the_candidates_left_equal_the_seats_left_they_are_all_elected():
    ballots = many(5, "a", "A") + many(3, "b", "B") + many(2, "c", "C")
    result = count_stv(ballots, seats=2)
    assert result.quota == 4
    assert result.rounds[0].elected == ("A",)
    assert result.winners == ("A", "B")
    # A's surplus exhausts (nothing ranked after A), then C is excluded, and B is the one left.
    assert result.rounds[1].excluded == ("C",)


def test_fewer_candidates_than_seats_all_win_in_the_first_round():
    result = count_stv(many(3, "a", "A", "B") + many(1, "b", "B"), seats=5)
    assert set(result.winners) == {"A", "B"}
    assert len(result.rounds) == 1


def test_an_exclusion_tie_goes_to_the_one_with_fewer_votes_in_the_earliest_round():
    # Round 1: A 6, B 3, C 4, D 2 (quota 6 of 15 for 2 seats): A is elected with no surplus
    # and D excluded; one D ballot goes to B, so round 2 has B 4, C 4.
    ballots = (many(6, "a", "A") + many(3, "b", "B") + many(4, "c", "C")
               + many(1, "db", "D", "B") + many(1, "d", "D"))
    result = count_stv(ballots, seats=2)
    assert result.quota == 6
    tied_round = next(r for r in result.rounds if r.tallies.get("B") == r.tallies.get("C") == 4)
    assert tied_round.excluded == ("B",)  # B had 3 to C's 4 in round 1
    assert any("earlier rounds settled it for B" in english(note) for note in result.notes)
    assert result.winners == ("A", "C")


def test_a_tie_with_no_earlier_difference_uses_the_stated_order():
    ballots = many(4, "a", "A") + many(2, "b", "B") + many(2, "c", "C")
    alphabetical = count_stv(ballots, seats=1)
    assert alphabetical.rounds[0].excluded == ("C",)  # B and C tied; C is later in the order
    assert "alphabetical order): A, B, C" in english(alphabetical.tie_break)
    seeded = count_stv(ballots, seats=1, seed="2014 convention")
    order = seeded.tie_break.params["order"]
    assert isinstance(order, list)
    later = max(("B", "C"), key=order.index)
    assert seeded.rounds[0].excluded == (later,)
    assert "seed '2014 convention'" in english(seeded.tie_break)


def test_malformed_rankings_are_invalid_with_reasons_and_do_not_change_the_quota():
    ballots = [*many(3, "a", "A", "B"), Ballot("dup", ("A", "B", "A")), Ballot("blank", ()),
               Ballot("who", ("Z",))]
    result = count_stv(ballots, seats=1, options=["A", "B"])
    assert english_invalid(result.invalid) == (("dup", "'A' is ranked twice"),
                                               ("blank", "empty ballot: no option ranked"),
                                               ("who", "unknown option 'Z'"))
    assert result.valid == 3
    assert result.quota == 2


def test_no_valid_ballots_elects_no_one():
    result = count_stv([Ballot("x", ())], seats=2)
    assert result.winners == ()
    assert result.valid == 0
    assert len(result.invalid) == 1


def test_seats_must_be_positive():
    with pytest.raises(ValueError, match="seats"):
        count_stv(many(1, "a", "A"), seats=0)


CANDIDATES = ["A", "B", "C", "D", "E"]
rankings = st.lists(st.permutations(CANDIDATES).flatmap(
    lambda order: st.integers(1, len(order)).map(lambda n: tuple(order[:n]))),
    min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(rankings=rankings, seats=st.integers(1, 6))
def test_stv_fills_every_seat_it_can_and_never_loses_a_vote(rankings, seats):
    ballots = [Ballot(str(i), r) for i, r in enumerate(rankings)]
    result = count_stv(ballots, seats=seats)
    named = {option for r in rankings for option in r}
    assert len(result.winners) == min(seats, len(named))
    assert len(set(result.winners)) == len(result.winners)
    for round_ in result.rounds:
        assert sum(round_.tallies.values()) + round_.exhausted == len(ballots)
    first = result.rounds[0].tallies
    assert {c for c in first if first[c] >= result.quota} <= set(result.winners)


def test_surpluses_are_transferred_one_per_round_largest_first():
    ballots = (many(8, "a", "A", "C") + many(7, "b", "B", "D") + many(2, "c", "C")
               + many(2, "d", "D") + many(1, "e", "E"))
    result = count_stv(ballots, seats=3)
    assert result.quota == 6
    first, second, third = result.rounds[:3]
    assert first.elected == ("A", "B")
    assert "A's surplus of 2 is transferred" in english(first.explanation)
    assert second.tallies == {"A": 6, "B": 7, "C": 4, "D": 2, "E": 1}
    assert "B's surplus of 1 is transferred" in english(second.explanation)
    assert third.tallies == {"A": 6, "B": 6, "C": 4, "D": 3, "E": 1}
    assert result.winners == ("A", "B", "C")
