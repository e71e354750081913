"""No action grants a role as a side effect (issue 9, attack 1: "self-granted power").

Founding a chapter makes the founder its coordinator and nothing more; being invited,
accepting, asking to join, being accepted and voting make nobody anything but a member.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.context import actor_for, context_for
from chapterhouse.decisions.services import endorsement_propose
from chapterhouse.domain.roles import Capability, Role, allowed
from chapterhouse.organizing.models import Organizer
from tests.conftest import client_for, make_member, make_organizer, make_qualifying
from tests.decisions.conftest import make_poll, option_ids

pytestmark = pytest.mark.django_db

QUEENS = 5133273
ORGANIZATION_WIDE = [Capability.PLANNER_VIEW, Capability.PLANNER_START, Capability.CALL_CREATE,
                     Capability.RESOURCE_ADD, Capability.ORGANIZATION_POLL_CREATE]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def start_chapter(client, member, invite: bool = True) -> Chapter:
    client_for(client, member).post(reverse("chapter_list"), {
        "name": f"{member.display_name}'s chapter", "description": "", "radius_km": "25",
        "invite": "on" if invite else "", "despite_covering": "on"})  # inside Springfield
    return Chapter.objects.get(coordinators=member)


def assert_only_a_member(member, *chapters: Chapter) -> None:
    member.refresh_from_db()
    for chapter in chapters:
        assert roles_held(member, chapter) == {Role.MEMBER}
    for capability in ORGANIZATION_WIDE:
        assert not may(member, capability)
    assert not Organizer.objects.filter(member=member).exists()


def test_founding_a_chapter_makes_its_coordinator_and_nothing_more(client, springfield, olivia):
    chapter = start_chapter(client, olivia)
    assert roles_held(olivia, chapter) == {Role.MEMBER, Role.COORDINATOR}
    assert roles_held(olivia, springfield) == {Role.MEMBER}
    for capability in ORGANIZATION_WIDE:
        assert not may(olivia, capability)
    assert not may(olivia, Capability.CHAPTER_COORDINATE, chapter=springfield)
    olivia.refresh_from_db()
    assert not (olivia.is_staff)
    assert not (olivia.is_resource_editor)


def test_being_invited_and_accepting_makes_a_member_only(client, olivia):
    neighbour = make_member("n@example.org", "Neighbour", QUEENS, willing_to_meet=True)
    olivia.place = neighbour.place
    olivia.save(update_fields=["place"])
    chapter = start_chapter(client, olivia)
    invitation = Invitation.objects.get(member=neighbour)
    assert_only_a_member(neighbour, chapter)
    client.logout()
    client_for(client, neighbour).post(reverse("invitation_respond", args=[invitation.pk]),
                                       {"answer": "accept"})
    assert chapter.is_member(neighbour, chapter.founded_on)
    assert_only_a_member(neighbour, chapter)


def test_asking_to_join_and_being_accepted_makes_a_member_only(client, springfield, alice,
                                                               olivia):
    client_for(client, olivia).post(reverse("chapter_join", args=[springfield.slug]))
    request = springfield.join_requests.get(member=olivia)
    assert_only_a_member(olivia, springfield)
    client.logout()
    client_for(client, alice).post(reverse("join_request_answer",
                                           args=[springfield.slug, request.pk]),
                                   {"answer": "accept"})
    assert_only_a_member(olivia, springfield)


def test_voting_makes_a_member_only(client, organization, springfield, alice, bob):
    poll = make_poll(organization, chapter=springfield)
    client_for(client, bob).post(reverse("ballot_submit", args=[poll.pk]),
                                 {"choice": option_ids(poll)["Pears"]})
    assert poll.participations.filter(member=bob).exists()
    assert_only_a_member(bob, springfield)


def test_a_forming_chapter_cannot_endorse_its_founder_as_an_organizer(client, olivia):
    chapter = start_chapter(client, olivia, invite=False)
    with pytest.raises(ValidationError, match="Only a qualifying chapter"):
        endorsement_propose(context_for(olivia), chapter=chapter, hours_per_week=10, months=3,
                            starts_on=chapter.founded_on, target_areas="everywhere")
    assert not chapter.polls.exists()
    response = client.post(reverse("endorsement_new"), {
        "chapter": chapter.pk, "hours_per_week": "10", "months": "3",
        "starts_on": "2030-01-01", "reach_km": "100"})
    assert "Only a qualifying chapter" in response.text
    assert not chapter.polls.exists()
    assert not Organizer.objects.exists()


def test_a_qualifying_chapter_may_put_an_endorsement_to_its_members(springfield, bob):
    make_qualifying(springfield)
    poll = endorsement_propose(context_for(bob), chapter=springfield, hours_per_week=10, months=3,
                               starts_on=springfield.founded_on, target_areas="Queens")
    assert poll.endorsement.member == bob


def test_organizers_and_resource_editors_are_appointed_not_earned(springfield, alice, olivia):
    assert not may(alice, Capability.PLANNER_VIEW)  # coordinating is not organizing
    make_organizer(alice)
    assert may(alice, Capability.PLANNER_START)
    assert not may(alice, Capability.RESOURCE_ADD)
    olivia.is_resource_editor = True
    olivia.save(update_fields=["is_resource_editor"])
    assert may(olivia, Capability.RESOURCE_ADD)
    assert not may(olivia, Capability.PLANNER_VIEW)


def test_an_inactive_account_holds_no_role(staff):
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    assert roles_held(staff) == frozenset()


def test_a_chapter_capability_needs_its_chapter(alice):
    with pytest.raises(ValueError, match="chapter="):
        may(alice, Capability.CHAPTER_COORDINATE)


def test_the_table_is_read_by_role():
    assert allowed(Capability.CALL_CREATE, {Role.ORGANIZER})
    assert not allowed(Capability.CALL_CREATE, {Role.MEMBER, Role.COORDINATOR})
    assert allowed(Capability.CHAPTER_START, {Role.MEMBER})


def test_a_chapter_qualifying_with_invented_guests_cannot_endorse_its_lone_member(
        springfield, bob):
    # A lone member records guests each month until the chapter qualifies, then puts their own
    # endorsement to a chapter where they would be the only voter (issue 9 review).
    make_qualifying(springfield)
    springfield.memberships.exclude(member=bob).update(left_on=datetime.date(2014, 1, 31))
    with pytest.raises(ValidationError, match="at least 5 members"):
        endorsement_propose(context_for(bob), chapter=springfield, hours_per_week=10, months=3,
                            starts_on=springfield.founded_on, target_areas="Queens")
    assert not springfield.polls.exists()


def may(user, capability, chapter=None) -> bool:
    """The capability as a request would see it (a fresh actor: its roles read once)."""
    return actor_for(user).may(capability, chapter)


def roles_held(user, chapter=None) -> frozenset:
    return actor_for(user).roles(chapter)
