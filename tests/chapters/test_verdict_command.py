"""`chapterhouse verdict`: the qualification rule over a CSV file, without a database.

These tests request no `db` fixture: pytest-django would fail any ORM access.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "chapter,meeting,start,timezone,member,gender"
SCRIPT = Path(sys.executable).parent / "chapterhouse"


def rows(chapter: str, meeting: str, start: str, zone: str, women: int, men: int,
         undisclosed: int = 0) -> list[str]:
    genders = ["woman"] * women + ["man"] * men + [""] * undisclosed
    return [f"{chapter},{meeting},{start},{zone},{chapter[:2]}{i},{g}"
            for i, g in enumerate(genders)]


def write(tmp_path: Path, lines: list[str], name: str = "attendance.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def attendance(tmp_path: Path) -> Path:
    """Four chapters judged on 2014-01-01 (window: October to December 2013)."""
    lines = [
        # Qualifying: a good meeting each month; October's is 31 Oct evening in Los Angeles,
        # already November in UTC.
        *rows("Los Angeles", "la-oct", "2013-11-01T05:00:00+00:00", "America/Los_Angeles", 2, 4),
        *rows("Los Angeles", "la-nov", "2013-11-12T19:00-08:00", "America/Los_Angeles", 2, 3),
        *rows("Los Angeles", "la-dec", "2013-12-10T19:00-08:00", "America/Los_Angeles", 3, 3),
        # Lapsed: July to September good, October only 4 came.
        *rows("Auckland", "ak-jul", "2013-07-02T19:00+12:00", "Pacific/Auckland", 2, 3),
        *rows("Auckland", "ak-aug", "2013-08-02T19:00+12:00", "Pacific/Auckland", 2, 3),
        *rows("Auckland", "ak-sep", "2013-09-02T19:00+12:00", "Pacific/Auckland", 2, 3),
        *rows("Auckland", "ak-oct", "2013-10-02T19:00+13:00", "Pacific/Auckland", 1, 3),
        *rows("Auckland", "ak-nov", "2013-11-02T19:00+13:00", "Pacific/Auckland", 2, 3),
        *rows("Auckland", "ak-dec", "2013-12-31T23:30+13:00", "Pacific/Auckland", 2, 3),
        # Forming: good in December only; one woman and one non-binary member in November.
        *rows("Berlin", "b-dec", "2013-12-03T19:00+01:00", "Europe/Berlin", 2, 3),
        *rows("Berlin", "b-nov", "2013-11-03T19:00+01:00", "Europe/Berlin", 1, 3),
        "Berlin,b-nov,2013-11-03T19:00+01:00,Europe/Berlin,kim,nonbinary",
        # Forming and never met.
        "Accra,,,Africa/Accra,,",
    ]
    return write(tmp_path, lines)


def run(*args: str) -> str:
    out = StringIO()
    call_command("verdict", *args, stdout=out)
    return out.getvalue()


def as_json(path: Path, *args: str) -> dict:
    return json.loads(run("--attendance", str(path), "--on", "2014-01-01", "--format", "json",
                          *args))


def statuses(result: dict) -> dict[str, str]:
    return {c["chapter"]: c["status"] for c in result["chapters"]}


def test_json_gives_each_chapter_its_status_sorted_by_name(attendance: Path) -> None:
    result = as_json(attendance)
    assert [c["chapter"] for c in result["chapters"]] == [
        "Accra", "Auckland", "Berlin", "Los Angeles",
    ]
    assert statuses(result) == {
        "Accra": "forming", "Auckland": "lapsed", "Berlin": "forming", "Los Angeles": "qualifying",
    }


def test_json_months_give_the_best_meeting_of_each_month(attendance: Path) -> None:
    auckland = as_json(attendance)["chapters"][1]
    assert set(auckland) == {"chapter", "status", "reasons", "months"}
    assert auckland["months"] == [
        {"month": "2013-10", "ok": False, "attendees": 4, "women": None},
        {"month": "2013-11", "ok": True, "attendees": 5, "women": 2},
        {"month": "2013-12", "ok": True, "attendees": 5, "women": 2},
    ]
    assert auckland["reasons"] == [
        "Lapsed: 1 of the last 3 whole months did not meet the rule.",
        "Last qualified through September 2013.",
        "October 2013: best meeting had 4 attendees; needs 5 attendees.",
        "November 2013: best meeting had 5 attendees, of whom 40% women (2) ✓",
        "December 2013: best meeting had 5 attendees, of whom 40% women (2) ✓",
    ]


def test_json_reports_a_month_without_meetings_as_zero_attendees(attendance: Path) -> None:
    accra = as_json(attendance)["chapters"][0]
    assert accra["months"][0] == {"month": "2013-10", "ok": False, "attendees": 0,
                                  "women": None}
    assert accra["reasons"][1:] == [
        "October 2013: no meeting.", "November 2013: no meeting.", "December 2013: no meeting.",
    ]


def test_the_table_aligns_one_column_per_month_and_lists_the_reasons(attendance: Path) -> None:
    out = run("--attendance", str(attendance), "--on", "2014-01-01")
    lines = out.splitlines()
    assert lines[0].split() == ["chapter", "status", "2013-10", "2013-11", "2013-12"]
    assert set(lines[1]) <= {"-", " "}
    table = {line.split("  ")[0].strip(): line for line in lines[2:6]}
    assert table["Auckland"].split()[1:] == ["lapsed", "4/-", "no", "5/2", "ok", "5/2", "ok"]
    assert table["Los Angeles"].split()[2:] == ["qualifying", "6/2", "ok", "5/2", "ok", "6/3", "ok"]
    assert table["Accra"].split()[1:] == ["forming", "none", "none", "none"]
    # Each month column starts at the same place on every row.
    column = lines[0].index("2013-11")
    assert {line[column - 2:column] for line in lines[1:6]} == {"  "}
    assert "Auckland:" in lines
    assert "  October 2013: best meeting had 4 attendees; needs 5 attendees." in lines


def test_the_rule_settings_are_options(attendance: Path) -> None:
    assert statuses(as_json(attendance, "--months", "1"))["Berlin"] == "qualifying"
    assert statuses(as_json(attendance, "--min-attendees", "4"))["Auckland"] == "lapsed"
    lenient = as_json(attendance, "--min-attendees", "4", "--min-women-share", "0.25")
    assert statuses(lenient)["Auckland"] == "qualifying"
    inclusive = as_json(attendance, "--counted-genders", "woman,nonbinary", "--months", "2")
    assert statuses(inclusive)["Berlin"] == "qualifying"
    assert statuses(as_json(attendance, "--months", "2"))["Berlin"] == "forming"
    strict = as_json(attendance, "--min-women-share", "0.5")
    assert statuses(strict)["Los Angeles"] == "forming"


def test_exactly_thirty_percent_passes_from_the_command_line(tmp_path: Path) -> None:
    lines = [line for n in (10, 11, 12)
             for line in rows("Lima", f"m{n}", f"2013-{n}-05T19:00-05:00", "America/Lima", 3, 7)]
    path = write(tmp_path, lines)
    for share in ("0.3", "0.30", ".3"):
        assert statuses(as_json(path, "--min-women-share", share)) == {"Lima": "qualifying"}


@pytest.mark.parametrize(("lines", "message"), [
    (["Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,woman",
      "Oslo,m2,2013-11-05T19:00+01:00,Europe/Oslo,a,woman",
      "Oslo,m2,2013-11-05T19:00+01:00,Europe/Oslo,b,man",
      "Oslo,m2,2013-11-05T19:00+01:00,Europe/Oslo,c,man",
      "Oslo,m2,2013-11-05T19:00+01:00,Europe/Oslo,d,man",
      "Oslo,m3,2013-10-05 19:00,Europe/Oslo,a,woman"],
     "line 7: start '2013-10-05 19:00' has no UTC offset"),
    (["Oslo,m1,yesterday,Europe/Oslo,a,woman"],
     "line 2: start 'yesterday' is not an ISO 8601 datetime"),
    (["Oslo,m1,2013-10-05T19:00+02:00,Europe/Olso,a,woman"],
     "line 2: timezone 'Europe/Olso' is not a known IANA time zone"),
    (["Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,f"],
     "line 2: gender 'f' is not one of man, nonbinary, other, woman or empty"),
    (["Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,woman",
      "Oslo,m2,2013-10-06T19:00+02:00,Europe/Berlin,a,woman"],
     "line 3: chapter 'Oslo' has timezone 'Europe/Berlin' here but 'Europe/Oslo' on line 2"),
])
def test_bad_rows_stop_the_command_naming_the_line(tmp_path: Path, lines, message) -> None:
    path = write(tmp_path, lines)
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verdict", "--attendance", str(path), "--on", "2014-01-01", stdout=out)
    assert str(caught.value).startswith(f"{path}: {message}")
    assert out.getvalue() == ""


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "no-gender.csv"
    path.write_text("chapter,meeting,start,timezone,member\nOslo,m1,2013-10-05T19:00Z,UTC,a\n")
    with pytest.raises(CommandError, match="line 1: missing column gender"):
        run("--attendance", str(path), "--on", "2014-01-01")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(CommandError, match="the file is empty"):
        run("--attendance", str(path), "--on", "2014-01-01")


@pytest.mark.parametrize(("args", "message"), [
    (["--on", "2014-13-01"], "--on '2014-13-01' is not a date in the form YYYY-MM-DD"),
    (["--on", "1 January 2014"], "--on '1 January 2014' is not a date"),
    (["--on", "2014-01-01", "--min-women-share", "1.5"],
     "--min-women-share must be between 0 and 1, not 1.5"),
    (["--on", "2014-01-01", "--min-women-share", "-0.1"], "--min-women-share must be between"),
    (["--on", "2014-01-01", "--min-women-share", "30%"], "--min-women-share '30%' is not a number"),
    (["--on", "2014-01-01", "--min-women-share", "nan"], "--min-women-share must be between"),
    (["--on", "2014-01-01", "--months", "0"], "--months must be at least 1"),
    (["--on", "2014-01-01", "--min-attendees", "0"], "--min-attendees must be at least 1"),
    (["--on", "2014-01-01", "--counted-genders", "women"], "--counted-genders 'women': use"),
])
def test_bad_options_stop_the_command(attendance: Path, args: list[str], message: str) -> None:
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verdict", "--attendance", str(attendance), *args, stdout=out)
    assert str(caught.value).startswith(message)
    assert out.getvalue() == ""


# Through the console script, as a user runs it


def script(*args: str) -> subprocess.CompletedProcess[str]:
    # An unreachable database proves the command never needs one; a fixed key avoids writing
    # a generated one to var/.
    env = {**os.environ, "SECRET_KEY": "test-only",
           "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nowhere"}
    return subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(SCRIPT), "verdict", *args], capture_output=True, text=True, env=env, timeout=60,
        check=False,
    )


def test_the_console_script_prints_json_without_a_database(attendance: Path) -> None:
    done = script("--attendance", str(attendance), "--on", "2014-01-01", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert statuses(json.loads(done.stdout)) == {
        "Accra": "forming", "Auckland": "lapsed", "Berlin": "forming", "Los Angeles": "qualifying",
    }


def test_the_console_script_fails_on_bad_input_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, ["Oslo,m1,2013-10-05T19:00+02:00,Europe/Oslo,a,woman",
                            "Oslo,m2,2013-10-05 19:00,Europe/Oslo,a,woman"])
    done = script("--attendance", str(path), "--on", "2014-01-01")
    assert done.returncode != 0
    assert done.stdout == ""
    assert "line 3: start '2013-10-05 19:00' has no UTC offset" in done.stderr


def test_the_console_script_refuses_a_bad_date(attendance: Path) -> None:
    done = script("--attendance", str(attendance), "--on", "2014-02-30", "--format", "table")
    assert done.returncode != 0
    assert done.stdout == ""
    assert "--on '2014-02-30' is not a date" in done.stderr
