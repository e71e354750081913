from chapterhouse.decisions.counting import Ballot, count_plurality
from tests.decisions.ballots import english, english_invalid, many, tennessee


def test_the_tennessee_example_under_plurality_elects_memphis():
    """The Tennessee capital example (Wikipedia, "First-past-the-post voting"; electowiki,
    "Effects of different voting systems under similar circumstances"): only first
    preferences count, so Memphis wins with 42% although 58% rank it last."""
    ballots = [Ballot(b.id, b.choices[:1]) for b in tennessee()]
    result = count_plurality(ballots)
    assert result.winners == ("Memphis",)
    assert result.rounds[0].tallies == {"Memphis": 42, "Nashville": 26, "Knoxville": 17,
                                        "Chattanooga": 15}


def test_two_options_on_a_single_choice_ballot_make_it_invalid():
    result = count_plurality([*many(2, "a", "A"), Ballot("7", ("A", "B")), Ballot("8", ())])
    assert english_invalid(result.invalid) == (
        ("7", "2 options chosen (A, B); a single-choice ballot names one"),
        ("8", "empty ballot: no option chosen"))
    assert result.valid == 2
    assert result.winners == ("A",)


def test_an_option_not_on_the_ballot_paper_is_invalid():
    result = count_plurality([Ballot("1", ("A",)), Ballot("2", ("Q",))], options=["A", "B"])
    assert english_invalid(result.invalid) == (("2", "unknown option 'Q'"),)
    assert result.rounds[0].tallies == {"A": 1, "B": 0}


def test_a_tie_for_the_seat_is_settled_by_the_stated_order():
    result = count_plurality(many(2, "b", "Bea") + many(2, "a", "Al") + many(1, "c", "Cy"))
    assert result.winners == ("Al",)
    assert english(result.notes) == ("Al, Bea were tied with 2 votes; the tie-break order gave "
                                     "the remaining seat to Al.")
    assert "Al, Bea were tied" in english(result.rounds[0].explanation)


def test_several_seats_go_to_the_most_named_and_never_to_an_option_without_votes():
    ballots = many(3, "a", "A") + many(2, "b", "B") + many(1, "c", "C")
    assert count_plurality(ballots, seats=2).winners == ("A", "B")
    assert count_plurality(ballots, seats=5, options=["A", "B", "C", "D"]).winners == \
        ("A", "B", "C")


def test_no_valid_ballots_means_no_winner():
    result = count_plurality([Ballot("1", ())])
    assert result.winners == ()
    assert result.valid == 0
