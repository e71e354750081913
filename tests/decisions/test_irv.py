from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.decisions.counting import Ballot, count_irv
from tests.decisions.ballots import english, english_invalid, many, tennessee


def test_the_tennessee_capital_example_elects_knoxville():
    """Wikipedia, "Instant-runoff voting", section "Examples" (Tennessee capital).

    Chattanooga (15) is eliminated and its votes go to Knoxville (32); Nashville (26) is
    eliminated and its votes pass over Chattanooga to Knoxville, which wins 58 to 42.
    """
    result = count_irv(tennessee())
    assert result.winners == ("Knoxville",)
    first, second, third = result.rounds
    assert first.tallies == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert first.excluded == ("Chattanooga",)
    assert second.tallies == {"Memphis": 42, "Nashville": 26, "Knoxville": 32}
    assert second.excluded == ("Nashville",)
    assert third.tallies == {"Memphis": 42, "Knoxville": 58}
    assert third.elected == ("Knoxville",)
    assert "more than half of the 100 continuing ballots" in english(third.explanation)


def test_a_first_round_majority_wins_at_once():
    result = count_irv(many(3, "a", "A", "B") + many(2, "b", "B", "A"))
    assert result.winners == ("A",)
    assert len(result.rounds) == 1


def test_exhausted_ballots_are_counted_per_round_and_leave_the_majority_base():
    ballots = many(4, "a", "A") + many(3, "b", "B") + many(2, "c", "C")
    result = count_irv(ballots)
    first, second = result.rounds
    assert first.exhausted == 0
    assert first.excluded == ("C",)
    assert second.exhausted == 2
    assert second.tallies == {"A": 4, "B": 3}
    # 4 of 9 ballots is not half of all ballots, but it is more than half of the 7 continuing.
    assert result.winners == ("A",)
    assert "2 ballots exhausted, 7 continuing" in english(second.explanation)


def test_options_without_a_vote_are_excluded_together():
    ballots = many(2, "a", "A") + many(2, "b", "B") + many(1, "c", "C", "A")
    result = count_irv(ballots, options=["A", "B", "C", "D", "E"])
    assert result.rounds[0].excluded == ("D", "E")
    assert result.rounds[1].excluded == ("C",)
    assert result.winners == ("A",)


def test_an_exclusion_tie_looks_back_to_the_earliest_round_where_they_differ():
    # Round 1: A 5, B 3, C 4, D 1. D goes to B: round 2 has B 4 and C 4; B had fewer first.
    ballots = (many(5, "a", "A") + many(3, "b", "B", "C") + many(4, "c", "C")
               + many(1, "d", "D", "B"))
    result = count_irv(ballots)
    assert result.rounds[1].tallies == {"A": 5, "B": 4, "C": 4}
    assert result.rounds[1].excluded == ("B",)
    assert english(result.notes) == ("Round 2, exclusion: B, C were tied; earlier rounds settled "
                                     "it for B.")
    assert result.winners == ("C",)


def test_a_final_tie_is_settled_by_the_stated_order_and_reported():
    result = count_irv(many(2, "x", "Xavier") + many(2, "y", "Yolanda"))
    assert result.rounds[0].excluded == ("Yolanda",)
    assert result.winners == ("Xavier",)
    assert "tie-break order settled it for Yolanda" in english(result.notes[0])
    assert english(result.tie_break).endswith("(alphabetical order): Xavier, Yolanda.")


def test_invalid_rankings_are_reported_by_ballot_id():
    ballots = [*many(2, "a", "A"), Ballot("twice", ("A", "B", "B")), Ballot("empty", ())]
    result = count_irv(ballots)
    assert english_invalid(result.invalid) == (("twice", "'B' is ranked twice"),
                                               ("empty", "empty ballot: no option ranked"))
    assert result.valid == 2


def test_no_valid_ballots_means_no_winner():
    result = count_irv([Ballot("1", ())])
    assert result.winners == ()
    assert english(result.rounds[0].explanation).startswith("No valid")


CANDIDATES = ["A", "B", "C", "D"]
ranking = st.permutations(CANDIDATES).flatmap(
    lambda order: st.integers(1, len(order)).map(lambda n: tuple(order[:n])))


@settings(max_examples=200, deadline=None)
@given(others=st.lists(ranking, max_size=30), favourite=st.sampled_from(CANDIDATES),
       extra=st.integers(1, 5), data=st.data())
def test_a_majority_of_first_preferences_always_wins(others, favourite, extra, data):
    # Give `favourite` more first preferences than all other ballots together.
    backers = [(favourite, *data.draw(st.permutations([c for c in CANDIDATES
                                                        if c != favourite])))]
    rankings = others + backers * (len(others) + extra)
    result = count_irv([Ballot(str(i), r) for i, r in enumerate(rankings)])
    assert result.winners == (favourite,)
    assert len(result.rounds) == 1


@settings(max_examples=150, deadline=None)
@given(rankings=st.lists(ranking, min_size=1, max_size=40))
def test_every_round_accounts_for_every_ballot(rankings):
    result = count_irv([Ballot(str(i), r) for i, r in enumerate(rankings)])
    assert len(result.winners) == 1
    for round_ in result.rounds:
        assert sum(round_.tallies.values()) + round_.exhausted == len(rankings)
