"""The history on the demo: two years, month by month, ending on today's dashboard figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chapterhouse.context import context_for
from chapterhouse.goals.history import history_compute, history_series
from chapterhouse.goals.snapshot import measure
from chapterhouse.members.models import Member
from chapterhouse.organizations.figures import figures_changed
from chapterhouse.organizations.models import Organization
from tests.conftest import run_queued_tasks


@pytest.fixture
def history(demo, db):
    return history_compute(Organization.objects.current())


def test_the_demo_has_two_years_of_monthly_points(history):
    days = [p.on for p in history.points]
    assert days[0] == datetime.date(2012, 2, 1)
    assert days[-1] == datetime.date(2014, 2, 1)
    assert len(days) == 25


def test_the_last_point_is_todays_dashboard_figure(history):
    snapshot = measure(Organization.objects.current()).snapshot
    last = history.last
    assert (last.members, last.chapters, last.continents) == (
        snapshot.members, snapshot.chapters, snapshot.continents) == (3443, 8, 3)
    assert float(last.women_share) == pytest.approx(snapshot.women_share)


def test_each_point_is_the_dashboard_figure_of_that_day(history):
    organization = Organization.objects.current()
    for point in history.points[::6]:
        snapshot = measure(organization, point.on).snapshot
        assert (point.members, point.chapters, point.continents) == (
            snapshot.members, snapshot.chapters, snapshot.continents), point.on


def test_the_chapters_grew_and_berlin_lapsed_on_new_years_day(history):
    chapters = dict(history.chapters_by_month())
    assert chapters[datetime.date(2012, 2, 1)] == 0
    assert chapters[datetime.date(2012, 12, 1)] == 1  # New York City, after its ramp
    assert chapters[datetime.date(2014, 1, 1)] == 7
    january = history.points[-2]
    assert (january.on, january.stopped) == (datetime.date(2014, 1, 1), 1)  # Berlin's December
    assert sum(p.started for p in history.points) - sum(p.stopped for p in history.points) == 8


def test_the_members_only_grow_in_the_demo(history):
    members = [p.members for p in history.points]
    assert members == sorted(members)
    assert members[0] > 0


def read_tables(queries) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_history_series_is_cached_until_the_figures_change(demo, db):
    first = history_series(context_for())
    with CaptureQueriesContext(connection) as queries:
        assert history_series(context_for()) == first
    assert "meetings_chaptermonth" not in read_tables(queries)
    figures_changed()  # e.g. a meeting's attendance was recorded
    with CaptureQueriesContext(connection) as queries:
        assert history_series(context_for()) == first  # the last one, while it is recomputed
    assert "meetings_chaptermonth" not in read_tables(queries)


def test_after_a_change_the_next_history_is_computed_in_the_background(demo, db):
    before = history_series(context_for())
    newcomer = Member.objects.create(email="newcomer@example.org", display_name="Newcomer",
                                     joined_on=datetime.date(2014, 1, 20))
    assert newcomer.is_active
    assert history_series(context_for()) == before  # the last one, while it is recomputed
    run_queued_tasks()
    after = history_series(context_for())
    assert after.last.members == before.last.members + 1
    assert after.points[-2].members == before.points[-2].members  # 1 January: not yet joined
