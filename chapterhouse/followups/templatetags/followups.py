from __future__ import annotations

from typing import Any

from django import template

from chapterhouse.followups.permissions import may_follow_up

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_up(context: dict[str, Any], chapter: Any) -> bool:
    """Whether the viewer follows this chapter's people up (its coordinators, its organizer)."""
    request = context.get("request")
    ctx = getattr(request, "ctx", None)
    return ctx is not None and may_follow_up(ctx.actor, chapter)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """`mapping[key]` (the words for a rung or a need); "" when absent."""
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""
