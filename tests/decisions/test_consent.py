from fractions import Fraction as F

import pytest

from chapterhouse.decisions.counting import ConsentRules, Position, Stance, decide_proposal
from chapterhouse.domain.reasons import reason
from tests.decisions.ballots import english


def _positions(**counts: int) -> list[Position]:
    return [Position(f"{stance}{i}", stance) for stance, n in counts.items() for i in range(n)]


def test_a_simple_majority_of_those_taking_a_side_passes_by_default():
    result = decide_proposal(_positions(agree=5, disagree=5, abstain=10), eligible=20)
    assert result.passed  # 5 / (5 + 5) = 0.5 meets the default threshold
    assert result.support == F(1, 2)
    assert result.turnout == 1
    assert result.reasons == ()
    assert result.explanation[-1] == reason("consent.passes")
    assert english(result.explanation).endswith("Passes.")


def test_a_two_thirds_threshold_is_exact():
    rules = ConsentRules(pass_threshold=F(2, 3))
    assert decide_proposal(_positions(agree=2, disagree=1), eligible=3, rules=rules).passed
    failed = decide_proposal(_positions(agree=3, disagree=2), eligible=5, rules=rules)
    assert not failed.passed
    assert failed.reasons == (reason("consent.fails.support", support=60.0, threshold=66.7),)
    assert english(failed.reasons) == "support 60.0% is below the threshold 66.7%"


def test_one_block_stops_a_proposal_unless_blocks_are_allowed():
    positions = _positions(agree=9, block=1)
    stopped = decide_proposal(positions, eligible=10)
    assert not stopped.passed
    assert english(stopped.reasons) == "1 block; at most 0 allowed"
    assert decide_proposal(positions, eligible=10, rules=ConsentRules(max_blocks=1)).passed


def test_abstentions_count_toward_quorum_but_not_toward_support():
    rules = ConsentRules(quorum=F(1, 2))
    result = decide_proposal(_positions(agree=1, abstain=4), eligible=10, rules=rules)
    assert result.quorum_met
    assert result.turnout == F(1, 2)
    assert result.support == 1
    assert result.passed
    short = decide_proposal(_positions(agree=4), eligible=10, rules=rules)
    assert not short.passed
    assert english(short.reasons) == ("quorum not met: 4 of 10 eligible voters took part, 40.0% "
                                     "< 50.0%")


def test_with_no_one_agreeing_or_disagreeing_it_fails():
    result = decide_proposal(_positions(abstain=3), eligible=3)
    assert result.support is None
    assert not result.passed
    assert result.reasons == (reason("consent.fails.no_sides"),)


def test_unknown_and_repeated_positions_are_reported_not_counted():
    positions = [Position("ann", "Agree"), Position("ann", "disagree"), Position("bo", "maybe")]
    result = decide_proposal(positions, eligible=5)
    assert result.counts[Stance.AGREE] == 1
    assert result.counts[Stance.DISAGREE] == 0
    assert [voter for voter, _ in result.invalid] == ["ann", "bo"]
    assert "unknown position 'maybe'" in english(result.invalid[1][1])


def test_impossible_inputs_are_refused():
    with pytest.raises(ValueError, match="eligible"):
        decide_proposal(_positions(agree=3), eligible=2)
    with pytest.raises(ValueError, match="shares"):
        ConsentRules(pass_threshold=F(3, 2))
    with pytest.raises(ValueError, match="max_blocks"):
        ConsentRules(max_blocks=-1)
