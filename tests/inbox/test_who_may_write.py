"""Who may write to whom, through the real pages (issue 13, item 7): each persona tries to
start a conversation with a member, with a pending invitee, with the whole chapter, and to
read and reply in a conversation they are not part of. Those not allowed get 404 (nobody learns
whether the member or the conversation exists) and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chapterhouse.inbox.models import Message, Thread
from tests.conftest import client_for
from tests.inbox.conftest import write

pytestmark = pytest.mark.django_db

PERSONAS = ["visitor", "member", "member_of_another_chapter", "coordinator_of_another_chapter",
            "unaffiliated", "coordinator", "organizer", "other_organizer", "staff"]
# Who may start a conversation with Bob, a member of Springfield.
TO_MEMBER = {"coordinator", "organizer"}
# Who may write to Olivia, invited to Springfield and not yet a member: its organizer only.
TO_INVITEE = {"organizer"}
# Who may write to all of Springfield's members.
TO_CHAPTER = {"coordinator", "organizer"}


def log_in(client, world, persona):
    return client if persona == "visitor" else client_for(client, world.people()[persona])


def post_write(client, url):
    return client.post(url, {"subject": "Saturday", "body": "See you there", "token": "t1",
                             "audience": "members"})


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_its_coordinator_and_organizer_write_to_a_chapter_member(client, world, persona):
    client = log_in(client, world, persona)
    url = reverse("inbox_write", args=[world.bob.pk])
    page = client.get(url)
    response = post_write(client, url)
    allowed = persona in TO_MEMBER
    if persona == "visitor":
        assert page.status_code == 302
        assert "/login/" in page["Location"]
    else:
        assert page.status_code == (200 if allowed else 404)
    assert Message.objects.filter(thread__participants__member=world.bob).exists() == allowed
    if allowed:
        assert response.status_code == 302


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organizer_writes_to_a_pending_invitee(client, world, persona):
    client = log_in(client, world, persona)
    post_write(client, reverse("inbox_write", args=[world.olivia.pk]))
    assert (Message.objects.filter(thread__participants__member=world.olivia).exists()
            == (persona in TO_INVITEE))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_its_coordinator_and_organizer_write_to_a_whole_chapter(client, world, persona):
    client = log_in(client, world, persona)
    url = reverse("inbox_write_chapter", args=[world.springfield.slug])
    page = client.get(url)
    post_write(client, url)
    allowed = persona in TO_CHAPTER
    if persona != "visitor":
        assert page.status_code == (200 if allowed else 404)
    # Alice, Bob and Eve are members; the sender is never among the recipients.
    assert Thread.objects.count() == ({"coordinator": 2, "organizer": 3}.get(persona, 0))


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_participants_read_and_reply(client, world, persona):
    thread = write(world.alice, world.bob).threads[0]
    client = log_in(client, world, persona)
    url = reverse("inbox_thread", args=[thread.pk])
    page = client.get(url)
    client.post(url, {"body": "Me too", "token": "r1"})
    participant = persona == "coordinator"  # Alice wrote to Bob
    if persona != "visitor":
        assert page.status_code == (200 if participant else 404)
    assert thread.messages.count() == (2 if participant else 1)


def test_the_recipient_replies_and_nobody_writes_to_themselves(client, world):
    thread = write(world.alice, world.bob).threads[0]
    client_for(client, world.bob).post(reverse("inbox_thread", args=[thread.pk]),
                                       {"body": "Thanks!", "token": "r1"})
    assert list(thread.messages.values_list("sender__display_name", flat=True)) == [
        "Alice", "Bob"]
    assert client.get(reverse("inbox_write", args=[world.bob.pk])).status_code == 404


def test_the_organizer_may_write_to_the_invitees_and_the_coordinator_may_not(client, world):
    client_for(client, world.oscar)
    page = client.get(reverse("inbox_write_chapter", args=[world.springfield.slug]))
    assert "invitees" in page.content.decode()
    client.post(reverse("inbox_write_chapter", args=[world.springfield.slug]),
                {"audience": "invitees", "subject": "Our first meeting", "body": "Come!",
                 "token": "g1"})
    assert list(Thread.objects.values_list("participants__member__display_name", flat=True)
                .order_by("participants__member__display_name")) == ["Olivia", "Oscar"]
    client_for(client, world.alice).post(
        reverse("inbox_write_chapter", args=[world.springfield.slug]),
        {"audience": "invitees", "subject": "Hi", "body": "Come!", "token": "g2"})
    assert Thread.objects.count() == 1  # "invitees" is not a choice for a coordinator


def test_an_inactive_organizer_and_a_former_member_are_out(world):
    from django.core.exceptions import PermissionDenied

    world.springfield.organizer.active = False
    world.springfield.organizer.save(update_fields=["active"])
    with pytest.raises(PermissionDenied):
        write(world.oscar, world.bob)
    world.bob.chapter_memberships.update(left_on="2014-01-15")
    with pytest.raises(PermissionDenied):
        write(world.alice, world.bob)


def test_the_chapter_page_offers_writing_to_its_coordinators_and_organizer_only(client, world):
    url = reverse("chapter_detail", args=[world.springfield.slug])
    for member, shown in ((world.alice, True), (world.oscar, True), (world.bob, False),
                          (world.staff, False)):
        content = client_for(client, member).get(url).content.decode()
        assert ('id="write-to-members"' in content) == shown, member
        # The organizer carrying the chapter sees its roster as its coordinators do.
        assert (reverse("inbox_write", args=[world.eve.pk]) in content) == shown, member
