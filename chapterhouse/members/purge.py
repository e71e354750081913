"""The scheduled purge (`chapterhouse purge_stale`, daily from cron): what is kept no longer
than it is needed. Every age is a setting (PURGE_*_AFTER_DAYS).

- Accounts never confirmed, PURGE_UNCONFIRMED_AFTER_DAYS after they were created (they could
  never log in). One with any history (attendance, a poll) is erased instead, so no past
  figure changes.
- Invitations (on-site and by email) and join requests, PURGE_ANSWERED_AFTER_DAYS after they
  were answered or expired. An on-site invitation has no answer time; it could only be
  answered before it expired, so it goes that long after its expiry.
- django-axes' login records (attempts, failures, logins), PURGE_LOGIN_FAILURES_AFTER_DAYS
  after they happened.

Running it twice, or twice at once, is safe: each account is re-checked under a row lock before
it goes, and the rest are plain conditional deletes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from chapterhouse.members.models import Member
from chapterhouse.members.services import member_erase


@dataclass(frozen=True)
class Purged:
    accounts_deleted: int
    accounts_erased: int
    invitations: int
    join_requests: int
    login_records: int


def _unconfirmed_before(cutoff: datetime.datetime):
    return Member.objects.filter(email_confirmed=False, erased_at__isnull=True, is_staff=False,
                                 last_login__isnull=True, created_at__lt=cutoff)


def stale_purge(*, now: datetime.datetime, today: datetime.date) -> Purged:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from chapterhouse.chapters.models import (
        EmailInvitation,
        Invitation,
        InvitationStatus,
        JoinRequest,
        JoinRequestStatus,
    )

    unconfirmed = now - datetime.timedelta(days=settings.PURGE_UNCONFIRMED_AFTER_DAYS)
    answered = datetime.timedelta(days=settings.PURGE_ANSWERED_AFTER_DAYS)
    deleted = erased = 0
    for pk in list(_unconfirmed_before(unconfirmed).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            member = _unconfirmed_before(unconfirmed).select_for_update().filter(pk=pk).first()
            if member is None:  # confirmed, or purged by another run, meanwhile
                continue
            if member.attendances.exists() or member.poll_participations.exists():
                member_erase(member=member, today=today, now=now)
                erased += 1
            else:
                member.delete()
                deleted += 1
    invitations = Invitation.objects.filter(expires_on__lt=today - answered).delete()[0]
    invitations += EmailInvitation.objects.filter(
        Q(answered_at__lt=now - answered) & ~Q(status=InvitationStatus.PENDING)
        | Q(expires_on__lt=today - answered)).delete()[0]
    join_requests = JoinRequest.objects.filter(
        ~Q(status=JoinRequestStatus.PENDING), answered_at__lt=now - answered).delete()[0]
    login_cutoff = now - datetime.timedelta(days=settings.PURGE_LOGIN_FAILURES_AFTER_DAYS)
    login_records = sum(model.objects.filter(attempt_time__lt=login_cutoff).delete()[0]
                        for model in (AccessAttempt, AccessFailureLog, AccessLog))
    return Purged(deleted, erased, invitations, join_requests, login_records)
