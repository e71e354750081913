"""The verdict's reasons are codes (domain/qualification.py) rendered in the reader's language
(chapters/reasons.py): in German, the dashboard and a chapter's page show none of the English
sentences the rule once wrote itself (issue 11, "text out of the core")."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from chapterhouse.goals.models import GoalSet
from tests.conftest import join, make_meeting, make_member

pytestmark = pytest.mark.django_db

ENGLISH = [
    "best meeting had", "no meeting", "needs 5 attendees", "needs 30% women", "of whom",
    "Met the rule", "Last qualified through", "whole month", "meets the rule",
    "counted women", "Qualifying:", "Forming:", "Lapsed:",
    "December 2013", "January 2014",  # (November is November in German too)
]
GERMAN = ["kein Treffen", "braucht 5 Teilnehmende", "Zuletzt qualifiziert bis",
          "Dezember 2013"]


def at(year: int, month: int) -> datetime.datetime:
    return datetime.datetime(year, month, 10, 23, tzinfo=datetime.UTC)


@pytest.fixture
def chapters(organization, springfield, vienna, alice, bob, charlie):
    """Springfield lapsed (a good run to October, two people in December, nothing in
    January); Vienna qualifying but for one month short of women."""
    GoalSet.objects.create(
        organization=organization, target_members=100, target_chapters=2, target_continents=2,
        deadline=datetime.date(2014, 7, 1), adopted_on=datetime.date(2012, 6, 15),
        source="Member poll")
    crowd = [alice, bob, *(make_member(f"s{i}@example.org", f"S{i}",
                                       gender="woman" if i == 0 else "man") for i in range(3))]
    for person in crowd[2:]:
        join(springfield, person)
    for month in (8, 9, 10, 11):
        make_meeting(springfield, at(2013, month), crowd)
    make_meeting(springfield, at(2013, 12), [alice, bob])
    vienna_crowd = [charlie, *(make_member(f"v{i}@example.org", f"V{i}", 2761369,
                                           gender="man") for i in range(5))]
    for person in vienna_crowd[1:]:
        join(vienna, person)
    make_meeting(vienna, at(2013, 12), vienna_crowd)  # six men: short of women
    return springfield, vienna


def german(client, path: str) -> str:
    client.cookies["django_language"] = "de"
    with translation.override("de"):
        return client.get(path, HTTP_ACCEPT_LANGUAGE="de").text


def test_the_dashboard_in_german_shows_no_english_reason(client, chapters):
    html = german(client, reverse("dashboard"))
    assert [words for words in ENGLISH if words in html] == []
    assert [words for words in GERMAN if words not in html] == []
    assert "braucht 30 % Frauen" in html or "braucht 30% Frauen" in html


def test_a_chapter_page_in_german_shows_no_english_reason(client, chapters, alice):
    springfield, _vienna = chapters
    client.force_login(alice)  # the coordinator also sees the month by month
    html = german(client, reverse("chapter_detail", args=[springfield.slug]))
    assert [words for words in ENGLISH if words in html] == []
    assert [words for words in GERMAN if words not in html] == []
    assert "✓" in html  # November met the rule
