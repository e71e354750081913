"""A member starts a forming chapter near home and invites the members without a chapter."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, ChapterMembership, Invitation
from tests.conftest import VIENNA, make_member

pytestmark = pytest.mark.django_db
URL = reverse("chapter_list")
BROOKLYN = 5110302
ON = datetime.date(2014, 2, 1)


@pytest.fixture
def neighbours(organization):
    return [make_member(f"n{i}@example.org", f"Neighbour {i}", BROOKLYN, willing_to_meet=True)
            for i in range(3)]


def start(client, member, capture, **fields):
    data = {"name": "", "description": "", "radius_km": "25", "invite": "on"}
    data.update(fields)
    client.force_login(member)
    with capture(execute=True):
        return client.post(URL, data)


def test_a_member_starts_a_chapter_and_the_nearby_members_are_invited(
        client, olivia, neighbours, django_capture_on_commit_callbacks):
    far = make_member("far@example.org", "Far", VIENNA, willing_to_meet=True)
    response = start(client, olivia, django_capture_on_commit_callbacks,
                     name="Brooklyn Heights", description="We meet at the library.")
    chapter = Chapter.objects.get(name="Brooklyn Heights")
    assert response.url == reverse("chapter_detail", args=[chapter.slug])
    assert chapter.place.name == "New York City"
    assert chapter.radius_km == 25
    assert list(chapter.coordinators.all()) == [olivia]
    assert chapter.is_member(olivia, ON)
    assert {i.member for i in chapter.invitations.all()} == set(neighbours)
    assert not chapter.invitations.filter(member=far).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(n.email for n in neighbours)
    assert "3 members near you were invited" in client.get(response.url).text


def test_the_invited_see_the_invitation_never_each_others_emails(
        client, olivia, neighbours, django_capture_on_commit_callbacks):
    start(client, olivia, django_capture_on_commit_callbacks)
    for message in mail.outbox:
        assert len(message.to) == 1
        assert not message.cc
        assert not message.bcc
    client.force_login(neighbours[0])
    page = client.get(reverse("invitations")).text
    assert "New York City" in page
    for other in [*neighbours[1:], olivia]:
        assert other.email not in page


def test_an_invited_member_accepts_and_joins(client, olivia, neighbours,
                                             django_capture_on_commit_callbacks):
    start(client, olivia, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(member=neighbours[0])
    client.force_login(neighbours[0])
    client.post(reverse("invitation_respond", args=[invitation.pk]), {"answer": "accept"})
    assert ChapterMembership.objects.filter(member=neighbours[0],
                                            chapter=invitation.chapter).exists()


def test_an_expired_invitation_is_refused_and_nothing_changes(
        client, olivia, neighbours, django_capture_on_commit_callbacks):
    start(client, olivia, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(member=neighbours[0])
    invitation.expires_on = ON - datetime.timedelta(days=1)
    invitation.save(update_fields=["expires_on"])
    client.force_login(neighbours[0])
    response = client.post(reverse("invitation_respond", args=[invitation.pk]),
                           {"answer": "accept"}, follow=True)
    assert "This invitation expired on 2014-01-31" in response.text
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not ChapterMembership.objects.filter(member=neighbours[0]).exists()


def test_someone_elses_invitation_is_404(client, olivia, neighbours,
                                         django_capture_on_commit_callbacks):
    start(client, olivia, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(member=neighbours[0])
    client.force_login(neighbours[1])
    response = client.post(reverse("invitation_respond", args=[invitation.pk]),
                           {"answer": "accept"})
    assert response.status_code == 404


def test_without_inviting_no_one_is_invited(client, olivia, neighbours,
                                            django_capture_on_commit_callbacks):
    start(client, olivia, django_capture_on_commit_callbacks, invite="")
    assert Chapter.objects.get(name="New York City").invitations.count() == 0
    assert mail.outbox == []


def test_a_member_of_a_chapter_cannot_start_another_and_nothing_is_created(
        client, springfield, bob, django_capture_on_commit_callbacks):
    response = start(client, bob, django_capture_on_commit_callbacks, name="Queens")
    assert "already a member of Springfield" in response.text
    assert not Chapter.objects.filter(name="Queens").exists()


def test_html_in_the_chapter_name_is_refused_and_nothing_is_created(
        client, olivia, neighbours, django_capture_on_commit_callbacks):
    response = start(client, olivia, django_capture_on_commit_callbacks,
                     name="<script>alert(1)</script>")
    assert "cannot contain" in response.text
    assert "<script>alert(1)" not in response.text
    assert not Chapter.objects.exists()
    assert not Invitation.objects.exists()


def test_a_coordinator_invites_newcomers_without_inviting_anyone_twice(
        client, springfield, alice, neighbours, django_capture_on_commit_callbacks):
    url = reverse("chapter_invite_nearby", args=["springfield"])
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert springfield.invitations.count() == 3
    late = make_member("late@example.org", "Late", BROOKLYN, willing_to_meet=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert springfield.invitations.count() == 4
    assert springfield.invitations.filter(member=late).exists()
    assert len(mail.outbox) == 4


@pytest.mark.parametrize("persona", ["bob", "charlie", "olivia"])
def test_it_checks_ownership_of_inviting(client, springfield, alice, neighbours, persona,
                                         request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("chapter_invite_nearby", args=["springfield"]))
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_inviting_again_respects_a_decline_and_renews_an_unanswered_invitation(
        client, springfield, alice, neighbours, django_capture_on_commit_callbacks):
    url = reverse("chapter_invite_nearby", args=["springfield"])
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    declined, unanswered, *_rest = springfield.invitations.order_by("member_id")
    declined.status = "declined"
    declined.save(update_fields=["status"])
    unanswered.expires_on = datetime.date(2000, 1, 1)  # expired without an answer
    unanswered.save(update_fields=["expires_on"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    declined.refresh_from_db()
    unanswered.refresh_from_db()
    assert declined.status == "declined"  # not asked again
    assert unanswered.status == "pending"
    assert unanswered.expires_on > datetime.date(2000, 1, 1)
    assert springfield.invitations.count() == 3  # renewed, not duplicated
    assert [m.to for m in mail.outbox] == [[unanswered.member.email]]
    client.force_login(unanswered.member)
    page = client.get(reverse("invitations")).text
    assert "You and 3 members near you" in page  # each invitee once, whatever the rounds
