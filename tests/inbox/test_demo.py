"""The demo shows conversations: New York City's coordinator wrote to a member, and talks with
a Berlin member about help they asked for; each has a message he has not read."""

from __future__ import annotations

import datetime

from django.urls import reverse

from chapterhouse.demo.inbox import NEED, WELCOME, seed_conversations
from chapterhouse.demo.seeding import COORDINATOR_EMAIL
from chapterhouse.helpboard.models import Offer
from chapterhouse.members.models import Member
from tests.conftest import client_for


def test_the_coordinator_persona_has_two_conversations_with_news(demo, db, client):
    persona = Member.objects.get(email=COORDINATOR_EMAIL)
    listing = client_for(client, persona).get(reverse("inbox")).content.decode()
    assert WELCOME in listing
    assert NEED in listing
    assert listing.count("1 new") == 2  # one in each conversation
    assert "2 new" in listing  # in all
    offer = Offer.objects.get(need__title=NEED)
    page = client.get(reverse("need_detail", args=[offer.need_id])).content.decode()
    assert reverse("inbox_thread", args=[offer.thread_id]) in page
    assert seed_conversations(today=datetime.date(2014, 2, 1)) == 0  # already there
