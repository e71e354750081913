"""The stage rule (domain/stages.py): pure, computed from the facts, never typed."""

import datetime

import pytest

from chapterhouse.domain.stages import Facts, Stage, StageRule, progress, stage_of

TODAY = datetime.date(2014, 2, 10)
D = datetime.date


def months(*firsts: tuple[int, int]) -> tuple[datetime.date, ...]:
    return tuple(D(y, m, 1) for y, m in firsts)


@pytest.mark.parametrize(("facts", "stage"), [
    (Facts(start_by=D(2014, 4, 1)), Stage.CANDIDATE),
    (Facts(started_on=D(2014, 2, 1)), Stage.INVITED),
    (Facts(started_on=D(2014, 1, 2), meeting_months=months((2014, 1))), Stage.FIRST_MEETING),
    # this month and last month: meeting monthly
    (Facts(started_on=D(2013, 12, 2), meeting_months=months((2014, 1), (2014, 2))),
     Stage.MONTHLY),
    # none yet this month, but the two before
    (Facts(started_on=D(2013, 11, 2), meeting_months=months((2013, 12), (2014, 1))),
     Stage.MONTHLY),
    # a gap: two months, not in a row
    (Facts(started_on=D(2013, 10, 2), meeting_months=months((2013, 11), (2014, 1))),
     Stage.FIRST_MEETING),
    # the verdict wins over the counts, either way
    (Facts(started_on=D(2013, 10, 2), meeting_months=months((2013, 11)), status="qualifying"),
     Stage.QUALIFYING),
    (Facts(started_on=D(2013, 5, 2), meeting_months=months((2013, 6)), status="lapsed"),
     Stage.LAPSED),
    (Facts(started_on=D(2014, 1, 2), meeting_months=months((2014, 1)), status="forming"),
     Stage.FIRST_MEETING),
    # a meeting after today has not been held
    (Facts(started_on=D(2014, 2, 1), meeting_months=months((2014, 3))), Stage.INVITED),
])
def test_the_stage_is_computed_from_the_facts(facts, stage):
    assert stage_of(facts, TODAY) is stage


def test_the_monthly_run_is_a_setting():
    facts = Facts(started_on=D(2013, 11, 2), meeting_months=months((2013, 12), (2014, 1)))
    assert stage_of(facts, TODAY, StageRule(monthly_run=3)) is Stage.FIRST_MEETING


def test_a_candidate_is_late_after_its_start_by_date_only():
    assert progress(Facts(start_by=D(2014, 2, 10)), TODAY).late == ()
    late = progress(Facts(start_by=D(2014, 2, 1)), TODAY).late
    assert [r.code for r in late] == ["organizing.late.not_started"]
    assert late[0].params["days"] == 9


def test_no_first_meeting_is_late_after_six_weeks():
    assert not progress(Facts(started_on=D(2014, 1, 1)), TODAY).is_late
    late = progress(Facts(started_on=D(2013, 12, 20)), TODAY).late
    assert [r.code for r in late] == ["organizing.late.no_first_meeting"]


def test_a_chapter_that_stopped_meeting_is_late_and_a_lapsed_one_says_so():
    stopped = progress(Facts(started_on=D(2013, 9, 1), meeting_months=months((2013, 11))), TODAY)
    assert stopped.stage is Stage.FIRST_MEETING
    assert [r.code for r in stopped.late] == ["organizing.late.no_recent_meeting"]
    assert stopped.late[0].params["month"] == "2013-11"
    recent = progress(Facts(started_on=D(2013, 9, 1), meeting_months=months((2014, 1))), TODAY)
    assert not recent.is_late
    lapsed = progress(Facts(started_on=D(2013, 5, 1), status="lapsed"), TODAY)
    assert [r.code for r in lapsed.late] == ["organizing.late.lapsed"]


def test_every_late_code_has_words():
    from chapterhouse.core.reasons import explain_english
    from chapterhouse.domain.reasons import reason

    assert "2014-02-01" in explain_english(
        reason("organizing.late.not_started", date="2014-02-01", days=9))
    assert "6 weeks" in explain_english(
        reason("organizing.late.no_first_meeting", weeks=6, date="2014-02-12"))
