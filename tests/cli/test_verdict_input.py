"""`chapterhouse verdict` refuses every bad input in one line naming the line or the option, with
exit status 2, and nothing else: no traceback, no hang, no output (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.runner import assert_clean, assert_refused, run_cli

HEADER = "chapter,meeting,start,timezone,member,gender"
ROW = "Vienna,m1,2013-11-05T19:00+01:00,Europe/Vienna"
GOOD = [f"{ROW},p{i},{'woman' if i < 2 else 'man'}" for i in range(6)]


def write(tmp_path: Path, text: str | bytes, name: str = "attendance.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def verdict(path: str, *options: str):
    return run_cli("verdict", "--attendance", path, "--on", "2014-01-01", *options)


def test_a_good_file_still_gives_its_verdict(tmp_path: Path) -> None:
    ran = verdict(write(tmp_path, "\n".join([HEADER, *GOOD]) + "\n"))
    assert ran.code == 0
    assert "Vienna" in ran.out
    assert ran.err == ""


@pytest.mark.parametrize(("body", "words"), [
    # a field over the csv module's 128 KB limit
    (f"{HEADER}\n{ROW},{'x' * 200_000},woman\n", ["line 2", "longer than 131,072"]),
    # years 1 and 9999: the UTC conversion overflowed
    (f"{HEADER}\nVienna,m1,0001-01-01T00:00+01:00,Europe/Vienna,p,woman\n",
     ["line 2", "not between 1900-01-01 and 2199-12-31"]),
    (f"{HEADER}\nVienna,m1,9999-12-31T23:00-05:00,Europe/Vienna,p,woman\n",
     ["line 2", "not between"]),
    # a duplicated header column: which one is the gender?
    (f"{HEADER},gender\n{ROW},p,woman,man\n", ["line 1", "'gender' appears twice"]),
    # one attendee with two genders at one meeting
    (f"{HEADER}\n{ROW},p,woman\n{ROW},p,man\n", ["line 3", "'p'", "on line 2"]),
    ("", ["the file is empty"]),
    (f"{HEADER}\n{ROW},p,woman,extra,more\n", ["line 2", "8 fields but the header has 6"]),
    (f"chapter,meeting,start,timezone,member\n{ROW},p\n", ["line 1", "missing column gender"]),
    (f"{HEADER}\n{ROW},p\x00,woman\n", ["line 2", "NUL"]),
    (f"{HEADER}\n{ROW},p,woman\n".encode() + b"Wien\xe9,m2\n", ["line 3", "not UTF-8"]),
    (bytes(range(256)) * 4, ["line 2", "not UTF-8"]),
])
def test_bad_files_are_refused_naming_the_line(tmp_path: Path, body, words) -> None:
    assert_refused(verdict(write(tmp_path, body)), *words)


@pytest.mark.parametrize(("options", "words"), [
    (["--months", "100000"], ["--months must be at most 120"]),
    (["--months", "-3"], ["--months must be at least 1"]),
    (["--min-attendees", "1" + "0" * 30], ["--min-attendees must be at most"]),
    (["--min-women-share", "1e999999999"], ["--min-women-share"]),
    (["--min-women-share", "NaN"], ["--min-women-share"]),
    (["--min-women-share", "inf"], ["--min-women-share"]),
    (["--min-women-share", "9" * 5000], ["--min-women-share", "is not a number"]),
    (["--counted-genders", ","], ["--counted-genders"]),
    (["--months", "lots"], ["--months"]),  # argparse's own message
])
def test_bad_options_are_refused_naming_the_option(tmp_path: Path, options, words) -> None:
    path = write(tmp_path, "\n".join([HEADER, *GOOD]) + "\n")
    assert_refused(verdict(path, *options), *words)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31"])
def test_a_date_out_of_range_is_refused(tmp_path: Path, day: str) -> None:
    path = write(tmp_path, "\n".join([HEADER, *GOOD]) + "\n")
    ran = run_cli("verdict", "--attendance", path, "--on", day)
    assert_refused(ran, f"--on {day} is not between")


def test_a_folder_or_missing_file_is_refused(tmp_path: Path) -> None:
    assert_refused(verdict(str(tmp_path)), "cannot read", "Is a directory")
    assert_refused(verdict(str(tmp_path / "nowhere.csv")), "cannot read")


# Fuzzing: whatever the file and the options, exit 0 or 2, never a traceback, in seconds.

CELLS = st.one_of(
    st.sampled_from(["Vienna", "Oslo", "m1", "m2", "p1", "p2", "woman", "man", "nonbinary", "",
                     "Europe/Vienna", "Pacific/Auckland", "/etc/passwd", "Mars/Olympus",
                     "2013-11-05T19:00+01:00", "2013-12-31T23:30+13:00", "0001-01-01T00:00Z",
                     "9999-12-31T23:59:59-23:59", "2013-11-05", "1e999999999", "NaN", "-1",
                     "chapter", "gender", "\u2028", "\x0c", "\r", "\"", "x" * 1000]),
    st.text(max_size=12),
)
COLUMNS = st.sampled_from([*HEADER.split(","), "note", "", "Gender", " start "])
OPTIONS = st.lists(st.sampled_from([
    ["--months", "1"], ["--months", "100000"], ["--months", "0"], ["--months", "x"],
    ["--min-attendees", "-1"], ["--min-attendees", "999999999999"],
    ["--min-women-share", "1e999999999"], ["--min-women-share", "0.5"],
    ["--min-women-share", "-0"], ["--counted-genders", "woman,man"],
    ["--counted-genders", "ghost"], ["--format", "json"], ["--format", "xml"],
    ["--on", "0001-01-01"], ["--on", "2199-12-31"], ["--on", "2014-02-30"],
]), max_size=3)


def _grid(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(f'"{c}"' if c and c[0] in "\"," else c for c in row)
                     for row in [header, *rows]) + "\n"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=600),
    st.builds(_grid, st.lists(COLUMNS, min_size=1, max_size=8),
              st.lists(st.lists(CELLS, max_size=8), max_size=8)),
    st.builds(lambda rows: _grid(HEADER.split(","), rows),
              st.lists(st.lists(CELLS, min_size=6, max_size=7), max_size=10)),
), options=OPTIONS)
def test_fuzz_verdict_ends_cleanly(tmp_path: Path, data, options) -> None:
    ran = verdict(write(tmp_path, data), *[word for pair in options for word in pair])
    assert_clean(ran)
    assert ran.seconds < 5
