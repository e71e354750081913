"""The one question views and services ask: may this user do that (to this chapter)?

The table is `chapterhouse.domain.roles.CAPABILITIES`; this module only finds which of the
roles a capability needs the user holds, checking the cheap ones first and querying at most
once per role.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chapterhouse.domain.roles import CHAPTER_CAPABILITIES, Capability, Role, roles_for

if TYPE_CHECKING:
    from chapterhouse.chapters.models import Chapter

# Cheapest first: attributes, then one query each.
_ORDER = (Role.STAFF, Role.MEMBER, Role.RESOURCE_EDITOR, Role.ORGANIZER, Role.COORDINATOR)


def holds(user: Any, role: Role, chapter: Chapter | None = None) -> bool:
    """Whether an active, logged-in user holds `role` (COORDINATOR: of `chapter`)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if role == Role.MEMBER:
        return True
    if role == Role.STAFF:
        return bool(user.is_staff)
    if role == Role.RESOURCE_EDITOR:
        return bool(user.is_resource_editor)
    if role == Role.ORGANIZER:
        # Through the reverse relation, not an import: organizing sits above members. (This
        # module is the old way; chapterhouse.context.actor_for replaces it.)
        organizer = user._meta.get_field("organizer").related_model
        return bool(organizer.objects.filter(member=user, active=True).exists())
    if role == Role.COORDINATOR:
        return chapter is not None and chapter.coordinators.filter(pk=user.pk).exists()
    raise ValueError(role)


def may(user: Any, capability: Capability, chapter: Chapter | None = None) -> bool:
    """Whether the user may use `capability`; chapter capabilities need the chapter."""
    if capability in CHAPTER_CAPABILITIES and chapter is None:
        raise ValueError(f"{capability} is about one chapter: pass chapter=")
    needed = roles_for(capability)
    return any(holds(user, role, chapter) for role in _ORDER if role in needed)


def roles_held(user: Any, chapter: Chapter | None = None) -> frozenset[Role]:
    """Every role the user holds (COORDINATOR: of `chapter`); for tests and the admin."""
    return frozenset(role for role in _ORDER if holds(user, role, chapter))
