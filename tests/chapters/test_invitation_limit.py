"""Invitations from a chapter are limited per day and go only to nearby, unaffiliated members
willing to meet (issue 9, "what to build" 1; attack 1's mass invitations).

The limit is CHAPTER_INVITATIONS_PER_DAY (default 50) over any 24 hours, counted inside the
sending transaction with the chapter's row locked.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.chapters.services import chapter_found, chapter_invite_nearby
from chapterhouse.context import context_for
from tests.conftest import VIENNA, join, make_chapter, make_member, make_organizer

pytestmark = pytest.mark.django_db
ON = datetime.date(2014, 2, 1)
NEW_YORK = 5128581
BROOKLYN = 5110302  # about 9 km from the New York City point
THE_BRONX = 5110266  # about 19 km


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def limit(settings):
    settings.CHAPTER_INVITATIONS_PER_DAY = 2
    return 2


def nearby(n: int, place=BROOKLYN, prefix="n", **fields):
    fields.setdefault("willing_to_meet", True)
    return [make_member(f"{prefix}{i}@example.org", f"{prefix.upper()}{i}", place, **fields)
            for i in range(n)]


def invite(client, alice, capture):
    client.force_login(alice)
    with capture(execute=True):
        return client.post(reverse("chapter_invite_nearby", args=["springfield"]), follow=True)


def test_a_chapter_invites_at_most_its_daily_limit_nearest_first_and_says_how_many_wait(
        client, springfield, alice, limit, django_capture_on_commit_callbacks):
    near = nearby(2, NEW_YORK, "here")
    farther = nearby(1, THE_BRONX, "bronx")
    response = invite(client, alice, django_capture_on_commit_callbacks)
    invited = {i.member for i in springfield.invitations.all()}
    assert invited == set(near)
    assert farther[0] not in invited
    assert len(mail.outbox) == 2
    assert "2 members without a chapter were invited" in response.text
    assert "1 more member nearby can be invited tomorrow" in response.text


def test_when_the_limit_is_reached_nothing_is_sent_and_the_coordinator_is_told(
        client, springfield, alice, limit, django_capture_on_commit_callbacks):
    nearby(3)
    invite(client, alice, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    response = invite(client, alice, django_capture_on_commit_callbacks)
    assert "sent its 2 invitations for today. Nothing was sent" in response.text
    assert springfield.invitations.count() == 2
    assert not mail.outbox


def test_the_limit_counts_the_last_24_hours(springfield, alice, limit):
    nearby(3)
    chapter_invite_nearby(context_for(alice), chapter=springfield)
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert chapter_invite_nearby(context_for(alice), chapter=springfield).count == 1


def test_a_renewed_invitation_counts_as_sent_again(springfield, alice, limit):
    nearby(2)
    chapter_invite_nearby(context_for(alice), chapter=springfield)
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25),
                              expires_on=datetime.date(2000, 1, 1))  # expired unanswered
    assert chapter_invite_nearby(context_for(alice), chapter=springfield).count == 2
    nearby(1, prefix="late")
    with pytest.raises(ValidationError, match="Nothing was sent"):
        chapter_invite_nearby(context_for(alice), chapter=springfield)


def test_the_default_limit_is_fifty(settings):
    assert settings.CHAPTER_INVITATIONS_PER_DAY == 50


def test_only_nearby_unaffiliated_members_willing_to_meet_are_invited(
        springfield, vienna, alice):
    willing = nearby(1, prefix="willing")
    nearby(1, prefix="unwilling", willing_to_meet=False)
    nearby(1, prefix="unconfirmed", email_confirmed=False)
    nearby(1, VIENNA, prefix="far")
    join(vienna, nearby(1, prefix="affiliated")[0])
    assert chapter_invite_nearby(context_for(alice), chapter=springfield).count == 1
    assert [i.member for i in springfield.invitations.all()] == willing


def test_the_service_refuses_a_member_who_does_not_coordinate_the_chapter(springfield, bob):
    nearby(2)
    with pytest.raises(ValidationError, match="Only the chapter's coordinators"):
        chapter_invite_nearby(context_for(bob), chapter=springfield)
    assert not Invitation.objects.exists()


def test_starting_a_chapter_invites_at_most_the_limit(
        client, olivia, limit, django_capture_on_commit_callbacks):
    nearby(3)
    client.force_login(olivia)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("chapter_list"), {
            "name": "Mine", "description": "", "radius_km": "25", "invite": "on"}, follow=True)
    assert Chapter.objects.get(name="Mine").invitations.count() == 2
    assert len(mail.outbox) == 2
    assert "1 more member nearby can be invited tomorrow" in response.text


# The planner's "Start it" -------------------------------------------------------------------

@pytest.fixture
def organizer(alice):
    make_organizer(alice)
    return alice


def test_start_it_refuses_a_group_larger_than_the_limit_and_creates_nothing(organizer, limit):
    group = nearby(3)
    with pytest.raises(ValidationError, match="more than the 2 invitations"):
        chapter_found(context_for(organizer), members=group, min_size=2)
    assert not Chapter.objects.filter(name="Brooklyn").exists()
    assert not Invitation.objects.exists()


def test_start_it_invites_only_willing_nearby_members_without_a_chapter(organizer, vienna):
    group = [*nearby(3), *nearby(1, prefix="unwilling", willing_to_meet=False),
             *nearby(1, VIENNA, prefix="far")]
    join(vienna, group[0])
    chapter = chapter_found(context_for(organizer), members=group, min_size=2)
    assert {i.member for i in chapter.invitations.all()} == set(group[1:3])


def test_start_it_is_refused_to_a_coordinator_who_is_not_an_organizer(alice):
    with pytest.raises(ValidationError, match="Only organizers and staff"):
        chapter_found(context_for(alice), members=nearby(5), min_size=5)
    assert not Invitation.objects.exists()


# Twenty requests at once ---------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_twenty_requests_at_once_never_pass_the_limit(organization, settings):
    settings.CHAPTER_INVITATIONS_PER_DAY = 5
    chapter = make_chapter("Springfield", NEW_YORK)
    coordinators = nearby(20, NEW_YORK, prefix="coord")
    chapter.coordinators.add(*coordinators)
    for c in coordinators:
        join(chapter, c)
    nearby(30)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def one(member):
        try:
            barrier.wait()
            invited = chapter_invite_nearby(context_for(member), chapter=chapter)
            outcomes.append(f"sent {invited.count}")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one, args=(m,)) for m in coordinators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert chapter.invitations.count() == 5
    assert sorted(outcomes) == ["refused"] * 19 + ["sent 5"]
