"""The chapter services take the context (issue 11): who acts, checked by the service itself,
and the organization's date; they log what an operator needs, by id only."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chapterhouse.chapters.models import Chapter, Invitation, JoinRequest
from chapterhouse.chapters.services import (
    chapter_start,
    invitation_answer,
    join_request_answer,
    join_request_create,
    vision_update,
)
from chapterhouse.context import context_for

pytestmark = pytest.mark.django_db


def test_a_visitor_or_the_system_cannot_ask_to_join(springfield):
    with pytest.raises(PermissionDenied):
        join_request_create(context_for(), chapter=springfield)
    assert not JoinRequest.objects.exists()


def test_only_the_invitee_answers_an_invitation(springfield, alice, olivia, bob):
    invitation = Invitation.objects.create(chapter=springfield, member=olivia, invited_by=alice,
                                           expires_on=datetime.date(2014, 3, 1))
    with pytest.raises(PermissionDenied):
        invitation_answer(context_for(bob), invitation=invitation, accept=True)
    invitation_answer(context_for(olivia), invitation=invitation, accept=True)
    assert springfield.is_member(olivia, datetime.date(2014, 2, 1))


def test_a_member_cannot_edit_the_vision_of_a_chapter_they_do_not_coordinate(springfield, bob):
    with pytest.raises(ValidationError, match="Only the chapter's coordinators"):
        vision_update(context_for(bob), chapter=springfield, text="Ours")


def test_dates_are_the_organizations_not_the_servers(organization, springfield, alice, olivia):
    """The test organization shows its figures as of 1 February 2014."""
    asked = join_request_create(context_for(olivia), chapter=springfield)
    join_request_answer(context_for(alice), join_request=asked, accept=True)
    membership = springfield.memberships.get(member=olivia)
    assert membership.joined_on == datetime.date(2014, 2, 1)


def test_starting_a_chapter_is_logged_by_id_without_names_or_addresses(olivia, caplog):
    with caplog.at_level(logging.INFO, logger="chapterhouse.chapters.services"):
        chapter, _invited = chapter_start(context_for(olivia), name="Mine", description="",
                                          radius_km=25, invite=False)
    assert chapter.founded_on == datetime.date(2014, 2, 1)
    [line] = [r.getMessage() for r in caplog.records if "started" in r.getMessage()]
    assert f"chapter {chapter.pk} started by member {olivia.pk}" in line
    assert olivia.email not in line
    assert "Olivia" not in line
    assert Chapter.objects.get(pk=chapter.pk).coordinators.get() == olivia
