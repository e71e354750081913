"""The periodic jobs as tasks (enqueued by `chapterhouse scheduler`, see jobs/schedule.py).

Each one is also a management command for manual use; both call the same services. All are
safe to run twice, or twice at once: each claims its rows (polls, meetings, notices) itself.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from chapterhouse.jobs.retries import task_with_retries
from chapterhouse.organizations.context import Actor, Context


def _system_context() -> Context:
    """The context a periodic job acts in: the organization, its clock, no member (the system).
    (`chapterhouse.context.context_for()` builds the same, but sits above the jobs.)"""
    from chapterhouse.organizations.models import Organization

    return Context(organization=Organization.objects.current(), actor=Actor())


@task_with_retries(attempts=4, first_delay=timedelta(seconds=20))
def close_polls() -> str:
    from chapterhouse.decisions.services import ballot_boxes_move_due, polls_close_due

    moved = ballot_boxes_move_due()
    closed = polls_close_due(_system_context())
    return f"{moved} ballot box(es) counted, {closed} poll(s) closed"


@task_with_retries(attempts=4, first_delay=timedelta(minutes=1))
def notify_polls() -> str:
    from chapterhouse.decisions.notifications import poll_notices_send

    notices = poll_notices_send(_system_context())  # on the organization's clock
    return (f"{notices.emails} email(s) queued: {notices.opened} poll(s) opened, "
            f"{notices.closing} closing tomorrow")


@task_with_retries(attempts=4, first_delay=timedelta(minutes=1))
def send_reminders() -> str:
    from chapterhouse.meetings.services import reminders_send
    from chapterhouse.members.mail import site_link

    # The system acts (no member); the organization's clock decides what "tomorrow" is.
    sent = reminders_send(_system_context(),
                          url_for=lambda meeting: site_link("meeting_detail", meeting.pk))
    return f"{sent.emails} reminder(s) for {sent.meetings} meeting(s)"


@task_with_retries(attempts=4, first_delay=timedelta(minutes=1))
def send_digests() -> str:
    from chapterhouse.notices.services import digests_send

    # Wall-clock time: a digest leaves at the member's real morning (like the outbox's sends).
    sent = digests_send()
    return f"{sent.digests} digest(s) queued, carrying {sent.entries} notice(s)"


@task_with_retries(attempts=4, first_delay=timedelta(minutes=1))
def welcome_reminders() -> str:
    from chapterhouse.followups.services import welcome_reminders_send
    from chapterhouse.members.mail import site_link

    # New members waiting 48 h for a welcome, on the organization's clock (issue 13, item 2).
    sent = welcome_reminders_send(
        _system_context(), link_for=lambda chapter: site_link("followups_chapter", chapter.slug))
    return (f"{sent.coordinators} email(s) to coordinators, {sent.organizers} to organizers, "
            f"about {sent.people} new member(s)")


@task_with_retries(attempts=4, first_delay=timedelta(minutes=1))
def notify_at_risk() -> str:
    from chapterhouse.verdicts.notices import risk_notices_send

    sent = risk_notices_send(_system_context())  # on the organization's clock
    return f"{sent.emails} health warning(s) for {sent.chapters} chapter(s)"


@task_with_retries(attempts=3, first_delay=timedelta(minutes=10))
def purge_stale() -> str:
    from chapterhouse.privacy.services import stale_purge

    purged = stale_purge(_system_context())
    return (f"{purged.accounts_deleted} account(s) deleted, {purged.accounts_erased} erased, "
            f"{purged.invitations} invitation(s), {purged.join_requests} join request(s), "
            f"{purged.login_records} login record(s) removed")


@task_with_retries(attempts=3, first_delay=timedelta(seconds=20))
def sweep_leases() -> str:
    from chapterhouse.jobs.services import leases_sweep

    return leases_sweep(now=timezone.now())


@task_with_retries(attempts=3, first_delay=timedelta(seconds=20))
def import_invitations_send() -> str:
    """Imported members' invitations to choose a password, IMPORT_INVITATIONS_PER_MINUTE a
    minute (docs/import.md); they then leave through the outbox at its own rate."""
    from chapterhouse.members.services import import_invitations_send as send

    return f"{send(settings.IMPORT_INVITATIONS_PER_MINUTE)} invitation(s) queued"


@task_with_retries(attempts=4, first_delay=timedelta(minutes=1))
def settle_splits() -> str:
    from chapterhouse.splits.services import splits_settle_due

    done = splits_settle_due(_system_context())  # on the organization's clock
    return f"{done} split(s) carried out"
