"""The unread count beside "Messages" in every page's menu, counted only when a page shows it
(a lazy value: a page that never renders the menu, or a visitor who is not a member, costs
no query)."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from chapterhouse.context import context_of
from chapterhouse.inbox.selectors import unread_total


def unread_messages(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_messages": 0}
    return {"unread_messages": SimpleLazyObject(lambda: unread_total(context_of(request)))}
