"""Request bodies larger than the sender may send are refused before anything reads them.

Anonymous visitors only log in, sign up or ask for a password reset: a few kilobytes. Members
may upload a resource, so their cap is the upload cap plus room for the form's other fields.
Django reads no more of a body than its Content-Length says (a body without one is read as
empty), so the declared length is what decides; DATA_UPLOAD_MAX_MEMORY_SIZE and
DATA_UPLOAD_MAX_NUMBER_FIELDS bound what a parser keeps of what it reads.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class RequestSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = _content_length(request.META.get("CONTENT_LENGTH"))
        if declared is None:
            return _refuse(_("The request has an invalid length."), status=400)
        cap = (settings.REQUEST_MAX_BYTES_MEMBER if request.user.is_authenticated
               else settings.REQUEST_MAX_BYTES_ANONYMOUS)
        if declared > cap:
            return _refuse(_("This request is too large (the limit is %(size)s).")
                           % {"size": filesizeformat(cap)})
        return self.get_response(request)


def _content_length(value: str | None) -> int | None:
    """The declared length: 0 when absent, None when it is not a whole number."""
    if not value:
        return 0
    try:
        length = int(value)
    except ValueError:
        return None
    return length if length >= 0 else None


def _refuse(message: str, status: int = 413) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
