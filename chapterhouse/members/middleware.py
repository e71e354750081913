"""Staff must pass a second factor before the site treats them as logged in.

A staff member (or superuser) whose session has a password but no verified one-time code is
sent to /login/verify/ (or to /login/enrol/ to set up an authenticator first) from every page
but those two, logging out and choosing a language. One gate here, rather than each staff
check asking `is_verified()`: staff powers are checked in many places (the admin, the planner,
polls, calls, attendance, and the role table), and a page added later cannot forget the gate.
The admin site checks verification too (django_otp's OTPAdminSite, in chapterhouse/urls.py).

Needs django_otp.middleware.OTPMiddleware before it (it adds `user.is_verified()`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import user_has_device

OPEN_TO_UNVERIFIED_STAFF = ("staff_verify", "staff_enrol", "logout", "set_language")


def needs_second_factor(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser)
                and not user.is_verified())


class StaffSecondFactor:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request.user) and not self._open(request.path_info):
            view = "staff_verify" if user_has_device(request.user) else "staff_enrol"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(view)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return True
        return any(path == reverse(name) for name in OPEN_TO_UNVERIFIED_STAFF)
