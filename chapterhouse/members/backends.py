from django.contrib.auth.backends import ModelBackend

from chapterhouse.members.emails import normalize_email


class EmailBackend(ModelBackend):
    """Log in with the email however it is typed (case, Unicode form)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get("email")
        if email is None:
            return None
        return super().authenticate(request, username=normalize_email(email), password=password)
