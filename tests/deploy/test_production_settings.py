"""Production settings from the environment (issue 10): mail, SITE_URL, ADMINS, logs."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import path

BASE_ENV = {"PATH": os.environ["PATH"]}


def settings_in(environ: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Print settings `names` as a server with only `environ` would load them."""
    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'chapterhouse.settings'; "
            "from django.conf import settings; "
            f"print(*[repr(getattr(settings, name)) for name in {list(names)!r}], sep='\\n')")
    return subprocess.run([sys.executable, "-c", code], env=BASE_ENV | environ,  # noqa: S603
                          capture_output=True, text=True, timeout=120, check=False)


def test_without_debug_a_missing_site_url_stops_the_site_with_a_clear_message():
    # What gunicorn does first: import the WSGI application.
    result = subprocess.run([sys.executable, "-c", "import chapterhouse.wsgi"],
                            env=BASE_ENV, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SITE_URL is not set" in result.stderr


def test_offline_commands_do_not_need_site_url():
    assert settings_in({}, "SITE_URL").stdout.split() == ["''"]


def test_without_debug_mail_goes_by_smtp_and_with_debug_to_the_console():
    production = settings_in({"SITE_URL": "https://chapters.example.org"}, "EMAIL_BACKEND")
    development = settings_in({"DEBUG": "1"}, "EMAIL_BACKEND", "SITE_URL")
    assert production.stdout.split() == ["'django.core.mail.backends.smtp.EmailBackend'"]
    assert development.stdout.split() == ["'django.core.mail.backends.console.EmailBackend'",
                                          "'http://127.0.0.1:8000'"]


def test_email_url_and_admins_come_from_the_environment():
    result = settings_in({
        "SITE_URL": "https://chapters.example.org",
        "EMAIL_URL": "submission://mailer%40example.org:s3cret@smtp.example.org:587",
        "ADMINS": "Ops <ops@example.org>, jo@example.org",
        "DEFAULT_FROM_EMAIL": "Chapters <chapters@example.org>",
    }, "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS",
        "ADMINS", "SERVER_EMAIL")
    assert result.stdout.splitlines() == [
        "'smtp.example.org'", "587", "'mailer@example.org'", "'s3cret'", "True",
        "[('Ops', 'ops@example.org'), ('', 'jo@example.org')]",
        "'Chapters <chapters@example.org>'"]


def broken_view(request):
    raise ZeroDivisionError("the page broke")


urlpatterns = [path("broken/", broken_view)]


@pytest.fixture
def log_lines():
    """What the stderr handler writes, captured."""
    handler = next(h for h in logging.getLogger("django").handlers
                   if type(h) is logging.StreamHandler)
    captured = io.StringIO()
    previous = handler.setStream(captured)
    yield captured
    handler.setStream(previous)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, ADMINS=[("Ops", "ops@example.org")])
def test_a_500_is_logged_with_its_request_id_and_traceback_and_mailed_to_admins(
        client, log_lines):
    client.raise_request_exception = False
    response = client.get("/broken/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")

    assert response.status_code == 500
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    logged = log_lines.getvalue()
    assert "ERROR [0123456789abcdef0123456789abcdef] django.request: " in logged
    assert "ZeroDivisionError: the page broke" in logged  # the traceback
    [report] = mail.outbox
    assert report.to == ["ops@example.org"]
    assert "ZeroDivisionError" in report.body


@pytest.mark.django_db
def test_every_request_gets_an_id_in_its_response(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
