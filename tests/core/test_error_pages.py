"""The site's own 404, 403 and 500 pages, in the reader's language: a private page refused to an
outsider answers with the branded page, never Django's bare English "Not Found"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_unknown_address_answers_with_the_sites_404_page(client, organization):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1 id=\"error-title\">Page not found</h1>" in page
    assert "chapterhouse/site.css" in page
    assert "favicon.svg" in page
    assert organization.name in page  # the site's header, not a bare page
    assert 'href="/login/?next=/no-such-page/"' in page  # a visitor is offered to log in


def test_a_private_page_refused_to_an_outsider_is_the_branded_404_in_german(client, springfield,
                                                                            alice, charlie):
    """Charlie coordinates nothing in Springfield: its join requests do not exist for him."""
    client_for(client, charlie)
    response = client.get(f"/chapters/{springfield.slug}/requests/",
                          HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="de"' in page
    assert "Seite nicht gefunden" in page  # "Page not found" in German
    assert "Not Found" not in page
    assert "Log in" not in page
    assert "Anmelden" not in page


def test_the_403_page_is_the_sites_own(rf, organization):
    request = rf.get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page = response.content.decode()
    assert "Not allowed" in page
    assert "chapterhouse/site.css" in page


def test_the_500_page_renders_without_a_request_in_the_readers_language():
    """Django renders 500.html with no context at all (the error may be in what builds it)."""
    page = loader.get_template("500.html").render()
    assert "Something went wrong" in page
    assert "chapterhouse/site.css" in page
    with translation.override("de"):
        response = defaults.server_error(RequestFactory().get("/"))
        page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="de"' in page
    assert "Server Error" not in page
    with translation.override("ar"):
        assert 'dir="rtl"' in loader.get_template("500.html").render()


def test_an_error_inside_a_view_answers_with_the_500_page(client, settings, organization):
    """Through the whole stack: the handler renders 500.html (the test client re-raises by
    default; here it answers as a server would)."""
    client.raise_request_exception = False
    settings.ROOT_URLCONF = "tests.core.failing_urls"
    response = client.get("/fails/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 500
    page = response.content.decode()
    assert '<html lang="de"' in page
    assert "chapterhouse/site.css" in page
