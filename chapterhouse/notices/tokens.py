"""The signed one-click unsubscribe token: a member and a category (or "all"), signed with the
site's secret key, so nobody can make one for another member or change the category."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from chapterhouse.notices.kinds import CHOOSABLE

SALT = "chapterhouse.notices.unsubscribe"
ALL = "all"


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    member_id: int
    category: str  # a choosable category's value, or ALL


def unsubscribe_token(member_id: int, category: str) -> str:
    """The same token for the same member and category whenever it is made (no timestamp: an
    unsubscribe link must work however old the email, and the List-Unsubscribe header made as
    the email leaves equals the link written when it was queued)."""
    return signing.Signer(salt=SALT).sign_object([member_id, category])


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """The token's member and category, or None when it was not made here or was changed."""
    try:
        value = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if (not isinstance(value, list) or len(value) != 2 or not isinstance(value[0], int)
            or value[1] not in {*(c.value for c in CHOOSABLE), ALL}):
        return None
    return Unsubscribe(value[0], value[1])
