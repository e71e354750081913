"""Readiness for the convention: each goal met or not and the date it was met, from the
organization's history month by month (pure part: convention/readiness.py), and the page
that shows it with the apportionment of delegates."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from chapterhouse.convention.models import ConventionSettings
from chapterhouse.convention.readiness import readiness
from chapterhouse.goals.models import GoalSet
from chapterhouse.goals.progress import Kind, Snapshot, Targets
from tests.conftest import client_for, make_member, make_qualifying, make_staff

D = datetime.date
TARGETS = Targets(members=10, chapters=2, continents=1, women_share=0.3, deadline=D(2014, 7, 1))


def snap(on, members, chapters, continents=1, women=0.4):
    return Snapshot(on=on, started=D(2012, 1, 1), members=members, chapters=chapters,
                    continents=continents, women_share=women)


def test_a_goal_is_dated_from_the_last_time_it_was_met():
    history = [snap(D(2013, 10, 31), 8, 2), snap(D(2013, 11, 30), 12, 1),
               snap(D(2013, 12, 31), 12, 2), snap(D(2014, 2, 1), 14, 2)]
    result = readiness(TARGETS, history)
    goals = {g.kind: g for g in result.goals}
    assert goals[Kind.MEMBERS].since == D(2013, 11, 30)
    assert goals[Kind.CHAPTERS].since == D(2013, 12, 31)  # lost in November, met again
    assert goals[Kind.CONTINENTS].since == D(2013, 10, 31)
    assert result.ready
    assert result.ready_since == D(2013, 12, 31)


def test_the_members_goal_is_dated_to_the_day_when_known():
    history = [snap(D(2013, 11, 30), 12, 0), snap(D(2014, 2, 1), 14, 0)]
    goals = {g.kind: g for g in readiness(TARGETS, history, D(2013, 11, 4)).goals}
    assert goals[Kind.MEMBERS].since == D(2013, 11, 4)
    assert goals[Kind.MEMBERS].exact
    assert not goals[Kind.CHAPTERS].met
    assert goals[Kind.CHAPTERS].since is None


def test_no_women_counted_is_not_met():
    goals = {g.kind: g for g in readiness(TARGETS, [snap(D(2014, 2, 1), 14, 2, women=None)]).goals}
    assert not goals[Kind.WOMEN_SHARE].met


@pytest.fixture
def convention_world(organization, springfield, vienna, alice, bob, charlie):
    make_qualifying(springfield)  # 5 more members: 7 in all
    make_qualifying(vienna)  # 5 more: 6 in all
    GoalSet.objects.create(organization=organization, target_members=5, target_chapters=2,
                           target_continents=2, target_women_share=Decimal("0.3"),
                           deadline=D(2014, 7, 1), adopted_on=D(2012, 5, 1),
                           source="Member poll")
    return organization


def test_the_page_shows_readiness_and_the_apportionment(convention_world, client):
    response = client_for(client, make_member("m@example.org", "M")).get("/convention/")
    assert response.status_code == 200
    ready = response.context["readiness"]
    goals = {g.kind: g for g in ready.goals}
    assert goals[Kind.MEMBERS].met
    assert goals[Kind.MEMBERS].since == D(2012, 3, 1)  # the 5th member's join date
    assert goals[Kind.CHAPTERS].met  # both qualify on the figures' date
    assert goals[Kind.CHAPTERS].since is not None
    assert D(2013, 12, 31) <= goals[Kind.CHAPTERS].since <= D(2014, 2, 1)
    assert goals[Kind.CONTINENTS].met  # North America and Europe
    a = response.context["apportionment"]
    # Defaults: 30 seats by Webster, floor 1; 7 and 6 members: 16.15 and 13.85 -> 16, 14.
    assert {row.chapter.name: row.seats for row in a.chapters} == {"Springfield": 16,
                                                                   "Vienna": 14}
    html = response.content.decode()
    assert "Sainte-Laguë" in html
    assert 'id="apportionment-table"' in html


def test_staff_change_the_settings_and_bad_input_changes_nothing(convention_world, client):
    staff = make_staff()
    client_for(client, staff)
    form = {"seats": "5", "floor": "2", "method": "huntington-hill", "weighting": "apportioned",
            "women_percent": "40", "quorum_percent": "60"}
    assert client.post("/convention/", form).status_code == 302
    chosen = ConventionSettings.objects.get()
    assert (chosen.seats, chosen.floor, chosen.method) == (5, 2, "huntington-hill")
    assert chosen.women_share == Decimal("0.400")
    assert chosen.quorum == Decimal("0.600")
    html = client.get("/convention/").content.decode()
    assert 'value="40"' in html  # the shares shown as typed, in percent
    assert 'value="60"' in html
    a = client.get("/convention/").context["apportionment"]
    assert {row.chapter.name: row.seats for row in a.chapters} == {"Springfield": 3,
                                                                   "Vienna": 2}
    for bad in ({"seats": "0"}, {"quorum_percent": "150"}, {"method": "borda"},
                {"seats": "1e9"}):
        response = client.post("/convention/", {**form, "seats": "9", **bad})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert ConventionSettings.objects.get().seats == 5


def test_too_few_seats_for_the_floor_is_said_in_words(convention_world, client):
    ConventionSettings.objects.create(organization=convention_world, seats=3, floor=2)
    html = client_for(client, make_member("m@example.org", "M")).get("/convention/").content
    assert "3 seats cannot give 2 units at least 2 each: that needs 4" in html.decode()


def test_only_staff_change_the_settings(convention_world, client, alice):
    client_for(client, alice)  # a coordinator
    response = client.post("/convention/", {"seats": "5", "floor": "1", "method": "hamilton",
                                            "weighting": "equal", "quorum_percent": "50"})
    assert response.status_code == 404
    assert not ConventionSettings.objects.exists()


def test_an_outsider_sees_it_only_when_the_dashboard_is_public(convention_world, client):
    convention_world.dashboard_public = False
    convention_world.save()
    assert client.get("/convention/").status_code == 302
    convention_world.dashboard_public = True
    convention_world.save()
    response = client.get("/convention/")
    assert response.status_code == 200
    assert response.context["delegates"] == []




def test_readiness_dates_agree_with_the_dashboard_measured_on_those_days(convention_world):
    """The chapters goal is dated from the history's points; measured as the dashboard
    measures a day, it is met on that date and was not on the point before."""
    from chapterhouse.convention.selectors import readiness_current
    from chapterhouse.goals.history import history_of
    from chapterhouse.goals.snapshot import measure

    ready = readiness_current(convention_world)
    since = {g.kind: g for g in ready.goals}[Kind.CHAPTERS].since
    days = [p.on for p in history_of(convention_world).points]
    assert since in days
    assert measure(convention_world, since).snapshot.chapters >= 2
    before = days[days.index(since) - 1]
    assert measure(convention_world, before).snapshot.chapters < 2


def test_while_the_first_figures_are_computed_the_page_says_so(convention_world, client,
                                                                monkeypatch):
    """A crowd on a cold cache: the requests that find another computing the figures say so,
    and none of them measures the organization itself."""
    from chapterhouse.convention import selectors

    def measured_again(*args, **kwargs):
        raise AssertionError("the page measured the organization inline")

    monkeypatch.setattr(selectors, "measurement_served", lambda organization: None)
    monkeypatch.setattr(selectors, "measure", measured_again)
    response = client_for(client, make_member("m@example.org", "M")).get("/convention/")
    assert response.status_code == 200
    assert 'id="computing"' in response.content.decode()
    assert response.context["readiness"] is None
