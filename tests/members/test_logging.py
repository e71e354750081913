"""What the account paths log: enough for an operator (member ids, counts), never personal data
(no email address, no name) — not even at DEBUG."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from chapterhouse.context import context_for
from chapterhouse.members.models import Member
from chapterhouse.privacy.services import member_erase
from tests.conftest import make_member
from tests.members.test_import_members import GOOD, run, write
from tests.members.test_signup import sign_up

pytestmark = pytest.mark.django_db


def test_an_erasure_logs_the_member_id_and_no_address_or_name(caplog, alice):
    with caplog.at_level(logging.DEBUG):
        member_erase(context_for(alice), member=alice)
    assert f"member {alice.pk} erased" in caplog.text
    assert "alice@example.org" not in caplog.text
    assert "Alice" not in caplog.text


def test_an_import_logs_counts_and_no_address_or_name(caplog, tmp_path, springfield, vienna):
    with caplog.at_level(logging.DEBUG):
        status, _out, _err = run(write(tmp_path, GOOD), "--commit")
    assert status == 0
    assert "member import: 3 member(s) created, 2 chapter membership(s)" in caplog.text
    for private in ("ana@example.org", "ben@example.org", "cleo@example.org", "Ana Lima",
                    "Ben Ode"):
        assert private not in caplog.text


def test_a_lockout_logs_the_member_id_and_no_address(caplog, client, organization):
    ana = make_member("ana@example.org", "Ana")
    with caplog.at_level(logging.DEBUG):
        for _attempt in range(6):
            client.post(reverse("login"), {"username": "ana@example.org",
                                           "password": "wrong password"})
    assert f"locked out after repeated failures, for member {ana.pk}" in caplog.text
    assert "ana@example.org" not in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_a_sign_up_logs_the_new_id_and_no_address(caplog, client, organization,
                                                  django_capture_on_commit_callbacks):
    with caplog.at_level(logging.DEBUG):
        sign_up(client, django_capture_on_commit_callbacks)
    ana = Member.objects.get(email="ana@example.org")
    assert f"member {ana.pk} signed up" in caplog.text
    assert "ana@example.org" not in caplog.text
