"""`chapterhouse plan` refuses every bad input in one line naming the line or the option, with
exit status 2, before any planning and without writing anything (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.runner import assert_clean, assert_refused, run_cli

MEMBERS = "id,lat,lon,gender,chapter,willing\n" + "".join(
    f"{i},48.85,2.35,{'woman' if i < 3 else 'man'},,\n" for i in range(7))
ORGANIZERS = "id,lat,lon,hours_per_week,months\nann,48.9,2.4,15,4\n"


def write(tmp_path: Path, text: str | bytes, name: str = "members.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def plan(tmp_path: Path, *options: str, members: str | bytes = MEMBERS):
    return run_cli("plan", "--members", write(tmp_path, members), "--exact-seconds", "0.2",
                   *options)


def test_a_good_file_still_gives_a_plan(tmp_path: Path) -> None:
    ran = plan(tmp_path, "--format", "table")
    assert ran.code == 0
    assert ran.out.startswith("New chapters: 1 from 7 eligible members")


@pytest.mark.parametrize(("members", "words"), [
    (MEMBERS + f"{'x' * 200_000},48.8,2.3,,,\n", ["line 9", "longer than 131,072"]),
    ("id,lat,lon,lat,chapter\n1,48,2,49,\n", ["line 1", "'lat' appears twice"]),
    (MEMBERS + "99,1e999999999,2,,,\n", ["line 9", "latitude", "not a finite number"]),
    (MEMBERS + "99," + "1" * 100_000 + ",2,,,\n", ["line 9", "latitude", "is not a number"]),
    (MEMBERS + "99,-91,2,,,\n", ["line 9", "latitude -91 is outside"]),
    (MEMBERS + "9\x00,48,2,,,\n", ["line 9", "NUL"]),
    (MEMBERS + "99,48,2,,,,extra\n", ["line 9", "7 fields but the header has 6"]),
    ("id,lat,lon\n1,2,3\n", ["line 1", "missing column chapter"]),
    ("", ["line 1", "the file is empty"]),
    (bytes(range(256)) * 4, ["line 2", "not UTF-8"]),
    (MEMBERS.encode() + b"8,48,2,\xe9,,\n", ["line 9", "not UTF-8"]),
])
def test_bad_member_files_are_refused_naming_the_line(tmp_path: Path, members, words) -> None:
    assert_refused(plan(tmp_path, members=members), *words)


@pytest.mark.parametrize(("organizers", "words"), [
    ("id,lat,lon,hours_per_week,months\na,48,2,10,1e999999999\n", ["line 2", "months"]),
    ("id,lat,lon,hours_per_week,months\na,48,2,-10,4\n", ["line 2", "hours_per_week -10"]),
    ("id,lat,lon,hours_per_week,months,months\na,48,2,10,4,5\n", ["line 1", "'months'"]),
])
def test_bad_organizer_files_are_refused_naming_the_line(tmp_path: Path, organizers,
                                                        words) -> None:
    path = write(tmp_path, organizers, "organizers.csv")
    assert_refused(plan(tmp_path, "--organizers", path), *words)


@pytest.mark.parametrize(("options", "words"), [
    (["--today", "0001-01-01"], ["--today 0001-01-01 is not between"]),
    (["--deadline", "9999-12-31"], ["--deadline 9999-12-31 is not between"]),
    (["--today", "9999-12-31"], ["--today"]),
    (["--deadline", "July"], ["--deadline 'July' is not a date"]),
    (["--radius-km", "inf"], ["--radius-km inf is not a finite number"]),
    (["--radius-km", "nan"], ["--radius-km nan"]),
    (["--radius-km", "-5"], ["--radius-km must be between"]),
    (["--min-size", "1000000000"], ["--min-size must be between 1 and 10,000"]),
    (["--min-women-share", "2"], ["--min-women-share"]),
    (["--target-chapters", "-3"], ["--target-chapters"]),
    (["--target-chapters", "1" + "0" * 12], ["--target-chapters"]),
    (["--qualifying-now", "-1"], ["--qualifying-now"]),
    (["--hours-per-chapter", "0"], ["--hours-per-chapter"]),
    (["--hours-per-chapter", "nan"], ["--hours-per-chapter"]),
    (["--exact-seconds", "1e308"], ["--exact-seconds"]),
    (["--exact-seconds", "-1"], ["--exact-seconds"]),
    (["--counted-genders", "bogus"], ["--counted-genders 'bogus'"]),
    (["--split", "X=" + "9" * 30], ["--split"]),
    (["--split", "nonsense"], ["--split"]),
    (["--min-size", "5.5"], ["--min-size"]),  # argparse's own message
])
def test_bad_options_are_refused_naming_the_option(tmp_path: Path, options, words) -> None:
    assert_refused(plan(tmp_path, *options), *words)


def test_an_output_into_a_missing_folder_or_onto_a_folder_is_refused_before_planning(
        tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "plan.json"
    assert_refused(plan(tmp_path, "--out", str(missing)), "--out", "does not exist")
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_refused(plan(tmp_path, "--out", str(folder)), "--out", "is a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "members.csv"]
    assert list(folder.iterdir()) == []


# Fuzzing: whatever the files and the options, exit 0 or 2, never a traceback, in seconds.

CELLS = st.one_of(
    st.sampled_from(["1", "2", "a", "48.85", "2.35", "-90", "180", "181", "woman", "man", "",
                     "yes", "no", "maybe", "NYC", "1e999999999", "nan", "-inf", "0x10", "1_0",
                     "\u2028", "\"", "x" * 500, "9" * 400]),
    st.text(max_size=8),
)
COLUMNS = st.sampled_from(["id", "lat", "lon", "gender", "chapter", "willing", "active", "",
                           "hours_per_week", "months", "reach_km", "LAT"])
OPTIONS = st.lists(st.sampled_from([
    ["--radius-km", "0.0001"], ["--radius-km", "20040"], ["--radius-km", "1e308"],
    ["--min-size", "1"], ["--min-size", "0"], ["--min-size", "10000"],
    ["--min-women-share", "0"], ["--min-women-share", "1"], ["--min-women-share", "nan"],
    ["--today", "1900-01-01"], ["--deadline", "2199-12-31"], ["--deadline", "0001-01-01"],
    ["--today", "2014-02-01"], ["--deadline", "2014-07-01"],
    ["--target-chapters", "100000"], ["--qualifying-now", "-5"],
    ["--hours-per-chapter", "1"], ["--hours-per-chapter", "1e-300"],
    ["--counted-genders", "man,other"], ["--counted-genders", ""], ["--mode", "quality"],
    ["--format", "table"], ["--split", "NYC=5128581"], ["--split", "=1"],
]), max_size=3)


def _grid(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(f'"{c}"' if c and c[0] in "\"," else c for c in row)
                     for row in [header, *rows]) + "\n"


GRIDS = st.one_of(
    st.binary(max_size=400),
    st.builds(_grid, st.lists(COLUMNS, min_size=1, max_size=7),
              st.lists(st.lists(CELLS, max_size=7), max_size=8)),
    st.builds(lambda rows: _grid(["id", "lat", "lon", "gender", "chapter"], rows),
              st.lists(st.lists(CELLS, min_size=5, max_size=5), max_size=10)),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(members=GRIDS, organizers=st.one_of(st.none(), GRIDS), options=OPTIONS)
def test_fuzz_plan_ends_cleanly(tmp_path: Path, members, organizers, options) -> None:
    extra = [word for pair in options for word in pair]
    if organizers is not None:
        extra += ["--organizers", write(tmp_path, organizers, "organizers.csv")]
    ran = plan(tmp_path, *extra, members=members)
    assert_clean(ran)
    assert ran.seconds < 10
