"""The help board's conversation (issue 13, item 7): the asker answers an offer, the helper
answers back, both on the site; nobody else can join or read it."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.helpboard.models import Need, Offer
from chapterhouse.inbox.models import Message, Participant
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(alice, charlie):
    need = Need.objects.create(posted_by=alice, title="Someone who ran a first meeting",
                               language="en")
    return Offer.objects.create(need=need, member=charlie, message="I ran three.")


def talk(client, offer, body, token):
    return client.post(reverse("offer_talk", args=[offer.need_id, offer.pk]),
                       {"body": body, "token": token})


def test_the_asker_answers_an_offer_and_the_helper_answers_back(
        client, offer, alice, charlie, django_capture_on_commit_callbacks):
    client_for(client, alice)
    page = client.get(reverse("need_detail", args=[offer.need_id])).content.decode()
    assert reverse("offer_talk", args=[offer.need_id, offer.pk]) in page  # "Answer"
    with django_capture_on_commit_callbacks(execute=True):
        response = talk(client, offer, "Wonderful: Tuesday at six?", "a1")
    offer.refresh_from_db()
    assert response["Location"] == reverse("inbox_thread", args=[offer.thread_id])
    assert mail.outbox[-1].to == [charlie.email]
    assert "Wonderful: Tuesday at six?" in mail.outbox[-1].body
    assert alice.email not in mail.outbox[-1].body

    client_for(client, charlie)
    page = client.get(reverse("need_detail", args=[offer.need_id])).content.decode()
    assert reverse("inbox_thread", args=[offer.thread_id]) in page
    talk(client, offer, "Tuesday works.", "c1")
    client.post(reverse("inbox_thread", args=[offer.thread_id]),
                {"body": "I'll bring notes.", "token": "c2"})
    assert list(Message.objects.filter(thread=offer.thread).values_list(
        "sender__display_name", "body")) == [
        ("Alice", "Wonderful: Tuesday at six?"), ("Charlie", "Tuesday works."),
        ("Charlie", "I'll bring notes.")]
    assert sorted(Participant.objects.filter(thread=offer.thread)
                  .values_list("member__display_name", flat=True)) == ["Alice", "Charlie"]


def test_the_helper_may_write_first_and_twice_makes_one_conversation(client, offer, charlie):
    client_for(client, charlie)
    talk(client, offer, "When would suit you?", "c1")
    talk(client, offer, "When would suit you?", "c1")  # a double submit
    talk(client, offer, "Or on Monday?", "c2")
    offer.refresh_from_db()
    assert offer.thread.messages.count() == 2
    assert Message.objects.count() == 2


def test_nobody_else_joins_the_conversation(client, offer, alice, bob, springfield, staff):
    other_helper = make_member("helen@example.org", "Helen")
    Offer.objects.create(need=offer.need, member=other_helper, message="Me too")
    offer.need.chapter = springfield  # a chapter's need: its coordinators see the offers
    offer.need.save(update_fields=["chapter"])
    for member in (bob, other_helper, staff):
        response = talk(client_for(client, member), offer, "Let me in", "x")
        assert response.status_code == 404
    assert Message.objects.count() == 0
    client.logout()
    assert talk(client, offer, "Let me in", "x").status_code == 302  # to the login page
    assert Message.objects.count() == 0


def test_a_too_long_answer_is_refused_clearly(client, offer, alice, settings):
    settings.INBOX_MESSAGE_MAX_CHARS = 5
    response = talk(client_for(client, alice), offer, "far too long", "a1")
    assert response["Location"] == reverse("need_detail", args=[offer.need_id])
    page = client.get(response["Location"]).content.decode()
    assert "at most 5 characters long; this one has 12" in page
    assert Message.objects.count() == 0
