"""A forecast with its uncertainty (issue 14): the chance of reaching each goal by the deadline
and an 80% interval of the value at the deadline, fitted on the organization's own history.

Pure and typed (no Django): goals/forecast.py reads the history from the database and passes it
here as plain data. docs/forecast.md explains the method in plain words; in short:

Qualifying chapters, counted on the first day of each month (the rule only changes a verdict at
a month's turn), move by three things:

- *New qualifying chapters* (a chapter qualifying on the 1st that did not the month before,
  outside the pipeline below) arrive as a Poisson process with a monthly rate. The rate's
  posterior is Gamma(PRIOR_RATE_SHAPE + entries, PRIOR_RATE_MONTHS + months observed), over
  the last WINDOW_MONTHS months, recent months weighing more (HALF_LIFE_MONTHS): the prior is
  worth half a chapter in half a month, weak enough that a year of history decides.
- *Lapses*: each qualifying chapter, each month, lapses with a hazard whose posterior is
  Beta(PRIOR_LAPSE + lapses, PRIOR_LAPSE + chapter-months that held). A per-chapter hazard,
  not a Poisson count of lapses, because lapses come from the chapters there are: twice the
  chapters, twice the lapses, and never more lapses than chapters.
- *The pipeline*: candidates of the plan with an organizer and a start-by date, and chapters
  started from the plan that have not qualified yet, each qualify with a probability whose
  posterior is Beta(PRIOR_CANDIDATE + past started candidates that reached qualifying,
  PRIOR_CANDIDATE + those that did not within GIVE_UP_MONTHS). One that succeeds qualifies
  `ramp` months after the month it starts (the median of past successes, at least the rule's
  months), and only counts if that is by the deadline. Their entries are kept out of the
  Poisson rate so that nothing is counted twice.

The chance counts the futures that reach the target on some month turn by the deadline; the
interval is of the value at the deadline. The futures are simulated: DRAWS draws of the three
parameters from their posteriors and of each month's arrivals and lapses, by inverse CDFs of
common random numbers from a fixed SEED. The same data give the same figures, and more growth
in the history (a larger rate) can never lower the chance, draw by draw.

Members: joins a month as a Poisson process with a Gamma posterior, no lapse (a member who
left is no longer in the data), so the value at the deadline is today's plus a negative
binomial: exact, no simulation. Continents and women's participation are not forecast (see
docs/forecast.md).
"""

from __future__ import annotations

import calendar
import datetime
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

PRIOR_RATE_SHAPE = 0.5  # Gamma prior on a monthly rate: half an event...
PRIOR_RATE_MONTHS = 0.5  # ...in half a month
PRIOR_LAPSE = 1.0  # Beta(1, 1): uniform on the monthly lapse hazard
PRIOR_CANDIDATE = 1.0  # Beta(1, 1): uniform on a started candidate's chance to qualify
# The rates are fitted on the last WINDOW_MONTHS months, a month HALF_LIFE_MONTHS old weighing
# half as much as the last one: an organization's pace changes (a founding rush of members,
# chapters that come in a wave), and the months nearest the deadline are most like the latest.
WINDOW_MONTHS = 12
HALF_LIFE_MONTHS = 6
GIVE_UP_MONTHS = 12  # a started candidate not qualifying after this long counts as a failure
INTERVAL = 0.8  # the interval's coverage: from the 10th to the 90th percentile
DRAWS = 20_000
SMALL_COUNT = 100  # qualifying chapters up to which lapses are summed term by term
LARGE_RATE = 50.0  # new chapters a month above which scipy's Poisson quantile is faster
SEED = 14  # the number: any fixed seed makes the figures reproducible
BACKTEST_MONTHS = (3, 6)


@dataclass(frozen=True, slots=True)
class ChapterHistory:
    """One chapter: the first days of the months on which it qualified."""

    qualified_on: frozenset[datetime.date]
    started_on: datetime.date  # its founding date
    from_plan: bool = False  # started from a plan's candidate or carried by an organizer


@dataclass(frozen=True, slots=True)
class History:
    """Everything the model is fitted on, read once (goals/forecast.py)."""

    founded: datetime.date  # the organization's founding: history starts here
    chapters: tuple[ChapterHistory, ...]
    joins: Mapping[datetime.date, int]  # active members by the day they joined
    open_candidates: tuple[datetime.date, ...] = ()  # start-by dates of the plan's candidates
    # with an organizer, not started yet (only known today: the backtest has none)
    rule_months: int = 3  # the qualification rule's months: the shortest ramp


@dataclass(frozen=True, slots=True)
class GammaPosterior:
    shape: float
    rate: float  # per month of exposure

    @property
    def mean(self) -> float:
        return self.shape / self.rate


@dataclass(frozen=True, slots=True)
class BetaPosterior:
    a: float
    b: float

    @property
    def mean(self) -> float:
        return self.a / (self.a + self.b)


@dataclass(frozen=True, slots=True)
class ChapterFit:
    """The chapters' model fitted on the history up to `on`: what it learnt, for the page."""

    on: datetime.date
    current: int  # qualifying chapters on the last first-of-month up to `on`
    months: int  # months fitted on (the last WINDOW_MONTHS month turns at most)
    entries: int  # new qualifying chapters outside the pipeline
    lapses: int
    chapter_months: int  # qualifying chapter-months exposed to a lapse
    rate: GammaPosterior
    lapse: BetaPosterior
    succeeded: int  # past started candidates that reached qualifying
    failed: int  # ... that did not within GIVE_UP_MONTHS
    candidate: BetaPosterior
    ramp: int  # months from a candidate's start to qualifying
    pending: tuple[datetime.date, ...]  # months each pipeline chapter or candidate would
    # qualify in if it succeeds


@dataclass(frozen=True, slots=True)
class Outlook:
    """One goal's forecast: the chance of reaching `target` by `until` and the 80% interval of
    the value then (whole numbers: `low` is the 10th percentile, `high` the 90th)."""

    on: datetime.date
    until: datetime.date
    current: int
    target: int
    chance: float
    low: int
    median: int
    high: int
    draws: int  # 0: computed exactly


@dataclass(frozen=True, slots=True)
class MemberFit:
    on: datetime.date
    current: int
    joins: int  # over `months`
    months: float
    rate: GammaPosterior


@dataclass(frozen=True, slots=True)
class Backtest:
    """What the model said `months` months before `until`, fitted only on the history before
    then, against what happened on `until`."""

    months: int
    said_on: datetime.date
    until: datetime.date
    outlook: Outlook  # for `until`
    actual: int

    @property
    def inside(self) -> bool:
        return self.outlook.low <= self.actual <= self.outlook.high


@dataclass(frozen=True, slots=True)
class Forecast:
    """The chapters' and members' outlooks at the deadline, the fits behind them, and the
    backtests (the value today, as forecast 3 and 6 months earlier)."""

    chapters: Outlook
    chapter_fit: ChapterFit
    members: Outlook
    member_fit: MemberFit
    chapter_backtests: tuple[Backtest, ...]
    member_backtests: tuple[Backtest, ...]


# -- months -------------------------------------------------------------------------------

def _first(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def _turns(after: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The first days of months in (after, until]."""
    month, found = _add_months(_first(after), 1), []
    while month <= until:
        found.append(month)
        month = _add_months(month, 1)
    return found


def months_between(start: datetime.date, end: datetime.date) -> float:
    """Calendar months from start to end (1 Feb to 1 Jul: 5; 1 Feb to 15 Feb: 0.5), as
    goals.progress counts them; 0 when end is not after start."""
    if end <= start:
        return 0.0
    whole = (end.year - start.year) * 12 + end.month - start.month
    if _same_day(start, whole) > end:
        whole -= 1
    anchor, following = _same_day(start, whole), _same_day(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def _same_day(day: datetime.date, months: int) -> datetime.date:
    month = _add_months(_first(day), months)
    return month.replace(day=min(day.day, calendar.monthrange(month.year, month.month)[1]))


# -- fitting ------------------------------------------------------------------------------

def _qualifying(history: History, month: datetime.date) -> list[ChapterHistory]:
    return [c for c in history.chapters if month in c.qualified_on]


def fit_chapters(history: History, on: datetime.date) -> ChapterFit:
    """The chapters' posteriors from the history before `on` (nothing later is read)."""
    turns = _turns(history.founded, on)
    entries = lapses = exposure = 0
    weighted = [0.0, 0.0, 0.0, 0.0]  # entries, months, lapses, chapter-months
    for age, month in enumerate(reversed(turns[-WINDOW_MONTHS:])):
        weight = 0.5 ** (age / HALF_LIFE_MONTHS)
        now = {i for i, c in enumerate(history.chapters) if month in c.qualified_on}
        previous = {i for i, c in enumerate(history.chapters)
                    if _add_months(month, -1) in c.qualified_on}
        new = sum(1 for i in now - previous if not history.chapters[i].from_plan)
        entries, lapses, exposure = (entries + new, lapses + len(previous - now),
                                     exposure + len(previous))
        for n, amount in enumerate((new, 1, len(previous - now), len(previous))):
            weighted[n] += weight * amount
    started = [c for c in history.chapters if c.from_plan and c.started_on <= on]
    firsts = {id(c): min((m for m in c.qualified_on if m <= on), default=None)
              for c in started}
    succeeded = [c for c in started if firsts[id(c)] is not None]
    failed = [c for c in started if firsts[id(c)] is None
              and _add_months(_first(c.started_on), GIVE_UP_MONTHS) <= on]
    given_up = {id(c) for c in failed}
    ramps = [(d.year - c.started_on.year) * 12 + d.month - c.started_on.month
             for c in succeeded if (d := firsts[id(c)]) is not None]
    ramp = max(history.rule_months, round(statistics.median(ramps)) if ramps else 0)
    next_turn = _add_months(_first(on), 1)
    # The pipeline: started and not qualified yet (nor given up on), then today's candidates.
    starts = [c.started_on for c in started if firsts[id(c)] is None and id(c) not in given_up]
    # A candidate past its start-by date and not started yet starts today at the earliest.
    starts += [max(start_by, on) for start_by in history.open_candidates]
    pending = tuple(sorted(max(_add_months(_first(s), ramp), next_turn) for s in starts))
    return ChapterFit(
        on=on, current=len(_qualifying(history, turns[-1])) if turns else 0,
        months=len(turns[-WINDOW_MONTHS:]), entries=entries, lapses=lapses, chapter_months=exposure,
        rate=GammaPosterior(PRIOR_RATE_SHAPE + weighted[0], PRIOR_RATE_MONTHS + weighted[1]),
        lapse=BetaPosterior(PRIOR_LAPSE + weighted[2],
                            PRIOR_LAPSE + weighted[3] - weighted[2]),
        succeeded=len(succeeded), failed=len(failed),
        candidate=BetaPosterior(PRIOR_CANDIDATE + len(succeeded),
                                PRIOR_CANDIDATE + len(failed)),
        ramp=ramp, pending=pending)


def fit_members(history: History, on: datetime.date) -> MemberFit:
    """Joins a month since the founding, up to `on`."""
    current = sum(n for day, n in history.joins.items() if day <= on)
    since = max(history.founded, _same_day(on, -WINDOW_MONTHS))
    counted = [(day, n) for day, n in history.joins.items() if since < day <= on]
    months = months_between(since, on)
    # Each join weighs 0.5 ** (its age in months / HALF_LIFE_MONTHS); the exposure is the
    # integral of that weight over the months since the founding.
    weighted = sum(n * 0.5 ** (months_between(day, on) / HALF_LIFE_MONTHS)
                   for day, n in counted)
    exposure = HALF_LIFE_MONTHS / math.log(2) * (1 - 0.5 ** (months / HALF_LIFE_MONTHS))
    return MemberFit(on, current, sum(n for _day, n in counted), months,
                     GammaPosterior(PRIOR_RATE_SHAPE + weighted, PRIOR_RATE_MONTHS + exposure))


# -- outlooks -----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Futures:
    """Simulated futures, one value per draw."""

    final: NDArray[np.int64]  # the count on the last month turn (the deadline)
    peak: NDArray[np.int64]  # the highest count on any month turn up to it, today included


def _interval(futures: Futures, target: int, fit_on: datetime.date,
              until: datetime.date, current: int) -> Outlook:
    """The chance is the share of futures that reach the target on some month turn by the
    deadline (the convention may be called as soon as every goal is met, even if a chapter
    lapses later); the interval and the median are of the value at the deadline."""
    tail = (1 - INTERVAL) / 2
    low, median, high = np.quantile(futures.final, [tail, 0.5, 1 - tail],
                                    method="inverted_cdf")
    return Outlook(on=fit_on, until=until, current=current, target=target,
                   chance=float(np.mean(futures.peak >= target)), low=int(low),
                   median=int(median), high=int(high), draws=len(futures.final))


def simulate_chapters(*, current: int, months: int, rate: GammaPosterior,
                      lapse: BetaPosterior | None, candidate: BetaPosterior,
                      arrivals: Sequence[int], draws: int = DRAWS, seed: int = SEED
                      ) -> Futures:
    """The qualifying chapters after `months` month turns, and their peak, per draw. `arrivals`:
    for each pipeline chapter, the turn (1 .. months) at which it qualifies if it succeeds;
    None for `lapse`: no chapter ever lapses. Inverse CDFs over uniforms drawn in a fixed
    order and shape (draws x months, draws x arrivals), so the same inputs give the same
    values and a larger rate or a smaller hazard never gives a smaller value in any draw."""
    rng = np.random.default_rng(seed)

    def uniform(*shape: int) -> NDArray[np.float64]:
        # Kept off 0 and 1, where a discrete inverse CDF gives -1 or infinity.
        return np.clip(rng.random(shape), 1e-12, 1 - 1e-12)

    u_rate, u_lapse, u_candidate = uniform(draws), uniform(draws), uniform(draws)
    u_new, u_kept = uniform(months, draws), uniform(months, draws)
    u_success = uniform(len(arrivals), draws)
    rates = stats.gamma.ppf(u_rate, rate.shape, scale=1 / rate.rate)
    hazards = (np.zeros(draws) if lapse is None
               else stats.beta.ppf(u_lapse, lapse.a, lapse.b))
    succeeds = u_success < stats.beta.ppf(u_candidate, candidate.a, candidate.b)
    value = np.full(draws, current, dtype=np.int64)
    peak = value.copy()
    for turn in range(1, months + 1):
        lapsed = _binomial_quantile(u_kept[turn - 1], value, hazards)
        new = _poisson_quantile(u_new[turn - 1], rates)
        joined = sum((succeeds[i] for i, at in enumerate(arrivals) if at == turn),
                     np.zeros(draws, dtype=np.int64))
        value = value - lapsed + new + joined
        peak = np.maximum(peak, value)
    return Futures(value, peak)


def _poisson_quantile(u: NDArray[np.float64], rates: NDArray[np.float64]
                      ) -> NDArray[np.int64]:
    """The Poisson(rate) inverse CDF at u, draw by draw: the smallest k with CDF(k) >= u,
    summed term by term (scipy's poisson.ppf gives the same, several times slower for the
    small rates of new chapters; it takes over for large ones)."""
    if len(rates) and rates.max() > LARGE_RATE:
        large: NDArray[np.int64] = np.asarray(stats.poisson.ppf(u, rates), dtype=np.int64)
        return large
    term = np.exp(-rates)
    cdf, k = term.copy(), np.zeros(len(u), dtype=np.int64)
    n = 0
    while (below := cdf < u).any() and n < 10_000:
        n += 1
        k += below
        term = term * rates / n
        cdf = cdf + term
    return k


def _binomial_quantile(u: NDArray[np.float64], n: NDArray[np.int64],
                       p: NDArray[np.float64]) -> NDArray[np.int64]:
    """The Binomial(n, p) inverse CDF at u, draw by draw: the lapses among n chapters. n minus
    it never falls as n grows (one more chapter adds at most one lapse), nor rises as p grows.
    Summed term by term for the few chapters of most organizations; scipy's, whose cost does
    not grow with n, above SMALL_COUNT."""
    top = int(n.max()) if len(n) else 0
    if top > SMALL_COUNT:
        found = np.nan_to_num(stats.binom.ppf(u, n, p), nan=0.0)
        large: NDArray[np.int64] = np.clip(found, 0, n).astype(np.int64)
        return large
    odds = np.divide(p, 1 - p, out=np.zeros(len(p)), where=p < 1)
    term = np.where(p < 1, (1 - p) ** n, (n == 0).astype(np.float64))
    cdf, k = term.copy(), np.zeros(len(u), dtype=np.int64)
    for j in range(top):
        below = cdf < u
        if not below.any():
            break
        k += below
        term = term * np.maximum(n - j, 0) / (j + 1) * odds
        cdf = cdf + term
    return np.minimum(k, n)


def outlook_chapters(fit: ChapterFit, until: datetime.date, target: int, *,
                     draws: int = DRAWS, seed: int = SEED) -> Outlook:
    """The qualifying chapters on `until` (the deadline), from the fit on `fit.on`."""
    turns = _turns(fit.on, until)
    index = {month: n for n, month in enumerate(turns, start=1)}
    arrivals = [index[m] for m in fit.pending if m in index]
    futures = simulate_chapters(current=fit.current, months=len(turns), rate=fit.rate,
                               lapse=fit.lapse, candidate=fit.candidate, arrivals=arrivals,
                               draws=draws, seed=seed)
    return _interval(futures, target, fit.on, until, fit.current)


def outlook_members(fit: MemberFit, until: datetime.date, target: int) -> Outlook:
    """Today's members plus a negative binomial: the Gamma-Poisson predictive of the joins in
    the months left, exactly."""
    months = months_between(fit.on, until)
    if months <= 0:
        met = 1.0 if fit.current >= target else 0.0
        return Outlook(fit.on, until, fit.current, target, met, fit.current, fit.current,
                       fit.current, 0)
    p = fit.rate.rate / (fit.rate.rate + months)
    tail = (1 - INTERVAL) / 2
    low, median, high = (int(fit.current + stats.nbinom.ppf(q, fit.rate.shape, p))
                         for q in (tail, 0.5, 1 - tail))
    needed = target - fit.current
    chance = 1.0 if needed <= 0 else float(stats.nbinom.sf(needed - 1, fit.rate.shape, p))
    return Outlook(fit.on, until, fit.current, target, chance, low, median, high, 0)


# -- backtest -----------------------------------------------------------------------------

def backtest(history: History, on: datetime.date, targets: tuple[int, int],
             months: Sequence[int] = BACKTEST_MONTHS, *, draws: int = DRAWS,
             seed: int = SEED) -> tuple[tuple[Backtest, ...], tuple[Backtest, ...]]:
    """What the model, fitted only on the history before each earlier date (`months` months
    before the last month turn up to `on`), said of the value on that turn, against the
    value on it. Today's plan candidates are not known then: the pipeline is only the
    chapters started from the plan by that date. (chapters, members)."""
    chapter_tests, member_tests = [], []
    until = _first(on)
    past = History(history.founded, history.chapters, history.joins, (), history.rule_months)
    chapters_target, members_target = targets
    for back in months:
        said_on = _add_months(until, -back)
        if said_on <= history.founded:
            continue
        fit = fit_chapters(past, said_on)
        actual = len(_qualifying(history, until))
        chapter_tests.append(Backtest(back, said_on, until, outlook_chapters(
            fit, until, chapters_target, draws=draws, seed=seed), actual))
        member_fit = fit_members(past, said_on)
        member_actual = sum(n for day, n in history.joins.items() if day <= until)
        member_tests.append(Backtest(back, said_on, until, outlook_members(
            member_fit, until, members_target), member_actual))
    return tuple(chapter_tests), tuple(member_tests)


def forecast(history: History, on: datetime.date, *, deadline: datetime.date,
             chapters_target: int, members_target: int, members_now: int | None = None,
             draws: int = DRAWS, seed: int = SEED) -> Forecast:
    """Both goals' outlooks at the deadline from the history up to `on`, and the backtests.
    `members_now`: today's count as the dashboard measured it, if it differs from the joins
    (it should not)."""
    chapter_fit = fit_chapters(history, on)
    member_fit = fit_members(history, on)
    if members_now is not None:
        member_fit = MemberFit(member_fit.on, members_now, member_fit.joins,
                               member_fit.months, member_fit.rate)
    chapter_tests, member_tests = backtest(history, on, (chapters_target, members_target),
                                           draws=draws, seed=seed)
    return Forecast(
        chapters=outlook_chapters(chapter_fit, deadline, chapters_target, draws=draws,
                                  seed=seed),
        chapter_fit=chapter_fit,
        members=outlook_members(member_fit, deadline, members_target),
        member_fit=member_fit,
        chapter_backtests=chapter_tests,
        member_backtests=member_tests,
    )
