"""Builds the context (organizations/context.py) for a request, a command, a task or a test.

At the top of the layers: it reads the roles from the apps that hold them (chapters'
coordinators, organizing's organizers), so that no service below needs to import them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from chapterhouse.chapters.models import Chapter
from chapterhouse.organizations.context import Actor, Context
from chapterhouse.organizations.models import Organization, read_once
from chapterhouse.organizing.models import Organizer


def actor_for(user: Any) -> Actor:
    """The actor for a Member, an AnonymousUser or None (a command acting as the system)."""

    def is_organizer() -> bool:
        return Organizer.objects.filter(member=user, active=True).exists()

    def coordinated() -> frozenset[int]:
        return frozenset(Chapter.objects.filter(coordinators=user).values_list("pk", flat=True))

    def carried() -> frozenset[int]:
        return frozenset(Chapter.objects.filter(organizer__member=user, organizer__active=True)
                         .values_list("pk", flat=True))

    return Actor(user=user, load_is_organizer=is_organizer, load_coordinated=coordinated,
                 load_carried=carried)


def context_for(user: Any = None, organization: Organization | None = None) -> Context:
    """A context outside a web request: commands, tasks, tests."""
    return Context(organization=organization or Organization.objects.current(),
                   actor=actor_for(user))


def context_of(request: HttpRequest) -> Context:
    """The request's context (built once by the middleware; built here for a request that
    skipped it, such as a test's RequestFactory request)."""
    ctx = getattr(request, "ctx", None)
    if ctx is None:
        ctx = context_for(_user_of(request))
        request.ctx = ctx  # type: ignore[attr-defined]
    return ctx


def _user_of(request: HttpRequest) -> Any:
    """The request's user; a visitor when authentication has not run. Never None, which means
    the system (commands and tasks) and may erase or import."""
    user = getattr(request, "user", None)
    return AnonymousUser() if user is None else user


class RequestContext:
    """Puts the context on `request.ctx`, built on first use (a page that never asks, such as
    the city search, reads nothing), with the organization read once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with read_once():
            request.ctx = SimpleLazyObject(  # type: ignore[attr-defined]
                lambda: context_for(_user_of(request)))
            return self.get_response(request)
