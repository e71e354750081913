""""Start it" (issue 13): the chapter is carried by the organizer the plan matched (or whom
staff choose), the one who clicks gains no role, and the chapter's organizer runs it as a
coordinator would, for that chapter only."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.chapters.permissions import members_visible
from chapterhouse.context import context_for
from chapterhouse.domain.roles import Capability, Role
from chapterhouse.meetings.models import Meeting
from chapterhouse.meetings.permissions import may_see_meetings
from chapterhouse.meetings.services import meeting_schedule
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.planner.services import plan_candidate_start
from tests.conftest import client_for, make_member, make_organizer

pytestmark = pytest.mark.django_db

BOSTON = 4930956
TODAY = datetime.date(2014, 2, 1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(springfield, alice, bob, staff):
    oscar = make_member("oscar@example.org", "Oscar", BOSTON)
    oona = make_member("oona@example.org", "Oona", BOSTON)
    return {"carrier": oscar, "other_organizer": oona, "staff": staff,
            "other_coordinator": alice, "member": bob,
            "organizers": (make_organizer(oscar), make_organizer(oona))}


def candidate(run: PlanRun, index: int, *, organizer=None, lat=42.36, lon=-71.06,
              place_id=BOSTON) -> PlanCandidate:
    group = [make_member(f"c{index}-{i}@example.org", f"Cand {index}-{i}", place_id,
                         willing_to_meet=True, gender="woman" if i < 2 else "man")
             for i in range(5)]
    return PlanCandidate.objects.create(
        run=run, index=index, place="Boston", lat=lat, lon=lon, size=5, women=2,
        max_travel_km=3.0, organizer=organizer, organizer_km=4.0 if organizer else None,
        start_by=datetime.date(2014, 4, 1), members=[str(m.pk) for m in group])


@pytest.fixture
def run(people):
    return PlanRun.objects.create(status=RunStatus.DONE, min_size=5, radius_km=25)


@pytest.fixture
def started(people, run):
    oscar_org = people["organizers"][0]
    candidate(run, 0, organizer=oscar_org)
    return plan_candidate_start(context_for(people["carrier"]), run=run, index=0).chapter


def test_the_matched_organizer_carries_it_and_nobody_becomes_coordinator(people, started):
    assert started.organizer == people["organizers"][0]
    assert not started.coordinators.exists()
    assert Invitation.objects.filter(chapter=started).count() == 5
    roles = context_for(people["carrier"]).actor.roles(started)
    assert Role.COORDINATOR not in roles
    assert Role.CHAPTER_ORGANIZER in roles


def test_an_organizer_starts_only_their_own_matched_candidates(people, run):
    candidate(run, 0, organizer=people["organizers"][0])
    candidate(run, 1)  # the plan matched nobody
    oona = context_for(people["other_organizer"])
    for index in (0, 1):
        with pytest.raises(ValidationError):
            plan_candidate_start(oona, run=run, index=index)
    assert not Chapter.objects.exclude(name="Springfield").exists()


def test_staff_choose_the_organizer_when_the_plan_matched_none_and_gain_no_role(people, run):
    candidate(run, 0)
    ctx = context_for(people["staff"])
    with pytest.raises(ValidationError) as refused:
        plan_candidate_start(ctx, run=run, index=0)
    assert refused.value.code == "choose_organizer"
    oona_org = people["organizers"][1]
    chapter = plan_candidate_start(ctx, run=run, index=0, organizer_id=oona_org.pk).chapter
    assert chapter.organizer == oona_org
    assert not chapter.coordinators.exists()
    assert not people["staff"].coordinated_chapters.exists()


def test_staff_choose_on_the_planner_page(people, run, client):
    from chapterhouse.planner.services import plan_page

    candidate(run, 0)
    run.page = plan_page({"new_chapters": [], "summary": {"new_chapters": 1,
                                                          "members_placed": 5}},
                         context_for().organization.rule)
    run.save()
    staff_client = client_for(client, people["staff"])
    html = staff_client.get(reverse("planner")).text
    assert 'name="organizer"' in html
    assert "Oona" in html
    response = staff_client.post(reverse("candidate_accept", args=[run.pk, 0]),
                                 {"organizer": people["organizers"][0].pk})
    chapter = Chapter.objects.get(slug=response.url.split("/")[-2])
    assert chapter.organizer == people["organizers"][0]


def test_a_candidate_inside_an_existing_chapters_area_is_its_growth(people, run, springfield):
    candidate(run, 0, organizer=people["organizers"][0], lat=40.71, lon=-74.0)
    with pytest.raises(ValidationError) as refused:
        plan_candidate_start(context_for(people["staff"]), run=run, index=0)
    assert refused.value.code == "growth"
    assert "Springfield" in refused.value.messages[0]
    assert not PlanCandidate.objects.get(run=run, index=0).accepted


# Who may run the forming chapter: its organizer, staff; not another organizer, not the
# coordinator of another chapter, not a member, not a visitor.
MAY_RUN = {"carrier": True, "staff": True, "other_organizer": False,
           "other_coordinator": False, "member": False}


@pytest.mark.parametrize("persona", [*MAY_RUN, "visitor"])
def test_the_chapters_organizer_runs_it_and_nobody_else_does(people, started, persona):
    user = None if persona == "visitor" else people[persona]
    ctx = context_for(user if user else AnonymousUser())
    expected = MAY_RUN.get(persona, False)
    actor = ctx.actor
    assert actor.may(Capability.CHAPTER_COORDINATE, started) is expected
    assert actor.may(Capability.CHAPTER_INVITE, started) is expected
    assert members_visible(actor, started, on=TODAY) is expected
    assert may_see_meetings(actor, started, on=TODAY) is expected
    before = Meeting.objects.count()
    if expected:
        meeting_schedule(ctx, chapter=started, first_day=datetime.date(2014, 2, 12),
                         start_time=datetime.time(19))
        assert Meeting.objects.count() == before + 1
    else:
        with pytest.raises(ValidationError):
            meeting_schedule(ctx, chapter=started, first_day=datetime.date(2014, 2, 12),
                             start_time=datetime.time(19))
        assert Meeting.objects.count() == before


def test_carrying_one_chapter_gives_nothing_over_another(people, started, springfield):
    actor = context_for(people["carrier"]).actor
    assert not actor.may(Capability.CHAPTER_COORDINATE, springfield)
    assert not members_visible(actor, springfield, on=TODAY)


def test_a_deactivated_organizer_stops_running_it(people, started):
    organizer = people["organizers"][0]
    organizer.active = False
    organizer.save(update_fields=["active"])
    assert not context_for(people["carrier"]).actor.may(Capability.CHAPTER_COORDINATE, started)


def test_the_chapters_organizer_reaches_its_coordinator_pages(people, started, client):
    c = client_for(client, people["carrier"])
    assert c.get(reverse("chapter_join_requests", args=[started.slug])).status_code == 200
    c = client_for(client, people["other_organizer"])
    assert c.get(reverse("chapter_join_requests", args=[started.slug])).status_code == 404
