"""Who may see the history (/history/), and the public progress page of a small
organization: never a small group's women's figure."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from chapterhouse.goals.models import GoalSet
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.meetings.months import chapter_months_refresh
from tests.conftest import (
    client_for,
    join,
    make_chapter,
    make_member,
    make_organizer,
    make_staff,
)
from tests.goals.test_history_page import svgs_of

pytestmark = pytest.mark.django_db
VIENNA = 2761369


# Who may see the history --------------------------------------------------------------------

@pytest.fixture
def private(organization):
    organization.dashboard_public = False
    organization.save()
    return organization


@pytest.mark.parametrize("persona", ["outsider", "member", "coordinator",
                                     "coordinator elsewhere", "organizer", "staff"])
def test_a_private_history_is_for_members_only(private, client, alice, bob, charlie, vienna,
                                               olivia, persona):
    vienna.coordinators.add(charlie)
    make_organizer(olivia)
    people = {"member": bob, "coordinator": alice, "coordinator elsewhere": charlie,
              "organizer": olivia, "staff": make_staff()}
    if persona != "outsider":
        client_for(client, people[persona])
    response = client.get(reverse("history"))
    if persona == "outsider":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 200
        assert len(svgs_of(response.text)) == 4


def test_a_public_history_is_for_everyone(organization, client):
    organization.dashboard_public = True
    organization.save()
    assert client.get(reverse("history")).status_code == 200


def test_without_a_goal_set_the_charts_have_no_target(organization, client):
    organization.dashboard_public = True
    organization.save()
    html = client.get(reverse("history")).text
    assert len(svgs_of(html)) == 4
    assert ">Target<" not in html


def test_the_progress_page_shows_no_womens_share_of_a_group_all_women(organization, client):
    GoalSet.objects.create(organization=organization, target_members=10, target_chapters=2,
                           target_continents=1, deadline=datetime.date(2014, 7, 1),
                           adopted_on=datetime.date(2012, 6, 1), source="Member poll")
    chapter = make_chapter("Vienna", VIENNA)
    women = [make_member(f"w{i}@example.org", f"W{i}", VIENNA, gender="woman")
             for i in range(5)]
    for person in women:
        join(chapter, person)
    for month in (11, 12, 1):
        year = 2014 if month == 1 else 2013
        meeting = Meeting.objects.create(chapter=chapter, venue="Library",
                                         starts_at=datetime.datetime(year, month, 10, 18,
                                                                     tzinfo=datetime.UTC))
        Attendance.objects.bulk_create(Attendance(meeting=meeting, member=w) for w in women)
    chapter_months_refresh([chapter.pk])
    cache.clear()
    html = client.get(reverse("progress")).text
    assert "1 of 2 qualifying chapters" in html
    assert 'id="progress-women"' not in html
    assert "100%" not in html
    svg = client.get(reverse("progress_svg")).text
    assert "100%" not in svg


