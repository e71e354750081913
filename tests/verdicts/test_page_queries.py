"""The dashboard, a chapter page and chapters near you read one stored row per chapter and
month: the number of queries does not grow with chapters, meetings or attendance (issue 12)."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import ChapterMembership
from chapterhouse.goals.snapshot import measurement_refresh_work
from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.meetings.months import chapter_months_refresh
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from tests.conftest import (
    NEW_YORK,
    client_for,
    dashboard_current,
    make_chapter,
    make_qualifying,
)

pytestmark = pytest.mark.django_db
BROOKLYN = 5110302


def grow(count: int, meetings_each: int = 6, prefix: str = "grown") -> None:
    """More chapters around New York, with past meetings and attendance (bulk, as at scale)."""
    people = Member.objects.bulk_create(
        Member(email=f"{prefix}{i}@example.org", display_name=f"P{i}", joined_on=datetime.date(
            2012, 3, 1), gender="woman" if i % 3 == 0 else "man") for i in range(12))
    chapters = [make_chapter(f"{prefix.title()} {i}", BROOKLYN if i % 2 else NEW_YORK)
                for i in range(count)]
    meetings = Meeting.objects.bulk_create(
        Meeting(chapter=c, starts_at=datetime.datetime(2013, 1 + k, 10, 18, tzinfo=datetime.UTC))
        for c in chapters for k in range(meetings_each))
    Attendance.objects.bulk_create(Attendance(meeting=m, member=p)
                                   for m in meetings for p in people[:4 + m.pk % 5])
    chapter_months_refresh(c.pk for c in chapters)


def assert_queries(client, url: str, expected: int, assert_num_queries) -> None:
    with assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.fixture
def small(springfield):
    make_qualifying(springfield)
    grow(2, prefix="first")
    return springfield


# The dashboard's first request computes the organization's figures (DASHBOARD_FIRST queries,
# the cache's writes and its lock included); then it reads them from the cache
# (DASHBOARD_CACHED). After a write, it serves the last figures and queues their recomputation
# (DASHBOARD_STALE), which the task does in FIGURES_TASK queries.
DASHBOARD_FIRST, DASHBOARD_CACHED, DASHBOARD_STALE, FIGURES_TASK = 34, 7, 14, 24
# A chapter's page seen by one of its members, one page of members (and the offer to
# coordinate it that may be waiting for them).
CHAPTER_PAGE_MEMBER = 22  # with the health warning, a split under way, who may write, unread


def test_the_dashboard_reads_a_constant_number_of_rows(client, small,
                                                       django_assert_num_queries):
    url = reverse("dashboard")
    assert_queries(client, url, DASHBOARD_FIRST, django_assert_num_queries)
    assert_queries(client, url, DASHBOARD_CACHED, django_assert_num_queries)
    for count in (20, 60):  # N, then 3N more chapters, meetings and attendance
        grow(count, prefix=f"more{count}")
        assert_queries(client, url, DASHBOARD_STALE, django_assert_num_queries)
        with django_assert_num_queries(FIGURES_TASK):
            measurement_refresh_work.call(Organization.objects.current().pk)
        assert_queries(client, url, DASHBOARD_CACHED, django_assert_num_queries)


def test_the_dashboards_search_and_pages_read_a_constant_number_of_rows(
        client, small, django_assert_num_queries):
    url = reverse("dashboard")
    # A search: one more query (the chapters found), the figures still from the cache; none
    # found, no chapter and no standing to read (two fewer).
    asked = (({"q": "new york"}, DASHBOARD_CACHED + 1), ({"q": "zzz"}, DASHBOARD_CACHED - 2),
             ({"page": 2}, DASHBOARD_CACHED), ({"page": "x"}, DASHBOARD_CACHED))
    client.get(url)  # the figures, computed once
    for params, expected in asked:
        assert_queries(client, f"{url}?{urlencode(params)}", expected,
                       django_assert_num_queries)
    grow(120, prefix="more")
    dashboard_current(client)
    for params, expected in asked:
        assert_queries(client, f"{url}?{urlencode(params)}", expected,
                       django_assert_num_queries)


def test_a_chapter_page_reads_a_constant_number_of_rows(client, small,
                                                       django_assert_num_queries):
    url = reverse("chapter_detail", args=[small.slug])
    assert_queries(client, url, 7, django_assert_num_queries)
    grow(5, prefix="more")
    for meeting in Meeting.objects.filter(chapter__name__startswith="More"):
        meeting.chapter = small
        meeting.save()
    assert_queries(client, url, 7, django_assert_num_queries)


def test_chapters_near_you_read_a_constant_number_of_rows(client, small, olivia,
                                                         django_assert_num_queries):
    client.force_login(olivia)
    url = reverse("chapter_list")
    # With the unread messages beside "Messages" in the menu.
    assert_queries(client, url, 14, django_assert_num_queries)
    grow(40, prefix="more")
    assert_queries(client, url, 14, django_assert_num_queries)


def listed(html: str) -> int:
    roster = re.search(r'<ul class="roster">(.*?)</ul>', html, re.S)
    return roster.group(1).count("<li>") if roster else 0


def add_members(chapter, count: int, prefix: str) -> None:
    people = Member.objects.bulk_create(
        Member(email=f"{prefix}{i}@example.org", display_name=f"{prefix} {i:04d}",
               joined_on=datetime.date(2012, 3, 1)) for i in range(count))
    ChapterMembership.objects.bulk_create(
        ChapterMembership(chapter=chapter, member=p, joined_on=datetime.date(2012, 6, 1))
        for p in people)


def test_a_chapter_page_lists_its_members_a_page_at_a_time(client, small, alice,
                                                         django_assert_num_queries):
    client_for(client, alice)  # a member of the chapter sees its members
    url = reverse("chapter_detail", args=[small.slug])
    add_members(small, 120, "aa")
    first = client.get(url).text
    assert listed(first) == 100  # of 126: the 120, alice and the 5 regulars
    assert 'href="?members=2#members"' in first
    assert listed(client.get(url + "?members=2").text) == 26
    with django_assert_num_queries(CHAPTER_PAGE_MEMBER) as queries:
        client.get(url + "?members=2")
    add_members(small, 240, "ab")  # three times as many members
    with django_assert_num_queries(len(queries)):
        assert client.get(url + "?members=2").status_code == 200
    with django_assert_num_queries(len(queries)):
        assert client.get(url + "?members=x").status_code == 200
