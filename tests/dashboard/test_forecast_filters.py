"""The forecast's chances as the page prints them (dashboard/templatetags/forecast.py)."""

import datetime

from django.utils import translation

from chapterhouse.dashboard.templatetags.forecast import chance
from chapterhouse.domain.forecast import Outlook


def test_a_chance_reads_as_a_whole_percentage():
    with translation.override("en"):
        assert chance(0.34) == "34%"
        assert chance(0.0) == "0%"
        assert chance(1.0) == "100%"


def test_a_chance_that_rounds_to_nothing_or_to_certainty_does_not_claim_it():
    with translation.override("en"):
        assert chance(0.0004) == "<1%"
        assert chance(0.997) == ">99%"


def test_no_chance_reads_as_a_dash():
    assert chance(None) == "–"


def _outlook(current: int, target: int, value: float) -> Outlook:
    day = datetime.date(2014, 1, 1)
    return Outlook(day, day, current, target, value, target, target, target, 0)


def test_only_a_goal_already_met_reads_certain():
    with translation.override("en"):
        assert chance(_outlook(3600, 3500, 1.0)) == "100%"  # met: certain
        assert chance(_outlook(3443, 3500, 1.0)) == ">99%"  # 57 to go: not certain
        assert chance(_outlook(3443, 3500, 0.42)) == "42%"
        assert chance(_outlook(8, 20, 0.0)) == "0%"
