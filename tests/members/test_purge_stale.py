"""`chapterhouse purge_stale`: accounts never confirmed go after 30 days; answered or expired
invitations and join requests and login records after 90 (all settings). Running it twice
changes nothing more."""

import datetime
import threading

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from chapterhouse.chapters.models import (
    EmailInvitation,
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
)
from chapterhouse.context import context_for
from chapterhouse.members.models import Member
from chapterhouse.privacy.services import stale_purge
from tests.conftest import make_meeting, make_member

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = datetime.date(2014, 2, 1)  # the test organization's "today"


def days_ago(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


def unconfirmed(email: str, age_days: int) -> Member:
    return make_member(email, email.split("@")[0], email_confirmed=False,
                       created_at=days_ago(age_days))


def purge(capsys) -> str:
    call_command("purge_stale")
    return capsys.readouterr().out


def test_unconfirmed_accounts_go_after_30_days(organization, capsys):
    old, young = unconfirmed("old@example.org", 31), unconfirmed("young@example.org", 29)
    confirmed = make_member("fine@example.org", "Fine", created_at=days_ago(400))
    assert "1 unconfirmed account(s) deleted" in purge(capsys)
    assert set(Member.objects.values_list("pk", flat=True)) == {young.pk, confirmed.pk}
    assert not Member.objects.filter(pk=old.pk).exists()


def test_an_unconfirmed_account_with_history_is_erased_not_deleted(organization, springfield):
    old = unconfirmed("old@example.org", 31)
    make_meeting(springfield, datetime.datetime(2013, 12, 1, tzinfo=datetime.UTC), [old])
    purged = stale_purge(context_for(), now=NOW)
    assert purged.accounts_erased == 1
    assert Member.objects.get(pk=old.pk).erased_at is not None
    assert old.attendances.count() == 1


def test_erased_tombstones_are_never_purged(organization, alice):
    from chapterhouse.privacy.services import member_erase

    member_erase(context_for(), member=alice, now=days_ago(100))
    stale_purge(context_for(), now=NOW)
    assert Member.objects.filter(pk=alice.pk).exists()


def test_answered_and_expired_invitations_and_requests_go_after_90_days(
        organization, springfield, vienna, bob, charlie, olivia):
    long_expired = Invitation.objects.create(chapter=springfield, member=olivia,
                                             expires_on=TODAY - datetime.timedelta(days=91))
    open_one = Invitation.objects.create(chapter=vienna, member=olivia, expires_on=TODAY)
    old_email = EmailInvitation.objects.create(
        chapter=springfield, email="a@example.org", token_hash="a", expires_on=TODAY,
        status=InvitationStatus.DECLINED, answered_at=days_ago(91))
    recent_email = EmailInvitation.objects.create(
        chapter=springfield, email="b@example.org", token_hash="b", expires_on=TODAY,
        status=InvitationStatus.ACCEPTED, answered_at=days_ago(89))
    pending_email = EmailInvitation.objects.create(
        chapter=springfield, email="c@example.org", token_hash="c", expires_on=TODAY)
    old_request = JoinRequest.objects.create(chapter=vienna, member=bob,
                                             status=JoinRequestStatus.DECLINED,
                                             answered_at=days_ago(91))
    waiting = JoinRequest.objects.create(chapter=springfield, member=charlie)
    purged = stale_purge(context_for(), now=NOW)
    assert (purged.invitations, purged.join_requests) == (2, 1)
    assert list(Invitation.objects.all()) == [open_one]
    assert set(EmailInvitation.objects.all()) == {recent_email, pending_email}
    assert list(JoinRequest.objects.all()) == [waiting]
    assert not Invitation.objects.filter(pk=long_expired.pk).exists()
    assert not EmailInvitation.objects.filter(pk=old_email.pk).exists()
    assert not JoinRequest.objects.filter(pk=old_request.pk).exists()


def test_login_records_go_after_90_days(organization):
    for age in (91, 89):
        AccessAttempt.objects.create(username=f"x{age}@example.org", ip_address="10.0.0.1",
                                     user_agent="t", path_info="/login/", failures_since_start=1)
        AccessFailureLog.objects.create(username=f"x{age}@example.org", ip_address="10.0.0.1",
                                        user_agent="t", path_info="/login/")
    for model in (AccessAttempt, AccessFailureLog):  # attempt_time is set on creation
        for age in (91, 89):
            model.objects.filter(username=f"x{age}@example.org").update(
                attempt_time=days_ago(age))
    assert stale_purge(context_for(), now=NOW).login_records == 2
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["x89@example.org"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == [
        "x89@example.org"]


def test_the_ages_are_settings(organization, settings):
    settings.PURGE_UNCONFIRMED_AFTER_DAYS = 10
    unconfirmed("eleven@example.org", 11)
    assert stale_purge(context_for(), now=NOW).accounts_deleted == 1


def test_running_it_twice_changes_nothing_more(organization, capsys):
    unconfirmed("old@example.org", 31)
    purge(capsys)
    assert "0 unconfirmed account(s) deleted, 0 erased; 0 invitation(s), 0 join request(s), " \
           "0 login record(s)" in purge(capsys)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_delete_each_account_once(organization):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")
    for i in range(20):
        unconfirmed(f"old{i}@example.org", 31)
    results = []

    def run():
        try:
            results.append(stale_purge(context_for(), now=NOW).accounts_deleted)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 20
    assert not Member.objects.filter(email__startswith="old").exists()
