import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation
from chapterhouse.chapters.services import chapter_found
from chapterhouse.context import context_for
from tests.conftest import join, make_member, make_organizer

pytestmark = pytest.mark.django_db
ON = datetime.date(2014, 2, 1)


@pytest.fixture
def neighbours(organization):
    return [make_member(f"n{i}@example.org", f"Neighbour {i}", 5110302,  # Brooklyn
                        languages=["es"] if i == 0 else ["en"], willing_to_meet=True)
            for i in range(5)]


@pytest.fixture
def alice(alice):
    """Starting a chapter from the plan is for organizers (and staff): Alice is one."""
    make_organizer(alice)
    return alice


def test_a_forming_chapter_is_made_at_the_members_city_and_they_are_invited(
        neighbours, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        chapter = chapter_found(context_for(alice), members=neighbours, min_size=5)
    assert chapter.place.name == "Brooklyn"
    assert chapter.name == "Brooklyn"
    assert chapter.invitations.count() == 5
    assert chapter.organizer.member == alice  # carried by the organizer; nobody coordinates
    assert not chapter.coordinators.exists()
    assert len(mail.outbox) == 5
    spanish = next(m for m in mail.outbox if m.to == ["n0@example.org"])
    english = next(m for m in mail.outbox if m.to == ["n1@example.org"])
    assert english.subject == "You are invited to start a chapter in Brooklyn"
    assert "Brooklyn" in spanish.subject
    assert spanish.subject != english.subject
    assert settings.SITE_URL + "/invitations/" in english.body  # a link that works from a mailbox


def test_a_stale_group_is_refused_and_nothing_is_created(neighbours, alice, springfield):
    join(springfield, neighbours[0], on=datetime.date(2014, 1, 10))
    with pytest.raises(ValidationError, match="Only 4 of these 5 members"):
        chapter_found(context_for(alice), members=neighbours, min_size=5)
    assert not Chapter.objects.filter(name="Brooklyn").exists()
    assert not Invitation.objects.exists()


def test_a_second_chapter_in_the_same_city_gets_its_own_address(neighbours, alice):
    first = chapter_found(context_for(alice), members=neighbours, min_size=5)
    Invitation.objects.all().delete()
    second = chapter_found(context_for(alice), members=neighbours, min_size=5)
    assert first.slug == "brooklyn"
    assert second.slug == "brooklyn-2"


@pytest.fixture
def invitation(neighbours, alice):
    chapter = chapter_found(context_for(alice), members=neighbours, min_size=5)
    return chapter.invitations.get(member=neighbours[0])


def test_the_invitee_sees_the_chapter_and_a_count_never_the_others(client, invitation,
                                                                   neighbours):
    client.force_login(neighbours[0])
    html = client.get(reverse("invitations")).text
    assert "Brooklyn" in html
    assert "You and 5 members near you (counting you)" in html
    for other in neighbours[1:]:
        assert other.email not in html
        assert other.display_name not in html


def test_accepting_joins_the_chapter(client, invitation, neighbours):
    client.force_login(neighbours[0])
    client.post(reverse("invitation_respond", args=[invitation.pk]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert ChapterMembership.objects.filter(member=neighbours[0],
                                            chapter=invitation.chapter).exists()


def test_declining_does_not_join(client, invitation, neighbours):
    client.force_login(neighbours[0])
    client.post(reverse("invitation_respond", args=[invitation.pk]), {"answer": "decline"})
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not ChapterMembership.objects.filter(member=neighbours[0]).exists()


def test_an_expired_invitation_is_refused_and_changes_nothing(client, invitation, neighbours):
    Invitation.objects.filter(pk=invitation.pk).update(expires_on=datetime.date(2014, 1, 31))
    client.force_login(neighbours[0])
    response = client.post(reverse("invitation_respond", args=[invitation.pk]),
                           {"answer": "accept"}, follow=True)
    assert "This invitation expired on 2014-01-31" in response.text
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not ChapterMembership.objects.filter(member=neighbours[0]).exists()


def test_it_checks_ownership_of_invitations(client, invitation, neighbours, bob):
    client.force_login(bob)
    response = client.post(reverse("invitation_respond", args=[invitation.pk]),
                           {"answer": "accept"})
    assert response.status_code == 404
    client.force_login(neighbours[1])
    assert client.post(reverse("invitation_respond", args=[invitation.pk]),
                       {"answer": "accept"}).status_code == 404


def test_invitations_need_a_login(client, invitation):
    assert client.get(reverse("invitations")).status_code == 302
