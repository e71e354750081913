"""No rival chapters by accident (issue 13, item 6): starting a chapter inside an existing
chapter's area warns first and offers to join it or propose a split; going ahead tells that
chapter's coordinators."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.selectors import chapters_covering
from chapterhouse.chapters.services import chapter_start
from chapterhouse.context import context_for
from chapterhouse.outbox.models import OutboxMessage as Message
from tests.conftest import VIENNA, client_for, make_member

pytestmark = pytest.mark.django_db

QUEENS = 5133273  # about 15 km from New York City's home, inside its 25 km area
BOSTON = 4930956


def test_the_chapters_covering_a_place_are_those_within_their_own_radius(springfield, vienna):
    queens = make_member("q@example.org", "Q", QUEENS).place
    [near] = chapters_covering(queens.latitude, queens.longitude)
    assert near.chapter == springfield
    assert 5 < near.distance_km <= springfield.radius_km
    boston = make_member("b@example.org", "B", BOSTON).place
    assert chapters_covering(boston.latitude, boston.longitude) == []


def test_starting_inside_an_area_is_refused_until_confirmed_then_coordinators_are_told(
        springfield, alice, django_capture_on_commit_callbacks):
    quinn = make_member("quinn@example.org", "Quinn", QUEENS)
    with pytest.raises(ValidationError) as refused:
        chapter_start(context_for(quinn), name="Queens", description="", radius_km=25,
                      invite=False)
    assert refused.value.code == "inside_area"
    assert not Chapter.objects.filter(name="Queens").exists()
    with django_capture_on_commit_callbacks(execute=True):
        chapter_start(context_for(quinn), name="Queens", description="", radius_km=25,
                      invite=False, despite_covering=True)
    told = Message.objects.filter(kind="chapter_started_inside_area")
    assert list(told.values_list("to", flat=True)) == [alice.email]
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "Queens" in mail.outbox[0].body
    assert "Springfield" in mail.outbox[0].subject


def test_outside_every_area_nothing_is_asked_and_nobody_is_told(springfield, alice):
    vera = make_member("vera@example.org", "Vera", VIENNA)
    chapter_start(context_for(vera), name="Wien", description="", radius_km=25, invite=False)
    assert not Message.objects.filter(kind="chapter_started_inside_area").exists()


def test_the_page_warns_offers_to_join_or_split_then_starts_anyway(client, springfield, alice):
    quinn = make_member("quinn@example.org", "Quinn", QUEENS)
    c = client_for(client, quinn)
    form = {"name": "Queens", "description": "", "radius_km": "25", "invite": ""}
    html = c.post(reverse("chapter_list"), form).text
    assert 'id="inside-area"' in html
    assert reverse("chapter_join", args=[springfield.slug]) in html
    assert reverse("chapter_detail", args=[springfield.slug]) in html
    assert 'name="despite_covering" value="True"' in html or \
        'name="despite_covering" value="on"' in html
    assert not Chapter.objects.filter(name="Queens").exists()
    response = c.post(reverse("chapter_list"), {**form, "despite_covering": "on"})
    assert response.status_code == 302
    assert Chapter.objects.filter(name="Queens", coordinators=quinn).exists()
