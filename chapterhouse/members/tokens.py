"""The signed link that confirms a member's email.

A timestamped signature over the member's id and email (django.core.signing): nothing is stored,
the link expires after CONFIRM_DAYS, and it stops working if the email changes.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

if TYPE_CHECKING:
    from chapterhouse.members.models import Member

CONFIRM_DAYS = 7
_SALT = "chapterhouse.members.confirm-email"


def confirmation_token(member: Member) -> str:
    return signing.dumps({"id": member.pk, "email": member.email}, salt=_SALT, compress=True)


def confirmation_read(token: str) -> tuple[int, str]:
    """The member id and email the token was made for; signing.BadSignature (or its subclass
    SignatureExpired) when it was tampered with or is too old."""
    data = signing.loads(token, salt=_SALT, max_age=CONFIRM_DAYS * 24 * 3600)
    return int(data["id"]), str(data["email"])


INVITATION_DAYS = 14


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """The link inviting an imported member to choose a password: Django's password reset
    token (used once: it depends on the password, which choosing one changes), under its own
    salt and valid INVITATION_DAYS rather than PASSWORD_RESET_TIMEOUT (a member list's
    invitations go out over days)."""

    key_salt = "chapterhouse.members.tokens.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret),
                                         token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= datetime.timedelta(days=INVITATION_DAYS).total_seconds()


invitation_token_generator = InvitationTokenGenerator()
