"""The forecast model (domain/forecast.py): known answers against scipy's closed forms, and
properties that hold for any history."""

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from chapterhouse.domain import forecast as model
from chapterhouse.domain.forecast import BetaPosterior, ChapterHistory, GammaPosterior, History

D = datetime.date
NEVER = BetaPosterior(1.0, 1.0)  # the pipeline's chance: unused without arrivals


def months(start: datetime.date, count: int) -> list[datetime.date]:
    return [model._add_months(start, k) for k in range(count)]


def test_with_a_known_rate_and_no_lapse_the_chance_is_poissons():
    # A Gamma so narrow that the rate is 0.4 a month: arrivals in 5 months are Poisson(2).
    rate = GammaPosterior(0.4 * 1e9, 1e9)
    values = model.simulate_chapters(current=8, months=5, rate=rate, lapse=None,
                                     candidate=NEVER, arrivals=[]).final
    for target in (9, 10, 12):
        expected = stats.poisson.sf(target - 8 - 1, 2.0)
        assert np.mean(values >= target) == pytest.approx(expected, abs=0.01)


def test_with_an_uncertain_rate_the_chance_is_the_negative_binomials():
    # Gamma(shape 8, rate 24 months) on the rate: 5 months' arrivals are negative binomial.
    rate = GammaPosterior(8.0, 24.0)
    values = model.simulate_chapters(current=8, months=5, rate=rate, lapse=None,
                                     candidate=NEVER, arrivals=[]).final
    p = 24.0 / (24.0 + 5)
    for target in (9, 10, 11, 13):
        assert np.mean(values >= target) == pytest.approx(
            stats.nbinom.sf(target - 8 - 1, 8.0, p), abs=0.01)


def test_with_certain_lapses_and_no_arrivals_nothing_is_left():
    values = model.simulate_chapters(
        current=8, months=1, rate=GammaPosterior(1e-9, 1e9),
        lapse=BetaPosterior(1e9, 1e-9), candidate=NEVER, arrivals=[])
    assert values.final.max() == 0
    assert values.peak.min() == 8  # today's count was reached


def test_a_candidate_that_surely_succeeds_counts_once_it_arrives():
    quiet = GammaPosterior(1e-9, 1e9)
    sure = BetaPosterior(1e9, 1e-9)
    kept = model.simulate_chapters(current=3, months=4, rate=quiet, lapse=None,
                                   candidate=sure, arrivals=[2, 4, 6]).final
    assert set(kept) == {5}  # the one arriving at turn 6 is after the deadline


def test_a_goal_reached_before_the_deadline_counts_even_if_chapters_lapse_after():
    # 19 chapters and a sure newcomer at the first turn: 20 on 1 March.
    fit = model.ChapterFit(
        on=D(2014, 2, 1), current=19, months=12, entries=0, lapses=0, chapter_months=0,
        rate=GammaPosterior(1e-9, 1e9), lapse=BetaPosterior(1e-9, 1e9), succeeded=0,
        failed=0, candidate=BetaPosterior(1e9, 1e-9), ramp=3, pending=(D(2014, 3, 1),))
    reached = model.outlook_chapters(fit, D(2014, 7, 1), 20)
    assert (reached.chance, reached.low, reached.high) == (1.0, 20, 20)
    # 20 today, and every chapter lapses at the next turn: the goal was met today.
    doomed = model.ChapterFit(**{**{f: getattr(fit, f) for f in fit.__slots__},
                                 "current": 20, "pending": (),
                                 "lapse": BetaPosterior(1e9, 1e-9)})
    outlook = model.outlook_chapters(doomed, D(2014, 7, 1), 20)
    assert outlook.chance == 1.0
    assert outlook.high == 0  # though none is left at the deadline


def test_members_are_todays_plus_the_negative_binomial_exactly():
    history = History(founded=D(2013, 1, 1), chapters=(),
                      joins={D(2013, 1, 1): 100, **{m.replace(day=15): 30
                                                     for m in months(D(2013, 1, 1), 13)}})
    fit = model.fit_members(history, D(2014, 2, 1))
    outlook = model.outlook_members(fit, D(2014, 7, 1), target=600)
    p = fit.rate.rate / (fit.rate.rate + 5)
    assert outlook.current == 100 + 13 * 30
    assert outlook.chance == pytest.approx(stats.nbinom.sf(600 - 490 - 1, fit.rate.shape, p))
    assert outlook.draws == 0
    assert outlook.low < outlook.median < outlook.high


def test_a_met_goal_is_certain():
    history = History(founded=D(2013, 1, 1), chapters=(), joins={D(2013, 2, 1): 50})
    fit = model.fit_members(history, D(2014, 2, 1))
    assert model.outlook_members(fit, D(2014, 7, 1), target=40).chance == 1.0


def _history(entries: list[int], lapsing: list[int], from_plan: int = 0) -> History:
    """A history from 1 Jan 2013: entries[k] chapters start qualifying at month k (and keep
    qualifying), lapsing[k] of the month's entrants lapse the month after."""
    start = D(2013, 1, 1)
    turns = months(model._add_months(start, 1), 13)
    chapters = []
    for k, (n, gone) in enumerate(zip(entries, lapsing, strict=False)):
        for i in range(n):
            qualified = turns[k:k + 1] if i < gone else turns[k:]
            chapters.append(ChapterHistory(frozenset(qualified), D(2012, 12, 1),
                                           from_plan=i < from_plan))
    return History(founded=start, chapters=tuple(chapters), joins={})


counts = st.lists(st.integers(0, 3), min_size=13, max_size=13)


@settings(max_examples=25, deadline=None)
@given(entries=counts, month=st.integers(0, 12), target=st.integers(1, 40))
def test_more_history_of_growth_never_lowers_the_chance(entries, month, target):
    on, until = D(2014, 2, 1), D(2014, 7, 1)
    lapsing = [0] * 13
    more = list(entries)
    more[month] += 1
    fewer_fit = model.fit_chapters(_history(entries, lapsing), on)
    more_fit = model.fit_chapters(_history(more, lapsing), on)
    # Compared at the same starting count: one more entry in the history, not one more today.
    more_fit = model.ChapterFit(**{**{f: getattr(more_fit, f) for f in more_fit.__slots__},
                                   "current": fewer_fit.current})
    fewer = model.outlook_chapters(fewer_fit, until, target, draws=2000)
    more_out = model.outlook_chapters(more_fit, until, target, draws=2000)
    assert more_out.chance >= fewer.chance
    assert more_out.median >= fewer.median


@settings(max_examples=25, deadline=None)
@given(entries=counts, lapsing=st.lists(st.integers(0, 3), min_size=13, max_size=13),
       target=st.integers(0, 60), back=st.integers(0, 8))
def test_the_chance_is_a_probability_and_the_interval_holds_the_median(
        entries, lapsing, target, back):
    history = _history(entries, lapsing, from_plan=1)
    on = model._add_months(D(2014, 2, 1), -back)
    fit = model.fit_chapters(history, on)
    outlook = model.outlook_chapters(fit, D(2014, 7, 1), target, draws=2000)
    assert 0.0 <= outlook.chance <= 1.0
    assert outlook.low <= outlook.median <= outlook.high
    assert outlook.low >= 0


def test_the_same_history_gives_the_same_figures():
    history = _history([1, 0, 1, 0, 2, 0, 1, 0, 0, 1, 0, 1, 0], [0, 0, 1] + [0] * 10)
    fit = model.fit_chapters(history, D(2014, 2, 1))
    assert model.outlook_chapters(fit, D(2014, 7, 1), 20) == model.outlook_chapters(
        fit, D(2014, 7, 1), 20)


def test_the_fit_counts_entries_lapses_and_the_pipeline():
    # Two chapters qualify from June 2013 on; one of them lapses in July; a plan's chapter
    # started in Sep 2013 qualified in Jan 2014 (a ramp of 4 months), another started in
    # Dec 2013 has not qualified yet; two candidates wait to start, one of them late.
    start = D(2013, 1, 1)
    turns = months(D(2013, 6, 1), 9)
    history = History(start, (
        ChapterHistory(frozenset(turns), D(2012, 11, 1)),
        ChapterHistory(frozenset(turns[:1]), D(2012, 11, 1)),
        ChapterHistory(frozenset([D(2014, 1, 1), D(2014, 2, 1)]), D(2013, 9, 10), True),
        ChapterHistory(frozenset(), D(2013, 12, 5), True),
    ), joins={}, open_candidates=(D(2014, 3, 15), D(2013, 12, 1)))
    fit = model.fit_chapters(history, D(2014, 2, 1))
    assert fit.current == 2
    assert fit.entries == 2  # the plan's chapter is the pipeline's, not the rate's
    assert fit.lapses == 1
    assert fit.months == 12  # the window: March 2013 to February 2014
    assert (fit.succeeded, fit.failed, fit.ramp) == (1, 0, 4)
    # Dec 2013 + 4 months; a candidate late to start starts today at the earliest (Feb + 4);
    # the one starting in March qualifies in July.
    assert fit.pending == (D(2014, 4, 1), D(2014, 6, 1), D(2014, 7, 1))
    assert fit.candidate == BetaPosterior(2.0, 1.0)


def test_the_backtest_fits_only_on_the_history_before_and_compares_with_today():
    turns = months(D(2013, 2, 1), 13)
    history = History(D(2013, 1, 1), tuple(
        ChapterHistory(frozenset(turns[k:]), D(2012, 11, 1)) for k in range(0, 13, 2)),
        joins={D(2013, 1, 20): 10})
    chapters, members = model.backtest(history, D(2014, 2, 1), (20, 100))
    assert [t.months for t in chapters] == [3, 6]
    three = chapters[0]
    assert three.said_on == D(2013, 11, 1)
    assert three.until == D(2014, 2, 1)
    assert three.outlook.current == 5  # qualifying on 1 Nov 2013: from Feb, Apr ... Oct
    assert three.actual == 7
    assert three.outlook.low <= three.outlook.median <= three.outlook.high
    assert [t.actual for t in members] == [10, 10]


@settings(max_examples=25, deadline=None)
@given(entries=st.lists(st.integers(1, 3), min_size=13, max_size=13), month=st.integers(0, 11),
       target=st.integers(1, 40))
def test_more_lapses_in_the_history_never_raise_the_chance(entries, month, target):
    on, until = D(2014, 2, 1), D(2014, 7, 1)
    calm = model.fit_chapters(_history(entries, [0] * 13), on)
    lapsing = [0] * 13
    lapsing[month] = 1
    stormy = model.fit_chapters(_history(entries, lapsing), on)
    stormy = model.ChapterFit(**{**{f: getattr(stormy, f) for f in stormy.__slots__},
                                 "current": calm.current})
    assert stormy.lapse.mean >= calm.lapse.mean
    assert (model.outlook_chapters(stormy, until, target, draws=2000).chance
            <= model.outlook_chapters(calm, until, target, draws=2000).chance)
