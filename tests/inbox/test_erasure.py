"""Erasing a member removes the text and signature of what they wrote, their place in each
conversation, and the emails that quoted them; the other side keeps the conversation, where
they read as "a former member"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.inbox import services
from chapterhouse.inbox.models import Message, Participant, Thread
from chapterhouse.outbox.models import OutboxMessage
from chapterhouse.privacy.services import member_erase
from tests.conftest import client_for
from tests.inbox.conftest import write

pytestmark = pytest.mark.django_db


def test_erasure_removes_a_members_words_and_keeps_the_other_sides_conversation(client, world):
    thread = write(world.alice, world.bob, body="Welcome, Bob!", subject="Welcome").threads[0]
    services.message_reply(context_for(world.bob), thread=thread,
                           body="Thanks, I live on Elm Street 12.")
    member_erase(context_for(), member=world.bob)

    assert not Participant.objects.filter(member=world.bob).exists()
    assert not Message.objects.filter(body__contains="Elm Street").exists()
    assert not OutboxMessage.objects.filter(body__contains="Elm Street").exists()
    assert OutboxMessage.objects.filter(body__contains="Welcome, Bob!").count() == 0  # to Bob
    bobs = Message.objects.get(thread=thread, sender__isnull=True)
    assert (bobs.sender_name, bobs.sender_role, bobs.sender_chapter, bobs.body) == ("", "", "", "")

    client_for(client, world.alice)
    page = client.get(reverse("inbox_thread", args=[thread.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Welcome, Bob!" in content  # Alice's own words stay
    assert "a former member" in content
    assert "Elm Street" not in content
    assert "Nobody else is left in this conversation" in content
    assert "With a former member" in client.get(reverse("inbox")).content.decode()
    with pytest.raises(Exception, match="Nobody else is left"):
        services.message_reply(context_for(world.alice), thread=thread, body="Hello?")


def test_a_conversation_left_with_nobody_goes(world):
    thread = write(world.alice, world.bob).threads[0]
    member_erase(context_for(), member=world.bob)
    member_erase(context_for(), member=world.alice)
    assert not Thread.objects.filter(pk=thread.pk).exists()
    assert Message.objects.count() == 0


def test_the_data_download_holds_the_messages_one_wrote(world):
    from chapterhouse.privacy.selectors import member_data

    write(world.alice, world.bob, body="See you Saturday", subject="Saturday")
    assert [(m["conversation"], m["message"]) for m in member_data(world.alice)[
        "messages_sent"]] == [("Saturday", "See you Saturday")]
    assert member_data(world.bob)["messages_sent"] == []
