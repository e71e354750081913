from fractions import Fraction as F

import pytest

from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.decisions.ballots_csv import (
    BallotsError,
    parse_choice_ballots,
    parse_score_ballots,
    read_lines,
)
from chapterhouse.decisions.counting import Ballot, ScoreBallot
from tests.decisions.ballots import english_invalid


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_rankings_sets_and_single_choices_parse_by_method():
    ranked = parse_choice_ballots(_lines("ballot,choices\n1, A > B >C\n2,B\n"), "stv")
    assert ranked.ballots == [Ballot("1", ("A", "B", "C")), Ballot("2", ("B",))]
    assert ranked.lines == {"1": 2, "2": 3}
    approval = parse_choice_ballots(_lines("ballot,choices\nx,A;B\n"), "approval")
    assert approval.ballots == [Ballot("x", ("A", "B"))]
    # Two options on a plurality ballot reach the counter as two, to be rejected there.
    single = parse_choice_ballots(_lines("ballot,choices\n1,A;B\n2,A>B\n3,A\n"), "plurality")
    assert [b.choices for b in single.ballots] == [("A", "B"), ("A", "B"), ("A",)]


def test_scores_parse_as_exact_numbers_and_bad_numbers_make_the_ballot_invalid():
    parsed = parse_score_ballots(_lines("ballot,choices\n1,A=4;B=2.5\n2,A=lots\n3,A\n4,=3\n"
                                        "5,A=nan\n"))
    assert parsed.ballots == [ScoreBallot("1", (("A", F(4)), ("B", F(5, 2))))]
    assert english_invalid(parsed.invalid) == (("2", "score 'lots' for 'A' is not a number"),
                                               ("3", "'A' has no score; write option=number"),
                                               ("4", "empty option name in '=3'"),
                                               ("5", "score 'nan' for 'A' is not a number"))


def test_an_empty_name_between_separators_is_reported_by_ballot():
    parsed = parse_choice_ballots(_lines("ballot,choices\n9,A>>B\n10,\n"), "irv")
    assert english_invalid(parsed.invalid) == (("9", "empty option name at position 2 of "
                                                     "'A>>B'"),)
    assert parsed.ballots == [Ballot("10", ())]  # empty: the counter reports it


def test_header_columns_may_come_in_any_order_and_extra_columns_are_ignored():
    parsed = parse_choice_ballots(_lines("Choices,note,Ballot\n\"A>B\",hi,7\n\n"), "irv")
    assert parsed.ballots == [Ballot("7", ("A", "B"))]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("1,A>B\n2,B\n", 1, "missing header"),
    ("", 1, "empty"),
    ("ballot,choices\n1,A\n2,B\n1,C\n", 4, "duplicate ballot id '1' (first on line 2)"),
    ("ballot,choices\n,A\n", 2, "ballot id is empty"),
    ("ballot,choices\n1,A,B\n", 2, "3 fields but the header has 2"),
])
def test_file_problems_stop_with_the_line(text, line, words):
    with pytest.raises(BallotsError) as caught:
        parse_choice_ballots(_lines(text), "irv")
    assert caught.value.line == line
    assert csv_error_english(caught.value).startswith(f"line {line}: ")
    assert words in csv_error_english(caught.value)


def test_reading_a_missing_or_non_utf8_file_is_a_ballots_error(tmp_path):
    with pytest.raises(BallotsError) as caught:
        read_lines(tmp_path / "absent.csv")
    assert "cannot read" in csv_error_english(caught.value)
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("ballot,choices\n1,Crème\n".encode("latin-1"))
    with pytest.raises(BallotsError) as caught:
        read_lines(bad)
    assert "not UTF-8" in csv_error_english(caught.value)
    bom = tmp_path / "bom.csv"
    bom.write_text("ballot,choices\n1,A\n", encoding="utf-8-sig")
    assert parse_choice_ballots(read_lines(bom), "plurality").ballots == [Ballot("1", ("A",))]
