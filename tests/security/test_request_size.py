"""An anonymous 100 MB POST is refused (413) before any of it is read or written to disk;
members may send an upload's worth."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
HUNDRED_MB = 100 * 1024 * 1024


@pytest.fixture
def parsed(monkeypatch):
    """Every uploaded file Django starts to receive (in memory or in a temporary file)."""
    calls = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.new_file

        def spy(self, *args, original=original, **kwargs):
            calls.append(type(self).__name__)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(handler, "new_file", spy)
    return calls


@pytest.fixture
def csrf_client(settings):
    """A client whose CSRF check reads the posted form, as a browser's would be."""
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    return client


def test_an_anonymous_post_declaring_100_mb_is_refused_unread(client, organization):
    response = client.generic("POST", reverse("login"), b"username=a",
                              content_type="application/x-www-form-urlencoded",
                              CONTENT_LENGTH=str(HUNDRED_MB))
    assert response.status_code == 413
    assert "too large" in response.text


def test_an_anonymous_upload_above_the_cap_writes_nothing_to_disk(
        csrf_client, organization, settings, tmp_path, parsed):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # without the cap, this would go to disk
    big = SimpleUploadedFile("big.bin", b"x" * (settings.REQUEST_MAX_BYTES_ANONYMOUS + 1))
    response = csrf_client.post(reverse("member_signup"), {"email": "a@example.org",
                                                           "file": big})
    assert response.status_code == 413
    assert parsed == []
    assert list(tmp_path.iterdir()) == []


def test_anonymous_forms_of_ordinary_size_still_pass(csrf_client, organization, parsed):
    response = csrf_client.post(reverse("login"), {"username": "a@example.org",
                                                   "password": "x" * 100})
    assert response.status_code == 403  # reached the CSRF check (the fake token is wrong)


def test_a_member_may_send_an_upload_but_not_100_mb(client, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    alice.is_resource_editor = True  # adding to the library is a resource editor's (roles)
    alice.save(update_fields=["is_resource_editor"])
    client.force_login(alice)
    assert settings.REQUEST_MAX_BYTES_MEMBER > settings.RESOURCE_UPLOAD_MAX_BYTES
    too_big = client.generic("POST", reverse("resource_add"), b"x",
                             content_type="multipart/form-data; boundary=b",
                             CONTENT_LENGTH=str(HUNDRED_MB))
    assert too_big.status_code == 413
    upload = SimpleUploadedFile("notes.txt", b"a" * (200 * 1024), content_type="text/plain")
    response = client.post(reverse("resource_add"), {
        "title": "Notes", "kind": "guide", "language": "en", "file": upload})
    assert response.status_code == 302


def test_a_malformed_length_is_refused(client, organization):
    response = client.generic("POST", reverse("login"), b"", CONTENT_LENGTH="-5")
    assert response.status_code == 400


def test_a_body_without_a_length_is_never_read(csrf_client, organization, parsed):
    body = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\n"
            + b"x" * (1024 * 1024) + b"\r\n--b--\r\n")
    response = csrf_client.generic("POST", reverse("member_signup"), body,
                                   content_type="multipart/form-data; boundary=b",
                                   CONTENT_LENGTH="")
    assert response.status_code == 403  # the CSRF check found an empty form
    assert parsed == []
