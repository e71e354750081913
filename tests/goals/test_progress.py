import datetime

import pytest

from chapterhouse.goals.progress import Kind, Snapshot, Targets, months_between, progress

LETTER_TARGETS = Targets(members=3500, chapters=20, continents=3, women_share=0.30,
                         deadline=datetime.date(2014, 7, 1))


def letter_snapshot(**changes) -> Snapshot:
    fields = {"on": datetime.date(2014, 2, 1), "started": datetime.date(2012, 2, 1),
              "members": 3443, "chapters": 8, "continents": 3, "women_share": 0.34}
    fields.update(changes)
    return Snapshot(**fields)


def test_months_between_whole_calendar_months():
    assert months_between(datetime.date(2014, 2, 1), datetime.date(2014, 7, 1)) == 5
    assert months_between(datetime.date(2012, 2, 1), datetime.date(2014, 2, 1)) == 24


def test_months_between_counts_part_months_by_days():
    assert months_between(datetime.date(2014, 2, 1), datetime.date(2014, 2, 15)) == pytest.approx(
        14 / 28)
    assert months_between(datetime.date(2014, 7, 1), datetime.date(2014, 2, 1)) == -5


def test_the_letters_chapter_figures():
    result = progress(letter_snapshot(), LETTER_TARGETS)
    chapters = result.figure(Kind.CHAPTERS)
    assert chapters.still_needed == 12
    assert result.months_left == 5
    assert chapters.pace_needed == pytest.approx(2.4)
    assert chapters.pace_so_far == pytest.approx(1 / 3)
    assert chapters.forecast == pytest.approx(8 + 5 / 3)
    assert chapters.forecast_range == (9, 10)
    assert chapters.forecast_meets is False
    assert not result.all_met


def test_the_letters_member_figures_are_on_track():
    members = progress(letter_snapshot(), LETTER_TARGETS).figure(Kind.MEMBERS)
    assert members.still_needed == 57
    assert members.pace_needed == pytest.approx(57 / 5)
    assert members.forecast_meets is True
    assert not members.met


def test_continents_and_women_share_are_met_or_not_without_a_pace():
    result = progress(letter_snapshot(women_share=0.29), LETTER_TARGETS)
    assert result.figure(Kind.CONTINENTS).met
    assert result.figure(Kind.CONTINENTS).forecast is None
    assert not result.figure(Kind.WOMEN_SHARE).met


def test_exactly_the_target_share_is_met():
    assert progress(letter_snapshot(women_share=0.30), LETTER_TARGETS).figure(Kind.WOMEN_SHARE).met


def test_no_attendance_means_no_womens_participation():
    assert not progress(letter_snapshot(women_share=None),
                        LETTER_TARGETS).figure(Kind.WOMEN_SHARE).met


def test_all_goals_met_unlocks_the_convention():
    result = progress(letter_snapshot(members=3500, chapters=20), LETTER_TARGETS)
    assert result.all_met


def test_after_the_deadline_the_forecast_is_what_there_is():
    result = progress(letter_snapshot(on=datetime.date(2014, 8, 1)), LETTER_TARGETS)
    chapters = result.figure(Kind.CHAPTERS)
    assert result.months_left == 0
    assert chapters.pace_needed is None
    assert chapters.forecast == 8


def test_on_the_founding_day_there_is_no_pace_so_far():
    snapshot = letter_snapshot(started=datetime.date(2014, 2, 1), members=1, chapters=0)
    chapters = progress(snapshot, LETTER_TARGETS).figure(Kind.CHAPTERS)
    assert chapters.pace_so_far is None
    assert chapters.forecast == 0
