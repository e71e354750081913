"""The demo still gives its people the roles the README promises (issue 9, roles)."""

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.members.access import may, roles_held
from chapterhouse.members.models import Member
from chapterhouse.members.roles import Capability, Role
from chapterhouse.organizations.demo import ADMIN_EMAIL, COORDINATOR_EMAIL


@pytest.fixture
def people(demo, db):
    return Member.objects.get(email=COORDINATOR_EMAIL), Member.objects.get(email=ADMIN_EMAIL)


def test_the_new_york_coordinator_coordinates_nyc_and_organizes(people):
    coordinator, _admin = people
    nyc = Chapter.objects.get(name="New York City")
    assert roles_held(coordinator, nyc) == {Role.MEMBER, Role.COORDINATOR, Role.ORGANIZER}
    assert may(coordinator, Capability.PLANNER_START)
    assert may(coordinator, Capability.CALL_CREATE)
    assert not may(coordinator, Capability.RESOURCE_ADD)


def test_the_admin_is_staff(people):
    _coordinator, admin = people
    assert Role.STAFF in roles_held(admin)
    assert all(may(admin, capability) for capability in (
        Capability.PLANNER_VIEW, Capability.RESOURCE_ADD, Capability.ORGANIZATION_POLL_CREATE))


def test_no_demo_member_but_staff_edits_the_library(people):
    assert not Member.objects.filter(is_resource_editor=True).exists()
