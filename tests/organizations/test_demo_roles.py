"""The demo still gives its people the roles the README promises (issue 9, roles)."""

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.context import actor_for
from chapterhouse.demo.seeding import ADMIN_EMAIL, COORDINATOR_EMAIL
from chapterhouse.domain.roles import Capability, Role
from chapterhouse.members.models import Member


@pytest.fixture
def people(demo, db):
    return Member.objects.get(email=COORDINATOR_EMAIL), Member.objects.get(email=ADMIN_EMAIL)


def test_the_new_york_coordinator_coordinates_nyc_and_organizes(people):
    coordinator, _admin = people
    nyc = Chapter.objects.get(name="New York City")
    # An organizer too, who carries NYC (demo/followups.py makes them its organizer).
    assert actor_for(coordinator).roles(nyc) == {Role.MEMBER, Role.COORDINATOR, Role.ORGANIZER,
                                                 Role.CHAPTER_ORGANIZER}
    assert actor_for(coordinator).may(Capability.PLANNER_START)
    assert actor_for(coordinator).may(Capability.CALL_CREATE)
    assert not actor_for(coordinator).may(Capability.RESOURCE_ADD)


def test_the_admin_is_staff(people):
    _coordinator, admin = people
    assert Role.STAFF in actor_for(admin).roles()
    assert all(actor_for(admin).may(capability) for capability in (
        Capability.PLANNER_VIEW, Capability.RESOURCE_ADD, Capability.ORGANIZATION_POLL_CREATE))


def test_no_demo_member_but_staff_edits_the_library(people):
    assert not Member.objects.filter(is_resource_editor=True).exists()
