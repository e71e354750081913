"""The planner page whatever the plan's size (issue 12, item 4): the page, its map endpoint and
its downloads run the same queries and send bounded bytes for N and 3N candidates; candidates
are paged, sorted and filtered; the map sends counts by cell, never a member; only organizers
and staff see any of it."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from chapterhouse.members.models import Member
from chapterhouse.organizing.models import Organizer
from chapterhouse.planner.models import PlanCandidate, PlanRun, RunStatus
from chapterhouse.planner.selectors import PAGE_SIZE, SINGLE_LIMIT
from chapterhouse.planner.services import RECRUITS_SHOWN, plan_run_store
from tests.conftest import NEW_YORK, VIENNA, client_for, make_member, make_organizer

pytestmark = pytest.mark.django_db

N = 120  # more than two pages of candidates


@pytest.fixture
def oscar(organization):
    member = make_member("oscar@example.org", "Oscar", VIENNA)
    make_organizer(member)
    return member


@pytest.fixture
def organizer_client(client, oscar):
    return client_for(client, oscar)


def a_result(n: int, member_ids: list[str]) -> dict:
    """A finished plan's result with `n` candidates, every third in Austria, the others in
    the United States, of sizes 5 to 24, spread on a line of latitudes."""
    chapters = [{
        "center": [40.0 + (i % 20) * 0.5, -74.0 + (i // 20) * 0.5] if i % 3 else
                  [48.2, 16.37 + i * 0.001],
        "members": member_ids[:5],
        "women": 2, "size": 5 + i % 20, "max_travel_km": 12.5,
        "start_by": "2014-04-01", "organizer": None, "starts": None,
        "counts_by_deadline": None,
        "place": "Vienna" if i % 3 == 0 else f"Town {i}",
        "country": "AT" if i % 3 == 0 else "US",
        "country_name": "Austria" if i % 3 == 0 else "United States",
    } for i in range(n)]
    return {
        "new_chapters": chapters, "assignments": [], "splits": [],
        "unreached": [{"chapter": i, "why": {"code": "planner.unreached.out_of_reach",
                                             "params": {}}} for i in range(n)],
        "recruits": [{"candidates": [i], "chapters": 1} for i in range(n)],
        "summary": {"eligible_members": 10 * n, "new_chapters": n,
                    "members_placed": sum(c["size"] for c in chapters), "organizers": 1,
                    "assigned": 0, "unreachable": n, "over_capacity": 0,
                    "start_by": "2014-04-01", "still_possible": True, "qualifying_now": 0,
                    "projected_at_deadline": None, "target_chapters": None},
    }


def stored_plan(n: int, *, unaffiliated=None) -> PlanRun:
    members = [Member.objects.filter(email=f"m{i}@example.org").first()
               or make_member(f"m{i}@example.org", f"M{i}", NEW_YORK) for i in range(5)]
    run = PlanRun.objects.create(status=RunStatus.RUNNING, attempts=1, radius_km=25, min_size=5)
    plan_run_store(run, result=a_result(n, [str(m.pk) for m in members]),
                   unaffiliated=unaffiliated or [(40.71, -74.0, 7), (48.2, 16.37, 3)])
    return PlanRun.objects.get(pk=run.pk)


def new_plan(n: int) -> PlanRun:
    """Another stored plan of `n` candidates, in place of the first (the page shows the newest)."""
    PlanRun.objects.all().delete()
    return stored_plan(n)


def urls(run: PlanRun) -> list[str]:
    planner = reverse("planner")
    map_url = reverse("planner_map")
    return [
        planner,
        planner + "?page=2&sort=-size",
        planner + "?country=US&min_size=6&organizer=none&sort=country",
        map_url + f"?run={run.pk}&bbox=-85,-180,85,180&zoom=2",
        map_url + f"?run={run.pk}&bbox=40,-75,45,-70&zoom=9",
        map_url + "?bbox=-85,-180,85,180&zoom=3",
        reverse("plan_run_csv", args=[run.pk]),
        reverse("plan_run_json", args=[run.pk]),
    ]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def measured(client, url: str) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # caches warm (the attendance rate), as on every view but the first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        size = len(body(response))
    assert response.status_code == 200, url
    return len(queries), size


def test_the_page_and_its_endpoints_run_the_same_queries_for_n_and_3n_candidates(
        organizer_client):
    small = stored_plan(N)
    before = {i: measured(organizer_client, url) for i, url in enumerate(urls(small))}
    large = new_plan(3 * N)
    after = {i: measured(organizer_client, url) for i, url in enumerate(urls(large))}
    assert [q for q, _ in after.values()] == [q for q, _ in before.values()]
    # Bounded bytes: the page and the map send no more for three times the plan (a few bytes
    # for longer numbers aside); only the downloads grow, by design.
    for i in (0, 1, 2, 3, 5):
        assert after[i][1] <= before[i][1] * 1.05 + 200, urls(large)[i]
    # Zoomed in, candidates in view are drawn one by one, up to SINGLE_LIMIT, then by cell.
    assert after[4][1] <= SINGLE_LIMIT * 100 + 4096
    assert after[6][1] > 2.5 * before[6][1]


def test_the_page_lists_a_page_of_candidates_with_the_totals(organizer_client):
    stored_plan(3 * N)
    response = organizer_client.get(reverse("planner"))
    html = response.text
    assert html.count('id="candidate-') == PAGE_SIZE
    total = sum(5 + i % 20 for i in range(3 * N))
    assert f"Candidates 1–{PAGE_SIZE} of {3 * N}, with {total:,} members in all." in html
    pages = -(-3 * N // PAGE_SIZE)
    assert f"Page 1 of {pages}" in html
    last = organizer_client.get(reverse("planner") + f"?page={pages}").text
    assert last.count('id="candidate-') == 3 * N - (pages - 1) * PAGE_SIZE


def test_candidates_are_filtered_by_country_and_size_and_sorted(organizer_client):
    stored_plan(N)
    response = organizer_client.get(reverse("planner") + "?country=at&min_size=10&sort=-size")
    rows = response.context["rows"]
    expected = sorted((i for i in range(N) if i % 3 == 0 and 5 + i % 20 >= 10),
                      key=lambda i: (-(5 + i % 20), i))
    assert [r.index for r in rows] == expected[:PAGE_SIZE]
    assert response.context["candidates"].count == len(expected)
    assert {r.place for r in rows} == {"Vienna"}
    assert f'<option value="AT" selected>Austria ({N // 3})</option>' in response.text


def test_absurd_filters_fall_back_to_the_whole_list(organizer_client):
    stored_plan(N)
    response = organizer_client.get(
        reverse("planner") + "?country=<x>&min_size=-3&sort=drop&organizer=z&page=99999999999")
    assert response.status_code == 200
    assert response.context["candidates"].count == N
    assert response.context["candidates"].number == 1


def test_a_filter_that_matches_nothing_says_so(organizer_client):
    stored_plan(N)
    html = organizer_client.get(reverse("planner") + "?min_size=1000").text
    assert "No candidate chapter matches these choices." in html


def test_the_map_sends_counts_by_cell_and_candidates_one_by_one_only_when_few(organizer_client):
    run = stored_plan(3 * N, unaffiliated=[(40.71, -74.0, 7), (40.72, -74.01, 4),
                                           (48.2, 16.37, 3)])
    world = organizer_client.get(
        reverse("planner_map") + f"?run={run.pk}&bbox=-85,-180,85,180&zoom=2").json()
    assert sum(c[3] for c in world["members"]) == 14  # members by cell: counts, never people
    assert "candidates" not in world or len(world["candidates"]) <= 300
    street = organizer_client.get(
        reverse("planner_map") + f"?run={run.pk}&bbox=48.1,16.3,48.3,17.0&zoom=12").json()
    assert [c[4] for c in street["candidates"]] == ["Vienna"] * (3 * N // 3)
    assert {tuple(c[:2]) for c in street["members"]} == {(48.2, 16.37)}


def test_a_map_box_that_makes_no_sense_is_refused_with_a_message(organizer_client):
    response = organizer_client.get(reverse("planner_map") + "?bbox=1,2,3&zoom=2")
    assert response.status_code == 400
    assert "bbox=south,west,north,east" in response.json()["error"]
    response = organizer_client.get(reverse("planner_map") + "?bbox=10,0,0,1&zoom=99")
    assert response.status_code == 400
    assert organizer_client.get(
        reverse("planner_map") + "?run=12345&bbox=0,0,1,1&zoom=3").status_code == 404


def test_the_downloads_hold_the_whole_plan_and_name_no_member(organizer_client):
    run = stored_plan(3 * N)
    response = organizer_client.get(reverse("plan_run_csv", args=[run.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="plan-{run.pk}.csv"'
    text = body(response).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3 * N
    assert rows[0]["number"] == "1"
    assert rows[0]["place"] == "Vienna"
    assert rows[0]["country"] == "Austria"
    assert rows[0]["members"] == "5"
    assert rows[0]["women"] == "2"
    assert "@" not in text
    plan = json.loads(body(organizer_client.get(
        reverse("plan_run_json", args=[run.pk]))))
    assert len(plan["candidates"]) == 3 * N
    assert plan["summary"]["new_chapters"] == 3 * N
    assert "members" not in plan["candidates"][0] or plan["candidates"][0]["members"] == 5
    assert organizer_client.get(
        reverse("plan_run_csv", args=[run.pk + 1])).status_code == 404


def test_a_run_stored_before_the_rows_gets_them_on_its_first_view(organizer_client):
    run = stored_plan(N)
    PlanCandidate.objects.all().delete()
    PlanRun.objects.filter(pk=run.pk).update(page=None, centres=None, unaffiliated=None)
    html = organizer_client.get(reverse("planner")).text
    assert html.count('id="candidate-') == PAGE_SIZE
    assert PlanCandidate.objects.filter(run=run).count() == N


def test_a_run_whose_attempt_was_taken_over_stores_no_candidates(organizer):
    run = PlanRun.objects.create(status=RunStatus.RUNNING, attempts=1, radius_km=25, min_size=5)
    PlanRun.objects.filter(pk=run.pk).update(attempts=2)  # a newer attempt holds it
    plan_run_store(run, result=a_result(N, ["1"]))
    assert not PlanCandidate.objects.exists()
    assert PlanRun.objects.get(pk=run.pk).page is None


@pytest.fixture
def organizer(organization):
    return organization


PERSONAS = ["visitor", "member", "coordinator", "organizer", "staff"]


@pytest.fixture
def person(request, client, alice, bob, oscar, staff):
    """The client as each persona: a visitor, a chapter's member, its coordinator (who is
    not an organizer), an organizer, staff."""
    who = {"member": bob, "coordinator": alice, "organizer": oscar, "staff": staff}
    if request.param != "visitor":
        client_for(client, who[request.param])
    return request.param


@pytest.mark.parametrize("person", PERSONAS, indirect=True)
def test_only_organizers_and_staff_reach_the_planner_and_its_endpoints(client, person):
    run = stored_plan(N)
    allowed = person in {"organizer", "staff"}
    for url in urls(run):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 404), url
            assert response.status_code == 404 or "/login/" in response["Location"]
            assert b"Vienna" not in body(response)


def a_split(member_ids: list[str]) -> dict:
    """New York City split in two: Brooklyn, 2 members of whom 1 woman (too few to say
    anything of its women), and Queens, 10 members of whom 4 women."""
    return {"chapter": "new-york-city", "works": False,
            "parts": [{"name": "Brooklyn", "center": [40.65, -73.95], "valid": False,
                       "size": 2, "women": 1, "reach": 3, "reach_women": 1,
                       "members": member_ids[:2]},
                      {"name": "Queens", "center": [40.73, -73.79], "valid": True,
                       "size": 10, "women": 4, "reach": 12, "reach_women": 5,
                       "members": member_ids[2:]}],
            "unplaced": member_ids[4:],
            "reasons": [{"code": "planner.split.unplaced", "params": {"n": 1}},
                        # as older code stored them: the 3 within Brooklyn's reach are too
                        # few to say how many are women; Queens' 12 are enough
                        {"code": "planner.split.centre_short",
                         "params": {"centre": "Brooklyn", "members": 3, "km": 25.0,
                                    "women": 1}},
                        {"code": "planner.split.centre_short",
                         "params": {"centre": "Queens", "members": 12, "km": 25.0,
                                    "women": 5}}]}


def assert_split_shown(split: dict, member_ids: list[str]) -> None:
    assert split["parts"] == [
        {"name": "Brooklyn", "center": [40.65, -73.95], "size": 2, "valid": False,
         "women": None},
        {"name": "Queens", "center": [40.73, -73.79], "size": 10, "valid": True, "women": 4}]
    assert "unplaced" not in split
    assert split["reasons"][1:] == [
        {"code": "planner.split.centre_short_hidden",
         "params": {"centre": "Brooklyn", "members": 3, "km": 25.0}},
        {"code": "planner.split.centre_short",
         "params": {"centre": "Queens", "members": 12, "km": 25.0, "women": 5}}]
    text = json.dumps(split)
    assert not any(f'"{i}"' in text for i in member_ids)


@pytest.mark.parametrize("stored", ["now", "before the fix"])
def test_the_downloaded_splits_name_no_member_and_no_small_groups_women(organizer_client,
                                                                         stored):
    members = [make_member(f"s{i}@example.org", f"S{i}", NEW_YORK) for i in range(5)]
    ids = [str(m.pk) for m in members]
    run = PlanRun.objects.create(status=RunStatus.RUNNING, attempts=1, radius_km=25, min_size=5)
    result = a_result(3, ids)
    result["splits"] = [a_split(ids)]
    plan_run_store(run, result=result, unaffiliated=[])
    if stored == "before the fix":  # a page stored by older code kept the split as planned
        page = PlanRun.objects.get(pk=run.pk).page
        PlanRun.objects.filter(pk=run.pk).update(page={**page, "splits": [a_split(ids)]})
    else:
        assert_split_shown(PlanRun.objects.get(pk=run.pk).page["splits"][0], ids)
    plan = json.loads(body(organizer_client.get(reverse("plan_run_json", args=[run.pk]))))
    assert_split_shown(plan["splits"][0], ids)
    html = organizer_client.get(reverse("planner")).text
    assert "Brooklyn: 2 members" in html
    assert "Brooklyn: 2 members," not in html
    assert "Queens: 10 members, 4 women" in html
    assert "Brooklyn: 3 members within 25 km<" in html  # and not a word of its women
    assert "Queens: 12 members within 25 km, 5 of them women" in html


def test_the_csv_keeps_formulas_as_text_and_numbers_as_numbers(organizer_client, oscar):
    run = stored_plan(3)
    Member.objects.filter(pk=oscar.pk).update(display_name='=HYPERLINK("http://evil.example")')
    PlanCandidate.objects.filter(run=run, index=1).update(
        organizer=Organizer.objects.get(member=oscar), organizer_km=3.5, place="@SUM(A1)")
    text = body(organizer_client.get(reverse("plan_run_csv", args=[run.pk]))).decode()
    row = list(csv.DictReader(io.StringIO(text)))[1]
    assert row["organizer"] == '\'=HYPERLINK("http://evil.example")'
    assert row["place"] == "'@SUM(A1)"
    assert row["longitude"] == "-74.0"  # a negative longitude is a number, written as one
    assert row["organizer_km"] == "3.5"


def test_the_json_download_has_every_recruit_group(organizer_client):
    run = stored_plan(3 * N)  # one recruit group per candidate: more than the page shows
    response = organizer_client.get(reverse("planner"))
    assert len(response.context["recruits"]) == RECRUITS_SHOWN
    plan = json.loads(body(organizer_client.get(reverse("plan_run_json", args=[run.pk]))))
    assert len(plan["recruits"]) == 3 * N
    assert plan["recruits_more"] == 0
    assert plan["recruits"][-1] == {"places": [f"Town {3 * N - 1}"], "chapters": 1}
