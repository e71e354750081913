"""IRV and STV count grouped identical ballots (issue 12) and give exactly the result of the
ballot-by-ballot count they replaced (tests/decisions/counting_reference.py): the same
winners, rounds, exact tallies, exhausted values, explanations, ties and invalid ballots."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chapterhouse.decisions.counting import Ballot, count_irv, count_stv
from tests.decisions.counting_reference import reference_irv, reference_stv

NAMES = ["Ash", "birch", "Birch", "Cedar", "Elm", "Fir", "Oak"]

ranking = st.lists(st.sampled_from([*NAMES, "Yew", ""]), min_size=0, max_size=5)
# Few distinct rankings cast many times each: ties in every round, exhausted ballots, invalid
# ballots (empty, a name twice, an empty name, an option not on the ballot).
elections = st.lists(st.tuples(ranking, st.integers(1, 12)), min_size=0, max_size=14)
given_options = st.one_of(st.none(), st.lists(st.sampled_from(NAMES), unique=True, max_size=7))
seeds = st.one_of(st.none(), st.sampled_from(["", "2026", "seed"]))


def ballots_of(election: list[tuple[list[str], int]], shuffle: int) -> list[Ballot]:
    cast = [tuple(choices) for choices, times in election for _ in range(times)]
    # Interleave deterministically so identical ballots are not all side by side.
    order = sorted(range(len(cast)), key=lambda i: (i * (2 * shuffle + 1)) % (len(cast) or 1))
    return [Ballot(f"b{n}", cast[i]) for n, i in enumerate(order)]


@settings(max_examples=400, deadline=None)
@given(elections, given_options, seeds, st.integers(0, 50))
def test_irv_on_groups_is_the_ballot_by_ballot_count(election, options, seed, shuffle):
    ballots = ballots_of(election, shuffle)
    assert count_irv(ballots, options=options, seed=seed) == reference_irv(
        ballots, options=options, seed=seed)


@settings(max_examples=400, deadline=None)
@given(elections, given_options, seeds, st.integers(1, 5), st.integers(0, 50))
def test_stv_on_groups_is_the_ballot_by_ballot_count(election, options, seed, seats, shuffle):
    ballots = ballots_of(election, shuffle)
    ours = count_stv(ballots, seats=seats, options=options, seed=seed)
    assert ours == reference_stv(ballots, seats=seats, options=options, seed=seed)
    assert ours.to_json() == reference_stv(ballots, seats=seats, options=options,
                                           seed=seed).to_json()


def test_a_large_election_counts_the_same_as_ballot_by_ballot():
    """Thousands of ballots in a few hundred distinct rankings, several surpluses deep."""
    import random

    rng = random.Random(12)
    names = [f"C{i}" for i in range(9)]
    ballots = []
    for i in range(6000):
        k = rng.choice((1, 2, 3, 3, 4))
        top = rng.choices(names, weights=range(9, 0, -1), k=1)
        rest = rng.sample(names, k=len(names))
        ballots.append(Ballot(str(i), tuple(dict.fromkeys(top + rest))[:k]))
    assert count_irv(ballots) == reference_irv(ballots)
    for seats in (2, 4):
        assert count_stv(ballots, seats=seats) == reference_stv(ballots, seats=seats)
