"""The site's addresses plus one view that fails, for tests/core/test_error_pages.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from chapterhouse.urls import urlpatterns as site


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, on purpose")


urlpatterns = [*site, path("fails/", fails)]
