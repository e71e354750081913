"""Who may do what: every capability and the roles that grant it, in one table.

Pure and typed (no Django): `organizations.context.Actor.may` finds the roles a member holds
and asks `allowed`. A role is held, never earned as a side effect of an action:

- MEMBER: any active, logged-in account.
- COORDINATOR: a coordinator of *the chapter in question* (forming or qualifying). Founding a
  forming chapter makes its founder this, for that chapter, and nothing more.
- ORGANIZER: an active `organizing.Organizer`, which exists only when a chapter's vote endorsed
  the member (decisions) or staff created it in the admin.
- CHAPTER_ORGANIZER: the active organizer who carries *the chapter in question*
  (`Chapter.organizer`, assigned when the planner's "Start it" founds it).
- RESOURCE_EDITOR: `Member.is_resource_editor`, set by staff in the admin.
- STAFF: `Member.is_staff` (international coordination), set in the admin.

Reasons for the choices that are not obvious:
- The planner (and its "Start it", which invites a whole candidate group) shows where the
  organization's unaffiliated members live; it is for organizers and staff. A coordinator of a
  qualifying chapter who wants to organize asks their chapter to endorse them by a vote.
- Coordination calls can only be organization-wide or regional (there are no chapter calls), so
  starting one is for organizers and staff only.
- A chapter started from the plan has no coordinator at first: the organizer who carries it
  runs it until members take it on. So the chapter's organizer may do for that chapter what a
  coordinator does (schedule meetings, record attendance, answer join requests, invite, offer
  the coordinator role to a member), and nothing for any other chapter; being an organizer
  alone gives no power over chapters. Whoever clicks "Start it" gains no role by it.
- The shared library is read by everyone and its files are opened by staff, so adding to it is
  an appointment (resource editor), not something any coordinator can do.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Role(enum.StrEnum):
    MEMBER = "member"
    COORDINATOR = "coordinator"  # of the chapter the question is about
    ORGANIZER = "organizer"
    CHAPTER_ORGANIZER = "chapter_organizer"  # carries the chapter the question is about
    RESOURCE_EDITOR = "resource_editor"
    STAFF = "staff"


class Capability(enum.StrEnum):
    CHAPTER_START = "chapter_start"  # start a forming chapter near home
    CHAPTER_COORDINATE = "chapter_coordinate"  # join requests, vision, meetings, attendance
    CHAPTER_INVITE = "chapter_invite"  # invite nearby unaffiliated members (limited per day)
    CHAPTER_POLL_CREATE = "chapter_poll_create"  # a poll for one chapter
    ORGANIZATION_POLL_CREATE = "organization_poll_create"  # organization and region polls
    PLANNER_VIEW = "planner_view"  # the growth planner and its map
    PLANNER_RUN = "planner_run"  # compute a new plan
    PLANNER_START = "planner_start"  # "Start it": found a candidate chapter, invite its group
    CALL_CREATE = "call_create"  # an organization-wide or regional coordination call
    CALL_SIGN_UP = "call_sign_up"  # ask to take part in a call
    RESOURCE_ADD = "resource_add"  # add to the shared resource library


MEMBER, COORDINATOR, ORGANIZER, STAFF = Role.MEMBER, Role.COORDINATOR, Role.ORGANIZER, Role.STAFF
CARRIER = Role.CHAPTER_ORGANIZER
EDITOR = Role.RESOURCE_EDITOR

# The table. Read a row as "CAPABILITY: any of these roles".
CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.CHAPTER_START: frozenset({MEMBER}),
    Capability.CHAPTER_COORDINATE: frozenset({COORDINATOR, CARRIER, STAFF}),
    Capability.CHAPTER_INVITE: frozenset({COORDINATOR, CARRIER, STAFF}),
    Capability.CHAPTER_POLL_CREATE: frozenset({COORDINATOR, STAFF}),
    Capability.ORGANIZATION_POLL_CREATE: frozenset({STAFF}),
    Capability.PLANNER_VIEW: frozenset({ORGANIZER, STAFF}),
    Capability.PLANNER_RUN: frozenset({ORGANIZER, STAFF}),
    Capability.PLANNER_START: frozenset({ORGANIZER, STAFF}),
    Capability.CALL_CREATE: frozenset({ORGANIZER, STAFF}),
    Capability.CALL_SIGN_UP: frozenset({MEMBER}),
    Capability.RESOURCE_ADD: frozenset({EDITOR, STAFF}),
}

# Capabilities about one chapter: COORDINATOR and CHAPTER_ORGANIZER count only for that
# chapter.
CHAPTER_CAPABILITIES = frozenset({Capability.CHAPTER_COORDINATE, Capability.CHAPTER_INVITE,
                                  Capability.CHAPTER_POLL_CREATE})


def allowed(capability: Capability, held: Iterable[Role]) -> bool:
    """Whether any of the roles held grants the capability."""
    return not CAPABILITIES[capability].isdisjoint(held)


def roles_for(capability: Capability) -> frozenset[Role]:
    return CAPABILITIES[capability]
