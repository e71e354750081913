"""`chapterhouse count` starts without Django's app registry (issue 12): through the console
script it must say exactly what the command says with every app installed, on success, on a
refusal, on a bad file, and for --help."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.runner import run_cli

RANKS = ("ballot,choices\n1,Ash>Birch>Cedar\n2,Birch>Ash\n3,Cedar>Birch\n4,Ash\n5,Ash>Ash\n"
         "6,Birch>Cedar>Ash\n7,Cedar\n")
POSITIONS = "ballot,choices\n1,agree\n2,abstain\n3,maybe\n4,disagree\n"
SCORES = "ballot,choices\n1,Ash=4;Birch=2.5\n2,Birch=5\n3,Ash=x\n"

CASES = {
    "irv json": (RANKS, ["--method", "irv"]),
    "stv table": (RANKS, ["--method", "stv", "--seats", "2", "--format", "table",
                          "--seed", "2026"]),
    "consent": (POSITIONS, ["--method", "consent", "--quorum", "1/2"]),
    "score": (SCORES, ["--method", "score", "--max-score", "5"]),
    "bad flag": (RANKS, ["--method", "irv", "--seats", "2"]),
    "bad file": ("choices\nA\n", ["--method", "irv"]),
    "argparse": (RANKS, ["--method", "borda"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_console_script_says_what_the_full_command_says(tmp_path: Path, case: str) -> None:
    body, options = CASES[case]
    path = tmp_path / "ballots.csv"
    path.write_text(body, encoding="utf-8")
    script = Path(sys.executable).parent / "chapterhouse"
    done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(script), "count", "--ballots", str(path), *options], capture_output=True,
        text=True, timeout=120, env={**os.environ, "SECRET_KEY": "test-only"}, check=False)
    full = run_cli("count", "--ballots", str(path), *options)
    assert (done.returncode, done.stdout, done.stderr.strip().splitlines()[-1:]) == (
        full.code, full.out, full.err.strip().splitlines()[-1:])


def test_help_is_the_full_commands_help() -> None:
    script = Path(sys.executable).parent / "chapterhouse"
    env = {**os.environ, "SECRET_KEY": "test-only"}
    light = subprocess.run([str(script), "count", "--help"], capture_output=True,  # noqa: S603
                           text=True, timeout=120, env=env, check=True)
    full = subprocess.run([sys.executable, "-c", "import sys; from django.core.management "
                           "import execute_from_command_line as run; "
                           "run(['chapterhouse', 'count', '--help'])"], capture_output=True,
                          text=True, timeout=120, env=env, check=True)
    assert light.stdout == full.stdout
