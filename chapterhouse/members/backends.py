from django.contrib.auth.backends import ModelBackend

from chapterhouse.members.emails import normalize_email


class EmailBackend(ModelBackend):
    """Log in with the email however it is typed (case, Unicode form).

    An account whose email is not confirmed yet cannot log in; the login form tells its owner
    (and only someone who typed the right password) why.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get("email")
        if email is None:
            return None
        return super().authenticate(request, username=normalize_email(email), password=password)

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "email_confirmed", True)


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The key django-axes counts failed logins under: the normalised email, whichever form
    (ours sends `email`, Django's stock login form `username`) and however it was typed.
    Used as settings.AXES_USERNAME_CALLABLE."""
    source = credentials or getattr(request, "POST", None) or {}
    email = source.get("email") or source.get("username")
    return normalize_email(email) if email else None
