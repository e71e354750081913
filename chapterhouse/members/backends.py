"""Logging in: the email backend, django-axes' key for failed logins, and its lockout logged
without the email or address (ids only)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from chapterhouse.members.emails import normalize_email
from chapterhouse.members.models import Member

logger = logging.getLogger(__name__)


class EmailBackend(ModelBackend):
    """Log in with the email however it is typed (case, Unicode form, IDNA).

    Every attempt runs the password hasher exactly once, for a confirmed, unconfirmed, inactive
    or unknown account alike (for an unknown one it hashes the typed password, as Django's
    ModelBackend does), so failures take the same time whatever the account's state.

    An account whose email is not confirmed yet cannot log in. The login form passes
    `allow_unconfirmed=True` to get such an account back when the password is right, so that
    it can tell its owner (and only them) why, without checking the password a second time.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, allow_unconfirmed: bool = False,
                     **kwargs: Any) -> Member | None:
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        try:
            member = Member._default_manager.get_by_natural_key(normalize_email(email))
        except Member.DoesNotExist:
            Member().set_password(password)  # the same hashing work as for an account
            return None
        if not member.check_password(password):
            return None
        if not super().user_can_authenticate(member):  # inactive
            return None
        if not (member.email_confirmed or allow_unconfirmed):
            return None
        return member

    def user_can_authenticate(self, user: Any) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "email_confirmed", True)


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The key django-axes counts failed logins under: the normalised email, whichever form
    (ours sends `email`, Django's stock login form `username`) and however it was typed.
    Used as settings.AXES_USERNAME_CALLABLE."""
    source = credentials or getattr(request, "POST", None) or {}
    email = source.get("email") or source.get("username")
    return normalize_email(email) if email else None


def lockout_log(sender: Any, *, username: str | None = None, **kwargs: Any) -> None:
    """django-axes locked an email out after repeated failures (its `user_locked_out` signal,
    connected in apps.py): the operator learns which member, by id, or that the address has
    no account; never the address itself or where the attempts came from."""
    member_id = (Member.objects.filter(email=normalize_email(username))
                 .values_list("pk", flat=True).first() if username else None)
    if member_id is None:
        logger.warning("login locked out after repeated failures, for an address with no "
                       "account")
    else:
        logger.warning("login locked out after repeated failures, for member %s", member_id)
