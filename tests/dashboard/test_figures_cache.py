"""The dashboard's organization-wide figures come from the cache (goals/snapshot.py) and are
computed again, in the background, after a write they depend on (issue 12): a visitor never
makes them computed, and the page says when it shows figures being updated."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.context import context_for
from chapterhouse.goals.snapshot import measure
from chapterhouse.meetings.services import attendance_record
from chapterhouse.organizations.models import Organization
from tests.conftest import (
    VIENNA,
    dashboard_current,
    join,
    make_chapter,
    make_member,
    make_qualifying,
)

pytestmark = pytest.mark.django_db


def shown(client):
    """The figures once the recomputation a write queued has run."""
    return dashboard_current(client).context["measurement"]


def test_an_attendance_recorded_changes_the_figures_on_the_next_request(client, springfield,
                                                                      alice):
    make_qualifying(springfield)
    before = shown(client)
    assert before.snapshot.women_share == pytest.approx(2 / 5)
    last = springfield.meetings.order_by("-starts_at").first()
    attendance_record(context_for(alice), meeting=last, members=[alice])  # a woman
    after = shown(client)
    assert after.snapshot.women_share == pytest.approx(7 / 16)
    assert after == measure(Organization.objects.current())


def test_members_memberships_chapters_and_the_rule_change_the_figures(client, springfield,
                                                                     alice, bob):
    first = shown(client)
    assert (first.snapshot.members, first.unaffiliated, first.counts["forming"]) == (2, 0, 1)
    olivia = make_member("olivia@example.org", "Olivia", gender="woman")
    assert (shown(client).snapshot.members, shown(client).unaffiliated) == (3, 1)
    join(springfield, olivia)
    assert shown(client).unaffiliated == 0
    ChapterMembership.objects.filter(member=olivia).delete()
    assert shown(client).unaffiliated == 1
    make_chapter("Vienna", VIENNA)
    assert shown(client).counts["forming"] == 2
    make_qualifying(springfield)
    assert shown(client).counts == {"qualifying": 1, "lapsed": 0, "forming": 1}
    organization = Organization.objects.current()
    organization.min_attendees = 6  # the rule: five attendees never qualified
    organization.save()
    assert shown(client).counts == {"qualifying": 0, "lapsed": 0, "forming": 2}


def test_a_login_leaves_the_figures_in_the_cache(client, springfield, alice):
    shown(client)
    alice.last_login = datetime.datetime(2014, 1, 5, tzinfo=datetime.UTC)
    alice.save(update_fields=["last_login"])
    with CaptureQueriesContext(connection) as queries:
        shown(client)
    assert not any("members_member" in q["sql"] for q in queries.captured_queries)


def test_a_visitors_search_and_page_never_compute_the_figures(client, springfield, alice):
    make_qualifying(springfield)
    shown(client)
    for params in ("?q=spring", "?q=%25", "?page=999", "?page=-1&q=" + "x" * 500):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("dashboard") + params)
        assert response.status_code == 200
        assert not any("members_member" in q["sql"] or "COUNT(" in q["sql"]
                       for q in queries.captured_queries), params
