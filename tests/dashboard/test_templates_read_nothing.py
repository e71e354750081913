"""Templates never run a query (issue 11): the selectors compute everything the dashboard and a
chapter's page show, so rendering their templates reads nothing from the database."""

from __future__ import annotations

import datetime
from dataclasses import fields
from typing import Any

import pytest
from django.template.loader import render_to_string

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import context_for
from chapterhouse.dashboard.selectors import dashboard_page
from chapterhouse.decisions.models import Participation, Poll
from chapterhouse.goals.models import GoalSet
from chapterhouse.verdicts.selectors import chapter_page
from tests.conftest import make_meeting

pytestmark = pytest.mark.django_db


def shallow(data: Any) -> dict[str, Any]:
    return {f.name: getattr(data, f.name) for f in fields(data)}


@pytest.fixture
def history(organization, springfield, vienna, alice, bob, charlie) -> Chapter:
    goal_set = GoalSet.objects.create(
        organization=organization, target_members=100, target_chapters=2, target_continents=2,
        deadline=datetime.date(2014, 7, 1), adopted_on=datetime.date(2012, 6, 15),
        source="Member poll")
    poll = Poll.objects.create(
        organization=organization, title="Goals", kind="single", level="organization",
        adopts_goal_set=goal_set, opens_at=datetime.datetime(2012, 6, 1, tzinfo=datetime.UTC),
        closes_at=datetime.datetime(2012, 6, 15, tzinfo=datetime.UTC),
        closed_at=datetime.datetime(2012, 6, 15, tzinfo=datetime.UTC))
    Participation.objects.create(poll=poll, member=bob)
    for month in (11, 12):
        make_meeting(springfield, datetime.datetime(2013, month, 10, 23, tzinfo=datetime.UTC),
                     [alice, bob])
    make_meeting(springfield, datetime.datetime(2014, 2, 20, 23, tzinfo=datetime.UTC))
    return springfield


def test_the_dashboard_template_reads_nothing(history, django_assert_num_queries):
    page = dashboard_page(context_for())
    assert page.goal_source is not None
    assert page.goal_source.voters == 1
    with django_assert_num_queries(0):
        html = render_to_string("dashboard/dashboard.html", shallow(page))
    assert "with 1 voter." in html


def test_a_chapter_page_template_reads_nothing(history, alice, django_assert_num_queries):
    page = chapter_page(context_for(alice), history)
    assert page.members_visible
    assert page.coordinating
    with django_assert_num_queries(0):
        html = render_to_string("chapters/detail.html", {**shallow(page), "viewer_zone": "UTC"})
    assert "Bob" in html
