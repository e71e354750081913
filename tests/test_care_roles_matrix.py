"""Issue 13, item 7: who may change and cancel meetings, end a series, add or hand over a
coordinator, step down, leave a chapter, answer (accept or decline) or withdraw an offer to
coordinate, through the real pages.

Each action is tried by each persona: a visitor, a member without this chapter, a member of it,
a coordinator of it, a coordinator of another chapter, an organizer and staff. The allowed ones
change what they should; the others change nothing. No action gives its actor a role (the
member asked to coordinate gains it by accepting: that is the point of the offer). Every
action is a POST with the CSRF token, and bad input changes nothing.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, CoordinatorOffer, OfferStatus
from chapterhouse.meetings.models import Meeting, Rsvp
from chapterhouse.members.models import Member
from chapterhouse.organizing.models import Organizer
from tests.conftest import VIENNA, client_for, join, make_member, make_organizer

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
PERSONAS = ["visitor", "non_member", "member", "coordinator", "other_coordinator",
            "organizer", "staff"]
SERIES = [datetime.datetime(2014, m, 11, 23, tzinfo=UTC) for m in (2, 3, 4)]


@dataclass
class World:
    people: dict[str, Member]
    springfield: Chapter
    eve: Member  # a member of Springfield whom coordinators may ask
    meeting: Meeting  # upcoming, Bob said yes; the first of a monthly series
    offer: CoordinatorOffer  # Alice asked Bob to coordinate with her; he has not answered


@pytest.fixture
def world(springfield, vienna, alice, bob, charlie, olivia, staff) -> World:
    vienna.coordinators.add(charlie)
    dana = make_member("dana@example.org", "Dana")  # a second coordinator: Alice may go
    join(springfield, dana)
    springfield.coordinators.add(dana)
    eve = make_member("eve@example.org", "Eve")
    join(springfield, eve)
    oscar = make_member("oscar@example.org", "Oscar", VIENNA)
    make_organizer(oscar)
    series = uuid.uuid4()
    meetings = [Meeting.objects.create(chapter=springfield, starts_at=at, venue="Library",
                                       series=series) for at in SERIES]
    Rsvp.objects.create(meeting=meetings[0], member=bob, answer="yes",
                        answered_at=datetime.datetime(2014, 1, 30, tzinfo=UTC))
    people = {"non_member": olivia, "member": bob, "coordinator": alice,
              "other_coordinator": charlie, "organizer": oscar, "staff": staff}
    offer = CoordinatorOffer.objects.create(chapter=springfield, member=bob, offered_by=alice)
    return World(people, springfield, eve, meetings[0], offer)


def log_in(client, world: World, persona: str):
    return client if persona == "visitor" else client_for(client, world.people[persona])


def powers(member: Member | None) -> tuple:
    """What roles a member holds: chapters coordinated, staff, organizer."""
    if member is None:
        return ()
    member.refresh_from_db()
    return (sorted(member.coordinated_chapters.values_list("pk", flat=True)), member.is_staff,
            member.is_superuser, Organizer.objects.filter(member=member, active=True).exists())


# Each check posts the action and returns whether it took effect.

def edit_meeting(client, world: World) -> bool:
    client.post(reverse("meeting_edit", args=[world.meeting.pk]), {
        "title": "", "day": "2014-02-11", "start_time": "19:00", "duration_minutes": "120",
        "venue": "Town hall", "description": ""})
    world.meeting.refresh_from_db()
    return world.meeting.venue == "Town hall"


def cancel_meeting(client, world: World) -> bool:
    client.post(reverse("meeting_cancel", args=[world.meeting.pk]), {"note": ""})
    world.meeting.refresh_from_db()
    return world.meeting.cancelled


def end_series(client, world: World) -> bool:
    client.post(reverse("meeting_series_end", args=[world.meeting.pk]),
                {"from_day": "2014-03-01"})
    return Meeting.objects.filter(series=world.meeting.series).held().count() == 1


def add_coordinator(client, world: World) -> bool:
    client.post(reverse("coordinator_offer_create", args=[world.springfield.slug]),
                {"member": str(world.eve.pk), "handover": "0"})
    return CoordinatorOffer.objects.filter(member=world.eve, handover=False).exists()


def hand_over(client, world: World) -> bool:
    client.post(reverse("coordinator_offer_create", args=[world.springfield.slug]),
                {"member": str(world.eve.pk), "handover": "1"})
    return CoordinatorOffer.objects.filter(member=world.eve, handover=True).exists()


def step_down(client, world: World) -> bool:
    before = world.springfield.coordinators.count()
    client.post(reverse("coordinator_step_down", args=[world.springfield.slug]))
    return world.springfield.coordinators.count() < before


def leave(client, world: World) -> bool:
    on = datetime.date(2014, 2, 1)
    before = world.springfield.memberships.current(on).count()
    client.post(reverse("chapter_leave", args=[world.springfield.slug]))
    return world.springfield.memberships.current(on).count() < before


def answer_offer(client, world: World) -> bool:
    offer = world.offer  # Alice asked Bob
    client.post(reverse("coordinator_offer_answer", args=[world.springfield.slug, offer.pk]),
                {"answer": "accept"})
    return world.springfield.coordinators.filter(pk=offer.member_id).exists()


def decline_offer(client, world: World) -> bool:
    offer = world.offer
    client.post(reverse("coordinator_offer_answer", args=[world.springfield.slug, offer.pk]),
                {"answer": "decline"})
    offer.refresh_from_db()
    return offer.status == OfferStatus.DECLINED


def withdraw_offer(client, world: World) -> bool:
    """Alice (the coordinator) asked Bob; Dana, the other coordinator, did not."""
    offer = world.offer
    client.post(reverse("coordinator_offer_withdraw", args=[world.springfield.slug, offer.pk]))
    offer.refresh_from_db()
    return offer.status == OfferStatus.WITHDRAWN


CHECKS: dict[str, tuple[Callable[..., bool], set[str]]] = {
    "edit_meeting": (edit_meeting, {"coordinator", "staff"}),
    "cancel_meeting": (cancel_meeting, {"coordinator", "staff"}),
    "end_series": (end_series, {"coordinator", "staff"}),
    "add_coordinator": (add_coordinator, {"coordinator", "staff"}),
    "hand_over": (hand_over, {"coordinator"}),  # one's own role: staff hold none here
    "step_down": (step_down, {"coordinator"}),
    "leave": (leave, {"member", "coordinator"}),
    "answer_offer": (answer_offer, {"member"}),  # the member asked, and only them
    "decline_offer": (decline_offer, {"member"}),
    "withdraw_offer": (withdraw_offer, {"coordinator", "staff"}),  # who asked, or staff
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", list(CHECKS))
def test_each_persona_may_do_exactly_what_the_matrix_says_and_gains_no_power(
        client, world, action, persona):
    check, allowed = CHECKS[action]
    actor = world.people.get(persona)
    before = powers(actor)
    others = {name: powers(m) for name, m in world.people.items() if m is not actor}
    assert check(log_in(client, world, persona), world) == (persona in allowed)
    if action != "answer_offer":
        after = powers(actor)
        assert not after or set(after[0]) <= set(before[0])
        assert after[1:] == before[1:]
    # Nobody else gained a role either, but Bob by accepting and whom a handover relieved.
    for name, held in others.items():
        if (action, name) not in {("answer_offer", "member")}:
            now = powers(world.people[name])
            assert set(now[0]) <= set(held[0])
            assert now[1:] == held[1:]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_change_pages_are_for_the_chapters_coordinators_and_staff(client, world, persona):
    c = log_in(client, world, persona)
    pages = [c.get(reverse("meeting_edit", args=[world.meeting.pk])),
             c.get(reverse("chapter_coordinators", args=[world.springfield.slug]))]
    for page in pages:
        if persona in {"coordinator", "staff"}:
            assert page.status_code == 200
        elif persona == "visitor":
            assert page.status_code == 302
            assert "/login/" in page["Location"]
        else:
            assert page.status_code == 404  # existence is not revealed


def posts(world: World) -> list[tuple[str, dict]]:
    slug, pk = world.springfield.slug, world.meeting.pk
    return [
        (reverse("meeting_edit", args=[pk]), {"day": "2014-02-12", "start_time": "18:00",
                                              "duration_minutes": "120", "venue": "Elsewhere"}),
        (reverse("meeting_cancel", args=[pk]), {}),
        (reverse("meeting_series_end", args=[pk]), {"from_day": "2014-03-01"}),
        (reverse("coordinator_offer_create", args=[slug]), {"member": str(world.eve.pk)}),
        (reverse("coordinator_step_down", args=[slug]), {}),
        (reverse("chapter_leave", args=[slug]), {}),
        (reverse("coordinator_offer_withdraw", args=[slug, world.offer.pk]), {}),
        (reverse("coordinator_offer_answer", args=[slug, world.offer.pk]),
         {"answer": "decline"}),
    ]


def state(world: World) -> tuple:
    world.meeting.refresh_from_db()
    return (world.meeting.venue, world.meeting.starts_at, world.meeting.cancelled,
            Meeting.objects.count(), CoordinatorOffer.objects.count(),
            sorted(CoordinatorOffer.objects.values_list("pk", "status")),
            sorted(world.springfield.coordinators.values_list("pk", flat=True)),
            world.springfield.memberships.filter(left_on__isnull=True).count())


def test_without_the_csrf_token_nothing_changes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["coordinator"])
    before = state(world)
    for url, data in posts(world):
        assert client.post(url, data).status_code == 403
    assert state(world) == before


def test_the_actions_are_posts_only(client, world):
    c = client_for(client, world.people["coordinator"])
    before = state(world)
    for url, _data in posts(world)[1:]:
        assert c.get(url).status_code == 405
    assert state(world) == before


@pytest.mark.parametrize(("url_name", "data"), [
    ("meeting_edit", {"day": "not a date", "start_time": "18:00", "duration_minutes": "120"}),
    ("meeting_edit", {"day": "2014-02-12", "start_time": "18:00", "duration_minutes": "0"}),
    ("meeting_edit", {"day": "2014-01-12", "start_time": "18:00", "duration_minutes": "120"}),
    ("meeting_edit", {"day": "2014-02-12", "start_time": "18:00", "duration_minutes": "120",
                      "venue": "x" * 201}),
    ("meeting_cancel", {"note": "x" * 501}),
    ("meeting_series_end", {"from_day": "2013-01-01"}),
    ("meeting_series_end", {"from_day": "soon"}),
    ("coordinator_offer_create", {"member": "abc"}),
    ("coordinator_offer_create", {"member": "99999999999999999999"}),
    ("coordinator_offer_create", {"member": "١٢"}),
    ("coordinator_offer_create", {"member": "other_chapter"}),
])
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, world, url_name, data):
    if data.get("member") == "other_chapter":
        data = {"member": str(world.people["other_coordinator"].pk)}
    args = [world.meeting.pk] if url_name.startswith("meeting") else [world.springfield.slug]
    c = client_for(client, world.people["coordinator"])
    before = state(world)
    response = c.post(reverse(url_name, args=args), data, follow=True)
    assert response.status_code == 200
    assert 'role="alert"' in response.text or '<li class="error">' in response.text
    assert state(world) == before


def test_a_coordinator_cannot_withdraw_a_colleagues_offer_nor_an_answered_one(client, world):
    dana = world.springfield.coordinators.get(display_name="Dana")
    url = reverse("coordinator_offer_withdraw", args=[world.springfield.slug, world.offer.pk])
    before = state(world)
    assert client_for(client, dana).post(url).status_code == 404
    assert state(world) == before
    CoordinatorOffer.objects.filter(pk=world.offer.pk).update(status=OfferStatus.DECLINED)
    before = state(world)
    response = client_for(client, world.people["coordinator"]).post(url, follow=True)
    assert "This offer has already been answered." in response.text
    assert state(world) == before


def test_the_coordinators_page_offers_the_withdrawal_to_who_asked_and_to_staff(client, world):
    button = "Withdraw the offer to Bob"
    page = reverse("chapter_coordinators", args=[world.springfield.slug])
    assert button in client_for(client, world.people["coordinator"]).get(page).text
    assert button in client_for(client, world.people["staff"]).get(page).text
    dana = world.springfield.coordinators.get(display_name="Dana")
    assert button not in client_for(client, dana).get(page).text
