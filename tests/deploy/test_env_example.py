"""deploy/env.example lists what a production install sets, and Django's deployment check
passes with it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "env.example"
REQUIRED = {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "SITE_URL",
            "DEFAULT_FROM_EMAIL", "EMAIL_BACKEND", "SECURE_SSL_REDIRECT",
            "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
            "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
            "SECURE_COOKIES", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "MEDIA_ROOT",
            "CHAPTERHOUSE_VAR_DIR", "MAP_TILE_URL"}


def variables() -> dict[str, str]:
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name] = value
    return pairs


def test_every_production_variable_is_listed_with_a_comment():
    lines = ENV_EXAMPLE.read_text().splitlines()
    assert set(variables()) >= REQUIRED
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"{line} has no comment above it"


@pytest.mark.parametrize("commented", ["REDIS_URL", "EMAIL_HOST"])
def test_variables_other_parts_may_wire_are_shown_commented(commented):
    assert f"# {commented}=" in ENV_EXAMPLE.read_text()


def test_the_deployment_check_passes_with_the_example_environment(tmp_path):
    # Only what a server would have: no test-run variables (DEBUG, DJANGO_ALLOW_ASYNC_UNSAFE).
    environ = {"PATH": os.environ["PATH"], **variables()}
    # The example's paths are the server's; this test writes under its own temporary directory.
    environ |= {"CHAPTERHOUSE_VAR_DIR": str(tmp_path), "MEDIA_ROOT": str(tmp_path / "media")}
    result = subprocess.run(
        [sys.executable, "-m", "chapterhouse.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environ, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
