"""Who sees what on the maps (chapterhouse/maps/views.py): each endpoint answers as its page
does, and sends only the layers its reader may see. Capability x role: anonymous (dashboard
public or not), a member of a chapter (bob), an unaffiliated member (olivia), the coordinator of
another chapter (charlie, Vienna), the coordinator (alice, Springfield), an organizer (oscar),
staff (stella)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from tests.conftest import (
    NEW_YORK,
    VIENNA,
    client_for,
    make_chapter,
    make_member,
    make_organizer,
    make_qualifying,
)

pytestmark = pytest.mark.django_db

BOSTON = 4930956
GRAZ = 2778067


@pytest.fixture
def world(organization, springfield, vienna, alice, bob, charlie, olivia, staff):
    cache.clear()
    make_qualifying(springfield)
    vienna.coordinators.add(charlie)
    oscar = make_member("oscar@example.org", "Oscar", VIENNA)
    make_organizer(oscar)
    for i in range(5):  # five unaffiliated members in Boston: drawn
        make_member(f"boston{i}@example.org", f"Bostonian {i}", BOSTON)
    make_member("gretl@example.org", "Gretl Unique", GRAZ)  # alone in Graz: never drawn
    run = PlanRun.objects.create(status=RunStatus.DONE, min_size=5, page={},
                                 finished_at=datetime.datetime(2014, 1, 31, tzinfo=datetime.UTC))
    PlanCandidate.objects.create(run=run, index=0, place="Boston", lat=42.36, lon=-71.06, size=5,
                                 women=2, max_travel_km=2, start_by=datetime.date(2014, 3, 1),
                                 members=[])
    return {"anonymous": None, "member": bob, "unaffiliated": olivia,
            "other_coordinator": charlie, "coordinator": alice, "organizer": oscar,
            "staff": staff}


def fetch(client, person, url):
    if person is not None:
        client_for(client, person)
    return client.get(url)


MEMBERS = ["member", "unaffiliated", "other_coordinator", "coordinator", "organizer", "staff"]
PERSONAS = ["anonymous", *MEMBERS]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_dashboard_map_sends_each_reader_only_what_they_may_see(client, world, persona):
    response = fetch(client, world[persona], reverse("map_dashboard"))
    assert response.status_code == 200
    data = response.json()
    assert {c["name"] for c in data["chapters"]} == {"Springfield", "Vienna"}
    springfield = next(c for c in data["chapters"] if c["name"] == "Springfield")
    assert springfield["status"] == "qualifying"
    if persona == "anonymous":
        assert data["members"] is None  # counts of members are for members
    else:
        cities = {c["name"]: c["n"] for c in data["members"]["cities"]}
        assert cities == {"Boston, United States": 5}
        # Graz (gretl), Vienna (oscar) and New York (olivia, stella) are below the minimum:
        # counted, never drawn.
        assert data["members"]["hidden"] == 4
        assert "5" in data["members"]["rule"]
    if persona in ("organizer", "staff"):
        assert [c["number"] for c in data["candidates"]["items"]] == [1]
        assert data["candidates"]["items"][0]["n"] == 5
    else:
        assert data["candidates"] is None  # the plan is the planner's
    text = response.content.decode()
    assert "Gretl" not in text
    assert "Graz" not in text
    assert "@example.org" not in text
    assert response["Cache-Control"].startswith("private")


@pytest.mark.parametrize("name", ["map_dashboard", "map_chapter"])
def test_a_private_dashboard_hides_its_maps_from_visitors_as_it_hides_its_pages(
        client, world, organization, name):
    organization.dashboard_public = False
    organization.save(update_fields=["dashboard_public"])
    url = reverse(name, args=["springfield"] if name == "map_chapter" else [])
    assert client.get(url).status_code == 404
    assert fetch(client, world["member"], url).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_chapter_map_shows_the_chapter_and_its_area_to_whoever_sees_its_page(
        client, world, persona):
    response = fetch(client, world[persona], reverse("map_chapter", args=["springfield"]))
    assert response.status_code == 200
    data = response.json()
    assert [(c["name"], c["radius_km"]) for c in data["chapters"]] == [("Springfield", 25)]
    assert data["members"] is None
    assert data["candidates"] is None
    assert data["you"] is None


def test_an_unknown_chapter_has_no_map(client, world):
    assert client.get(reverse("map_chapter", args=["atlantis"])).status_code == 404


def test_chapters_near_you_is_a_members_map_with_their_own_city(client, world):
    assert client.get(reverse("map_near")).status_code == 404
    data = fetch(client, world["unaffiliated"], reverse("map_near")).json()
    assert data["you"]["label"].endswith("New York City")
    assert next(c["name"] for c in data["chapters"]) == "Springfield"
    assert data["members"] is None
    assert data["candidates"] is None


def test_the_maps_answer_only_reads(client, world):
    client_for(client, world["staff"])
    assert client.post(reverse("map_dashboard")).status_code == 405


@pytest.mark.parametrize("name", ["dashboard", "chapter_list"])
def test_the_pages_carry_their_map(client, world, name):
    client_for(client, world["unaffiliated"])
    page = client.get(reverse(name)).content.decode()
    assert 'data-map-src="/maps/' in page
    assert "countries-110m.json" in page


def test_the_dashboard_map_costs_a_few_queries_whatever_the_number_of_chapters(
        client, world, django_assert_max_num_queries):
    client_for(client, world["staff"])
    client.get(reverse("map_dashboard"))  # the cities' counts are cached from here on
    for i in range(30):
        make_chapter(f"Borough {i}", NEW_YORK)
    with django_assert_max_num_queries(12):
        data = client.get(reverse("map_dashboard")).json()
    assert len(data["chapters"]) == 32
