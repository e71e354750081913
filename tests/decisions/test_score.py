from fractions import Fraction as F

import pytest

from chapterhouse.decisions.counting import ScoreBallot, count_score
from tests.decisions.ballots import english, english_invalid


def _ballots(count: int, prefix: str, **scores: int) -> list[ScoreBallot]:
    marks = tuple((name, F(value)) for name, value in scores.items())
    return [ScoreBallot(f"{prefix}{i}", marks) for i in range(count)]


def test_the_tennessee_score_example_as_recalled_elects_nashville():
    """The Tennessee capital example in Wikipedia's "Score voting" article (scores 0-10, the
    nearest city 10, the farthest 0, the others by relative distance) elects Nashville.

    The scores below are as I recall that table; I could not check them against the article
    here, so treat the exact totals as ours and only the outcome (Nashville) as the article's.
    """
    ballots = (_ballots(42, "m", Memphis=10, Nashville=4, Chattanooga=2, Knoxville=0)
               + _ballots(26, "n", Memphis=0, Nashville=10, Chattanooga=7, Knoxville=6)
               + _ballots(15, "c", Memphis=0, Nashville=6, Chattanooga=10, Knoxville=7)
               + _ballots(17, "k", Memphis=0, Nashville=5, Chattanooga=8, Knoxville=10))
    result = count_score(ballots)
    assert result.rounds[0].tallies == {"Nashville": 603, "Chattanooga": 552,
                                        "Knoxville": 431, "Memphis": 420}
    assert result.winners == ("Nashville",)


def test_an_option_left_out_scores_zero_and_fractions_stay_exact():
    ballots = [ScoreBallot("1", (("A", F("2.5")), ("B", F(1)))), ScoreBallot("2", (("B", F(3)),))]
    result = count_score(ballots)
    assert result.rounds[0].tallies == {"B": 4, "A": F(5, 2)}
    assert result.winners == ("B",)


def test_scores_out_of_range_or_repeated_make_a_ballot_invalid():
    ballots = [ScoreBallot("1", (("A", F(-1)),)), ScoreBallot("2", (("A", F(6)),)),
               ScoreBallot("3", (("A", F(1)), ("A", F(2)))), ScoreBallot("4", ()),
               ScoreBallot("5", (("A", F(5)),))]
    result = count_score(ballots, max_score=F(5))
    assert [i.ballot for i in result.invalid] == ["1", "2", "3", "4"]
    assert english_invalid(result.invalid)[0] == ("1", "score -1 for 'A' is below the minimum 0")
    assert english(result.invalid[1].reason) == "score 6 for 'A' is above the maximum 5"
    assert result.winners == ("A",)
    assert result.valid == 1


def test_a_negative_minimum_is_refused():
    with pytest.raises(ValueError, match="negative"):
        count_score([], min_score=F(-1))
