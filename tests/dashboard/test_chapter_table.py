"""The dashboard's chapter table: counts per verdict, chapters at risk, a search and pages,
instead of every chapter at once (issue 12)."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.dashboard.selectors import CHAPTERS_PER_PAGE
from chapterhouse.organizations.models import Organization
from tests.conftest import (
    NEW_YORK,
    VIENNA,
    client_for,
    dashboard_current,
    make_chapter,
    make_meeting,
    make_qualifying,
    make_staff,
)

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")


def test_counts_per_verdict_and_the_chapters_at_risk(client, springfield, vienna):
    make_qualifying(springfield)  # November to January, nothing yet in February
    page = client.get(URL).text
    assert "1 qualifying, 0 lapsed, 1 forming." in page
    assert 'id="chapters-at-risk"' not in page  # 28 days are left in February
    Organization.objects.update(at_risk_days=28)
    page = dashboard_current(client, URL).text
    assert "1 chapter is at risk: this month decides whether it qualifies next month" in page
    assert 'id="chapters-at-risk"' in page
    assert ">Springfield</a>" not in page.split('id="chapters-at-risk"')[1].split("</div>")[0]
    page = client_for(client, make_staff()).get(URL).text  # staff see which (with why)
    assert ">Springfield</a> · None of the meetings in February 2014 has satisfied" in page


def test_a_chapter_with_a_passing_meeting_this_month_is_not_at_risk(client, springfield):
    make_qualifying(springfield)
    january = springfield.meetings.order_by("-starts_at").first()
    make_meeting(springfield, datetime.datetime(2014, 2, 1, 12, tzinfo=datetime.UTC),
                 attendees=[a.member for a in january.attendances.all()])
    page = client.get(URL).text
    assert "1 qualifying, 0 lapsed, 0 forming." in page
    assert 'id="chapters-at-risk"' not in page


def test_the_search_finds_chapters_by_name_or_place(client, springfield, vienna):
    page = client.get(URL, {"q": "vien"}).text
    assert 'id="chapter-vienna"' in page
    assert 'id="chapter-springfield"' not in page
    page = client.get(URL, {"q": "  New   York "}).text
    assert 'id="chapter-springfield"' in page
    assert 'id="chapter-vienna"' not in page
    page = client.get(URL, {"q": "atlantis"}).text
    assert "No chapter matches." in page
    assert "0 qualifying, 0 lapsed, 2 forming." in page  # the counts are the organization's


def test_chapters_come_a_page_at_a_time(client, organization):
    for i in range(CHAPTERS_PER_PAGE + 3):
        make_chapter(f"Chapter {i:03}", NEW_YORK if i % 2 else VIENNA)
    first = client.get(URL).text
    assert first.count('<tr id="chapter-') == CHAPTERS_PER_PAGE
    assert "Page 1 of 2" in first
    assert 'rel="next" href="?page=2#chapters"' in first
    second = client.get(URL, {"page": 2}).text
    assert second.count('<tr id="chapter-') == 3
    assert 'id="chapter-chapter-052"' in second
    assert client.get(URL, {"page": "999"}).status_code == 200  # the last page
    assert client.get(URL, {"page": "x"}).status_code == 200  # the first
