"""The email that tells a recipient of a new message: the text (or its beginning), who wrote
as what, a link to reply on the site; never an address but the recipient's own, in the To."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.inbox import services
from chapterhouse.outbox.models import OutboxMessage
from tests.inbox.conftest import write

pytestmark = pytest.mark.django_db

ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_the_email_carries_the_text_the_signature_and_a_link_and_no_address(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = write(world.alice, world.bob, body="See you on Saturday at the library.",
                       subject="Saturday").threads[0]
    [email] = mail.outbox
    assert email.to == [world.bob.email]
    assert not email.cc
    assert not email.bcc
    assert not email.reply_to
    assert email.from_email != world.alice.email
    assert email.subject == "Alice (coordinator of Springfield): Saturday"
    assert "See you on Saturday at the library." in email.body
    assert settings.SITE_URL + reverse("inbox_thread", args=[thread.pk]) in email.body
    assert "do not reply to this email" in email.body
    assert ADDRESS.findall(email.body + email.subject) == []
    assert OutboxMessage.objects.get().kind == "inbox_message"


def test_a_long_message_is_sent_as_its_beginning(world, django_capture_on_commit_callbacks):
    body = "word " * 400
    with django_capture_on_commit_callbacks(execute=True):
        write(world.alice, world.bob, body=body)
    assert body.strip()[:services.EXCERPT_CHARS].rstrip() + " […]" in mail.outbox[0].body
    assert body.strip() not in mail.outbox[0].body


def test_a_group_message_tells_each_recipient_alone(
        world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_write_chapter(context_for(world.oscar), chapter=world.springfield,
                                       audience="members", subject="Meeting", body="Come!")
    by_address = {email.to[0]: email for email in mail.outbox}
    assert sorted(by_address) == sorted(m.email for m in (world.alice, world.bob, world.eve))
    for member in (world.alice, world.bob, world.eve):
        email = by_address[member.email]
        assert len(email.to) == 1
        assert ADDRESS.findall(email.body + email.subject) == []
        others = {"Alice", "Bob", "Eve"} - {member.display_name}
        assert email.body.splitlines()[0].rstrip(",").endswith(member.display_name)
        assert not any(name in email.body for name in others)
    assert by_address[world.eve.email].body.startswith("Hallo Eve,")  # in her language
    assert "Oscar (organizer for Springfield)" in by_address[world.bob.email].body


def test_a_reply_tells_only_the_other_side(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.message_write_chapter(
            context_for(world.alice), chapter=world.springfield, audience="members",
            subject="Saturday", body="Come!").threads[0]
    mail.outbox.clear()
    bob = thread.participants.exclude(member=world.alice).get().member
    with django_capture_on_commit_callbacks(execute=True):
        services.message_reply(context_for(bob), thread=thread, body="I will come.")
    [email] = mail.outbox
    assert email.to == [world.alice.email]
    assert f"{bob.display_name} (member of Springfield)" in email.body
