"""An erased sender leaves no line naming them in others' digests still to come, and the
digest line of a message points at its conversation even when the message holds other links."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.inbox import services
from chapterhouse.notices.kinds import Category, Frequency
from chapterhouse.notices.models import DigestEntry
from chapterhouse.notices.services import digests_send, preferences_set
from chapterhouse.privacy.services import member_erase
from tests.inbox.conftest import write

pytestmark = pytest.mark.django_db


def daily_messages(member) -> None:
    preferences_set(context_for(member), member=member,
                    frequencies={Category.MESSAGES: Frequency.DAILY})


def test_erasing_a_sender_removes_their_lines_from_digests_still_to_come(world):
    daily_messages(world.bob)
    daily_messages(world.eve)
    to_bob = write(world.alice, world.bob, subject="Saturday").threads[0]
    write(world.oscar, world.eve, subject="Organizing news")  # Oscar stays
    services.message_reply(context_for(world.bob), thread=to_bob, body="Yes!")  # Alice: now
    assert DigestEntry.objects.filter(member=world.bob, subject__contains="Alice").exists()

    member_erase(context_for(), member=world.alice)

    assert not DigestEntry.objects.filter(subject__contains="Alice").exists()
    # Another sender's line, to another member, is not touched.
    assert DigestEntry.objects.filter(member=world.eve, subject__contains="Oscar").count() == 1


def test_a_digest_already_sent_is_not_rewritten(world):
    daily_messages(world.bob)
    write(world.alice, world.bob, subject="Saturday")
    sent = DigestEntry.objects.get(member=world.bob)
    sent.created_at = sent.created_at.replace(year=sent.created_at.year - 1)
    sent.save(update_fields=["created_at"])
    assert digests_send().digests == 1

    member_erase(context_for(), member=world.alice)
    assert DigestEntry.objects.filter(pk=sent.pk, digest__isnull=False).exists()


def test_the_digest_line_points_at_the_conversation_not_at_a_link_in_the_message(world):
    daily_messages(world.bob)
    elsewhere = settings.SITE_URL.rstrip("/") + reverse("polls")
    thread = write(world.alice, world.bob, body=f"Please vote: {elsewhere}").threads[0]
    line = DigestEntry.objects.get(member=world.bob)
    assert line.link.endswith(reverse("inbox_thread", args=[thread.pk]))
