import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert csv_error_english(caught.value).startswith("line 1: missing column chapter")


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


# The columnar reader (read_members) gives exactly parse_members's result on clean files, and
# leaves every other file to it (same members, or the same error naming the line).

def _both(tmp_path, data: bytes):
    from chapterhouse.domain.csvfiles import decode_lines
    from chapterhouse.planning.members_csv import read_clean_members, read_members

    path = tmp_path / "members.csv"
    path.write_bytes(data)
    try:
        slow = parse_members(decode_lines(data, InputError))
    except InputError as error:
        expected = (error.reason, error.line)
    else:
        expected = None
    if expected is not None:
        with pytest.raises(InputError) as caught:
            read_members(path)
        assert (caught.value.reason, caught.value.line) == expected
        return None, read_clean_members(data)
    fast = read_members(path)
    for name in ("ids", "gender", "chapter"):
        assert getattr(fast, name) == getattr(slow, name)
    for name in ("lat", "lon", "willing", "active_given"):
        a, b = getattr(fast, name), getattr(slow, name)
        assert a.dtype == b.dtype
        assert a.tolist() == b.tolist()
    return slow, read_clean_members(data)


CLEAN = (b"id,LAT , lon,gender,chapter,willing,active,notes\n"
         b"a,48.1,2.3,Woman,,yes,,x\n"
         b"b,-48.125e0,+2.30000000000000000001,, Paris ,NO,yes,\n\n"
         b"c,.5,180,nonbinary,Paris,,no,\xc3\xa9t\xc3\xa9\n"
         b"\xc3\xa9 d,1.,-180,man,,,,\n")


def test_a_clean_file_is_read_by_columns_as_row_by_row(tmp_path):
    slow, fast = _both(tmp_path, CLEAN)
    assert slow is not None
    assert fast is not None
    assert fast.ids == ["a", "b", "c", "\xe9 d"]
    assert fast.chapter == ["", "Paris", "Paris", ""]
    _, fast = _both(tmp_path, b"\xef\xbb\xbf" + CLEAN.replace(b"\n", b"\r\n"))
    assert fast is not None
    _, fast = _both(tmp_path, b"id,lat,lon,chapter\na,1,2,\nb,3,4,x")  # no gender, no newline
    assert fast is not None
    assert fast.gender == ["", ""]


@pytest.mark.parametrize("data", [
    b'id,lat,lon,chapter\n"a",1,2,\n',  # quotes
    b"id,lat,lon,chapter\na,1,2,\rb,1,2,\n",  # a lone carriage return
    b"id,lat,lon,chapter\na, 1,2,\n",  # a space float() ignores
    b"id,lat,lon,chapter\na,1_0,2,\n",  # an underscore float() reads
    b"id,lat,lon,chapter\na,1,2\n",  # a short row (allowed row by row)
])
def test_files_the_columns_cannot_vouch_for_are_read_row_by_row(tmp_path, data):
    slow, fast = _both(tmp_path, data)
    assert slow is not None
    assert fast is None


def test_ids_with_spaces_are_trimmed_as_row_by_row(tmp_path):
    _slow, fast = _both(tmp_path, b"id,lat,lon,chapter\n a ,1,2,\nb\t,1,2,\n")
    assert fast is not None
    assert fast.ids == ["a", "b"]


@pytest.mark.parametrize("data", [
    b"id,lat,lon,chapter\na,1,2,\na,1,2,\n",
    b"id,lat,lon,chapter\n a,1,2,\na ,1,2,\n",
    b"id,lat,lon,chapter\n,1,2,\n",
    b"id,lat,lon,chapter\na,91,2,\n",
    b"id,lat,lon,chapter\na,1,-180.0001,\n",
    b"id,lat,lon,chapter\na,1e999,2,\n",
    b"id,lat,lon,chapter\na,nan,2,\n",
    b"id,lat,lon,chapter\na,1." + b"0" * 40 + b",2,\n",
    b"id,lat,lon,chapter\na,1e,2,\n",
    b"id,lat,lon,chapter\na,,2,\n",
    b"id,lat,lon,chapter,gender\na,1,2,,lady\n",
    b"id,lat,lon,chapter,willing\na,1,2,,maybe\n",
    b"id,lat,lon,chapter\na,1,2,,x\n",
    b"id,lat,lon,lat,chapter\na,1,2,3,\n",
    b"id,lat,lon\na,1,2\n",
    b"id,lat,lon,chapter\n",
    b"\nid,lat,lon,chapter\na,1,2,\n",  # a blank header line
    b"",
    b"id,lat,lon,chapter\na\x00,1,2,\n",
    b"id,lat,lon,chapter\na,1,2,\n\xe9,1,2,\n",
    b"id,lat,lon,chapter\n" + b"x" * 140_000 + b",1,2,\n",
])
def test_bad_files_give_the_row_by_row_error(tmp_path, data):
    slow, fast = _both(tmp_path, data)
    assert slow is None
    assert fast is None


def test_coordinates_convert_exactly_as_float_does(tmp_path):
    import random

    rng = random.Random(12)
    cells = [repr(rng.uniform(-90, 90)) for _ in range(2000)]
    cells += [f"{rng.uniform(-90, 90):.{rng.randint(0, 25)}f}" for _ in range(2000)]
    cells += [f"{rng.uniform(-9, 9):.17e}" for _ in range(1000)] + ["1e-400", "-0", "0.0e+1"]
    data = "id,lat,lon,chapter\n" + "".join(f"m{i},{c},0,\n" for i, c in enumerate(cells))
    _slow, fast = _both(tmp_path, data.encode())
    assert fast is not None
    assert fast.lat.tolist() == [float(c) for c in cells]


def test_cells_pyarrow_could_take_for_missing_stay_text(tmp_path):
    _, fast = _both(tmp_path, b"id,lat,lon,chapter\nNA,1,2,null\nnan,1,2,N/A\n")
    assert fast is not None
    assert fast.ids == ["NA", "nan"]
    assert fast.chapter == ["null", "N/A"]


CELL = st.one_of(st.sampled_from(["1", "-2.5", "48.85", ".5", "5.", "1e3", "1e999", "nan", "",
                                  " 3", "1_0", "woman", " Man ", "lady", "yes", "NO", "maybe",
                                  "a", "a ", "\u00e9", "\x1c", "\"", "x,y", "\r", "+0"]),
                 st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
                         max_size=4))
COLUMN = st.sampled_from(["id", "lat", "lon", "chapter", "gender", "willing", "active", "",
                          "LAT", "notes"])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(COLUMN, min_size=4, max_size=7),
       rows=st.lists(st.lists(CELL, min_size=3, max_size=8), max_size=6),
       crlf=st.booleans())
def test_any_file_reads_the_same_by_columns_or_row_by_row(tmp_path, header, rows, crlf):
    text = "\n".join(",".join(row) for row in [header, *rows]) + "\n"
    _both(tmp_path, text.replace("\n", "\r\n" if crlf else "\n").encode())


GOOD = {
    "id": st.sampled_from(["a", "b", "c", " d", "e\u00e9", "NA", "f\t"]),
    "lat": st.one_of(st.floats(-90, 90).map(repr), st.sampled_from(["-90", "90.0", "1e1", "91"])),
    "lon": st.one_of(st.floats(-180, 180).map(lambda x: f"{x:.5f}"), st.sampled_from(["+1", "."])),
    "chapter": st.sampled_from(["", "Paris", " Paris", "Lyon "]),
    "gender": st.sampled_from(["", "woman", "MAN", " other", "nonbinary", "lady"]),
    "willing": st.sampled_from(["", "yes", "no", "No ", "maybe"]),
    "active": st.sampled_from(["", "yes", "no", "YES"]),
    "notes": st.text(alphabet="ab ;\u00e9", max_size=3),
}


@st.composite
def mostly_clean(draw):
    header = draw(st.permutations(["id", "lat", "lon", "chapter", *draw(st.lists(
        st.sampled_from(["gender", "willing", "active", "notes"]), unique=True))]))
    rows = draw(st.lists(st.tuples(*(GOOD[c] for c in header)), min_size=1, max_size=6))
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=mostly_clean())
def test_mostly_clean_files_read_the_same_by_columns_or_row_by_row(tmp_path, text):
    _both(tmp_path, text.encode())
