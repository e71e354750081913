"""Shared fixtures: the personas of STYLE.md, and the demo organization.

Personas (in one small organization):
- alice: coordinator of Springfield (New York City), also a member of it
- bob: member of Springfield
- charlie: member of Vienna (another chapter)
- olivia: a member in no chapter (unaffiliated)
- anonymous visitors use the plain `client`.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from chapterhouse.chapters.models import Chapter, ChapterMembership
from chapterhouse.members.models import Member
from chapterhouse.organizations.models import Organization
from chapterhouse.places.models import Place

NEW_YORK = 5128581
VIENNA = 2761369
PASSWORD = "correct horse battery staple"


@pytest.fixture
def organization(db) -> Organization:
    return Organization.objects.create(
        name="Test Society", founded_on=datetime.date(2012, 2, 1),
        figures_as_of=datetime.date(2014, 2, 1),
    )


def make_member(email: str, name: str, place_id: int | None = NEW_YORK, **fields) -> Member:
    place = Place.objects.from_gazetteer(place_id) if place_id else None
    return Member.objects.create_user(email, PASSWORD, display_name=name, place=place,
                                      joined_on=datetime.date(2012, 3, 1), **fields)


def make_chapter(name: str, place_id: int, **fields) -> Chapter:
    fields.setdefault("founded_on", datetime.date(2012, 6, 1))
    return Chapter.objects.create(name=name, place=Place.objects.from_gazetteer(place_id),
                                  **fields)


def join(chapter: Chapter, member: Member, on: datetime.date = datetime.date(2012, 6, 1),
         left_on: datetime.date | None = None) -> ChapterMembership:
    return ChapterMembership.objects.create(chapter=chapter, member=member, joined_on=on,
                                            left_on=left_on)


@pytest.fixture
def springfield(organization) -> Chapter:
    return make_chapter("Springfield", NEW_YORK)


@pytest.fixture
def vienna(organization) -> Chapter:
    return make_chapter("Vienna", VIENNA)


@pytest.fixture
def alice(springfield) -> Member:
    member = make_member("alice@example.org", "Alice", gender="woman")
    join(springfield, member)
    springfield.coordinators.add(member)
    return member


@pytest.fixture
def bob(springfield) -> Member:
    member = make_member("bob@example.org", "Bob", gender="man")
    join(springfield, member)
    return member


@pytest.fixture
def charlie(vienna) -> Member:
    member = make_member("charlie@example.org", "Charlie", VIENNA, gender="man")
    join(vienna, member)
    return member


@pytest.fixture
def olivia(organization) -> Member:
    return make_member("olivia@example.org", "Olivia", gender="woman")


def client_for(client, member: Member):
    client.force_login(member)
    return client


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The generated demo organization, built once per test module and rolled back after.

    Tests that use it also request `db`; their transactions nest inside this one.
    """
    from chapterhouse.organizations.demo import DemoSpec, generate_demo

    with django_db_blocker.unblock(), transaction.atomic():
        result = generate_demo(DemoSpec())
        yield result
        transaction.set_rollback(True)


def make_meeting(chapter: Chapter, starts_at: datetime.datetime, attendees=()):
    from chapterhouse.meetings.models import Attendance, Meeting

    meeting = Meeting.objects.create(chapter=chapter, starts_at=starts_at, venue="Library")
    Attendance.objects.bulk_create(Attendance(meeting=meeting, member=m) for m in attendees)
    return meeting
