"""The dashboard, a chapter page and chapters near you read one stored row per chapter and
month: the number of queries does not grow with chapters, meetings or attendance (issue 12)."""

import datetime

import pytest
from django.urls import reverse

from chapterhouse.meetings.models import Attendance, Meeting
from chapterhouse.meetings.months import chapter_months_refresh
from chapterhouse.members.models import Member
from tests.conftest import NEW_YORK, make_chapter, make_qualifying

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


def test_the_dashboard_reads_a_constant_number_of_rows(client, small,
                                                       django_assert_num_queries):
    url = reverse("dashboard")
    assert_queries(client, url, 9, django_assert_num_queries)
    grow(60, prefix="more")
    assert_queries(client, url, 9, django_assert_num_queries)


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
    assert_queries(client, url, 12, django_assert_num_queries)
    grow(40, prefix="more")
    assert_queries(client, url, 12, django_assert_num_queries)
