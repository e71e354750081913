"""Where a candidate chapter stands on its way from a plan to qualifying: its STAGE, computed from
the data, never typed (issue 13), and what is late.

Pure and typed (no Django): the organizing workspace (planner/workspace.py) reads the facts from
the database and asks `progress`. The stages, in order:

- CANDIDATE: proposed by the plan, not started (no forming chapter yet).
- INVITED: a forming chapter exists and its invitations are out; no meeting held yet.
- FIRST_MEETING: at least one meeting held with attendance recorded.
- MONTHLY: meetings held in each of the last `monthly_run` calendar months, the latest being
  this month or the one before.
- QUALIFYING: the qualification rule (domain/qualification.py, read by verdicts/) says the
  chapter qualifies.
- LAPSED: the rule says it qualified once and no longer does.

A chapter that met once and then stopped stays at FIRST_MEETING, flagged late; the rule's
verdict always wins over the meeting counts (a qualifying chapter is QUALIFYING even in a month
it has not met yet).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from chapterhouse.domain.reasons import Reason, reason


class Stage(enum.StrEnum):
    CANDIDATE = "candidate"
    INVITED = "invited"
    FIRST_MEETING = "first_meeting"
    MONTHLY = "monthly"
    QUALIFYING = "qualifying"
    LAPSED = "lapsed"


STAGES: tuple[Stage, ...] = tuple(Stage)


@dataclass(frozen=True, slots=True)
class StageRule:
    first_meeting_weeks: int = 6  # after starting, a first meeting is late after this long
    monthly_run: int = 2  # months in a row with a meeting that make "meeting monthly"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the data says about one candidate (and the chapter started from it, if any)."""

    started_on: datetime.date | None = None  # the forming chapter's founding date; None: not
    start_by: datetime.date | None = None  # the plan's date to start meeting by
    meeting_months: tuple[datetime.date, ...] = ()  # first days of months with a meeting held
    status: str | None = None  # the verdict's status: qualifying, forming, lapsed (or None)


@dataclass(frozen=True, slots=True)
class Progress:
    stage: Stage
    late: tuple[Reason, ...] = ()

    @property
    def is_late(self) -> bool:
        return bool(self.late)


def _first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _month_before(month: datetime.date) -> datetime.date:
    return (month - datetime.timedelta(days=1)).replace(day=1)


def _run_ending(months: Iterable[datetime.date], today: datetime.date) -> int:
    """Months in a row with a meeting, ending this month or, if none yet this month, the one
    before."""
    held = set(months)
    month = _first_of_month(today)
    if month not in held:
        month = _month_before(month)
    run = 0
    while month in held:
        run += 1
        month = _month_before(month)
    return run


def stage_of(facts: Facts, today: datetime.date, rule: StageRule = StageRule()) -> Stage:
    if facts.started_on is None:
        return Stage.CANDIDATE
    if facts.status == "qualifying":
        return Stage.QUALIFYING
    if facts.status == "lapsed":
        return Stage.LAPSED
    held = [m for m in facts.meeting_months if m <= today]
    if not held:
        return Stage.INVITED
    if _run_ending(held, today) >= rule.monthly_run:
        return Stage.MONTHLY
    return Stage.FIRST_MEETING


def progress(facts: Facts, today: datetime.date, rule: StageRule = StageRule()) -> Progress:
    """The stage and what is late, as reason codes (`organizing.late.*`)."""
    stage = stage_of(facts, today, rule)
    late: list[Reason] = []
    if stage is Stage.CANDIDATE:
        if facts.start_by is not None and today > facts.start_by:
            late.append(reason("organizing.late.not_started", date=facts.start_by.isoformat(),
                               days=(today - facts.start_by).days))
    elif stage is Stage.INVITED and facts.started_on is not None:
        due = facts.started_on + datetime.timedelta(weeks=rule.first_meeting_weeks)
        if today > due:
            late.append(reason("organizing.late.no_first_meeting",
                               weeks=rule.first_meeting_weeks, date=due.isoformat()))
    elif stage in (Stage.FIRST_MEETING, Stage.MONTHLY):
        last = max(m for m in facts.meeting_months if m <= today)
        if last < _month_before(_first_of_month(today)):
            late.append(reason("organizing.late.no_recent_meeting",
                               month=last.strftime("%Y-%m")))
    elif stage is Stage.LAPSED:
        late.append(reason("organizing.late.lapsed"))
    return Progress(stage, tuple(late))
