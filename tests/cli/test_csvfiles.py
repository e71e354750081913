"""The shared CSV reading of the command-line tools (chapterhouse/domain/csvfiles.py)."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import pytest

from chapterhouse.core.reasons import explain_english
from chapterhouse.core.reasons_csv import csv_error_english
from chapterhouse.domain.csvfiles import (
    CsvError,
    NumberError,
    bounded_fraction,
    header_names,
    read_lines,
    records,
)
from tests.cli.runner import assert_refused, run_cli


@pytest.mark.parametrize(("text", "value"), [
    ("3", Fraction(3)), (" -2.5 ", Fraction(-5, 2)), ("2/3", Fraction(2, 3)),
    ("1e3", Fraction(1000)), (".5", Fraction(1, 2)), ("1E-30", Fraction(1, 10**30)),
])
def test_numbers_people_write_are_read_exactly(text: str, value: Fraction) -> None:
    assert bounded_fraction(text) == value


@pytest.mark.parametrize(("text", "reason"), [
    ("1e999999999", "exponent"), ("1e-999999999", "exponent"), ("9" * 41, "too long"),
    ("nan", "not a number"), ("inf", "not a number"), ("1_000", "not a number"),
    ("1/0", "divides by zero"), ("", "not a number"), ("3 4", "not a number"),
])
def test_other_numbers_are_refused_at_once(text: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(NumberError) as caught:
        bounded_fraction(text)
    assert time.monotonic() - started < 0.1
    assert isinstance(caught.value, ValueError)
    assert reason in explain_english(caught.value.reason)


def test_a_bad_byte_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes("a,b\n1,2\n3,é\n".encode() + b"4,\xff\n")
    with pytest.raises(CsvError) as caught:
        read_lines(path)
    assert csv_error_english(caught.value).startswith("line 4: the file is not UTF-8")


def test_a_byte_order_mark_is_dropped_and_only_cr_and_lf_end_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("\ufeffa,b\r\n\"x\u2028y\",\x0c\n3,4\n", encoding="utf-8")
    assert list(records(read_lines(path))) == [(1, ["a", "b"]), (2, ["x\u2028y", "\x0c"]),
                                               (3, ["3", "4"])]


def test_a_column_named_twice_is_refused_but_blank_ones_are_not() -> None:
    assert header_names([" A", "b", "", ""], 1) == ["a", "b", "", ""]
    with pytest.raises(CsvError) as caught:
        header_names(["a", "b", "A "], 1)
    assert csv_error_english(caught.value).startswith("line 1: the column 'a' appears twice")


def test_export_members_refuses_an_output_it_cannot_write_before_reading_anything(
        tmp_path: Path) -> None:
    # No database access is allowed here: the refusal comes before any query.
    assert_refused(run_cli("export_members", "--out", str(tmp_path / "no" / "x.csv")),
                   "--out", "does not exist")
    assert_refused(run_cli("export_members", "--out", str(tmp_path)), "--out", "is a folder")


@pytest.mark.parametrize("interval", ["nan", "inf", "-1", "0"])
def test_run_jobs_refuses_an_interval_it_cannot_sleep(interval: str) -> None:
    assert_refused(run_cli("run_jobs", "--interval", interval), "--interval")
