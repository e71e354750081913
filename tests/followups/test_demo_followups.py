"""The demo shows follow-ups due in New York City (demo/followups.py), to its coordinator
persona, who is also the organizer carrying it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.followups.models import Conversation
from chapterhouse.members.models import Member
from tests.conftest import client_for


@pytest.fixture
def nyc_page(demo, db):
    persona = Member.objects.get(email="coordinator@demo.example.org")
    nyc = Chapter.objects.get(name="New York City")
    response = client_for(Client(), persona).get(reverse("followups_chapter", args=[nyc.slug]))
    return nyc, persona, response


def test_the_demo_chapter_has_every_kind_of_follow_up_and_some_conversations(nyc_page):
    nyc, persona, response = nyc_page
    assert response.status_code == 200
    needs = {item.follow_up.need for item in response.context["page"].queue}
    assert needs == {"welcome", "no_show", "lapsed"}
    assert nyc.organizer.member == persona
    assert Conversation.objects.filter(chapter=nyc).count() >= 3
    welcomed = Conversation.objects.filter(chapter=nyc, kind="welcome").values_list(
        "member_id", flat=True)
    assert not {item.person.member.pk for item in response.context["page"].queue
                if item.follow_up.need == "welcome"} & set(welcomed)


def test_the_chapter_page_links_its_follow_ups_for_its_coordinator(nyc_page):
    nyc, persona, _response = nyc_page
    html = client_for(Client(), persona).get(reverse("chapter_detail", args=[nyc.slug])
                                             ).content.decode()
    assert reverse("followups_chapter", args=[nyc.slug]) in html
