"""The organizing workspace (/organizing/) and the organization-wide view: each candidate at
its stage computed from the data, who carries it, what is late; the dashboard's counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.domain.stages import Stage
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.planner.workspace import WorkFilter, stage_counts, workspace_organization
from tests.conftest import (
    client_for,
    join,
    make_chapter,
    make_meeting,
    make_member,
    make_organizer,
    make_qualifying,
)

pytestmark = pytest.mark.django_db

BOSTON = 4930956
CHICAGO = 4887398


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def oscar(organization):
    member = make_member("oscar@example.org", "Oscar", BOSTON)
    make_organizer(member)
    return member


def carried(name: str, organizer, founded: datetime.date, place=BOSTON):
    return make_chapter(name, place, founded_on=founded, organizer=organizer,
                        slug=name.lower().replace(" ", "-"))


@pytest.fixture
def pipeline(oscar):
    """A plan with a candidate for Oscar and one for nobody, and chapters Oscar carries at
    several stages (the demo's clock: 2014-02-01)."""
    run = PlanRun.objects.create(status=RunStatus.DONE, min_size=5,
                                 finished_at=datetime.datetime(2014, 1, 31, tzinfo=datetime.UTC))
    for index, organizer in ((0, oscar.organizer), (1, None)):
        PlanCandidate.objects.create(
            run=run, index=index, place=f"Town {index}", lat=41.88, lon=-87.63, size=5,
            women=2, max_travel_km=2, organizer=organizer, organizer_km=3 if organizer else None,
            start_by=datetime.date(2014, 1, 15), members=[])
    carried("Invited Late", oscar.organizer, datetime.date(2013, 12, 1))
    first = carried("First Meeting", oscar.organizer, datetime.date(2013, 12, 20))
    regular = make_member("reg@example.org", "Reg", BOSTON)
    join(first, regular, on=datetime.date(2013, 12, 20))
    make_meeting(first, datetime.datetime(2014, 1, 10, 19, tzinfo=datetime.UTC), [regular])
    qualifying = carried("Qualifying", oscar.organizer, datetime.date(2013, 9, 1))
    make_qualifying(qualifying)
    return run


def test_the_organizer_sees_their_candidates_and_chapters_at_their_stages(client, oscar,
                                                                         pipeline):
    html = client_for(client, oscar).get(reverse("organizing")).text
    for name, stage in (("Town 0", "candidate"), ("Invited Late", "invited"),
                        ("First Meeting", "first_meeting"), ("Qualifying", "qualifying")):
        row = html.split(name, 1)[0].rsplit("<tr", 1)[1]
        assert f'data-stage="{stage}"' in row, name
    assert "Town 1" not in html  # matched to nobody: not Oscar's
    assert "not started; its start-by date was 2014-01-15" in html
    assert "no first meeting 6 weeks after starting" in html
    assert "How the stage is computed" in html
    assert reverse("candidate_accept", args=[pipeline.pk, 0]) in html  # Start it: his


def test_the_organization_view_filters_counts_and_lists_only_what_matters(
        client, staff, oscar, pipeline):
    c = client_for(client, staff)
    html = c.get(reverse("organizing_all")).text
    assert "1 candidate of the latest plan has no organizer" in html
    assert "Town 1" not in html
    qualifying = c.get(reverse("organizing_all"), {"stage": "qualifying"}).text
    assert "Qualifying" in qualifying
    assert "First Meeting" not in qualifying
    late = c.get(reverse("organizing_all"), {"late": "1"}).text
    assert "Invited Late" in late
    assert "Qualifying</a>" not in late
    found = workspace_organization(context_for(staff), WorkFilter())
    counts = {stage: n for stage, _label, n in found.counts}
    assert counts == {Stage.CANDIDATE: 2, Stage.INVITED: 1, Stage.FIRST_MEETING: 1,
                      Stage.MONTHLY: 0, Stage.QUALIFYING: 1, Stage.LAPSED: 0}
    # Bad filters fall back to everything.
    assert c.get(reverse("organizing_all"), {"stage": "x", "organizer": "²"}).status_code == 200


def test_only_organizers_and_staff_see_the_workspace(client, alice, pipeline):
    assert client.get(reverse("organizing")).status_code in (302, 404)
    c = client_for(client, alice)  # a coordinator, not an organizer
    assert c.get(reverse("organizing")).status_code == 404
    assert c.get(reverse("organizing_all")).status_code == 404
    assert "dashboard-stage-counts" not in c.get(reverse("dashboard")).text


def test_the_dashboard_counts_candidates_per_stage_for_staff(client, staff, pipeline):
    html = client_for(client, staff).get(reverse("dashboard")).text
    counts = html.split('id="dashboard-stage-counts"', 1)[1].split("</ul>", 1)[0]
    assert 'data-stage="qualifying">qualifying: <strong>1</strong>' in counts
    assert 'data-stage="candidate">candidate: <strong>2</strong>' in counts


def test_the_queries_do_not_grow_with_the_chapters_carried(staff, oscar, pipeline):
    ctx = context_for(staff)
    with CaptureQueriesContext(connection) as few:
        stage_counts(ctx)
    for n in range(4):
        chapter = carried(f"More {n}", oscar.organizer, datetime.date(2013, 11, 1), CHICAGO)
        make_meeting(chapter, datetime.datetime(2014, 1, 5, 19, tzinfo=datetime.UTC))
    ctx = context_for(staff)
    with CaptureQueriesContext(connection) as more:
        stage_counts(ctx)
    assert len(more) == len(few)
