"""My conversations with unread counts, a conversation's page, signatures as of sending, and
a group message whose recipients never see each other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.inbox import selectors, services
from chapterhouse.inbox.models import Participant
from tests.conftest import client_for
from tests.inbox.conftest import write

pytestmark = pytest.mark.django_db


def test_my_conversations_count_what_i_have_not_read(client, world):
    thread = write(world.alice, world.bob, subject="Saturday").threads[0]
    services.message_reply(context_for(world.alice), thread=thread, body="One more thing")
    client_for(client, world.bob)
    listing = client.get(reverse("inbox")).content.decode()
    assert "Saturday" in listing
    header, main = listing.split('<main id="main">')
    assert main.count("2 new") == 2  # the heading's total and the conversation's
    assert 'class="badge">2 new' in header  # and beside "Messages" in the menu
    assert "With Alice" in listing
    assert selectors.unread_total(context_for(world.bob)) == 2
    client.get(reverse("inbox_thread", args=[thread.pk]))
    assert 'class="badge"' not in client.get(reverse("dashboard")).content.decode()
    assert "new" not in client.get(reverse("inbox")).content.decode().split("<h1>")[1].split(
        "</main>")[0].replace("news", "")
    assert selectors.unread_total(context_for(world.bob)) == 0
    assert selectors.unread_total(context_for(world.alice)) == 0  # her own are not new to her


def test_the_list_pages_cost_the_same_few_queries(client, world, django_assert_max_num_queries):
    for member in (world.bob, world.eve):
        write(world.alice, member)
    client_for(client, world.alice)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("inbox")).status_code == 200


def test_a_message_is_signed_as_its_sender_was_when_sending(client, world):
    thread = write(world.alice, world.bob).threads[0]
    world.springfield.coordinators.remove(world.alice)
    world.alice.display_name = "Alice B."
    world.alice.save(update_fields=["display_name"])
    services.message_reply(context_for(world.alice), thread=thread, body="Still here")
    content = client_for(client, world.bob).get(
        reverse("inbox_thread", args=[thread.pk])).content.decode()
    assert "<strong>Alice</strong>, coordinator of Springfield" in content
    assert "<strong>Alice B.</strong>, member of Springfield" in content


def test_recipients_of_a_group_message_do_not_see_each_other(client, world):
    sent = services.message_write_chapter(context_for(world.alice), chapter=world.springfield,
                                          audience="members", subject="Saturday", body="Come")
    for thread in sent.threads:
        assert Participant.objects.filter(thread=thread).count() == 2
    bob_thread = Participant.objects.get(member=world.bob).thread
    services.message_reply(context_for(world.bob), thread=bob_thread, body="Bob is coming")
    client_for(client, world.eve)
    listing = client.get(reverse("inbox")).content.decode()
    eve_thread = Participant.objects.get(member=world.eve).thread
    page = client.get(reverse("inbox_thread", args=[eve_thread.pk])).content.decode()
    for content in (listing, page):
        assert "Bob" not in content
        assert world.bob.email not in content
    assert client.get(reverse("inbox_thread", args=[bob_thread.pk])).status_code == 404


def test_unread_counts_only_what_others_wrote_since_i_last_read(client, world):
    thread = write(world.alice, world.bob).threads[0]
    services.thread_mark_read(context_for(world.bob), thread=thread)
    services.message_reply(context_for(world.bob), thread=thread, body="Thanks")
    services.message_reply(context_for(world.alice), thread=thread, body="You are welcome")
    services.message_reply(context_for(world.alice), thread=thread, body="See you")
    [bobs] = selectors.conversations_of(context_for(world.bob)).rows
    [alices] = selectors.conversations_of(context_for(world.alice)).rows
    assert (bobs.unread, alices.unread) == (2, 0)
    assert bobs.last.body == "See you"
    assert selectors.unread_total(context_for(world.bob)) == 2


def test_visitors_are_sent_to_log_in(client, world):
    thread = write(world.alice, world.bob).threads[0]
    for url in (reverse("inbox"), reverse("inbox_thread", args=[thread.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]
