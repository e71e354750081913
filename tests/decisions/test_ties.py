from fractions import Fraction as F

from chapterhouse.decisions.counting.ties import TieBreak, by_history, rank_options, settle
from chapterhouse.domain.reasons import Reason, reason
from tests.decisions.ballots import english


def test_the_default_order_is_alphabetical_ignoring_case():
    assert TieBreak(["beta", "Alpha", "gamma"]).order == ("Alpha", "beta", "gamma")


def test_a_seeded_order_is_reproducible_and_stated():
    first = TieBreak(["A", "B", "C", "D"], seed="42")
    assert first.order == TieBreak(["D", "C", "B", "A"], seed="42").order
    assert first.statement() == reason("ties.order.seeded", seed="42", order=list(first.order))
    assert "SHA-256 of seed '42'" in english(first.statement())
    assert ", ".join(first.order) in english(first.statement())


def test_history_narrows_from_the_first_round_onwards():
    history = [{"A": F(3), "B": F(3), "C": F(2)}, {"A": F(4), "B": F(5), "C": F(5)}]
    assert by_history(["A", "B"], history, fewest=True) == ["A"]  # equal in round 1, then 4 < 5
    assert by_history(["B", "C"], history, fewest=True) == ["C"]  # decided in round 1
    assert by_history(["B", "C"], history, fewest=False) == ["B"]


def test_settle_records_how_each_tie_was_decided():
    notes: list[Reason] = []
    order = TieBreak(["A", "B"])
    assert settle(["A", "B"], [], fewest=True, tie_break=order, notes=notes, round_number=1,
                  doing="exclusion") == "B"
    assert settle(["A", "B"], [], fewest=False, tie_break=order, notes=notes, round_number=2,
                  doing="election") == "A"
    assert notes[0] == reason("ties.exclusion.by_order", round=1, tied=["A", "B"],
                              left=["A", "B"], chosen="B")
    assert english(notes[0]).startswith("Round 1, exclusion: A, B were tied")


def test_rank_options_breaks_equal_totals_by_the_order():
    assert rank_options({"B": F(1), "A": F(1), "C": F(2)}, TieBreak("ABC")) == ["C", "A", "B"]
