"""Messages are limited: a length, per-sender daily counts (a group message counts once, and
against a group limit of its own), a double submit makes one message; refusals are clear and
leave nothing behind."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.inbox import services
from chapterhouse.inbox.models import Message, Participant, Thread
from chapterhouse.outbox.models import OutboxMessage
from tests.conftest import client_for
from tests.inbox.conftest import write

pytestmark = pytest.mark.django_db


def nothing_stored():
    return (Thread.objects.count(), Message.objects.count(), Participant.objects.count(),
            OutboxMessage.objects.count()) == (0, 0, 0, 0)


def test_a_200_kb_message_is_refused_with_a_clear_message_and_nothing_is_stored(client, world):
    body = "x" * 200 * 1024
    response = client_for(client, world.alice).post(
        reverse("inbox_write", args=[world.bob.pk]),
        {"subject": "Long", "body": body, "token": "t"})
    assert response.status_code == 200
    assert "at most 5000 characters long; this one has 204800" in response.content.decode()
    assert nothing_stored()
    with pytest.raises(ValidationError, match="at most 5000 characters"):
        write(world.alice, world.bob, body=body)
    assert nothing_stored()


def test_a_reply_too_long_is_refused_on_its_page(client, world, settings):
    thread = write(world.alice, world.bob).threads[0]
    settings.INBOX_MESSAGE_MAX_CHARS = 10
    response = client_for(client, world.bob).post(
        reverse("inbox_thread", args=[thread.pk]), {"body": "far too long a reply", "token": "r"})
    assert "at most 10 characters long; this one has 20" in response.content.decode()
    assert thread.messages.count() == 1


def test_an_empty_message_is_refused(world):
    with pytest.raises(ValidationError, match="Write a message first"):
        write(world.alice, world.bob, body="   \n ")
    assert nothing_stored()


def test_the_daily_limit_counts_messages_of_the_last_24_hours(world, settings):
    settings.INBOX_MESSAGES_PER_DAY = 2
    thread = write(world.alice, world.bob).threads[0]
    services.message_reply(context_for(world.alice), thread=thread, body="And also")
    with pytest.raises(ValidationError, match="sent 2 messages in the last 24 hours"):
        write(world.alice, world.eve)
    assert Message.objects.count() == 2
    assert not Thread.objects.filter(
        participants__member=world.eve).exists()
    Message.objects.update(created_at="2014-01-01T00:00:00Z")  # the real time moved on
    write(world.alice, world.eve)
    services.message_reply(context_for(world.bob), thread=thread, body="Thanks")  # Bob's own


def test_a_group_message_counts_once_and_has_its_own_limit(world, settings):
    settings.INBOX_MESSAGES_PER_DAY = 3
    settings.INBOX_GROUP_MESSAGES_PER_DAY = 1
    ctx = context_for(world.alice)
    sent = services.message_write_chapter(ctx, chapter=world.springfield, audience="members",
                                          subject="Saturday", body="Come!")
    assert sent.count == 2  # Bob and Eve
    with pytest.raises(ValidationError, match="whole group 1 times"):
        services.message_write_chapter(ctx, chapter=world.springfield, audience="members",
                                       subject="Again", body="Come!")
    write(world.alice, world.bob)
    write(world.alice, world.eve)  # 1 group + 2 single = 3
    with pytest.raises(ValidationError, match="sent 3 messages"):
        write(world.alice, world.bob)


def test_the_same_form_sent_twice_makes_one_message(client, world):
    client_for(client, world.alice)
    form = {"subject": "Saturday", "body": "See you", "token": "same-token"}
    first = client.post(reverse("inbox_write", args=[world.bob.pk]), form)
    second = client.post(reverse("inbox_write", args=[world.bob.pk]), form)
    assert first["Location"] == second["Location"]
    assert Message.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    thread = Thread.objects.get()
    reply = {"body": "Thanks", "token": "reply-token"}
    client_for(client, world.bob)
    client.post(reverse("inbox_thread", args=[thread.pk]), reply)
    client.post(reverse("inbox_thread", args=[thread.pk]), reply)
    assert thread.messages.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_a_group_message_sent_twice_reaches_each_member_once(client, world):
    client_for(client, world.alice)
    form = {"audience": "members", "subject": "Saturday", "body": "Come", "token": "g"}
    for _ in range(2):
        client.post(reverse("inbox_write_chapter", args=[world.springfield.slug]), form)
    assert Thread.objects.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_html_is_shown_as_text(client, world):
    thread = write(world.alice, world.bob, body='<script>alert("x")</script><b>hi</b>',
                   subject="<i>subject</i>").threads[0]
    content = client_for(client, world.bob).get(
        reverse("inbox_thread", args=[thread.pk])).content.decode()
    assert "<script>alert" not in content
    assert "<b>hi" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;hi&lt;/b&gt;" in content
    assert "&lt;i&gt;subject&lt;/i&gt;" in content
    inbox = client.get(reverse("inbox")).content.decode()
    assert "<script>" not in inbox
    assert "<i>subject" not in inbox
