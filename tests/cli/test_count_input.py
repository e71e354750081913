"""`chapterhouse count` refuses every bad input in one line naming the line or the option, with
exit status 2 (issue 10). A ballot with unreadable marks, even a score of 1e999999999, is not a
bad file: it is reported as invalid by its id and the count goes on, as with paper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.runner import assert_clean, assert_refused, run_cli

SCORES = "ballot,choices\n1,A=3;B=2\n2,A=1;B=5\n"
RANKS = "ballot,choices\n1,A>B\n2,B>A\n3,A\n"
POSITIONS = "ballot,choices\n1,agree\n2,agree\n3,block\n"


def write(tmp_path: Path, text: str | bytes, name: str = "ballots.csv") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def count(tmp_path: Path, body: str | bytes, *options: str):
    return run_cli("count", "--ballots", write(tmp_path, body), *options)


@pytest.mark.parametrize("score", ["1e999999999", "1e-999999999", "9" * 5000, "1/0", "inf"])
def test_an_absurd_score_spoils_its_ballot_in_an_instant(tmp_path: Path, score: str) -> None:
    ran = count(tmp_path, SCORES + f"3,A={score}\n", "--method", "score")
    assert ran.code == 0
    assert ran.seconds < 2
    (invalid,) = json.loads(ran.out)["invalid"]
    assert invalid["ballot"] == "3"
    assert invalid["reason"].startswith("score '")
    assert json.loads(ran.out)["winners"] == ["B"]


@pytest.mark.parametrize(("body", "method", "words"), [
    (RANKS + f"4,{'A' * 200_000}\n", "irv", ["line 5", "longer than 131,072"]),
    ("ballot,choices,choices\n1,A,B\n", "plurality", ["line 1", "'choices' appears twice"]),
    ("ballot,Ballot,choices\n1,2,A\n", "plurality", ["line 1", "'ballot' appears twice"]),
    (RANKS + "4,A>B,C\n", "irv", ["line 5", "3 fields but the header has 2"]),
    ("ballot,choices\n1,A\x00\n", "plurality", ["line 2", "NUL"]),
    ("", "irv", ["line 1", "the file is empty"]),
    (bytes(range(256)) * 4, "irv", ["line 2", "not UTF-8"]),
    ("ballot,choices\n1,Cr\xe8me\n".encode("latin-1"), "plurality", ["line 2", "not UTF-8"]),
    ("1,A>B\n", "irv", ["line 1", "missing header"]),
    (RANKS + "1,B\n", "irv", ["line 5", "duplicate ballot id '1'"]),
    ("ballot,choices\n" + "".join(f"{i},{'>'.join(str(j) for j in range(150))}\n"
                                  for i in range(3)), "stv", ["line 2", "more than 100"]),
    ("ballot,choices\n1,A\n", "consent", ["line 2"]),  # not a position: reported, exit 0 below
])
def test_bad_files_are_refused_naming_the_line(tmp_path: Path, body, method, words) -> None:
    ran = count(tmp_path, body, "--method", method)
    if method == "consent":
        assert ran.code == 0
        assert json.loads(ran.out)["invalid"][0]["ballot"] == "1"
        return
    assert_refused(ran, *words)


@pytest.mark.parametrize(("options", "words"), [
    (["--method", "score", "--max-score", "1e999999999"], ["--max-score", "exponent"]),
    (["--method", "score", "--max-score", "-1"], ["--max-score must be above 0"]),
    (["--method", "score", "--max-score", "nan"], ["--max-score 'nan' is not a number"]),
    (["--method", "stv", "--seats", "1000000000"], ["--seats must be between 1 and 1,000"]),
    (["--method", "stv", "--seats", "1" + "0" * 30], ["--seats"]),
    (["--method", "stv", "--seats", "-1"], ["--seats"]),
    (["--method", "irv", "--seats", "2"], ["irv elects one winner"]),
    (["--method", "stv", "--options", ",".join(str(i) for i in range(101))], ["--options"]),
    (["--method", "consent", "--threshold", "1e999999999"], ["--threshold", "not a share"]),
    (["--method", "consent", "--quorum", "1e-999999999"], ["--quorum", "not a share"]),
    (["--method", "consent", "--quorum", "2"], ["--quorum '2' is not a share"]),
    (["--method", "consent", "--eligible", "-5"], ["--eligible cannot be negative"]),
    (["--method", "consent", "--eligible", "1"], ["--eligible 1:"]),
    (["--method", "consent", "--max-blocks", "-1"], ["--max-blocks cannot be negative"]),
    (["--method", "borda"], ["--method"]),  # argparse's own message
])
def test_bad_options_are_refused_naming_the_option(tmp_path: Path, options, words) -> None:
    body = POSITIONS if "consent" in options else RANKS
    assert_refused(count(tmp_path, body, *options), *words)


def test_the_console_script_refuses_a_huge_exponent_in_seconds(tmp_path: Path) -> None:
    """Through the installed script, as a user runs it: this hung for minutes before."""
    script = Path(sys.executable).parent / "chapterhouse"
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(script), "count", "--ballots", write(tmp_path, SCORES), "--method", "score",
         "--max-score", "1e999999999"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "SECRET_KEY": "test-only"}, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == ("CommandError: --max-score '1e999999999' has an exponent "
                                   "beyond ±30")
    assert time.monotonic() - started < 60  # the interpreter's start-up, on a busy machine


# Fuzzing: whatever the file and the options, exit 0 or 2, never a traceback, in seconds.

CELLS = st.one_of(
    st.sampled_from(["1", "2", "x", "A", "B>A", "A>B>C", "A;B", "A=3;B=1", "A=1e999999999",
                     "B=-2", "A=1/0", "A==", "agree", "block", "", ">", ";;", "=", "ballot",
                     "choices", "\u2028", "\"", "A" * 500, "9" * 400]),
    st.text(max_size=10),
)
COLUMNS = st.sampled_from(["ballot", "choices", "", "note", "Ballot"])
OPTIONS = st.lists(st.sampled_from([
    ["--seats", "0"], ["--seats", "3"], ["--seats", "1000"], ["--seats", "9" * 50],
    ["--max-score", "5"], ["--max-score", "1e999999999"], ["--max-score", "0"],
    ["--options", "A,B"], ["--options", ""], ["--seed", "x" * 1000], ["--format", "table"],
    ["--eligible", "0"], ["--eligible", "100"], ["--quorum", "1/2"], ["--quorum", "nan"],
    ["--threshold", "2/3"], ["--threshold", "1/0"], ["--max-blocks", "-1"],
]), max_size=3)


def _grid(header: list[str], rows: list[list[str]]) -> str:
    return "\n".join(",".join(f'"{c}"' if c and c[0] in "\"," else c for c in row)
                     for row in [header, *rows]) + "\n"


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.one_of(
    st.binary(max_size=400),
    st.builds(_grid, st.lists(COLUMNS, min_size=1, max_size=4),
              st.lists(st.lists(CELLS, max_size=4), max_size=10)),
    st.builds(lambda rows: _grid(["ballot", "choices"], rows),
              st.lists(st.lists(CELLS, min_size=2, max_size=2), max_size=12)),
), method=st.sampled_from(["plurality", "approval", "irv", "stv", "score", "consent"]),
    options=OPTIONS)
def test_fuzz_count_ends_cleanly(tmp_path: Path, data, method, options) -> None:
    ran = count(tmp_path, data, "--method", method, *[word for pair in options for word in pair])
    assert_clean(ran)
    assert ran.seconds < 5
