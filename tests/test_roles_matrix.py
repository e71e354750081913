"""Capability x role, through the real pages (issue 9, attack 1: "self-granted power").

One table says who may do what (chapterhouse/domain/roles.py). Here every persona tries every
capability on the site itself: the allowed ones succeed, the others get 404 (anonymous visitors
are sent to log in where the page needs a login) and change nothing.

Personas: anonymous; a member of a chapter (bob); an unaffiliated member (olivia); the founder
of a forming chapter started a minute ago through the site (fiona); the coordinator of a
qualifying chapter (alice, Springfield); an organizer appointed by staff (oscar); a resource
editor appointed by staff (rita); staff (stella).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.coordination.models import Call
from chapterhouse.domain.roles import CAPABILITIES, Capability, Role
from chapterhouse.members.models import Member
from chapterhouse.planner.models import PlanRun, RunStatus
from chapterhouse.resources.models import Resource
from tests.conftest import (
    VIENNA,
    client_for,
    login_staff,
    make_member,
    make_organizer,
    make_qualifying,
)

pytestmark = pytest.mark.django_db

BROOKLYN = 5110302
QUEENS = 5133273
BOSTON = 4930956

PERSONAS = ["anonymous", "member", "unaffiliated", "founder", "qualifying_coordinator",
            "organizer", "resource_editor", "staff"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Fifteen accounts a test: a fast hasher keeps the matrix quick (logins are forced)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    people: dict[str, Member]
    springfield: Chapter  # qualifying; alice coordinates it
    forming: Chapter  # fiona's, started through the site


@pytest.fixture
def world(client, springfield, alice, bob, olivia, staff) -> World:
    make_qualifying(springfield)
    fiona = make_member("fiona@example.org", "Fiona", QUEENS)
    client_for(client, fiona).post(reverse("chapter_list"), {
        "name": "Queens Forming", "description": "", "radius_km": "25", "invite": "",
        "despite_covering": "on"})  # Queens lies inside Springfield's area: warned, goes on
    client.logout()
    forming = Chapter.objects.get(name="Queens Forming")
    oscar = make_member("oscar@example.org", "Oscar", VIENNA)
    make_organizer(oscar)
    rita = make_member("rita@example.org", "Rita", VIENNA, is_resource_editor=True)
    # Members without a chapter near Springfield, willing to meet: whom invitations reach.
    for i in range(3):
        make_member(f"near{i}@example.org", f"Near {i}", BROOKLYN, willing_to_meet=True)
    people = {"member": bob, "unaffiliated": olivia, "founder": fiona,
              "qualifying_coordinator": alice, "organizer": oscar, "resource_editor": rita,
              "staff": staff}
    return World(people, springfield, forming)


def log_in(client, world: World, persona: str):
    if persona == "anonymous":
        return client
    member = world.people[persona]
    return login_staff(client, member) if member.is_staff else client_for(client, member)


def denied(response) -> bool:
    """404 for a logged-in outsider; the login page for an anonymous visitor."""
    return response.status_code == 404 or (
        response.status_code == 302 and "/login/" in response["Location"])


# Each check returns True when the persona could use the capability, and asserts that a refusal
# changed nothing.

def planner_view(client, world: World) -> bool:
    response = client.get(reverse("planner"))
    assert response.status_code in (200, 404)
    return response.status_code == 200


def planner_start(client, world: World) -> bool:
    # In Boston, outside every chapter's area, matched by the plan to the organizer (oscar):
    # the organizer it was matched to and staff may start it (tests/organizing for the rest).
    group = [make_member(f"g{i}@example.org", f"Group {i}", BOSTON, willing_to_meet=True)
             for i in range(5)]
    matched = str(world.people["organizer"].organizer.pk)
    run = PlanRun.objects.create(status=RunStatus.DONE, min_size=5, result={
        "new_chapters": [{"members": [str(m.pk) for m in group], "center": [42.36, -71.06],
                          "size": 5, "women": 0, "max_travel_km": 0.0, "organizer": matched}],
        "assignments": [{"organizer": matched, "chapter": 0, "km": 20.0}], "unreached": [],
        "summary": {}})
    before = Chapter.objects.count()
    response = client.post(reverse("candidate_accept", args=[run.pk, 0]))
    if denied(response):
        assert Chapter.objects.count() == before
        assert not Invitation.objects.filter(
            member__in=group).exists()
        return False
    assert response.status_code == 302
    assert Invitation.objects.filter(member__in=group).count() == 5
    return True


def planner_run(client, world: World) -> bool:
    # An invalid form: allowed users are told why; nobody starts a (slow) plan here.
    response = client.post(reverse("plan_run_create"), {"radius_km": 0, "min_size": 5})
    assert not PlanRun.objects.exists()
    return not denied(response)


def call_create(client, world: World) -> bool:
    if denied(client.get(reverse("call_create"))):
        response = client.post(reverse("call_create"), {
            "title": "Mine", "scope": "organization", "occurrences": "1",
            "duration_minutes": "60"})
        assert denied(response)
        assert not Call.objects.exists()
        return False
    response = client.post(reverse("call_create"), {
        "title": "Mine", "scope": "organization", "occurrences": "1", "duration_minutes": "60"})
    assert response.status_code == 302
    assert Call.objects.count() == 1
    return True


def resource_add(client, world: World) -> bool:
    data = {"title": "Our guide", "kind": "guide", "language": "en",
            "link": "https://example.org/guide"}
    response = client.post(reverse("resource_add"), data)
    if denied(response):
        assert not Resource.objects.exists()
        return False
    assert response.status_code == 302
    assert Resource.objects.count() == 1
    return True


def chapter_coordinate(client, world: World) -> bool:
    """The qualifying chapter's coordinator pages (join requests, vision)."""
    slug = world.springfield.slug
    pages = [client.get(reverse("chapter_join_requests", args=[slug])),
             client.get(reverse("chapter_vision_edit", args=[slug]))]
    if all(denied(page) for page in pages):
        return False
    assert all(page.status_code == 200 for page in pages)
    return True


def chapter_invite(client, world: World) -> bool:
    response = client.post(reverse("chapter_invite_nearby", args=[world.springfield.slug]))
    invited = Invitation.objects.filter(chapter=world.springfield).count()
    if denied(response):
        assert invited == 0
        return False
    assert response.status_code == 302
    assert invited == 3
    return True


CHECKS = {
    Capability.PLANNER_VIEW: planner_view,
    Capability.PLANNER_RUN: planner_run,
    Capability.PLANNER_START: planner_start,
    Capability.CALL_CREATE: call_create,
    Capability.RESOURCE_ADD: resource_add,
    Capability.CHAPTER_COORDINATE: chapter_coordinate,
    Capability.CHAPTER_INVITE: chapter_invite,
}

# Who may, by persona (Springfield is the chapter in question for chapter capabilities).
EXPECTED = {
    Capability.PLANNER_VIEW: {"organizer", "staff"},
    Capability.PLANNER_RUN: {"organizer", "staff"},
    Capability.PLANNER_START: {"organizer", "staff"},
    Capability.CALL_CREATE: {"organizer", "staff"},
    Capability.RESOURCE_ADD: {"resource_editor", "staff"},
    Capability.CHAPTER_COORDINATE: {"qualifying_coordinator", "staff"},
    Capability.CHAPTER_INVITE: {"qualifying_coordinator", "staff"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("capability", list(CHECKS), ids=str)
def test_each_persona_may_use_exactly_the_capabilities_its_roles_grant(
        client, world, capability, persona):
    allowed = CHECKS[capability](log_in(client, world, persona), world)
    assert allowed == (persona in EXPECTED[capability])


def test_the_founder_of_a_forming_chapter_coordinates_it_and_nothing_else(client, world):
    fiona = world.people["founder"]
    c = client_for(client, fiona)
    assert list(world.forming.coordinators.all()) == [fiona]
    assert c.get(reverse("chapter_join_requests", args=[world.forming.slug])).status_code == 200
    assert c.get(reverse("planner")).status_code == 404
    assert c.get(reverse("call_create")).status_code == 404
    assert c.get(reverse("resource_add")).status_code == 404
    page = c.get(reverse("calls")).text
    assert reverse("call_create") not in page
    assert reverse("planner") not in c.get(reverse("dashboard")).text


def test_the_table_grants_what_the_issue_asks():
    assert CAPABILITIES[Capability.PLANNER_START] == {Role.ORGANIZER, Role.STAFF}
    assert CAPABILITIES[Capability.CALL_CREATE] == {Role.ORGANIZER, Role.STAFF}
    assert CAPABILITIES[Capability.RESOURCE_ADD] == {Role.RESOURCE_EDITOR, Role.STAFF}
    # A chapter's own organizer runs it like a coordinator (tests/organizing/test_carrying.py).
    assert CAPABILITIES[Capability.CHAPTER_COORDINATE] == {
        Role.COORDINATOR, Role.CHAPTER_ORGANIZER, Role.STAFF}
    assert set(CAPABILITIES) == set(Capability)  # every capability is in the table
    assert not any(Role.COORDINATOR in roles for capability, roles in CAPABILITIES.items()
                   if capability in {Capability.PLANNER_VIEW, Capability.PLANNER_START,
                                     Capability.CALL_CREATE, Capability.RESOURCE_ADD})


def test_an_outsider_gets_404_for_another_chapters_coordinator_pages(client, world):
    """The coordinator of one chapter is an outsider to another."""
    c = client_for(client, world.people["founder"])
    for name in ("chapter_join_requests", "chapter_vision_edit"):
        assert c.get(reverse(name, args=[world.springfield.slug])).status_code == 404
    assert c.post(reverse("chapter_invite_nearby",
                          args=[world.springfield.slug])).status_code == 404


def test_a_deactivated_organizer_loses_the_planner(client, world):
    oscar = world.people["organizer"]
    oscar.organizer.active = False
    oscar.organizer.save(update_fields=["active"])
    assert client_for(client, oscar).get(reverse("planner")).status_code == 404


def test_staff_log_in_through_one_fixture(staff_client):
    assert staff_client.get(reverse("planner")).status_code == 200

