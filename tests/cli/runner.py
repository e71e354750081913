"""Run a command-line tool in-process, as `chapterhouse NAME ARGS...` would from a shell.

`run_from_argv` is what the console script calls: argparse errors and CommandError both end in
SystemExit with the message on stderr, so a test sees the exit status and the text a user sees,
in milliseconds instead of a subprocess's seconds. Any other exception escapes: a traceback.
"""

from __future__ import annotations

import time
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from io import StringIO

from django.core.management import load_command_class
from django.core.management.base import OutputWrapper

APPS = {"verdict": "chapterhouse.chapters", "plan": "chapterhouse.planner",
        "count": "chapterhouse.decisions", "export_members": "chapterhouse.planner",
        "run_jobs": "chapterhouse.planner"}


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def message(self) -> str:
        """The last line on stderr: the one a user reads."""
        lines = self.err.strip().splitlines()
        return lines[-1] if lines else ""


def run_cli(name: str, *args: str) -> Ran:
    out, err = StringIO(), StringIO()
    command = load_command_class(APPS[name], name)
    command.stdout, command.stderr = OutputWrapper(out), OutputWrapper(err)
    started = time.monotonic()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            command.run_from_argv(["chapterhouse", name, *args])
        except SystemExit as stopped:
            code = stopped.code if isinstance(stopped.code, int) else 1
    return Ran(code, out.getvalue(), err.getvalue(), time.monotonic() - started)


def assert_refused(ran: Ran, *words: str) -> None:
    """Exit status 2, no output, no traceback, and a one-line message containing `words`
    (argparse prints its usage first; its message is still the last line)."""
    assert ran.code == 2, (ran.code, ran.err[-2000:])
    assert "Traceback" not in ran.err
    assert ran.out == ""
    if ran.message.startswith("CommandError:"):
        assert len(ran.err.strip().splitlines()) == 1, ran.err
    assert len(ran.message) < 400, ran.message
    for word in words:
        assert word in ran.message, ran.message


def assert_clean(ran: Ran) -> None:
    """What every input must give: success, or a refusal in one line; never a traceback."""
    assert ran.code in (0, 2), (ran.code, ran.err[-2000:])
    assert "Traceback" not in ran.err
    if ran.code == 2:
        assert ran.message, "a refusal must say why"
        assert len(ran.message) < 400, ran.message
