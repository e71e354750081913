"""A strict Content-Security-Policy on every page, and HTTPS settings from the environment."""

import runpy
from pathlib import Path

import pytest
from django.urls import reverse

import chapterhouse.settings
from chapterhouse.settings import tile_origin

pytestmark = pytest.mark.django_db
POLICY = {"default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'",
          "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"}


def directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize("url", ["/", "/resources/", "/login/", "/members/join/",
                                 "/members/password-reset/"])
def test_every_page_forbids_inline_script_and_style_and_framing(client, organization, url):
    response = client.get(url)
    assert response.status_code == 200
    assert directives(response) == POLICY


def test_a_members_pages_carry_it_too(client, alice):
    client.force_login(alice)
    response = client.get(reverse("member_profile"))
    assert directives(response) == POLICY


@pytest.mark.parametrize(("url", "source"), [
    ("https://tiles.example.org/{z}/{x}/{y}.png", "https://tiles.example.org"),
    ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
    ("", ""),
])
def test_the_map_tile_server_is_the_only_other_image_source(url, source):
    assert tile_origin(url) == source


def settings_with(monkeypatch, tmp_path: Path, **environ: str) -> dict:
    """The settings module as it reads this environment (run afresh, not imported)."""
    monkeypatch.setenv("CHAPTERHOUSE_VAR_DIR", str(tmp_path))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(chapterhouse.settings.__file__)


def test_development_defaults_keep_plain_http(monkeypatch, tmp_path):
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_PROXY_SSL_HEADER",
                 "SECURE_COOKIES", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    values = settings_with(monkeypatch, tmp_path)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SESSION_COOKIE_SECURE"] is False


def test_https_hsts_proxy_header_and_cookies_come_from_the_environment(monkeypatch, tmp_path):
    values = settings_with(
        monkeypatch, tmp_path, SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1", SECURE_COOKIES="1",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_HSTS_PRELOAD"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    img_src = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"]
    assert img_src == ["'self'", "https://tiles.example.org"]


def test_a_malformed_proxy_header_stops_the_start(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match="SECURE_PROXY_SSL_HEADER"):
        settings_with(monkeypatch, tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")


def test_behind_a_proxy_https_requests_get_hsts_and_http_ones_are_redirected(client, settings,
                                                                            organization):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/resources/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    secure = client.get("/resources/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000"
