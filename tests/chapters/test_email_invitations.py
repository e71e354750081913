"""An invitation sent to an email address: the person joins only by accepting it, logged in
with that address; the membership starts when they accept."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from chapterhouse.chapters.models import ChapterMembership, EmailInvitation, InvitationStatus
from chapterhouse.chapters.services import email_invitation_send
from chapterhouse.context import context_for
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2014, 2, 1)  # the test organization's "today"


@pytest.fixture
def link(springfield, alice, mailoutbox, django_capture_on_commit_callbacks):
    """The path of the link emailed to olivia@example.org."""
    with django_capture_on_commit_callbacks(execute=True):
        email_invitation_send(context_for(alice), chapter=springfield, email="olivia@example.org")
    return re.search(r"http://[^/]+(/invitations/email/\S+/)", mailoutbox[0].body).group(1)


def test_the_invitee_joins_only_when_they_accept(client, link, olivia, springfield):
    c = client_for(client, olivia)
    page = c.get(link)
    assert "You are invited to join Springfield" in page.text
    assert not springfield.is_member(olivia, TODAY)
    response = c.post(link, {"answer": "accept"}, follow=True)
    assert "Welcome to Springfield." in response.text
    membership = ChapterMembership.objects.get(member=olivia, chapter=springfield)
    assert membership.joined_on == TODAY  # the day they accepted, never a meeting before it
    assert timezone.now() - membership.created_at < datetime.timedelta(minutes=5)


def test_declining_makes_no_membership(client, link, olivia, springfield):
    client_for(client, olivia).post(link, {"answer": "decline"})
    assert not ChapterMembership.objects.filter(member=olivia).exists()
    assert EmailInvitation.objects.get().status == InvitationStatus.DECLINED


def test_a_forwarded_link_enrols_nobody_else(client, link, charlie, springfield):
    response = client_for(client, charlie).post(link, {"answer": "accept"}, follow=True)
    assert "sent to another email address" in response.text
    assert not springfield.is_member(charlie, TODAY)
    assert EmailInvitation.objects.get().status == InvitationStatus.PENDING


def test_someone_without_an_account_is_told_to_sign_up_then_accept(client, springfield, alice,
                                                                 mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_invitation_send(context_for(alice), chapter=springfield, email="new@example.org")
    path = re.search(r"http://[^/]+(/invitations/email/\S+/)", mailoutbox[0].body).group(1)
    page = client.get(path)
    assert "Sign up" in page.text
    assert "Join this chapter" not in page.text
    assert client.post(path, {"answer": "accept"}).status_code == 200  # anonymous: nothing
    newcomer = make_member("new@example.org", "New")
    client_for(client, newcomer).post(path, {"answer": "accept"})
    assert springfield.is_member(newcomer, TODAY)


def test_an_answered_invitation_cannot_be_answered_again(client, link, olivia, springfield):
    c = client_for(client, olivia)
    c.post(link, {"answer": "decline"})
    response = c.post(link, {"answer": "accept"}, follow=True)
    assert "already been answered" in response.text
    assert not springfield.is_member(olivia, TODAY)


def test_an_unknown_token_is_a_404(client, olivia):
    assert client_for(client, olivia).get(
        reverse("email_invitation", args=["not-a-token"])).status_code == 404


def test_only_a_hash_of_the_link_is_stored(link):
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in EmailInvitation.objects.get().token_hash


def test_a_plain_member_cannot_send_invitations(springfield, bob):
    with pytest.raises(Exception, match="Only the chapter's coordinators"):
        email_invitation_send(context_for(bob), chapter=springfield, email="x@example.org")


def test_a_chapter_sends_a_limited_number_a_day(springfield, alice, settings):
    settings.CHAPTER_EMAIL_INVITATIONS_PER_DAY = 2
    for i in range(2):
        email_invitation_send(context_for(alice), chapter=springfield, email=f"p{i}@example.org")
    with pytest.raises(Exception, match="send more tomorrow"):
        email_invitation_send(context_for(alice), chapter=springfield, email="p9@example.org")


def test_sending_never_looks_the_address_up_among_accounts(springfield, alice, olivia):
    """Why the answer and its timing cannot tell whether an account exists: no query that
    uses the address reads the member table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        email_invitation_send(context_for(alice), chapter=springfield, email="olivia@example.org")
    using = [q["sql"] for q in queries.captured_queries if "olivia@example.org" in q["sql"]]
    assert using
    assert not [sql for sql in using if "members_member" in sql]
