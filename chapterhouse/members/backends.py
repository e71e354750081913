from django.contrib.auth.backends import ModelBackend

from chapterhouse.members.emails import normalize_email
from chapterhouse.members.models import Member


class EmailBackend(ModelBackend):
    """Log in with the email however it is typed (case, Unicode form, IDNA).

    Every attempt runs the password hasher exactly once, for a confirmed, unconfirmed, inactive
    or unknown account alike (for an unknown one it hashes the typed password, as Django's
    ModelBackend does), so failures take the same time whatever the account's state.

    An account whose email is not confirmed yet cannot log in. The login form passes
    `allow_unconfirmed=True` to get such an account back when the password is right, so that
    it can tell its owner (and only them) why, without checking the password a second time.
    """

    def authenticate(self, request, username=None, password=None, allow_unconfirmed=False,
                     **kwargs):
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

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "email_confirmed", True)


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The key django-axes counts failed logins under: the normalised email, whichever form
    (ours sends `email`, Django's stock login form `username`) and however it was typed.
    Used as settings.AXES_USERNAME_CALLABLE."""
    source = credentials or getattr(request, "POST", None) or {}
    email = source.get("email") or source.get("username")
    return normalize_email(email) if email else None
