"""The inbox's world: Springfield with its coordinator Alice, its members Bob and Eve, its
organizer Oscar, Olivia invited to it (no answer yet); Charlie coordinates Vienna; Stella is
staff; Otto organizes no chapter here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from chapterhouse.chapters.models import Chapter, Invitation
from chapterhouse.context import context_for
from chapterhouse.inbox import services
from chapterhouse.members.models import Member
from tests.conftest import VIENNA, join, make_member, make_organizer


@dataclass
class World:
    springfield: Chapter
    vienna: Chapter
    alice: Member  # coordinator of Springfield
    bob: Member  # member of Springfield
    eve: Member  # member of Springfield
    charlie: Member  # member and coordinator of Vienna
    olivia: Member  # in no chapter, invited to Springfield
    oscar: Member  # Springfield's organizer
    otto: Member  # an organizer of no chapter here
    staff: Member

    def people(self) -> dict[str, Member]:
        return {"member": self.eve, "member_of_another_chapter": self.charlie,
                "coordinator_of_another_chapter": self.charlie, "coordinator": self.alice,
                "organizer": self.oscar, "other_organizer": self.otto, "staff": self.staff,
                "unaffiliated": self.olivia}


@pytest.fixture
def world(springfield, vienna, alice, bob, charlie, olivia, staff) -> World:
    vienna.coordinators.add(charlie)
    eve = make_member("eve@example.org", "Eve", languages=["de"])
    join(springfield, eve)
    oscar = make_member("oscar@example.org", "Oscar", VIENNA)
    springfield.organizer = make_organizer(oscar)
    springfield.save(update_fields=["organizer"])
    otto = make_member("otto@example.org", "Otto")
    make_organizer(otto)
    Invitation.objects.create(chapter=springfield, member=olivia, invited_by=alice,
                              expires_on=datetime.date(2014, 3, 1))
    return World(springfield, vienna, alice, bob, eve, charlie, olivia, oscar, otto, staff)


def write(sender: Member, recipient: Member, body: str = "Hello", subject: str = "Saturday",
          token: str = "") -> services.Sent:
    return services.message_write(context_for(sender), recipient=recipient, subject=subject,
                                  body=body, token=token)
