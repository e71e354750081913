"""The dashboard tells the truth: figures computed from data, each explained."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from chapterhouse.goals.models import GoalSet
from tests.conftest import make_meeting, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def goals(organization):
    return GoalSet.objects.create(
        organization=organization, target_members=3500, target_chapters=20, target_continents=3,
        deadline=datetime.date(2014, 7, 1), adopted_on=datetime.date(2012, 6, 15),
        source="Member poll, 2012: 712 voters",
    )


def cell_texts(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{row_id}".*?</tr>', html, re.S).group(0)
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def test_an_organization_without_goals_says_so(client, organization):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "No goal set has been adopted yet" in response.text


def test_a_private_dashboard_asks_visitors_to_log_in(client, organization, goals, bob):
    organization.dashboard_public = False
    organization.save(update_fields=["dashboard_public"])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(bob)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_member_with_no_city_is_counted_and_the_page_says_where(client, goals, bob):
    make_member("nomad@example.org", "Nomad", None)
    html = client.get(reverse("dashboard")).text
    assert cell_texts(html, "goal-members")[1] == "2"
    assert "1 member has not chosen a city and is counted in no country." in html


def test_a_qualifying_chapter_is_counted_with_its_continent(client, goals, springfield, alice,
                                                            bob):
    from tests.conftest import join

    people = [alice, bob] + [make_member(f"m{i}@example.org", f"M{i}",
                                         gender="woman" if i < 1 else "man") for i in range(4)]
    for person in people[2:]:
        join(springfield, person)
    for month in (11, 12, 1):
        year = 2014 if month == 1 else 2013
        make_meeting(springfield, datetime.datetime(year, month, 10, 23, tzinfo=datetime.UTC),
                     people)
    html = client.get(reverse("dashboard")).text
    assert cell_texts(html, "goal-chapters")[1:4] == ["1", "20", "19"]
    assert cell_texts(html, "goal-continents")[1] == "1"
    assert cell_texts(html, "goal-women")[1] == "33%"
    assert "Met the rule in each of the last 3 whole months." in html


def test_numbers_are_formatted_for_the_readers_language(client, goals, bob):
    client.cookies["django_language"] = "de"
    with translation.override("de"):
        html = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="de").text
    assert cell_texts(html, "goal-members")[2] == "3.500"


def test_the_dashboard_does_not_query_per_chapter(client, goals, springfield, vienna, alice,
                                                  charlie, django_assert_max_num_queries):
    for chapter, member in ((springfield, alice), (vienna, charlie)):
        make_meeting(chapter, datetime.datetime(2013, 12, 3, 18, tzinfo=datetime.UTC), [member])
    # The first figures and forecast, computed (tests/verdicts; the forecast: the latest plan
    # run, the plan's candidates, 3 reads of the history, and the database cache's reads,
    # lock and writes, about 5 queries each)
    with django_assert_max_num_queries(34 + 24):
        client.get(reverse("dashboard"))
    # then read from the cache (the forecast: the latest plan run, the version, its entry)
    with django_assert_max_num_queries(8 + 3):
        client.get(reverse("dashboard"))
