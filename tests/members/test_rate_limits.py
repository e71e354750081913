"""Sign-ups and logins limited per email and per network, in the shared cache (issue 9)."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from chapterhouse.members import ratelimit
from chapterhouse.members.models import Member
from tests.conftest import PASSWORD, make_member
from tests.members.test_signup import form

pytestmark = pytest.mark.django_db


def sign_up(client, email, address="203.0.113.7"):
    return client.post(reverse("member_signup"), form(email=email), REMOTE_ADDR=address)


def log_in(client, email, password="wrong password", address="203.0.113.7"):
    return client.post(reverse("login"), {"username": email, "password": password},
                       REMOTE_ADDR=address)


def test_the_cache_is_shared_in_a_database_table_the_migrations_made():
    assert isinstance(caches["default"], DatabaseCache)
    assert "chapterhouse_cache" in connection.introspection.table_names()


def test_sign_ups_from_one_network_across_many_emails_are_limited(client, organization,
                                                                  settings):
    settings.RATE_LIMITS = {"signup-network": 3}
    for n, host in enumerate((7, 8, 200)):  # three addresses in one /24
        assert sign_up(client, f"n{n}@example.org", f"203.0.113.{host}").status_code == 302
    response = sign_up(client, "n9@example.org", "203.0.113.99")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.text
    assert not Member.objects.filter(email="n9@example.org").exists()
    assert sign_up(client, "n9@example.org", "198.51.100.1").status_code == 302


def test_ipv6_sign_ups_are_counted_per_64(client, organization, settings):
    settings.RATE_LIMITS = {"signup-network": 2}
    sign_up(client, "a@example.org", "2001:db8:1:2::1")
    sign_up(client, "b@example.org", "2001:db8:1:2:ffff::9")
    assert sign_up(client, "c@example.org", "2001:db8:1:2::abcd").status_code == 429
    assert sign_up(client, "c@example.org", "2001:db8:1:3::1").status_code == 302


def test_repeated_sign_ups_for_one_email_are_limited_the_same_whether_it_is_taken_or_not(
        client, organization):
    make_member("taken@example.org", "Taken")
    for email in ("taken@example.org", "free@example.org"):
        statuses = [sign_up(client, email, f"198.51.{n}.1").status_code for n in range(4)]
        assert statuses == [302, 302, 302, 429]


def test_failed_logins_across_many_emails_from_one_network_are_limited(client, organization,
                                                                      settings):
    settings.RATE_LIMITS = {"login-network": 5}
    ana = make_member("ana@example.org", "Ana")
    for n in range(5):
        assert log_in(client, f"user{n}@example.org", address=f"203.0.113.{n}").status_code == 200
    response = log_in(client, ana.email, PASSWORD, address="203.0.113.50")
    assert response.status_code == 429
    assert "Too many failed logins from your network" in response.text
    assert "_auth_user_id" not in client.session
    assert log_in(client, ana.email, PASSWORD, address="198.51.100.1").status_code == 302


def test_the_limit_checks_no_password_once_reached(client, organization, settings,
                                                   password_hashing):
    settings.RATE_LIMITS = {"login-network": 1}
    log_in(client, "someone@example.org")
    password_hashing.reset()
    assert log_in(client, "other@example.org").status_code == 429
    assert password_hashing.reset() == 0


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert ratelimit.client_address(request) == "10.0.0.2"  # no proxy trusted: header ignored
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_address(request) == "203.0.113.9"  # not the forged 6.6.6.6
    assert ratelimit.client_network(request) == "203.0.113.0/24"
    settings.TRUSTED_PROXY_COUNT = 2
    assert ratelimit.client_address(request) == "6.6.6.6"
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="x, y")
    assert ratelimit.client_address(garbage) is None  # stored as no address, never as text
    assert ratelimit.client_network(garbage) == "unknown"


def test_twenty_attempts_at_once_cannot_all_take_the_last_slot(settings):
    limit = ratelimit.Limit("test-race", 3, 60)
    results = [limit.hit("x") for _n in range(20)]
    assert results.count(True) == 3
    assert limit.reached("x")
