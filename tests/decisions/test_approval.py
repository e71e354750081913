from chapterhouse.decisions.counting import Ballot, count_approval
from tests.decisions.ballots import english, english_invalid, many, tennessee


def test_tennessee_voters_approving_their_top_two_choose_nashville():
    """Our own construction on the Tennessee preferences (ballots.tennessee), not a published
    tally: each voter approves their first two choices. I could not recall the approval section
    of a published Tennessee example exactly enough to cite its figures."""
    ballots = [Ballot(b.id, b.choices[:2]) for b in tennessee()]
    result = count_approval(ballots)
    assert result.rounds[0].tallies == {"Nashville": 68, "Chattanooga": 58, "Memphis": 42,
                                        "Knoxville": 32}
    assert result.winners == ("Nashville",)


def test_approving_an_option_twice_or_nothing_is_invalid():
    result = count_approval([Ballot("1", ("A", "B", "A")), Ballot("2", ()),
                             Ballot("3", ("A", "B"))])
    assert english_invalid(result.invalid) == (("1", "'A' is approved twice"),
                                               ("2", "empty ballot: no option approved"))
    assert result.rounds[0].tallies == {"A": 1, "B": 1}


def test_several_seats_and_a_tie_at_the_cut():
    ballots = many(3, "x", "A", "B") + many(2, "y", "C") + many(2, "z", "D")
    result = count_approval(ballots, seats=3)
    assert result.winners == ("A", "B", "C")  # C and D tied on 2; C is earlier
    assert "C, D were tied with 2 approvals" in english(result.notes[0])
