"""`chapterhouse apportion`: the US House 2020 from the published populations, as JSON and as
a table; every bad input refused in one line with exit status 2 and nothing on stdout."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.runner import APPS, assert_clean, assert_refused, run_cli

APPS.setdefault("apportion", "chapterhouse.convention")
DATA = Path(__file__).parent.parent / "data"
US = str(DATA / "us_house_2020_populations.csv")


def write(tmp_path: Path, text: str | bytes) -> str:
    path = tmp_path / "units.csv"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_us_house_2020_as_json() -> None:
    ran = run_cli("apportion", "--units", US, "--seats", "435", "--method", "huntington-hill",
                  "--floor", "1")
    assert ran.code == 0, ran.err
    result = json.loads(ran.out)
    with open(DATA / "us_house_2020_seats.csv", newline="", encoding="utf-8") as handle:
        published = {row["unit"]: int(row["seats"]) for row in csv.DictReader(handle)}
    assert {u["unit"]: u["seats"] for u in result["units"]} == published
    assert result["method"] == "huntington-hill"
    assert result["seats"] == 435


def test_a_table_with_the_dhondt_alias(tmp_path: Path) -> None:
    path = write(tmp_path, "unit,population\nA,100000\nB,80000\nC,30000\nD,20000\n")
    ran = run_cli("apportion", "--units", path, "--seats", "8", "--method", "dhondt",
                  "--floor", "0", "--format", "table")
    assert ran.code == 0, ran.err
    rows = {line.split()[0]: line.split()[-1] for line in ran.out.splitlines()[2:]}
    assert rows == {"A": "4", "B": "3", "C": "1", "D": "0"}


@pytest.mark.parametrize(("body", "options", "words"), [
    ("unit,population\nA,10\n", ["--method", "borda"], ["--method must be one of"]),
    ("unit,population\nA,10\n", ["--seats", "many"], ["--seats must be a whole number"]),
    ("unit,population\nA,10\n", ["--floor", "-1"], ["--floor must be a whole number"]),
    ("unit,population\nA,10\nB,20\nC,5\n", ["--seats", "2"], ["needs 3"]),
    ("unit,people\nA,10\n", [], ["no column population"]),
    ("unit,population\nA,ten\n", [], ["line 2", "'ten'"]),
    ("unit,population\nA,-4\n", [], ["line 2", "'-4'"]),
    ("unit,population\nA,1\nA,2\n", [], ["line 3", "listed twice"]),
    ("unit,population\n,5\n", [], ["line 2", "without a unit name"]),
    ("", [], ["empty"]),
    ("unit,population\n", [], ["no units"]),
    (b"unit,population\nA,\xff\n", [], ["line 2", "UTF-8"]),
    ("unit,population\nA,0\nB,0\n", ["--seats", "5"], ["every population is 0"]),
])
def test_bad_input_is_refused_in_one_line(tmp_path: Path, body, options, words) -> None:
    defaults = {"--seats": "5", "--method": "webster", "--floor": "1"}
    for flag, value in zip(options[::2], options[1::2], strict=True):
        defaults[flag] = value
    args = [arg for pair in defaults.items() for arg in pair]
    ran = run_cli("apportion", "--units", write(tmp_path, body), *args)
    assert_refused(ran, *words)


def test_a_missing_file(tmp_path: Path) -> None:
    ran = run_cli("apportion", "--units", str(tmp_path / "nope.csv"), "--seats", "3",
                  "--method", "hamilton")
    assert_refused(ran, "cannot read")


def test_a_population_with_thousands_separators_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, 'unit,population\nA,"1,000"\nB,500\n')
    ran = run_cli("apportion", "--units", path, "--seats", "3", "--method", "hamilton",
                  "--floor", "0")
    assert_clean(ran)
    assert [u["seats"] for u in json.loads(ran.out)["units"]] == [2, 1]
