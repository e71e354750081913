"""The forecast's chances as the page prints them (dashboard/templatetags/forecast.py)."""

from django.utils import translation

from chapterhouse.dashboard.templatetags.forecast import chance


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
