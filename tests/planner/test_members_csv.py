import pytest

from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.planning.members_csv import InputError, parse_members, parse_organizers

HEADER = "id,lat,lon,gender,chapter,willing\n"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def test_a_good_file_parses_with_willing_and_chapters():
    m = parse_members(_lines(HEADER + "a,48.1,2.3,woman,,\nb,48.1,2.3,,Paris,no\n"))
    assert m.ids == ["a", "b"]
    assert m.chapter == ["", "Paris"]
    assert list(m.willing) == [True, False]
    assert list(m.counted()) == [True, False]


@pytest.mark.parametrize(("body", "line", "words"), [
    ("a,91,2,woman,,\n", 2, "latitude"),
    ("a,1,2,woman,,\nb,nan,2,man,,\n", 3, "latitude"),
    ("a,1,2,woman,,\nb,1,2,man,,\na,1,2,man,,\n", 4, "duplicate id"),
    ("a,1,2,lady,,\n", 2, "unknown gender"),
    ("a,1,200,man,,\n", 2, "longitude"),
    ("a,1,2,man,,maybe\n", 2, "willing"),
    ("a,x,2,man,,\n", 2, "not a number"),
])
def test_bad_rows_name_their_line(body, line, words):
    with pytest.raises(InputError) as caught:
        parse_members(_lines(HEADER + body))
    assert caught.value.line == line
    assert f"line {line}" in csv_error_english(caught.value)
    assert words in csv_error_english(caught.value)


def test_a_missing_column_is_reported_on_the_header_line():
    with pytest.raises(InputError) as caught:
        parse_members(_lines("id,lat,lon,gender\na,1,2,\n"))
    assert csv_error_english(caught.value).startswith("line 1: missing column(s) chapter")


def test_a_file_without_gender_reads_everyone_as_not_said():
    members = parse_members(_lines("id,lat,lon,chapter\na,1,2,\n"))
    assert members.gender == [""]
    assert not members.counted().any()


def test_an_empty_file_is_an_error():
    with pytest.raises(InputError) as caught:
        parse_members([])
    assert "empty" in csv_error_english(caught.value)
    with pytest.raises(InputError) as caught:
        parse_members(_lines(HEADER))
    assert "no members" in csv_error_english(caught.value)


def test_organizer_hours_must_be_numbers():
    with pytest.raises(InputError) as caught:
        parse_organizers(_lines("id,lat,lon,hours_per_week,months\nann,1,2,15,4\n"
                                "bob,1,2,lots,4\n"))
    assert csv_error_english(caught.value).startswith("line 3: hours_per_week 'lots'")


def test_organizer_reach_defaults_to_100_km():
    (ann,) = parse_organizers(_lines("id,lat,lon,hours_per_week,months\nann,1,2,15,4\n"))
    assert ann.reach_km == 100.0
