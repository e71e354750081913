from django.utils import translation

from chapterhouse.dashboard.templatetags.figures import number, percent


def test_figures_are_rounded_not_cut():
    assert number(8 + 5 / 3, 1) == "9.7"
    assert percent(2 / 3) == "67%"


def test_figures_use_the_readers_separators():
    with translation.override("de"):
        assert number(3443) == "3.443"
        assert number(2.4, 1) == "2,4"
    with translation.override("fr"):
        assert percent(0.3) == "30%"


def test_a_missing_figure_is_a_dash():
    assert number(None) == "–"
    assert percent(None) == "–"
