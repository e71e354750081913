"""Who acts, for which organization, at what time: the one context every service and selector
takes (issue 11).

A web request builds it once (`chapterhouse.context.RequestContext` middleware puts it on
`request.ctx`); a command, a task or a test builds it with `chapterhouse.context.context_for`.
Services and selectors receive it explicitly, so none of them reaches for ambient state: the
organization, its clock (organizations/clock.py) and the acting member with the roles they hold
("Trust I", docs/roles.md) travel together.

The roles are looked up lazily and at most once per context: the builder passes the two
queries (organizer? which chapters coordinated?) as functions, so a page that never asks costs
nothing and a page that asks ten times costs two queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from chapterhouse.domain.roles import CHAPTER_CAPABILITIES, Capability, Role, roles_for
from chapterhouse.organizations.clock import Clock

if TYPE_CHECKING:
    from chapterhouse.organizations.models import Organization

# Cheapest first: attributes, then one lazy query each.
_ORDER = (Role.STAFF, Role.MEMBER, Role.RESOURCE_EDITOR, Role.ORGANIZER, Role.COORDINATOR,
          Role.CHAPTER_ORGANIZER)


def _never() -> bool:
    return False


def _none() -> frozenset[int]:
    return frozenset()


@dataclass(eq=False)
class Actor:
    """The member acting (or an anonymous visitor) and the roles they hold.

    `user` is the Member (or Django's AnonymousUser); typed loosely because the members app sits
    above this module."""

    user: Any = None
    load_is_organizer: Callable[[], bool] = field(default=_never, repr=False)
    load_coordinated: Callable[[], frozenset[int]] = field(default=_none, repr=False)
    load_carried: Callable[[], frozenset[int]] = field(default=_none, repr=False)

    @property
    def is_member(self) -> bool:
        """An active, logged-in account."""
        user = self.user
        return bool(user is not None and user.is_authenticated and user.is_active)

    @property
    def member(self) -> Any:
        """The acting Member, or None for a visitor."""
        return self.user if self.is_member else None

    @property
    def is_staff(self) -> bool:
        return self.is_member and bool(self.user.is_staff)

    @cached_property
    def is_organizer(self) -> bool:
        return self.is_member and self.load_is_organizer()

    @cached_property
    def coordinated_chapter_ids(self) -> frozenset[int]:
        return self.load_coordinated() if self.is_member else frozenset()

    def coordinates(self, chapter: Any) -> bool:
        return chapter is not None and chapter.pk in self.coordinated_chapter_ids

    @cached_property
    def carried_chapter_ids(self) -> frozenset[int]:
        """The chapters this member carries as their active organizer (Chapter.organizer)."""
        return self.load_carried() if self.is_member else frozenset()

    def carries(self, chapter: Any) -> bool:
        return chapter is not None and chapter.pk in self.carried_chapter_ids

    def runs(self, chapter: Any) -> bool:
        """Coordinates the chapter, or carries it as its organizer (a forming chapter started
        from the plan is run by its organizer until it has coordinators)."""
        return self.coordinates(chapter) or self.carries(chapter)

    def holds(self, role: Role, chapter: Any = None) -> bool:
        """Whether the actor holds `role` (COORDINATOR: of `chapter`)."""
        if not self.is_member:
            return False
        if role == Role.MEMBER:
            return True
        if role == Role.STAFF:
            return self.is_staff
        if role == Role.RESOURCE_EDITOR:
            return bool(self.user.is_resource_editor)
        if role == Role.ORGANIZER:
            return self.is_organizer
        if role == Role.COORDINATOR:
            return self.coordinates(chapter)
        if role == Role.CHAPTER_ORGANIZER:
            return self.carries(chapter)
        raise ValueError(role)

    def may(self, capability: Capability, chapter: Any = None) -> bool:
        """Whether the actor may use `capability`; chapter capabilities need the chapter."""
        if capability in CHAPTER_CAPABILITIES and chapter is None:
            raise ValueError(f"{capability} is about one chapter: pass chapter=")
        needed = roles_for(capability)
        return any(self.holds(role, chapter) for role in _ORDER if role in needed)

    def roles(self, chapter: Any = None) -> frozenset[Role]:
        """Every role held (COORDINATOR: of `chapter`); for tests and the admin."""
        return frozenset(role for role in _ORDER if self.holds(role, chapter))


@dataclass(frozen=True, eq=False)
class Context:
    """The organization served, its clock, and who acts."""

    organization: Organization
    actor: Actor

    @property
    def clock(self) -> Clock:
        return self.organization.clock

    def now(self) -> datetime.datetime:
        return self.clock.now()

    def today(self) -> datetime.date:
        return self.clock.today()
